import Foundation

/// The Cauchy distribution (spec name `cauchy`).
///
/// With z = (x − loc)/γ: log p = −log πγ − log1p(z²) (as −2 log|z| − log1p(z⁻²) for |z| > 10⁷⁶
/// so z² cannot overflow); F = ½ + atan(z)/π, evaluated as atan(−1/z)/π for z < −1 to keep the
/// left tail's relative precision; F⁻¹(p) = loc − γ/tan(πp) for p < ½, loc + γ/tan(π(1 − p))
/// otherwise. Mean and variance do not exist (Johnson et al. 1994, ch. 16).
public struct CauchyDistribution: UnivariateDistribution {
    public typealias Parameters = LocationScaleParameters

    public let parameters: Parameters
    let loc: Double, scale: Double, logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        loc = parameters.loc
        scale = parameters.scale
        logNormalizer = Foundation.log(Double.pi * parameters.scale)
    }

    public init(loc: Double = 0, scale: Double = 1) throws { self.init(try Parameters(loc: loc, scale: scale)) }

    public func logDensity(_ x: Double) -> Double {
        let z = abs((x - loc) / scale)
        if z > 1e76 { return -2 * Foundation.log(z) - log1p(1 / (z * z)) - logNormalizer }
        return -log1p(z * z) - logNormalizer
    }
    static func lowerTail(_ z: Double) -> Double {
        z < -1 ? Foundation.atan(-1 / z) / Double.pi : 0.5 + Foundation.atan(z) / Double.pi
    }
    public func cdf(_ x: Double) -> Double { Self.lowerTail((x - loc) / scale) }
    public func survival(_ x: Double) -> Double { Self.lowerTail(-(x - loc) / scale) }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return loc }
        return p < 0.5 ? loc - scale / Foundation.tan(Double.pi * p) : loc + scale / Foundation.tan(Double.pi * (1 - p))
    }
    public func sample(using stream: inout RandomStream) -> Double { quantile(stream.nextOpenUniform()) }
    public var support: Interval { .real }
    public var mean: Double? { nil }
    public var variance: Double? { nil }
}
