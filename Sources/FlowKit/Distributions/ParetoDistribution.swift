import Foundation

/// The Pareto (type I) distribution with index α and scale x_m (spec name `pareto`; scipy
/// `pareto(b=α, scale=x_m)`).
///
/// For x ≥ x_m: log p = log(α/x_m) − (α + 1) log(x/x_m); 1 − F = (x_m/x)^α = exp(−α log(x/x_m));
/// F = −expm1(−α log(x/x_m)); F⁻¹(p) = x_m exp(−log1p(−p)/α); sampled as x_m U^(−1/α).
/// E = αx_m/(α − 1) for α > 1, Var = x_m²α/((α − 1)²(α − 2)) for α > 2 (Johnson et al. 1994,
/// ch. 20).
public struct ParetoDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let alpha: Double
        public let xm: Double
        public init(alpha: Double = 1, xm: Double = 1) throws {
            try ParameterValidation.positive(alpha, "alpha")
            try ParameterValidation.positive(xm, "xm")
            self.alpha = alpha
            self.xm = xm
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(alpha: c?.number(.alpha, default: 1) ?? 1, xm: c?.number(.xm, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let alpha: Double, xm: Double, logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        alpha = parameters.alpha
        xm = parameters.xm
        logNormalizer = Foundation.log(parameters.alpha / parameters.xm)
    }

    public init(alpha: Double = 1, xm: Double = 1) throws { self.init(try Parameters(alpha: alpha, xm: xm)) }

    public func logDensity(_ x: Double) -> Double {
        guard x >= xm else { return -.infinity }
        return logNormalizer - (alpha + 1) * Foundation.log(x / xm)
    }
    public func cdf(_ x: Double) -> Double { x > xm ? -expm1(-alpha * Foundation.log(x / xm)) : 0 }
    public func survival(_ x: Double) -> Double { x > xm ? Foundation.exp(-alpha * Foundation.log(x / xm)) : 1 }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return xm * Foundation.exp(-log1p(-p) / alpha)
    }
    public func sample(using stream: inout RandomStream) -> Double {
        xm * Foundation.exp(-Foundation.log(stream.nextOpenUniform()) / alpha)
    }
    public var support: Interval { Interval(lower: xm, upper: .infinity, lowerClosed: true) }
    public var mean: Double? { alpha > 1 ? alpha * xm / (alpha - 1) : nil }
    public var variance: Double? { alpha > 2 ? xm * xm * alpha / ((alpha - 1) * (alpha - 1) * (alpha - 2)) : nil }
}
