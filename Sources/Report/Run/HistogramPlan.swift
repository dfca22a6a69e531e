import FlowKit

/// What a histogram counts: the samples after a stage of the chain (0 = base samples,
/// K = flow output), or the probability integral transform u = F_ref(y) of the output.
public enum HistogramSource: Hashable, Sendable {
    case stage(Int)
    case probabilityIntegralTransform
}

/// One histogram a figure needs, filled during the streaming pass.
public struct HistogramRequest: Hashable, Sendable {
    public var source: HistogramSource
    public var low: Double
    public var high: Double
    public var bins: Int

    public init(source: HistogramSource, low: Double, high: Double, bins: Int) {
        self.source = source
        self.low = low
        self.high = high
        self.bins = bins
    }
}

/// Plotting ranges chosen from a pilot sample when a spec gives none.
///
/// The range is the pilot's central 99.9 % (quantiles 0.0005 and 0.9995) widened by 5 % on
/// each side, then snapped to an end of the support when that end is closer than the padding
/// (so uniform outputs are drawn on exactly [0, 1] and positive outputs start at 0).
public enum AutomaticRange {
    public static let lowerQuantile = 0.0005
    public static let upperQuantile = 0.9995
    public static let padding = 0.05

    /// The range for `values` (finite ones only) on `support`; [−1, 1] around the value when
    /// all values are equal, and nil when no value is finite.
    public static func range(of values: [Double], support: Interval) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        if first == last { return (first - 1)...(first + 1) }
        func quantile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let i = Int(position)
            let fraction = position - Double(i)
            return i + 1 < sorted.count ? sorted[i] + fraction * (sorted[i + 1] - sorted[i]) : sorted[i]
        }
        var low = quantile(lowerQuantile)
        var high = quantile(upperQuantile)
        if high <= low { (low, high) = (first, last) }
        let pad = padding * (high - low)
        low -= pad
        high += pad
        if support.lower.isFinite, low - support.lower < 2 * pad { low = support.lower }
        if support.upper.isFinite, support.upper - high < 2 * pad { high = support.upper }
        return low...high
    }
}
