import Foundation

/// Which axis ranges Plot can draw, and the nearest drawable range to any other.
///
/// A range [lo, hi] is drawable on a linear axis when both ends are finite, hi > lo, the span
/// hi − lo is finite (no overflow, so bin widths and tick steps stay finite) and the span is
/// at least ``minimumRelativeSpan`` of the larger magnitude and at least ``minimumSpan``
/// (narrower ranges have no distinct tick labels and scale factors near 1/span overflow
/// page coordinates). On a log axis the same holds for [log₁₀ lo, log₁₀ hi], with lo > 0.
///
/// Explicit ranges are checked up front (``check(lower:upper:kind:)``, used by spec
/// validation and runs); automatic limits are repaired with ``drawable(lower:upper:kind:)``,
/// so that drawing never produces a non-finite or singular transformation.
public enum AxisRange {
    /// The smallest span relative to max(|lo|, |hi|): about 4500 ulps, enough for distinct
    /// labels at 12 significant digits.
    public static let minimumRelativeSpan = 1e-12
    /// The smallest absolute span; 1/span stays below 1e300.
    public static let minimumSpan = 1e-300

    /// Throws ``PlotError/undrawableRange(lower:upper:reason:)`` when [lower, upper] cannot be
    /// drawn on an axis of `kind`.
    public static func check(lower: Double, upper: Double, kind: ScaleKind = .linear) throws(PlotError) {
        if let reason = problem(lower: lower, upper: upper, kind: kind) {
            throw .undrawableRange(lower: lower, upper: upper, reason: reason)
        }
    }

    /// Why [lower, upper] cannot be drawn, or nil when it can.
    public static func problem(lower: Double, upper: Double, kind: ScaleKind = .linear) -> String? {
        guard lower.isFinite, upper.isFinite else { return "its ends must be finite numbers" }
        guard upper > lower else { return "it must have low < high" }
        var lo = lower, hi = upper
        if kind == .log {
            guard lower > 0 else { return "a log axis needs low > 0" }
            lo = log10(lower)
            hi = log10(upper)
        }
        guard (hi - lo).isFinite else {
            return "it is wider than the largest finite number (\(Double.greatestFiniteMagnitude)); its width overflows"
        }
        let scale = max(abs(lo), abs(hi))
        guard hi - lo >= minimumSpan, hi - lo >= scale * minimumRelativeSpan else {
            return "it is too narrow (width \(hi - lo)); a drawable range is at least \(minimumSpan) wide and at least \(minimumRelativeSpan) of its largest magnitude"
        }
        return nil
    }

    /// The drawable range nearest [lower, upper]: non-finite ends become the largest finite
    /// magnitudes, a span that overflows is shrunk about its centre, and a range that is too
    /// narrow (or empty) is widened about its centre.
    public static func drawable(lower: Double, upper: Double, kind: ScaleKind = .linear) -> (lower: Double, upper: Double) {
        if problem(lower: lower, upper: upper, kind: kind) == nil { return (lower, upper) }
        let big = Double.greatestFiniteMagnitude
        func clamp(_ v: Double, _ fallback: Double) -> Double { v.isNaN ? fallback : min(max(v, -big), big) }
        var lo: Double, hi: Double
        if kind == .log {
            lo = lower > 0 ? log10(clamp(lower, 1)) : (upper > 0 && upper.isFinite ? log10(upper) - 1 : 0)
            hi = upper > 0 ? log10(clamp(upper, 10)) : lo + 1
        } else {
            lo = clamp(lower, 0)
            hi = clamp(upper, 1)
        }
        if hi < lo { swap(&lo, &hi) }
        if !(hi - lo).isFinite {
            // Keep the centre, shrink to half the largest finite span.
            let centre = lo / 2 + hi / 2
            lo = centre - big / 4
            hi = centre + big / 4
        }
        let scale = max(abs(lo), abs(hi))
        let needed = max(minimumSpan, scale * minimumRelativeSpan)
        if hi - lo < needed {
            let centre = lo / 2 + hi / 2
            lo = centre - needed
            hi = centre + needed
            if !lo.isFinite || !hi.isFinite { (lo, hi) = (big / 2, big) }
        }
        if kind == .log {
            return (pow(10, max(min(lo, 307), -307)), pow(10, max(min(hi, 308), -306)))
        }
        return (lo, hi)
    }
}
