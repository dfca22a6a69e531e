import Foundation
@testable import FlowKit

// Test-only one-dimensional base distributions, each a few lines with its formula, used until
// the rng-dist distributions are on main. Samplers use only the explicit RandomStream.

/// N(0, 1) in one dimension; Box–Muller on two open uniforms, no cached state.
struct TestStandardNormal: MultivariateDistribution {
    var dimension: Int { 1 }
    var support: [Interval] { [.real] }
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double { -0.5 * x[0] * x[0] - 0.5 * log(2 * Double.pi) }
    func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        for i in 0..<batch.values.count {
            let u1 = stream.nextOpenUniform(), u2 = stream.nextOpenUniform()
            batch.values[i] = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
    }
}

/// U(0, 1) in one dimension.
struct TestUnitUniform: MultivariateDistribution {
    var dimension: Int { 1 }
    var support: [Interval] { [.unit] }
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double { Interval.unit.contains(x[0]) ? 0 : -.infinity }
    func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        for i in 0..<batch.values.count { batch.values[i] = stream.nextOpenUniform() }
    }
}

/// The standard logistic, log p(x) = −x − 2 log(1 + e^{−x}) = −|x| − 2 log1p(e^{−|x|});
/// sampled as logit(u).
struct TestStandardLogistic: MultivariateDistribution {
    var dimension: Int { 1 }
    var support: [Interval] { [.real] }
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        let a = abs(x[0])
        return -a - 2 * log1p(exp(-a))
    }
    func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        for i in 0..<batch.values.count {
            let u = stream.nextOpenUniform()
            batch.values[i] = log(u) - log1p(-u)
        }
    }
}

/// log φ(x) = −x²/2 − ½ log 2π, for analytic densities in the tests.
func logStandardNormalDensity(_ x: Double) -> Double { -0.5 * x * x - 0.5 * log(2 * Double.pi) }
