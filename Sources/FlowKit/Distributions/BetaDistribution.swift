import Foundation

/// The beta distribution on (0, 1) (spec name `beta`).
///
/// log p = (a − 1) log x + (b − 1) log1p(−x) − log B(a, b); F = I_x(a, b) and 1 − F from the
/// same continued fraction (Special.regularizedBetaPair); F⁻¹ = I⁻¹. Sampled as
/// G₁/(G₁ + G₂) with G₁ ~ Gamma(a), G₂ ~ Gamma(b) (Johnson et al. 1995, ch. 25).
/// E = a/(a + b), Var = ab/((a + b)²(a + b + 1)).
public struct BetaDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let a: Double
        public let b: Double
        public init(a: Double = 1, b: Double = 1) throws {
            try ParameterValidation.positive(a, "a")
            try ParameterValidation.positive(b, "b")
            self.a = a
            self.b = b
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(a: c?.number(.a, default: 1) ?? 1, b: c?.number(.b, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let a: Double, b: Double, logB: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        a = parameters.a
        b = parameters.b
        logB = Special.logBeta(parameters.a, parameters.b)
    }

    public init(a: Double = 1, b: Double = 1) throws { self.init(try Parameters(a: a, b: b)) }

    public func logDensity(_ x: Double) -> Double {
        guard x >= 0, x <= 1 else { return -.infinity }
        if x == 0 { return a < 1 ? .infinity : (a == 1 ? -logB : -.infinity) }
        if x == 1 { return b < 1 ? .infinity : (b == 1 ? -logB : -.infinity) }
        return (a - 1) * Foundation.log(x) + (b - 1) * log1p(-x) - logB
    }
    public func cdf(_ x: Double) -> Double { Special.regularizedBetaPair(a, b, x).lower }
    public func survival(_ x: Double) -> Double { Special.regularizedBetaPair(a, b, x).upper }
    public func quantile(_ p: Double) -> Double { Special.inverseRegularizedBeta(a, b, p) }
    public func sample(using stream: inout RandomStream) -> Double {
        let g1 = GammaDistribution.standardSample(shape: a, using: &stream)
        let g2 = GammaDistribution.standardSample(shape: b, using: &stream)
        return g1 / (g1 + g2)
    }
    public var support: Interval { .unit }
    public var mean: Double? { a / (a + b) }
    public var variance: Double? { a * b / ((a + b) * (a + b) * (a + b + 1)) }
}
