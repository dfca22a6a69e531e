/// Interval helpers for support propagation (internal).
extension Interval {
    /// The interval with each finite end moved outward by `ulps` units in the last place and
    /// closed: a tolerance for boxes computed with outward rounding (one ulp below 0 is
    /// −5e−324) when testing containment.
    func widened(ulps: Double = 8) -> Interval {
        Interval(lower: lower.isFinite ? lower - ulps * lower.ulp : lower,
                 upper: upper.isFinite ? upper + ulps * upper.ulp : upper,
                 lowerClosed: true, upperClosed: true)
    }

    /// self ∩ other, or nil when they do not meet.
    func clipped(to other: Interval) -> Interval? {
        var result = self
        if other.lower > lower {
            result.lower = other.lower
            result.lowerClosed = other.lowerClosed
        } else if other.lower == lower {
            result.lowerClosed = lowerClosed && other.lowerClosed
        }
        if other.upper < upper {
            result.upper = other.upper
            result.upperClosed = other.upperClosed
        } else if other.upper == upper {
            result.upperClosed = upperClosed && other.upperClosed
        }
        if result.lower > result.upper { return nil }
        if result.lower == result.upper && !(result.lowerClosed && result.upperClosed) { return nil }
        return result
    }
}
