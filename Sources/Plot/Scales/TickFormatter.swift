import Foundation

/// Turns tick values into label markup.
///
/// Linear ticks: the number of decimals comes from the step (step m·10^e shows max(0, −e)
/// decimals), so labels of one axis agree in precision. When the largest |value| is ≥ 10⁵ or
/// below 10⁻³ the labels switch to scientific notation with a common exponent,
/// `$2.5\times10^{-5}$`. Log decade ticks read `$10^{k}$`. Minus signs are U+2212 (−).
public enum TickFormatter {
    /// Labels for linear ticks `values` spaced by `step`.
    public static func linear(_ values: [Double], step: Double) -> [String] {
        guard !values.isEmpty else { return [] }
        let maxAbs = values.map(abs).max() ?? 0
        let s = step > 0 ? step : max(maxAbs, 1)
        let stepExp = Int(floor(log10(s) + 1e-9))
        if maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3) {
            let e = Int(floor(log10(maxAbs) + 1e-9))
            let decimals = max(0, e - stepExp)
            return values.map { v in
                if v == 0 { return "0" }
                let mant = fixed(TickLocator.mantissa(v, exponent: e), decimals: decimals)
                return "$\(mant)\\times10^{\(e)}$"
            }
        }
        let decimals = max(0, -stepExp)
        return values.map { fixed($0, decimals: decimals) }
    }

    /// Label for a log-axis tick. Exact decades give `$10^{k}$`; other values (the 1-2-5 and
    /// linear fallbacks) are printed in plain decimals with as many places as they need.
    public static func log(_ v: Double, decade: Bool) -> String {
        let k = Foundation.log10(v)
        if decade || abs(k - k.rounded()) < 1e-9 && (v >= 1e4 || v < 1e-3) {
            let e = Int(k.rounded())
            return "$10^{\(minusSign(e))}$"
        }
        if v >= 1e5 || v < 1e-3 {
            let e = Int(floor(k + 1e-9))
            let mant = shortest(TickLocator.mantissa(v, exponent: e))
            return "$\(mant)\\times10^{\(minusSign(e))}$"
        }
        return shortest(v)
    }

    /// Fixed-point text with `decimals` places, U+2212 for minus, and no negative zero.
    public static func fixed(_ v: Double, decimals: Int) -> String {
        var s = String(format: "%.\(min(max(decimals, 0), 17))f", v)
        if s.hasPrefix("-") {
            if s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { s.removeFirst() } else { s = "−" + s.dropFirst() }
        }
        return s
    }

    /// The shortest decimal text (up to 6 significant digits) for `v`.
    static func shortest(_ v: Double) -> String {
        for d in 0...6 {
            let s = fixed(v, decimals: d)
            if let back = Double(s.replacingOccurrences(of: "−", with: "-")), abs(back - v) <= abs(v) * 1e-9 { return s }
        }
        return fixed(v, decimals: 6)
    }

    static func minusSign(_ e: Int) -> String { e < 0 ? "−\(-e)" : "\(e)" }
}
