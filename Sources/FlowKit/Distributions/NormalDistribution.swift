import Foundation

/// The normal distribution N(mean, std²) (spec name `normal`).
///
/// With z = (x − μ)/σ: log p = −z²/2 − log σ − ½ log 2π; F = Φ(z); 1 − F = Φ(−z);
/// F⁻¹(p) = μ + σ Φ⁻¹(p) (A&S 26.2). Sampled as μ + σ Z with the ziggurat Z.
public struct NormalDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let mean: Double
        public let std: Double
        public init(mean: Double = 0, std: Double = 1) throws {
            try ParameterValidation.finite(mean, "mean")
            try ParameterValidation.positive(std, "std")
            self.mean = mean
            self.std = std
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(mean: c?.number(.mean, default: 0) ?? 0, std: c?.number(.std, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    @usableFromInline let mu: Double
    @usableFromInline let sigma: Double
    @usableFromInline let logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        mu = parameters.mean
        sigma = parameters.std
        logNormalizer = Foundation.log(parameters.std) + Special.halfLogTwoPi
    }

    public init(mean: Double = 0, std: Double = 1) throws { self.init(try Parameters(mean: mean, std: std)) }

    @inlinable public func logDensity(_ x: Double) -> Double {
        let z = (x - mu) / sigma
        return -0.5 * z * z - logNormalizer
    }
    /// out[i] = log p(x[i]), the same values as ``logDensity(_:)``. When σ is a power of two
    /// (σ = 1 included) with 1/σ normal, z = (x − μ)·(1/σ): 1/σ = 2⁻ᵏ is then exact, so the product
    /// and the quotient are the same real number rounded once, the same bits, without a division
    /// per value.
    public func logDensity(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "one output per input")
        guard let xs = x.baseAddress, let ys = out.baseAddress else { return }
        let reciprocal = 1 / sigma
        if sigma.significandBitPattern == 0, sigma.isNormal, reciprocal.isNormal {
            for i in 0..<x.count {
                let z = (xs[i] - mu) * reciprocal
                ys[i] = -0.5 * z * z - logNormalizer
            }
        } else {
            for i in 0..<x.count { ys[i] = logDensity(xs[i]) }
        }
    }
    public func cdf(_ x: Double) -> Double { Special.normalCDF((x - mu) / sigma) }
    /// Φ((x − μ)/σ) by ``NormalCDFTable`` (within 4 ulps of ``cdf(_:)``, no libm call per value).
    public func cdf(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        NormalCDFTable.shared.cdf(of: x, mean: mu, std: sigma, into: out)
    }
    public func survival(_ x: Double) -> Double { Special.normalSurvival((x - mu) / sigma) }
    public func quantile(_ p: Double) -> Double { mu + sigma * Special.normalQuantile(p) }
    @inlinable public func sample(using stream: inout RandomStream) -> Double { mu + sigma * stream.nextStandardNormal() }
    /// μ + σ Zᵢ with the Zᵢ drawn in one pass (``RandomStream/fillStandardNormal(_:)``).
    public func sample(into buffer: UnsafeMutableBufferPointer<Double>, using stream: inout RandomStream) {
        stream.fillStandardNormal(buffer)
        for i in buffer.indices { buffer[i] = mu + sigma * buffer[i] }
    }
    public var support: Interval { .real }
    public var mean: Double? { mu }
    public var variance: Double? { sigma * sigma }
}
