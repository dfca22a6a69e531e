import Foundation

/// The Gumbel (maximum extreme value) distribution (spec name `gumbel`; scipy `gumbel_r`).
///
/// With z = (x − loc)/β: log p = −z − e⁻ᶻ − log β; F = exp(−e⁻ᶻ); 1 − F = −expm1(−e⁻ᶻ);
/// F⁻¹(p) = loc − β log(−log p); E = loc + βγ (Euler's γ), Var = π²β²/6
/// (Johnson et al. 1995, ch. 22).
public struct GumbelDistribution: UnivariateDistribution {
    public typealias Parameters = LocationScaleParameters

    /// Euler–Mascheroni constant γ.
    public static let eulerGamma = 0.57721566490153286061

    public let parameters: Parameters
    let loc: Double, scale: Double, logScale: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        loc = parameters.loc
        scale = parameters.scale
        logScale = Foundation.log(parameters.scale)
    }

    public init(loc: Double = 0, scale: Double = 1) throws { self.init(try Parameters(loc: loc, scale: scale)) }

    public func logDensity(_ x: Double) -> Double {
        let z = (x - loc) / scale
        return -z - Foundation.exp(-z) - logScale
    }
    public func cdf(_ x: Double) -> Double { Foundation.exp(-Foundation.exp(-(x - loc) / scale)) }
    public func survival(_ x: Double) -> Double { -expm1(-Foundation.exp(-(x - loc) / scale)) }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return loc - scale * Foundation.log(-Foundation.log(p))
    }
    public func sample(using stream: inout RandomStream) -> Double { quantile(stream.nextOpenUniform()) }
    public var support: Interval { .real }
    public var mean: Double? { loc + scale * Self.eulerGamma }
    public var variance: Double? { Double.pi * Double.pi * scale * scale / 6 }
}
