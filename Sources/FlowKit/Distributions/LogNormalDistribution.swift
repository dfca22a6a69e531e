import Foundation

/// The log-normal distribution, exp of N(mu, sigma²) (spec name `lognormal`; scipy
/// `lognorm(s=sigma, scale=e^mu)`).
///
/// With z = (log x − μ)/σ for x > 0: log p = −z²/2 − log σ − log x − ½ log 2π; F = Φ(z);
/// F⁻¹(p) = exp(μ + σ Φ⁻¹(p)); E = exp(μ + σ²/2), Var = expm1(σ²)·exp(2μ + σ²) (A&S 26.2, Johnson
/// et al. 1994 ch. 14).
public struct LogNormalDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let mu: Double
        public let sigma: Double
        public init(mu: Double = 0, sigma: Double = 1) throws {
            try ParameterValidation.finite(mu, "mu")
            try ParameterValidation.positive(sigma, "sigma")
            self.mu = mu
            self.sigma = sigma
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(mu: c?.number(.mu, default: 0) ?? 0, sigma: c?.number(.sigma, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let mu: Double, sigma: Double, logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        mu = parameters.mu
        sigma = parameters.sigma
        logNormalizer = Foundation.log(sigma) + Special.halfLogTwoPi
    }

    public init(mu: Double = 0, sigma: Double = 1) throws { self.init(try Parameters(mu: mu, sigma: sigma)) }

    public func logDensity(_ x: Double) -> Double {
        guard x > 0 else { return -.infinity }
        let logX = Foundation.log(x)
        let z = (logX - mu) / sigma
        return -0.5 * z * z - logNormalizer - logX
    }
    public func cdf(_ x: Double) -> Double { x > 0 ? Special.normalCDF((Foundation.log(x) - mu) / sigma) : 0 }
    /// Φ((log x − μ)/σ) by ``NormalCDFTable/logNormalCDF(of:mu:sigma:into:)`` (libm's log, no
    /// erfc per value): the same z as ``cdf(_:)``, u within 4 ulps of it.
    public func cdf(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        NormalCDFTable.shared.logNormalCDF(of: x, mu: mu, sigma: sigma, into: out)
    }
    public func survival(_ x: Double) -> Double { x > 0 ? Special.normalSurvival((Foundation.log(x) - mu) / sigma) : 1 }
    public func quantile(_ p: Double) -> Double { Foundation.exp(mu + sigma * Special.normalQuantile(p)) }
    public func sample(using stream: inout RandomStream) -> Double { Foundation.exp(mu + sigma * stream.nextStandardNormal()) }
    public var support: Interval { .positive }
    public var mean: Double? { Foundation.exp(mu + 0.5 * sigma * sigma) }
    public var variance: Double? { expm1(sigma * sigma) * Foundation.exp(2 * mu + sigma * sigma) }
}
