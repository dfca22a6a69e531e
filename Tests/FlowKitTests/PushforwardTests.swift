import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The analytic pushforwards of flows.md §8 (and a few more with closed forms): for each flow,
/// Eq. 5, Eq. 4 and the sampler's forward-pass log density must match the analytic log
/// density to 1e-12·max(1, |log p|), i.e. the density to 1e-12 relative where |log p| ≤ 1.
final class PushforwardTests: XCTestCase {
    struct Case {
        let name: String
        let base: any MultivariateDistribution
        let maps: [any Bijection]
        /// The analytic log density of the pushforward, written from libm and Special.
        let logDensity: (Double) -> Double
        /// Points inside the support.
        let points: [Double]
        /// Points outside the support (log density −∞).
        let outside: [Double]
    }

    private func cases() throws -> [Case] {
        let exp: any Bijection = Elementwise(ExpMap())
        let log: any Bijection = Elementwise(LogMap())
        let negate: any Bijection = Elementwise(try AffineMap(scale: -1, shift: 0))
        let normal = try FlowTestBases.standardNormal()
        let uniform = try FlowTestBases.unitUniform()
        let lnφ = logStandardNormalDensity
        let (mu, sigma, a, b) = (0.3, 2.0, -1.5, 0.7)
        let tau = 1.4, epsilon = -0.6
        return [
            // N(0,1) → exp: LogNormal(0, 1), p(y) = φ(log y)/y.
            Case(name: "exp of normal", base: normal, maps: [exp],
                 logDensity: { lnφ(Foundation.log($0)) - Foundation.log($0) },
                 points: [1e-3, 0.2, Foundation.exp(-1), 1, 2.5, 20, 300], outside: [0, -1]),
            // N(μ, σ²) → a·x + b: N(aμ + b, (aσ)²).
            Case(name: "affine of normal", base: IndependentComponents([try NormalDistribution(mean: mu, std: sigma)]),
                 maps: [Elementwise(try AffineMap(scale: a, shift: b))],
                 logDensity: { lnφ(($0 - (a * mu + b)) / abs(a * sigma)) - Foundation.log(abs(a * sigma)) },
                 points: [-20, -3, 0.25, 1, 8], outside: [.nan]),
            // U(0,1) → −log (log, then affine(−1, 0)): Exponential(1), p(y) = e^{−y}.
            Case(name: "-log of uniform", base: uniform, maps: [log, negate],
                 logDensity: { -$0 }, points: [0, 1e-9, 0.3, 1, 5, 30], outside: [-1, -1e-300]),
            // Exponential(1) → exp: Pareto(α = 1, x_m = 1), p(y) = 1/y² on y > 1.
            Case(name: "exp of exponential", base: uniform, maps: [log, negate, exp],
                 logDensity: { -2 * Foundation.log($0) }, points: [1.001, 1.5, 10, 1e6], outside: [0.5, 1 - 1e-12]),
            // N(0,1) → Φ: U(0,1).
            Case(name: "normal_cdf of normal", base: normal, maps: [Elementwise(NormalCDFMap())],
                 logDensity: { _ in 0 }, points: [1e-10, 0.1, 0.5, 0.9, 0.999], outside: [0, 1, 1.5]),
            // U(0,1) → Φ⁻¹: N(0,1) (inverse-CDF sampling).
            Case(name: "normal_quantile of uniform", base: uniform, maps: [Elementwise(NormalQuantileMap())],
                 logDensity: lnφ, points: [-8, -1, 0, 0.5, 3], outside: [.infinity]),
            // Logistic(0,1) → σ: U(0,1).
            Case(name: "sigmoid of logistic", base: try FlowTestBases.standardLogistic(), maps: [Elementwise(SigmoidMap())],
                 logDensity: { _ in 0 }, points: [1e-8, 0.2, 0.5, 0.7, 0.99], outside: [0, 1, -2]),
            // N(0,1) → σ: logit-normal, p(y) = φ(logit y)/(y(1 − y)).
            Case(name: "sigmoid of normal", base: normal, maps: [Elementwise(SigmoidMap())],
                 logDensity: { y in lnφ(Foundation.log(y / (1 - y))) - Foundation.log(y) - Foundation.log(1 - y) },
                 points: [1e-6, 0.1, 0.5, 0.8, 0.999], outside: [0, 1]),
            // N(0,1) → sinh: p(y) = φ(asinh y)/√(1 + y²).
            Case(name: "sinh of normal", base: normal, maps: [Elementwise(SinhMap())],
                 logDensity: { y in lnφ(asinh(y)) - 0.5 * Foundation.log(1 + y * y) },
                 points: [-50, -2, 0, 0.5, 7], outside: [.nan]),
            // N(0,1) → tanh: p(y) = φ(atanh y)/(1 − y²).
            Case(name: "tanh of normal", base: normal, maps: [Elementwise(TanhMap())],
                 logDensity: { y in lnφ(atanh(y)) - Foundation.log(1 - y * y) },
                 points: [-0.99, -0.3, 0, 0.6, 0.95], outside: [-1, 1, 2]),
            // N(0,1) → sinh_arcsinh: Jones & Pewsey (2009) eq. 2 with δ = 1/τ, ε = skew:
            // p(y) = δ·cosh(δ asinh y − ε)·φ(sinh(δ asinh y − ε))/√(1 + y²).
            Case(name: "sinh_arcsinh of normal", base: normal, maps: [Elementwise(try SinhArcsinhMap(skew: epsilon, tailweight: tau))],
                 logDensity: { y in
                     let w = asinh(y) / tau - epsilon
                     return -Foundation.log(tau) + Foundation.log(cosh(w)) + lnφ(sinh(w)) - 0.5 * Foundation.log(1 + y * y)
                 }, points: [-30, -3, -0.5, 0, 1, 4, 40], outside: [.infinity]),
            // U(0,1) → x²: p(y) = ½ y^{−1/2} on (0, 1).
            Case(name: "power of uniform", base: uniform, maps: [Elementwise(try PowerMap(exponent: 2))],
                 logDensity: { y in Foundation.log(0.5) - 0.5 * Foundation.log(y) }, points: [1e-12, 0.04, 0.5, 0.98], outside: [0, -0.5]),
            // N(0,1) → softplus: p(y) = φ(log(e^y − 1))·e^y/(e^y − 1).
            Case(name: "softplus of normal", base: normal, maps: [Elementwise(SoftplusMap())],
                 logDensity: { y in lnφ(Foundation.log(expm1(y))) + y - Foundation.log(expm1(y)) },
                 points: [0.01, 0.3, 0.7, 2, 6], outside: [0, -3]),
        ]
    }

    func testBothEquationsMatchTheAnalyticDensities() throws {
        for c in try cases() {
            let flow = try Flow(base: c.base, chain: TransformChain(maps: c.maps, dimension: 1))
            let y = PointBatch(scalars: c.points)
            let byInverse = flow.logDensityByInverse(y)
            let byForward = flow.logDensityByForward(y)
            for (i, point) in c.points.enumerated() {
                let expected = c.logDensity(point)
                let tolerance = 1e-12 * max(1, abs(expected))
                XCTAssertLessThanOrEqual(abs(byInverse[i] - expected), tolerance, "\(c.name), Eq. 5 at \(point): \(byInverse[i]) vs \(expected)")
                XCTAssertLessThanOrEqual(abs(byForward[i] - expected), tolerance, "\(c.name), Eq. 4 at \(point): \(byForward[i]) vs \(expected)")
            }
            let outside = PointBatch(scalars: c.outside)
            XCTAssertEqual(flow.logDensityByInverse(outside), [Double](repeating: -.infinity, count: c.outside.count), c.name)
            XCTAssertEqual(flow.logDensityByForward(outside), [Double](repeating: -.infinity, count: c.outside.count), c.name)
        }
    }

    /// The sampler's own log densities (forward pass only) against the analytic densities at
    /// 1000 fixed-seed samples of each flow.
    func testSampledLogDensitiesMatchTheAnalyticDensities() throws {
        for c in try cases() {
            let flow = try Flow(base: c.base, chain: TransformChain(maps: c.maps, dimension: 1))
            var stream = RandomStream(seed: 99)
            let (points, logDensity) = flow.sample(count: 1000, using: &stream)
            var worst = 0.0
            for i in 0..<points.count {
                let expected = c.logDensity(points.values[i])
                worst = max(worst, abs(logDensity[i] - expected) / max(1, abs(expected)))
            }
            XCTAssertLessThanOrEqual(worst, 1e-12, c.name)
        }
    }

    /// The exp-of-normal flow against the catalog's log-normal distribution (an independent
    /// implementation of the same law).
    func testExpOfNormalIsTheCatalogLogNormal() throws {
        let flow = try Flow(base: IndependentComponents([try NormalDistribution(mean: 0.5, std: 0.8)]),
                            chain: TransformChain(maps: [Elementwise(ExpMap())], dimension: 1))
        let lognormal = try LogNormalDistribution(mu: 0.5, sigma: 0.8)
        let ys = [0.01, 0.5, 1.6487212707001282, 4, 50]
        let logDensity = flow.logDensityByInverse(PointBatch(scalars: ys))
        for (i, y) in ys.enumerated() {
            XCTAssertLessThanOrEqual(abs(logDensity[i] - lognormal.logDensity(y)), 1e-12 * max(1, abs(logDensity[i])), "at \(y)")
        }
        // The mode of LogNormal(0, 1) is e^{−1} with density e^{1/2}/√(2π) ≈ 0.6577 (flows.md §2).
        let standard = try Flow(base: FlowTestBases.standardNormal(), chain: TransformChain(maps: [Elementwise(ExpMap())], dimension: 1))
        let mode = standard.logDensityByInverse(PointBatch(scalars: [exp(-1)]))[0]
        XCTAssertLessThanOrEqual(relativeError(exp(mode), exp(0.5) / (2 * Double.pi).squareRoot()), 1e-15)
    }
}
