import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class FlowTests: XCTestCase {
    private func chain(_ maps: [any Bijection], dimension: Int = 1) throws -> TransformChain {
        try TransformChain(maps: maps, dimension: dimension)
    }

    func testConstructionChecksDimensionAndDomains() throws {
        XCTAssertThrowsError(try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(ExpMap())], dimension: 2))) { error in
            XCTAssertEqual(error as? FlowKitError, .dimensionMismatch(what: "transform chain of the flow", expected: 1, found: 2))
        }
        // log after a normal is refused before anything runs; after a uniform it is fine.
        XCTAssertThrowsError(try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(LogMap())]))) { error in
            XCTAssertEqual(error as? FlowKitError, .outsideDomain(transform: "transform 1 (log)", value: "support (−∞, ∞)", domain: "(0, ∞)"))
        }
        let flow = try Flow(base: FlowTestBases.unitUniform(), chain: chain([Elementwise(LogMap())]))
        XCTAssertEqual(flow.dimension, 1)
        XCTAssertEqual(flow.support.first?.upper, 0)
        XCTAssertEqual(flow.support.first?.lower, -.infinity)
    }

    /// The log density of each sample (forward pass only, Rezende & Mohamed eq. 7) agrees with
    /// Eq. 5 and Eq. 4 evaluated at the sample to 1e-12 (relative in the density).
    func testSampleLogDensityAgreesWithBothEquations() throws {
        let flow = try Flow(base: FlowTestBases.standardNormal(),
                            chain: chain([Elementwise(try SinhArcsinhMap(skew: 0.4, tailweight: 1.3)),
                                          Elementwise(try AffineMap(scale: 0.5, shift: 2)), Elementwise(SoftplusMap())]))
        var stream = RandomStream(seed: 42)
        let (points, logDensity) = flow.sample(count: 2000, using: &stream)
        XCTAssertEqual(points.count, 2000)
        let byInverse = flow.logDensityByInverse(points)
        let byForward = flow.logDensityByForward(points)
        for i in 0..<points.count {
            XCTAssertLessThanOrEqual(abs(byInverse[i] - logDensity[i]), 1e-12 * max(1, abs(logDensity[i])), "sample \(i)")
            XCTAssertLessThanOrEqual(abs(byForward[i] - logDensity[i]), 1e-12 * max(1, abs(logDensity[i])), "sample \(i)")
        }
        // Same seed, same draws; another stream, other draws.
        var again = RandomStream(seed: 42)
        XCTAssertEqual(flow.sample(count: 2000, using: &again).points, points)
        // Into reused buffers: the same values.
        var reused = RandomStream(seed: 42)
        var buffer = PointBatch(dimension: 1, count: 2000, repeating: .nan)
        var bufferLogDensity = [Double](repeating: .nan, count: 2000)
        flow.sample(into: &buffer, logDensity: &bufferLogDensity, using: &reused)
        XCTAssertEqual(buffer, points)
        XCTAssertEqual(bufferLogDensity, logDensity)
        var other = RandomStream(seed: 42, stream: 1)
        XCTAssertNotEqual(flow.sample(count: 2000, using: &other).points, points)
    }

    /// Stages from the sampler's base draws reproduce the samples exactly.
    func testStagesEndAtTheSamples() throws {
        let maps: [any Bijection] = [Elementwise(try AffineMap(scale: 2, shift: -1)), Elementwise(TanhMap())]
        let flow = try Flow(base: FlowTestBases.standardNormal(), chain: chain(maps))
        var stream = RandomStream(seed: 7)
        let (points, _) = flow.sample(count: 100, using: &stream)
        var replay = RandomStream(seed: 7)
        var x0 = PointBatch(dimension: 1, count: 100)
        flow.base.sample(into: &x0, using: &replay)
        let stages = flow.stages(of: x0)
        XCTAssertEqual(stages.count, 3)
        XCTAssertEqual(stages[0], x0)
        XCTAssertEqual(stages[2], points)
    }

    /// Points outside the support, or whose preimage would leave a codomain on the way back,
    /// get −∞ from both equations, never NaN.
    func testPointsOutsideTheSupportGetMinusInfinity() throws {
        let lognormal = try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(ExpMap())]))
        let y = PointBatch(scalars: [-1, 0, .nan, .infinity, -.infinity, 1])
        for logDensity in [lognormal.logDensityByInverse(y), lognormal.logDensityByForward(y)] {
            XCTAssertEqual(Array(logDensity.prefix(5)), [Double](repeating: -.infinity, count: 5))
            XCTAssertEqual(logDensity[5], logStandardNormalDensity(0))
        }
        // tanh then log: (−1, 1) → the log needs (0, 1), so the chain is refused …
        XCTAssertThrowsError(try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(TanhMap()), Elementwise(LogMap())])))
        // … and sigmoid then log is accepted; log y must be < 0.
        let flow = try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(SigmoidMap()), Elementwise(LogMap())]))
        let points = PointBatch(scalars: [0.5, 0, -0.5, -800])
        let byInverse = flow.logDensityByInverse(points)
        let byForward = flow.logDensityByForward(points)
        XCTAssertEqual(byInverse[0], -.infinity)
        XCTAssertEqual(byForward[0], -.infinity)
        XCTAssertEqual(byInverse[1], -.infinity)   // log σ(x) = 0 needs x = +∞
        XCTAssertTrue(byInverse[2].isFinite)
        XCTAssertLessThanOrEqual(abs(byForward[2] - byInverse[2]), 1e-13 * abs(byInverse[2]))
        XCTAssertFalse(byInverse.contains { $0.isNaN })
        XCTAssertFalse(byForward.contains { $0.isNaN })
    }

    /// A fixed-seed Kolmogorov–Smirnov check of the sampler: exp of a standard normal has CDF
    /// Φ(log y); with n = 20000 the 1% critical value of D is 1.6276/√n ≈ 0.0115.
    func testSamplesFollowThePushforwardLaw() throws {
        let flow = try Flow(base: FlowTestBases.standardNormal(), chain: chain([Elementwise(ExpMap())]))
        var stream = RandomStream(seed: 2024)
        let n = 20000
        let sorted = flow.sample(count: n, using: &stream).points.values.sorted()
        var d = 0.0
        for (i, y) in sorted.enumerated() {
            let f = Special.normalCDF(log(y))
            d = max(d, abs(f - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - f))
        }
        XCTAssertLessThan(d, 1.6276 / Double(n).squareRoot())
    }

    func testMultidimensionalFlowSumsOverCoordinates() throws {
        let base = IndependentComponents([try NormalDistribution(), try NormalDistribution(mean: 1, std: 2)])
        let flow = try Flow(base: base, chain: chain([Elementwise(ExpMap())], dimension: 2))
        let y = PointBatch(dimension: 2, values: [0.5, 3, 2, 0.1])
        let logDensity = flow.logDensityByInverse(y)
        for i in 0..<2 {
            let (a, b) = (y[i, 0], y[i, 1])
            // Product of the two log-normal densities: LogNormal(0, 1) and LogNormal(1, 2).
            let expected = logStandardNormalDensity(log(a)) - log(a)
                + logStandardNormalDensity((log(b) - 1) / 2) - log(2) - log(b)
            XCTAssertLessThanOrEqual(abs(logDensity[i] - expected), 1e-13 * abs(expected))
        }
        XCTAssertEqual(flow.logDensityByInverse(PointBatch(dimension: 2, values: [1, -1])), [-.infinity])
    }
}
