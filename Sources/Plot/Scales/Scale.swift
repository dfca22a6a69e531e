import Foundation

/// How data values map to positions along an axis.
public enum ScaleKind: Sendable, Hashable {
    case linear
    /// Base-10 logarithmic; non-positive values have no position.
    case log
}

/// A map from a data interval (the domain) to a page interval in points (the range).
///
/// Linear: p = r₀ + (v − d₀)/(d₁ − d₀)·(r₁ − r₀). Log: the same on log₁₀ v. Vertical axes pass
/// a range from the plot's bottom edge to its top edge: that is the single place where data's
/// y-up meets the page's y-down.
public struct Scale: Sendable, Hashable {
    public var kind: ScaleKind
    public var domain: (lower: Double, upper: Double)
    public var range: (start: Double, end: Double)

    public init(kind: ScaleKind, domain: (lower: Double, upper: Double), range: (start: Double, end: Double)) {
        self.kind = kind
        self.domain = domain
        self.range = range
    }

    public static func == (a: Scale, b: Scale) -> Bool {
        a.kind == b.kind && a.domain == b.domain && a.range == b.range
    }

    public func hash(into h: inout Hasher) {
        h.combine(kind); h.combine(domain.lower); h.combine(domain.upper); h.combine(range.start); h.combine(range.end)
    }

    /// The transformed coordinate: v itself (linear) or log₁₀ v (log; NaN for v ≤ 0).
    @inline(__always)
    public func transform(_ v: Double) -> Double {
        switch kind {
        case .linear: return v
        case .log: return v > 0 ? log10(v) : .nan
        }
    }

    /// Inverse of `transform`.
    public func untransform(_ t: Double) -> Double {
        kind == .linear ? t : pow(10, t)
    }

    /// Page position of data value `v`; NaN when `v` has none (NaN, or ≤ 0 on a log scale).
    @inline(__always)
    public func map(_ v: Double) -> Double {
        // Differences of halves: exact where the plain differences are, and finite for any
        // finite domain (t₁ − t₀ overflows for domains wider than ~1.8e308).
        let t0 = transform(domain.lower) / 2, t1 = transform(domain.upper) / 2
        return range.start + (transform(v) / 2 - t0) / (t1 - t0) * (range.end - range.start)
    }

    /// Data value at page position `p`.
    public func invert(_ p: Double) -> Double {
        let t0 = transform(domain.lower) / 2, t1 = transform(domain.upper) / 2
        let fraction = (p - range.start) / (range.end - range.start)
        return untransform((t0 + fraction * (t1 - t0)) * 2)
    }

    /// Whether `v` lies within the domain (inclusive, with a relative slack of 1e-9 of the span).
    public func contains(_ v: Double) -> Bool {
        let t = transform(v), t0 = transform(domain.lower), t1 = transform(domain.upper)
        let slack = abs(t1 - t0) * 1e-9
        return t >= min(t0, t1) - slack && t <= max(t0, t1) + slack
    }
}
