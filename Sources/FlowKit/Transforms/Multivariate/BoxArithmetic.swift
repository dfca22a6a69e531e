import Foundation

/// Interval arithmetic on the ends of boxes, for ``Bijection/image(of:)`` of the multivariate
/// maps. Every result *contains* the exact image; finite ends are returned closed (a closed
/// end contains an open one, so containment never fails on an end point), infinite ends open.
///
/// Products follow the convention 0·(±∞) = 0 for the ends (the ends bound a set whose points
/// are finite, so a zero factor times any finite point is zero).
enum BoxArithmetic {
    /// [a, b] + [c, d] = [a + c, b + d].
    static func sum(_ x: (Double, Double), _ y: (Double, Double)) -> (Double, Double) {
        (x.0 + y.0, x.1 + y.1)
    }

    /// c·[a, b] = [min(ca, cb), max(ca, cb)], with 0·∞ = 0.
    static func scale(_ x: (Double, Double), by c: Double) -> (Double, Double) {
        if c == 0 { return (0, 0) }
        let p = c * x.0, q = c * x.1
        return (min(p, q), max(p, q))
    }

    /// [a, b]·[c, d] = [min, max] of the four end products, with 0·∞ = 0.
    static func product(_ x: (Double, Double), _ y: (Double, Double)) -> (Double, Double) {
        func times(_ p: Double, _ q: Double) -> Double { (p == 0 || q == 0) ? 0 : p * q }
        let candidates = [times(x.0, y.0), times(x.0, y.1), times(x.1, y.0), times(x.1, y.1)]
        return (candidates.min() ?? -.infinity, candidates.max() ?? .infinity)
    }

    /// The interval with these ends: closed where finite.
    static func interval(_ x: (Double, Double)) -> Interval {
        Interval(lower: x.0, upper: x.1, lowerClosed: true, upperClosed: true)
    }

    /// The ends of an interval as a pair.
    static func ends(_ interval: Interval) -> (Double, Double) { (interval.lower, interval.upper) }
}
