import Foundation

/// Student's t distribution with ν degrees of freedom, location and scale (spec name
/// `student_t`; scipy `t(df, loc, scale)`).
///
/// With z = (x − loc)/s: log p = −log B(ν/2, ½) − ½ log ν − log s − (ν + 1)/2 · log1p(z²/ν)
/// (using log Γ((ν+1)/2) − log Γ(ν/2) = ½ log π − log B(ν/2, ½), accurate for large ν).
/// Tail P(T > |z|) = ½ I_{ν/(ν+z²)}(ν/2, ½) = ½ [1 − I_{z²/(ν+z²)}(½, ν/2)], the second form
/// used when z² < ν so the small argument is formed directly (A&S 26.7.1). The quantile
/// inverts the same identities. Sampled as Z/√(V/ν) with V = 2·Gamma(ν/2).
/// E = loc for ν > 1; Var = s²ν/(ν − 2) for ν > 2.
public struct StudentTDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let df: Double
        public let loc: Double
        public let scale: Double
        public init(df: Double = 3, loc: Double = 0, scale: Double = 1) throws {
            try ParameterValidation.positive(df, "df")
            try ParameterValidation.finite(loc, "loc")
            try ParameterValidation.positive(scale, "scale")
            self.df = df
            self.loc = loc
            self.scale = scale
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(df: c?.number(.df, default: 3) ?? 3, loc: c?.number(.loc, default: 0) ?? 0,
                          scale: c?.number(.scale, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let df: Double, loc: Double, scale: Double, logNormalizer: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        df = parameters.df
        loc = parameters.loc
        scale = parameters.scale
        logNormalizer = Special.logBeta(0.5 * parameters.df, 0.5) + 0.5 * Foundation.log(parameters.df)
            + Foundation.log(parameters.scale)
    }

    public init(df: Double = 3, loc: Double = 0, scale: Double = 1) throws {
        self.init(try Parameters(df: df, loc: loc, scale: scale))
    }

    public func logDensity(_ x: Double) -> Double {
        let z = abs((x - loc) / scale)
        let logTerm: Double
        if z > 1e100 {
            // log1p(z²/ν) = 2 log z − log ν + log1p(ν/z²) without overflowing z².
            logTerm = 2 * Foundation.log(z) - Foundation.log(df) + log1p(df / z / z)
        } else {
            logTerm = log1p(z * z / df)
        }
        return -0.5 * (df + 1) * logTerm - logNormalizer
    }

    /// P(T > t) for t ≥ 0 (standardised).
    func upperTail(_ t: Double) -> Double {
        if t.isInfinite { return 0 }
        let t2 = t * t
        if t2 < df {
            return 0.5 * Special.regularizedBetaPair(0.5, 0.5 * df, t2 / (df + t2)).upper
        }
        let x = t > 1e100 ? (df / t) / t : df / (df + t2)
        return 0.5 * Special.regularizedBeta(0.5 * df, 0.5, x)
    }

    public func cdf(_ x: Double) -> Double {
        let t = (x - loc) / scale
        return t < 0 ? upperTail(-t) : 1 - upperTail(t)
    }
    public func survival(_ x: Double) -> Double {
        let t = (x - loc) / scale
        return t > 0 ? upperTail(t) : 1 - upperTail(-t)
    }

    /// t ≥ 0 with P(T > t) = q, q in (0, ½].
    func upperTailQuantile(_ q: Double) -> Double {
        let twoQ = 2 * q
        if twoQ < 0.5 {
            // I_x(ν/2, ½) = 2q with x = ν/(ν + t²): t² = ν (1 − x)/x.
            let x = Special.inverseRegularizedBeta(0.5 * df, 0.5, twoQ)
            return (df * (1 - x) / x).squareRoot()
        }
        // I_y(½, ν/2) = 1 − 2q (exact for 2q ≥ ½) with y = t²/(ν + t²): t² = ν y/(1 − y).
        let y = Special.inverseRegularizedBeta(0.5, 0.5 * df, 1 - twoQ)
        return (df * y / (1 - y)).squareRoot()
    }

    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return loc }
        return p < 0.5 ? loc - scale * upperTailQuantile(p) : loc + scale * upperTailQuantile(1 - p)
    }

    public func sample(using stream: inout RandomStream) -> Double {
        let z = stream.nextStandardNormal()
        let v = 2 * GammaDistribution.standardSample(shape: 0.5 * df, using: &stream)
        return loc + scale * z / (v / df).squareRoot()
    }
    public var support: Interval { .real }
    public var mean: Double? { df > 1 ? loc : nil }
    public var variance: Double? { df > 2 ? scale * scale * df / (df - 2) : nil }
}
