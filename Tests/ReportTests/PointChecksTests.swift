import FlowKit
import Foundation
import Report
import XCTest

/// x ↦ a·x per coordinate whose log-det claims log|a| + `logDetError` and whose inverse
/// divides by a·(1 + `inverseError`): a map with a known wrong Jacobian or inverse.
private struct MiscalibratedScale: Bijection {
    var scale = 2.0
    var logDetError = 0.0
    var inverseError = 0.0
    var name: String { "miscalibrated" }
    var dimension: Int? { nil }
    var hasClosedFormInverse: Bool { true }
    var hasConstantJacobian: Bool { true }
    func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }
    func image(of box: [Interval]) -> [Interval] { box.map { _ in .real } }
    func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for k in batch.values.indices { batch.values[k] *= scale }
        for i in logAbsDet.indices { logAbsDet[i] += Double(batch.dimension) * log(scale) + logDetError }
    }
    func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for k in batch.values.indices { batch.values[k] /= scale * (1 + inverseError) }
        for i in logAbsDet.indices { logAbsDet[i] -= Double(batch.dimension) * log(scale) }
    }
}

/// The one rule for which points the point checks count, the same in every dimension.
final class PointChecksTests: XCTestCase {
    private func stages(_ maps: [any Bijection], base: PointBatch) throws -> [PointBatch] {
        try TransformChain(maps: maps, dimension: base.dimension).stages(base)
    }

    func testRoundTripSkipsNonFinitePointsAndCountsAtMostItsLimit() throws {
        for d in [1, 2, 3] {
            let chain = try TransformChain(maps: [MiscalibratedScale(inverseError: 1e-9)], dimension: d)
            var values = (0..<(5000 * d)).map { Double($0 % 97) / 10 - 4 }
            values[0] = .nan
            values[d] = .infinity
            let result = PointChecks.roundTrip(chain: chain, base: PointBatch(dimension: d, values: values))
            XCTAssertEqual(result.points, PointChecks.roundTripPoints, "d = \(d)")
            // x/(1 + ε) − x relative to max(1, |x|): ε/(1 + ε) at the largest |x| ≥ 1.
            XCTAssertEqual(result.value, 1e-9 / (1 + 1e-9), accuracy: 1e-15, "d = \(d)")
            let exact = try TransformChain(maps: [MiscalibratedScale()], dimension: d)
            XCTAssertEqual(PointChecks.roundTrip(chain: exact, base: PointBatch(dimension: d, values: values)).value, 0, "d = \(d)")
        }
    }

    func testLogDetComparisonSeesAWrongLogDetInEveryDimension() throws {
        for d in [1, 2, 3] {
            let base = PointBatch(dimension: d, values: (0..<(300 * d)).map { sin(Double($0)) })
            let maps: [any Bijection] = [MiscalibratedScale(logDetError: 1e-3)]
            let c = PointChecks.logDetAgainstFiniteDifferences(maps: maps, stages: try stages(maps, base: base))
            XCTAssertEqual(c.compared, PointChecks.finiteDifferencePoints, "d = \(d)")
            XCTAssertEqual(c.unresolved, 0)
            XCTAssertEqual(c.worst, 1e-3, accuracy: 1e-9, "d = \(d)")
        }
    }

    func testStepsScaleWithTheCoordinateSoAnExactZeroIsUnresolved() throws {
        // The initial step is 1 % of |x_j| (at least 1e−10): at x = 0 exactly, rounding swamps
        // the difference quotient, and the pair is reported as unresolved, never compared.
        let exp: [any Bijection] = [Elementwise(ExpMap())]
        let c = PointChecks.logDetAgainstFiniteDifferences(maps: exp, stages: [PointBatch(scalars: [0, 0.5, -2])])
        XCTAssertEqual(c.compared, 2)
        XCTAssertEqual(c.unresolved, 1)
    }

    func testPointsOutsideTheDomainAreSkippedAndFlatTailsAreUnresolved() throws {
        // log: inputs ≤ 0 are outside its domain and do not count at all; tanh at |x| = 30 has
        // a derivative (≈ 4e−26) the finite difference cannot resolve: counted as unresolved.
        let logMap: [any Bijection] = [Elementwise(LogMap())]
        let inputs = PointBatch(scalars: [-1, 0, 0.5, 2, 1e-3])
        let log1 = PointChecks.logDetAgainstFiniteDifferences(maps: logMap, stages: [inputs])
        XCTAssertEqual(log1.compared, 3)
        XCTAssertEqual(log1.unresolved, 0)
        XCTAssertLessThan(log1.worst, 1e-8)

        let tanh: [any Bijection] = [Elementwise(TanhMap())]
        for d in [1, 2] {
            var values = [Double](repeating: 0.3, count: 4 * d)
            values[0] = 30   // point 0 has a coordinate in the flat tail
            let c = PointChecks.logDetAgainstFiniteDifferences(maps: tanh, stages: [PointBatch(dimension: d, values: values)])
            XCTAssertEqual(c.compared, 3, "d = \(d)")
            XCTAssertEqual(c.unresolved, 1, "d = \(d)")
            XCTAssertLessThan(c.worst, 1e-8, "d = \(d)")
        }
    }

    func testEachMapIsComparedAtItsOwnInputStage() throws {
        // log after exp: half of the base points lie outside log's domain, none of its inputs
        // exp(x) do; comparing log at the base points would skip half of them.
        let maps: [any Bijection] = [Elementwise(ExpMap()), Elementwise(LogMap())]
        let base = PointBatch(scalars: (0..<100).map { -2.987 + 0.06 * Double($0) })
        let c = PointChecks.logDetAgainstFiniteDifferences(maps: maps, stages: try stages(maps, base: base))
        XCTAssertEqual(c.compared, 200)
        XCTAssertLessThan(c.worst, 1e-8)
    }
}
