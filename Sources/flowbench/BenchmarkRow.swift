import Foundation

/// The numpy timings of the issues, measured on this machine when it was quiet (numpy 2.x,
/// `default_rng`, arrays of 10⁷): `standard_normal` 13.5 ns per draw, `np.exp` 6.6 ns per
/// element, `np.histogram` (100 bins, given range) 15 ns per value.
enum NumpyReference {
    static let normal = 13.5
    static let exp = 6.6
    static let histogram = 15.0
}

/// What a measured value is held to.
enum BenchmarkTarget: Sendable {
    /// At most `factor` times the numpy reference of the row.
    case timesNumpy(Double)
    /// Strictly below a fixed value, in the row's unit.
    case below(Double)
    /// At most a fixed value, in the row's unit.
    case atMost(Double)
    /// At least a fixed value, in the row's unit (rates).
    case atLeast(Double)

    func holds(value: Double, reference: Double?) -> Bool? {
        switch self {
        case let .timesNumpy(factor):
            guard let reference else { return nil }
            return value <= factor * reference
        case let .below(limit): return value < limit
        case let .atMost(limit): return value <= limit
        case let .atLeast(limit): return value >= limit
        }
    }

    func describe(unit: String) -> String {
        switch self {
        case let .timesNumpy(factor): return "≤ \(BenchmarkTable.number(factor))× numpy"
        case let .below(limit): return "< \(BenchmarkTable.number(limit)) \(unit)"
        case let .atMost(limit): return "≤ \(BenchmarkTable.number(limit)) \(unit)"
        case let .atLeast(limit): return "≥ \(BenchmarkTable.number(limit)) \(unit)"
        }
    }
}

/// One line of the results table.
struct BenchmarkRow: Sendable {
    var name: String
    var value: Double
    var unit: String
    /// The numpy time of the same work, in `unit`, if there is one.
    var reference: Double?
    var target: BenchmarkTarget?
    var detail: String = ""

    var ratio: Double? { reference.map { value / $0 } }
    var passed: Bool? { target?.holds(value: value, reference: reference) }
}

/// What a benchmark returns: table rows, and free text printed after the table.
struct BenchmarkOutput: Sendable {
    var rows: [BenchmarkRow]
    var notes: [String] = []
}

/// Prints rows as a fixed-width table and the pass/fail lines of the rows with a target.
enum BenchmarkTable {
    static func number(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e6 { return String(format: "%.0f", x) }
        if abs(x) >= 100 { return String(format: "%.0f", x) }
        if abs(x) >= 10 { return String(format: "%.1f", x) }
        return String(format: "%.2f", x)
    }

    static func render(_ rows: [BenchmarkRow]) -> String {
        let header = ["benchmark", "measured", "unit", "numpy", "ratio", "target", "detail"]
        let cells = rows.map { row in
            [row.name, number(row.value), row.unit, row.reference.map(number) ?? "—",
             row.ratio.map { String(format: "%.2f×", $0) } ?? "—",
             row.target.map { $0.describe(unit: row.unit) } ?? "—", row.detail]
        }
        let all = [header] + cells
        let widths = (0..<header.count).map { c in all.map { $0[c].count }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { c, s in
                c == r.count - 1 ? s : (c == 1 || c == 3 || c == 4
                    ? String(repeating: " ", count: widths[c] - s.count) + s
                    : s + String(repeating: " ", count: widths[c] - s.count))
            }.joined(separator: "  ")
        }
        var out = [line(header), String(repeating: "-", count: widths.dropLast().reduce(0, +) + 2 * (header.count - 1) + 6)]
        out += cells.map(line)
        return out.joined(separator: "\n")
    }

    static func verdicts(_ rows: [BenchmarkRow]) -> [String] {
        rows.compactMap { row in
            guard let target = row.target else { return nil }
            let state: String
            switch row.passed {
            case true?: state = "PASS"
            case false?: state = "FAIL"
            case nil: state = "N/A "
            }
            var text = "\(state)  \(row.name): \(number(row.value)) \(row.unit), target \(target.describe(unit: row.unit))"
            if let ratio = row.ratio { text += String(format: " (%.2f× numpy)", ratio) }
            return text
        }
    }
}
