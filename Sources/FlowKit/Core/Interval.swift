/// An interval of the real line with open or closed ends; supports of distributions and
/// domains of transforms are built from it (a box in d dimensions is one interval per
/// coordinate).
public struct Interval: Sendable, Hashable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var lowerClosed: Bool
    public var upperClosed: Bool

    public init(lower: Double, upper: Double, lowerClosed: Bool = false, upperClosed: Bool = false) {
        self.lower = lower
        self.upper = upper
        self.lowerClosed = lowerClosed && lower.isFinite
        self.upperClosed = upperClosed && upper.isFinite
    }

    /// ℝ = (−∞, ∞).
    public static let real = Interval(lower: -.infinity, upper: .infinity)
    /// (0, ∞).
    public static let positive = Interval(lower: 0, upper: .infinity)
    /// (0, 1).
    public static let unit = Interval(lower: 0, upper: 1)

    public func contains(_ x: Double) -> Bool {
        guard !x.isNaN else { return false }
        let aboveLower = lowerClosed ? x >= lower : x > lower
        let belowUpper = upperClosed ? x <= upper : x < upper
        return aboveLower && belowUpper
    }

    /// Whether `other` lies inside `self` up to a set of measure zero: end points do not
    /// count, so (0, 1) ⊆ [0, 1] and [0, 1] ⊆ (0, 1) both hold (log after uniform(0, 1) is fine).
    public func containsAlmostEverywhere(_ other: Interval) -> Bool {
        if other.lower == other.upper { return contains(other.lower) }
        return other.lower >= lower && other.upper <= upper
    }

    public var description: String {
        func format(_ v: Double) -> String {
            if v == .infinity { return "∞" }
            if v == -.infinity { return "−∞" }
            if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
            return String(v)
        }
        return (lowerClosed ? "[" : "(") + format(lower) + ", " + format(upper) + (upperClosed ? "]" : ")")
    }
}
