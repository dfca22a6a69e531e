import Foundation
import FlowKit

/// CSV text for `flowreport eval` and `flowreport sample`.
///
/// Numbers are written with Swift's shortest round-trip representation (`description`), so
/// parsing a value back gives the same `Double`; −∞ is written `-inf`, +∞ `inf`, NaN `nan`.
public enum Evaluation {
    /// The log density of the flow's output at each point, by Eq. 4 (forward log-dets at the
    /// preimages) and Eq. 5 (inverse pass), plus the reference's when the experiment has one:
    /// header `x,log_p_eq4,log_p_eq5[,log_p_reference]` (`x1,…,xd` for d dimensions).
    public static func densityCSV(_ experiment: Experiment, at points: PointBatch) -> String {
        let eq4 = experiment.flow.logDensityByForward(points)
        let eq5 = experiment.flow.logDensityByInverse(points)
        var header = coordinateNames(points.dimension) + ["log_p_eq4", "log_p_eq5"]
        if experiment.reference != nil { header.append("log_p_reference") }
        var out = header.joined(separator: ",") + "\n"
        for i in 0..<points.count {
            var fields = points.point(i).map(format)
            fields.append(format(eq4[i]))
            fields.append(format(eq5[i]))
            if let reference = experiment.reference { fields.append(format(reference.logDensity(points[i, 0]))) }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `count` samples of the flow's output drawn with `seed` (stream 0), each with its log
    /// density from the forward pass alone (Rezende & Mohamed eq. 7): header `x,log_p`
    /// (`x1,…,xd,log_p` for d dimensions).
    public static func sampleCSV(_ experiment: Experiment, count: Int, seed: UInt64) -> String {
        var stream = RandomStream(seed: seed, stream: 0)
        let (points, logDensity) = experiment.flow.sample(count: count, using: &stream)
        var out = (coordinateNames(points.dimension) + ["log_p"]).joined(separator: ",") + "\n"
        for i in 0..<points.count {
            out += (points.point(i).map(format) + [format(logDensity[i])]).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Parses points for `eval`: comma-separated numbers, one point per line (`dimension`
    /// values each); a first line that is not numeric is a header and skipped; blank lines and
    /// `#` comments are ignored. Errors name the line.
    public static func parsePoints(csv text: String, dimension: Int, source: String) throws(ReportError) -> PointBatch {
        var values: [Double] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let nan = fields.first(where: { $0.lowercased() == "nan" }) {
                throw .invalidSpec([SpecDiagnostic(file: source, line: lineNumber, column: 1,
                                                   message: Self.notAPoint(nan))])
            }
            let numbers = fields.map(parseNumber)
            if numbers.contains(where: { $0 == nil }) {
                if values.isEmpty && lineNumber == 1 { continue }  // header
                throw .invalidSpec([SpecDiagnostic(file: source, line: lineNumber, column: 1,
                                                   message: "expected \(dimension) comma-separated number\(dimension == 1 ? "" : "s"), found '\(trimmed)'")])
            }
            guard numbers.count == dimension else {
                throw .invalidSpec([SpecDiagnostic(file: source, line: lineNumber, column: 1,
                                                   message: "expected \(dimension) value\(dimension == 1 ? "" : "s") per point, found \(numbers.count)")])
            }
            values += numbers.compactMap { $0 }
        }
        return PointBatch(dimension: dimension, values: values)
    }

    /// Parses `--at` values: `1,2.5,-3` (1-D) or points separated by `;` (`0,1;2,3` in 2-D).
    public static func parseAt(_ text: String, dimension: Int) throws(ReportError) -> PointBatch {
        let groups = dimension == 1 ? text.split(separator: ",").map { [$0] }
            : text.split(separator: ";").map { $0.split(separator: ",") }
        var values: [Double] = []
        for group in groups {
            guard group.count == dimension else {
                throw .invalidSpec([SpecDiagnostic(file: "--at", line: 0, column: 0,
                                                   message: "each point needs \(dimension) values, found '\(group.joined(separator: ","))'")])
            }
            for field in group {
                if field.trimmingCharacters(in: .whitespaces).lowercased() == "nan" {
                    throw .invalidSpec([SpecDiagnostic(file: "--at", line: 0, column: 0, message: Self.notAPoint(String(field)))])
                }
                guard let value = parseNumber(field.trimmingCharacters(in: .whitespaces)) else {
                    throw .invalidSpec([SpecDiagnostic(file: "--at", line: 0, column: 0,
                                                       message: "'\(field)' is not a number")])
                }
                values.append(value)
            }
        }
        if values.isEmpty {
            throw .invalidSpec([SpecDiagnostic(file: "--at", line: 0, column: 0, message: "no points given")])
        }
        return PointBatch(dimension: dimension, values: values)
    }

    /// The message for a `nan` coordinate.
    static func notAPoint(_ field: String) -> String {
        "'\(field)' is not a point: NaN has no density; give finite numbers or ±inf"
    }

    static func parseNumber(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return nil
        default: return Double(text)
        }
    }

    static func coordinateNames(_ dimension: Int) -> [String] {
        dimension == 1 ? ["x"] : (1...dimension).map { "x\($0)" }
    }

    /// A number as CSV text: shortest round-trip digits, `-inf`, `inf`, `nan`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value == .infinity { return "inf" }
        if value == -.infinity { return "-inf" }
        return value.description
    }
}
