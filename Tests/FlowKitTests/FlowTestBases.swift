import Foundation
@testable import FlowKit

/// One-dimensional base distributions for the flow tests, from the distribution catalog.
enum FlowTestBases {
    static func standardNormal() throws -> any MultivariateDistribution { IndependentComponents([try NormalDistribution()]) }
    static func unitUniform() throws -> any MultivariateDistribution { IndependentComponents([try UniformDistribution()]) }
    static func standardLogistic() throws -> any MultivariateDistribution { IndependentComponents([try LogisticDistribution()]) }
}

/// log φ(x) = −x²/2 − ½ log 2π, for analytic densities in the tests.
func logStandardNormalDensity(_ x: Double) -> Double { -0.5 * x * x - Special.halfLogTwoPi }
