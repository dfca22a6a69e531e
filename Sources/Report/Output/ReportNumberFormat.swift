import Foundation

/// How numbers are shown to people in the pages (metrics.json keeps full precision).
public enum ReportNumberFormat {
    /// Four significant digits: fixed notation for 1e-3 ≤ |v| < 1e5 (trailing zeros trimmed,
    /// integer digits never cut),
    /// scientific otherwise (`2.22e-16`); zero prints `0`; non-finite values print `NaN`,
    /// `∞`, `−∞`.
    public static func display(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "−∞" : "∞" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e5 {
            let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
            return trimZeros(String(format: "%.\(decimals)f", value))
        }
        let text = String(format: "%.3e", value)
        // "2.220e-16" → "2.22e-16", "1.000e+06" → "1e+06" → "1e6"
        guard let eIndex = text.firstIndex(of: "e") else { return text }
        let mantissa = trimZeros(String(text[..<eIndex]))
        var exponent = String(text[text.index(after: eIndex)...])
        let negative = exponent.hasPrefix("-")
        exponent = String(exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" })
        if exponent.isEmpty { exponent = "0" }
        return "\(mantissa)e\(negative ? "-" : "")\(exponent)"
    }

    /// Seconds with millisecond resolution below a minute, e.g. `0.412 s`, `73.2 s`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return display(value) }
        if value < 60 { return String(format: "%.3f s", value) }
        return String(format: "%.1f s", value)
    }

    /// An integer with thin grouping for readability: `10000` → `10 000`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append("\u{202F}") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    private static func trimZeros(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }
}
