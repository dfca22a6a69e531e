import Foundation

/// The exponential distribution with rate λ (spec name `exponential`; scipy `expon(scale=1/λ)`).
///
/// log p = log λ − λx for x ≥ 0; F = −expm1(−λx); 1 − F = exp(−λx); F⁻¹(p) = −log1p(−p)/λ;
/// sampled as −log(U)/λ with U in (0, 1). E = 1/λ, Var = 1/λ².
public struct ExponentialDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let rate: Double
        public init(rate: Double = 1) throws {
            try ParameterValidation.positive(rate, "rate")
            self.rate = rate
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(rate: c?.number(.rate, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let rate: Double, logRate: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        rate = parameters.rate
        logRate = Foundation.log(parameters.rate)
    }

    public init(rate: Double = 1) throws { self.init(try Parameters(rate: rate)) }

    public func logDensity(_ x: Double) -> Double { x >= 0 ? logRate - rate * x : -.infinity }
    public func cdf(_ x: Double) -> Double { x > 0 ? -expm1(-rate * x) : 0 }
    public func survival(_ x: Double) -> Double { x > 0 ? Foundation.exp(-rate * x) : 1 }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return -log1p(-p) / rate
    }
    public func sample(using stream: inout RandomStream) -> Double { -Foundation.log(stream.nextOpenUniform()) / rate }
    public var support: Interval { Interval(lower: 0, upper: .infinity, lowerClosed: true) }
    public var mean: Double? { 1 / rate }
    public var variance: Double? { 1 / (rate * rate) }
}
