import FlowKit
import Plot

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
/// (so uniform outputs are drawn on exactly [0, 1] and positive outputs start at 0). All
/// values equal give the value ± 1. The result is always drawable
/// (``Plot/AxisRange/drawable(lower:upper:kind:)``: finite ends, a finite width that is not
/// too narrow), so extreme samples never break a histogram or an axis.
public enum AutomaticRange {
    public static let lowerQuantile = 0.0005
    public static let upperQuantile = 0.9995
    public static let padding = 0.05

    /// The range for `values` (finite ones only) on `support`; nil when no value is finite.
    public static func range(of values: [Double], support: Interval) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return nil }
        if first == last { return drawable(first - 1, first + 1) }
        func quantile(_ p: Double) -> Double {
            let position = p * Double(sorted.count - 1)
            let i = Int(position)
            let fraction = position - Double(i)
            return i + 1 < sorted.count ? sorted[i] + fraction * (sorted[i + 1] - sorted[i]) : sorted[i]
        }
        var low = quantile(lowerQuantile)
        var high = quantile(upperQuantile)
        if high <= low { (low, high) = (first, last) }
        // 5 % of the width on each side (computed without overflow at huge spreads).
        let width = high - low
        let pad = width.isFinite ? padding * width : padding * high - padding * low
        low -= pad
        high += pad
        if support.lower.isFinite, low - support.lower < 2 * pad { low = support.lower }
        if support.upper.isFinite, support.upper - high < 2 * pad { high = support.upper }
        return drawable(low, high)
    }

    static func drawable(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        let r = AxisRange.drawable(lower: low, upper: high)
        return r.lower...r.upper
    }
}
