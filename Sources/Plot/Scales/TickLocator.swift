import Foundation

/// Chooses tick positions. Location and formatting are separate strategies (see
/// `TickFormatter`), as in matplotlib and d3.
public enum TickLocator {
    /// Exact powers of ten, 10^e, parsed from decimal text so they are correctly rounded.
    static func pow10(_ e: Int) -> Double { Double("1e\(e)") ?? .nan }

    /// v / 10^e, also for the exponents of subnormal values (10^e underflows below e = −323).
    static func mantissa(_ v: Double, exponent e: Int) -> Double {
        e >= -300 ? v / pow10(e) : v * pow10(300) / pow10(e + 300)
    }

    /// The nice step m·10^e, m ∈ {1, 2, 5}, smallest with span/step ≤ maxIntervals
    /// (d3's `tickIncrement` rule).
    public static func niceStep(span: Double, maxIntervals: Int) -> (mantissa: Int, exponent: Int) {
        niceStep(raw: span / Double(max(maxIntervals, 1)))
    }

    /// The nice step m·10^e, m ∈ {1, 2, 5}, just above the raw step `raw`.
    static func niceStep(raw: Double) -> (mantissa: Int, exponent: Int) {
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var e = Int(floor(log10(raw)))
        let f = mantissa(raw, exponent: e)
        let m: Int
        if f <= 1 + 1e-9 { m = 1 } else if f <= 2 + 1e-9 { m = 2 } else if f <= 5 + 1e-9 { m = 5 } else { m = 1; e += 1 }
        return (m, e)
    }

    /// Value k·m·10^e computed as an exact integer product and one correctly rounded
    /// multiplication or division by an exact power of ten, so 3·0.1 gives 0.3 and never
    /// 0.30000000000000004 (d3's trick).
    static func value(_ k: Int, _ m: Int, _ e: Int) -> Double {
        let n = Double(k) * Double(m)
        if e >= 0 { return n * pow10(e) }
        // 10^−e overflows for e < −308 (subnormal steps): divide in two correctly rounded steps.
        return -e <= 308 ? n / pow10(-e) : n / pow10(-e - 300) / pow10(300)
    }

    /// Nice 1-2-5 ticks covering [lower, upper] with at most `maxIntervals` intervals:
    /// every multiple of the step inside the interval.
    public static func linear(lower: Double, upper: Double, maxIntervals: Int) -> (values: [Double], step: Double) {
        let lo = min(lower, upper), hi = max(lower, upper)
        guard lo.isFinite, hi.isFinite, hi > lo else { return (lo.isFinite ? [lo] : [], 0) }
        var intervals = max(maxIntervals, 1)
        while true {
            // (hi − lo)/n computed from halves: hi − lo overflows for spans beyond ~1.8e308.
            let (m, e) = niceStep(raw: (hi / 2 - lo / 2) / (Double(intervals) / 2))
            let step = value(1, m, e)
            let slack = 1e-9
            // A step that overflows or underflows, or multiples that do not fit an Int, leave
            // the range without nice ticks: label its two ends.
            guard step.isFinite, step > 0,
                  let k0 = Int(exactly: ceil(lo / step - slack)), let k1 = Int(exactly: floor(hi / step + slack)),
                  k1 - k0 <= 4 * intervals + 4 else {
                if intervals < 64 { intervals *= 2; continue }
                return ([lo, hi], hi / 2 - lo / 2)
            }
            if k1 - k0 + 1 >= 2 || intervals >= 64 {
                let values = (k0...max(k0, k1)).map { value($0, m, e) }.filter { $0 >= lo - step * slack && $0 <= hi + step * slack }
                return (values, step)
            }
            intervals *= 2 // fewer than two ticks: allow a finer step
        }
    }

    /// Log-scale ticks on [lower, upper] (both > 0): major ticks at decades 10^k (every
    /// n-th decade when there are more than `maxIntervals`), minor ticks at 2…9·10^k when every
    /// decade is shown. Spans under two decades fall back to 1-2-5 multiples, then to linear
    /// nice ticks, so a log axis always carries at least two labelled ticks.
    public static func log(lower: Double, upper: Double, maxIntervals: Int) -> (major: [Double], minor: [Double], decades: Bool) {
        let lo = min(lower, upper), hi = max(lower, upper)
        guard lo > 0, hi.isFinite, hi > lo else { return (lo > 0 ? [lo] : [], [], false) }
        let d0 = Int(ceil(log10(lo) - 1e-9)), d1 = Int(floor(log10(hi) + 1e-9))
        let count = d1 - d0 + 1
        if count >= 3 || (count == 2 && maxIntervals <= 2) {
            let stride = max(1, Int(ceil(Double(count - 1) / Double(max(maxIntervals, 1)))))
            let first = Int((Double(d0) / Double(stride)).rounded(.up)) * stride
            let major = Swift.stride(from: first, through: d1, by: stride).map { pow10($0) }
            var minor: [Double] = []
            if stride == 1 {
                for k in (d0 - 1)...d1 {
                    for m in 2...9 {
                        let v = Double(m) * pow10(k)
                        if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { minor.append(v) }
                    }
                }
            }
            return (major, minor, true)
        }
        // Fewer than three decades: 1-2-5 multiples of each power of ten.
        var v125: [Double] = []
        for k in (d0 - 1)...(d1 + 1) {
            for m in [1, 2, 5] {
                let v = value(m, 1, k) // m·10^k, exactly rounded
                if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { v125.append(v) }
            }
        }
        if v125.count >= 3 && v125.count <= maxIntervals + 1 { return (v125, [], false) }
        let lin = linear(lower: lo, upper: hi, maxIntervals: maxIntervals)
        return (lin.values.filter { $0 > 0 }, [], false)
    }
}
