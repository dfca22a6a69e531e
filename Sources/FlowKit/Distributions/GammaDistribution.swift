import Foundation

/// The gamma distribution with shape k and rate λ (spec name `gamma`; scipy
/// `gamma(a=k, scale=1/λ)`).
///
/// log p = (k − 1) log λx − λx − log Γ(k) + log λ for k < 20; for k ≥ 20,
/// log p = log[(λx)ᵏ e^(−λx)/Γ(k)] − log x with the bracket from Special's scaled gamma prefix
/// (no cancellation of the k log k terms); F = P(k, λx), 1 − F = Q(k, λx); F⁻¹(p) = P⁻¹(k, p)/λ.
/// Sampler: Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM
/// TOMS 26(3), with G(k) = G(k + 1)·U^(1/k) for k < 1. E = k/λ, Var = k/λ².
public struct GammaDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let shape: Double
        public let rate: Double
        public init(shape: Double = 1, rate: Double = 1) throws {
            try ParameterValidation.positive(shape, "shape")
            try ParameterValidation.positive(rate, "rate")
            self.shape = shape
            self.rate = rate
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(shape: c?.number(.shape, default: 1) ?? 1, rate: c?.number(.rate, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let shape: Double, rate: Double, logRate: Double, logGammaShape: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        shape = parameters.shape
        rate = parameters.rate
        logRate = Foundation.log(parameters.rate)
        logGammaShape = Special.logGamma(parameters.shape)
    }

    public init(shape: Double = 1, rate: Double = 1) throws { self.init(try Parameters(shape: shape, rate: rate)) }

    public func logDensity(_ x: Double) -> Double {
        if x < 0 || x.isNaN { return -.infinity }
        if x == 0 {
            if shape < 1 { return .infinity }
            return shape == 1 ? Foundation.log(rate) : -.infinity
        }
        if x.isInfinite { return -.infinity }
        if shape < 20 {
            return (shape - 1) * Foundation.log(rate * x) - rate * x - logGammaShape + logRate
        }
        return Special.logGammaPrefix(shape, rate * x) - Foundation.log(x)
    }
    public func cdf(_ x: Double) -> Double { x > 0 ? Special.regularizedGammaP(shape, rate * x) : 0 }
    public func survival(_ x: Double) -> Double { x > 0 ? Special.regularizedGammaQ(shape, rate * x) : 1 }
    public func quantile(_ p: Double) -> Double { Special.inverseRegularizedGammaP(shape, p) / rate }
    public func sample(using stream: inout RandomStream) -> Double { Self.standardSample(shape: shape, using: &stream) / rate }
    public var support: Interval { .positive }
    public var mean: Double? { shape / rate }
    public var variance: Double? { shape / (rate * rate) }

    /// A Gamma(k, 1) draw by Marsaglia–Tsang: d = k − ⅓, c = 1/√(9d); repeat Z ~ N(0,1),
    /// v = (1 + cZ)³ until v > 0 and log U < Z²/2 + d − dv + d log v; return dv. For k < 1 the
    /// draw for k + 1 is multiplied by U^(1/k) = exp(log U / k).
    public static func standardSample(shape k: Double, using stream: inout RandomStream) -> Double {
        if k < 1 {
            let boosted = standardSample(shape: k + 1, using: &stream)
            return boosted * Foundation.exp(Foundation.log(stream.nextOpenUniform()) / k)
        }
        let d = k - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = stream.nextStandardNormal()
            var v = 1 + c * z
            if v <= 0 { continue }
            v = v * v * v
            let logU = Foundation.log(stream.nextOpenUniform())
            if logU < 0.5 * z * z + d - d * v + d * Foundation.log(v) { return d * v }
        }
    }
}
