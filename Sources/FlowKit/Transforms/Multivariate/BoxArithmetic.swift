import Foundation

/// Interval arithmetic on the ends of boxes, for ``Bijection/image(of:)`` of the multivariate
/// maps, with outward rounding: every operation rounds its lower end down and its upper end up
/// by one ulp (a correctly rounded +, × is within ½ ulp, and tanh and exp are taken to be
/// within 1 ulp, so two steps are used for them), so each result contains the exact image of
/// the box. Finite ends are returned closed (a closed end contains an open one), infinite
/// ends open.
///
/// Products follow the convention 0·(±∞) = 0 for the ends (the ends bound a set whose points
/// are finite, so a zero factor times any finite point is zero).
///
/// The bound is for the exact map; a value computed in floating point can differ from the
/// exact one by the map's own rounding (a few ulps of the terms).
enum BoxArithmetic {
    typealias Ends = (Double, Double)

    /// [a, b] + [c, d] = [a + c, b + d], rounded outward.
    static func sum(_ x: Ends, _ y: Ends) -> Ends {
        outward(x.0 + y.0, x.1 + y.1)
    }

    /// c·[a, b] = [min(ca, cb), max(ca, cb)], with 0·∞ = 0, rounded outward.
    static func scale(_ x: Ends, by c: Double) -> Ends {
        if c == 0 { return (0, 0) }
        let p = c * x.0, q = c * x.1
        return outward(min(p, q), max(p, q))
    }

    /// [a, b]·[c, d] = [min, max] of the four end products, with 0·∞ = 0, rounded outward.
    static func product(_ x: Ends, _ y: Ends) -> Ends {
        func times(_ p: Double, _ q: Double) -> Double { (p == 0 || q == 0) ? 0 : p * q }
        let candidates = [times(x.0, y.0), times(x.0, y.1), times(x.1, y.0), times(x.1, y.1)]
        return outward(candidates.min() ?? -.infinity, candidates.max() ?? .infinity)
    }

    /// f([a, b]) = [f(a), f(b)] for an increasing f accurate to 1 ulp (tanh, exp), rounded
    /// outward by two ulps and clamped to f's range [lowest, highest].
    static func increasing(_ x: Ends, _ f: (Double) -> Double, range: Ends = (-.infinity, .infinity)) -> Ends {
        let (lower, upper) = outward(outward(f(x.0), f(x.1)))
        return (max(lower, range.0), min(upper, range.1))
    }

    /// The interval with these ends: closed where finite.
    static func interval(_ x: Ends) -> Interval {
        Interval(lower: x.0, upper: x.1, lowerClosed: true, upperClosed: true)
    }

    /// The ends of an interval as a pair.
    static func ends(_ interval: Interval) -> Ends { (interval.lower, interval.upper) }

    /// One ulp outward (infinite ends stay as they are; an exact zero from a zero factor too).
    private static func outward(_ lower: Double, _ upper: Double) -> Ends {
        (lower.isFinite && lower != 0 ? lower.nextDown : lower, upper.isFinite && upper != 0 ? upper.nextUp : upper)
    }

    private static func outward(_ x: Ends) -> Ends { outward(x.0, x.1) }
}
