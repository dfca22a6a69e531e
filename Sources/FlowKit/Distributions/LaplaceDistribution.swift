import Foundation

/// The Laplace (double exponential) distribution (spec name `laplace`).
///
/// With z = (x − loc)/b: log p = −|z| − log 2b; F = ½eᶻ for z < 0, 1 − ½e⁻ᶻ otherwise (each tail
/// computed directly); F⁻¹(p) = loc + b log 2p for p < ½, loc − b log 2(1 − p) otherwise.
/// E = loc, Var = 2b² (Johnson et al. 1995, ch. 24).
public struct LaplaceDistribution: UnivariateDistribution {
    public typealias Parameters = LocationScaleParameters

    public let parameters: Parameters
    let loc: Double, scale: Double, logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        loc = parameters.loc
        scale = parameters.scale
        logNormalizer = Foundation.log(2 * parameters.scale)
    }

    public init(loc: Double = 0, scale: Double = 1) throws { self.init(try Parameters(loc: loc, scale: scale)) }

    public func logDensity(_ x: Double) -> Double { -abs((x - loc) / scale) - logNormalizer }
    public func cdf(_ x: Double) -> Double {
        let z = (x - loc) / scale
        return z < 0 ? 0.5 * Foundation.exp(z) : 1 - 0.5 * Foundation.exp(-z)
    }
    public func survival(_ x: Double) -> Double {
        let z = (x - loc) / scale
        return z > 0 ? 0.5 * Foundation.exp(-z) : 1 - 0.5 * Foundation.exp(z)
    }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return p < 0.5 ? loc + scale * Foundation.log(2 * p) : loc - scale * Foundation.log(2 * (1 - p))
    }
    public func sample(using stream: inout RandomStream) -> Double { quantile(stream.nextOpenUniform()) }
    public var support: Interval { .real }
    public var mean: Double? { loc }
    public var variance: Double? { 2 * scale * scale }
}
