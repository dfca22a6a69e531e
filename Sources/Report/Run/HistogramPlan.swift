import FlowKit

/// What a histogram counts: one coordinate of the samples after a stage of the chain
/// (0 = base samples, K = flow output), or the probability integral transform u = F_ref(y)
/// of the output (1-D).
public enum HistogramSource: Hashable, Sendable {
    case stage(Int)
    case probabilityIntegralTransform
}

/// One 1-D histogram a figure needs, filled during the streaming pass: the stage histograms
/// of 1-D figures and the marginals of d-dimensional ones.
public struct HistogramRequest: Hashable, Sendable {
    public var source: HistogramSource
    /// The coordinate counted (0 in one dimension).
    public var coordinate: Int
    public var low: Double
    public var high: Double
    public var bins: Int

    public init(source: HistogramSource, coordinate: Int = 0, low: Double, high: Double, bins: Int) {
        self.source = source
        self.coordinate = coordinate
        self.low = low
        self.high = high
        self.bins = bins
    }

    /// A histogram of coordinate `coordinate` of `stage` on `range`.
    public init(stage: Int, coordinate: Int = 0, range: ClosedRange<Double>, bins: Int) {
        self.init(source: .stage(stage), coordinate: coordinate, low: range.lowerBound, high: range.upperBound, bins: bins)
    }
}

/// Plotting ranges chosen from a pilot sample when a spec gives none.
///
/// The range is the pilot's central 99.9 % (quantiles 0.0005 and 0.9995) widened by 5 % on
/// each side, then snapped to an end of the support when that end is closer than the padding
/// (so uniform outputs are drawn on exactly [0, 1] and positive outputs start at 0).
///
/// Every range returned can be drawn: its ends and its width are finite (ends are kept within
/// ±``largestEnd``, half the largest double, so that high − low cannot overflow), and it is
/// wide enough to hold distinct ticks (at least ``minimumRelativeWidth`` of its magnitude;
/// narrower spreads, down to all values equal, are drawn on the middle value ± that width).
public enum AutomaticRange {
    public static let lowerQuantile = 0.0005
    public static let upperQuantile = 0.9995
    public static let padding = 0.05
    /// The largest |end| of a range: ½·Double.greatestFiniteMagnitude.
    public static let largestEnd = Double.greatestFiniteMagnitude / 2
    /// The smallest width of a range relative to max(1, |middle|).
    public static let minimumRelativeWidth = 1e-6

    /// The range for `values` (finite ones only) on `support`; nil when no value is finite.
    public static func range(of values: [Double], support: Interval) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        func quantile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let i = Int(position)
            let fraction = position - Double(i)
            return i + 1 < sorted.count ? sorted[i] + fraction * (sorted[i + 1] - sorted[i]) : sorted[i]
        }
        var low = quantile(lowerQuantile)
        var high = quantile(upperQuantile)
        if high <= low { (low, high) = (first, last) }
        let middle = low / 2 + high / 2
        let minimumHalfWidth = minimumRelativeWidth / 2 * max(1, abs(middle))
        if !(high - low >= 2 * minimumHalfWidth) {
            // All equal (the classic ±1 around the value) or a spread too narrow to draw.
            let half = max(1, minimumHalfWidth)
            return clamped(middle - half, middle + half)
        }
        // 5 % of the width on each side (computed without overflow at huge spreads).
        let width = high - low
        let pad = width.isFinite ? padding * width : padding * high - padding * low
        low -= pad
        high += pad
        if support.lower.isFinite, low - support.lower < 2 * pad { low = support.lower }
        if support.upper.isFinite, support.upper - high < 2 * pad { high = support.upper }
        return clamped(low, high)
    }

    /// [low, high] with both ends within ±``largestEnd``.
    static func clamped(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        let lo = min(max(low, -largestEnd), largestEnd)
        let hi = min(max(high, -largestEnd), largestEnd)
        return lo < hi ? lo...hi : lo...(lo + max(1, abs(lo) * minimumRelativeWidth))
    }
}
