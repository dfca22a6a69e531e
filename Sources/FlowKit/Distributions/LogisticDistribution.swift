import Foundation

/// The logistic distribution (spec name `logistic`).
///
/// With z = (x − loc)/s: log p = −|z| − 2 log1p(e^−|z|) − log s (symmetric, so no overflow);
/// F = 1/(1 + e⁻ᶻ), evaluated as eᶻ/(1 + eᶻ) for z < 0; F⁻¹(p) = loc + s (log p − log1p(−p));
/// E = loc, Var = s²π²/3 (Johnson et al. 1995, ch. 23).
public struct LogisticDistribution: UnivariateDistribution {
    public typealias Parameters = LocationScaleParameters

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
        let a = abs((x - loc) / scale)
        return -a - 2 * log1p(Foundation.exp(-a)) - logScale
    }
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 { return 1 / (1 + Foundation.exp(-z)) }
        let e = Foundation.exp(z)
        return e / (1 + e)
    }
    public func cdf(_ x: Double) -> Double { Self.sigmoid((x - loc) / scale) }
    public func survival(_ x: Double) -> Double { Self.sigmoid(-(x - loc) / scale) }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return loc + scale * (Foundation.log(p) - log1p(-p))
    }
    public func sample(using stream: inout RandomStream) -> Double { quantile(stream.nextOpenUniform()) }
    public var support: Interval { .real }
    public var mean: Double? { loc }
    public var variance: Double? { scale * scale * Double.pi * Double.pi / 3 }
}
