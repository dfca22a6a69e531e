import Foundation

/// Decides whether an outcome is a finding: a crash (a signal, or an exit status outside the
/// documented 0–3), a hang (the time limit), a Swift runtime trap on stderr, or a success on
/// nonsense (exit 0 with NaN or infinity printed as data or stored as a metric).
enum FindingClassifier {
    struct Finding {
        var kind: String
        /// What identifies the finding across inputs: kind, command and the first line of
        /// stderr with numbers blanked.
        var key: String
        var summary: String
    }

    static func classify(_ outcome: CommandRunner.Outcome, command: String, metrics: String? = nil) -> Finding? {
        let firstLine = outcome.stderr.split(separator: "\n").first { !$0.isEmpty }.map(String.init) ?? ""
        func finding(_ kind: String, _ summary: String, detail: String = firstLine) -> Finding {
            Finding(kind: kind, key: kind + "|" + command + "|" + normalized(detail), summary: summary)
        }
        if outcome.timedOut {
            return finding("hang", "\(command) did not finish in \(Int(outcome.seconds)) s", detail: "")
        }
        if let trap = outcome.stderr.split(separator: "\n").first(where: { $0.contains("Fatal error") || $0.contains("Stack dump") || $0.contains("Assertion failed") || $0.contains("Precondition failed") }) {
            return finding("crash", "\(command): \(trap)", detail: String(trap))
        }
        if outcome.signalled {
            return finding("crash", "\(command) killed by signal \(outcome.status)", detail: "signal \(outcome.status)")
        }
        if !(0...3).contains(outcome.status) {
            return finding("crash", "\(command) exited \(outcome.status)", detail: "status \(outcome.status)")
        }
        if outcome.status == 3, command == "run" {
            // An I/O failure for a spec that check accepted, while writing into a fresh folder:
            // numerical trouble reported as I/O.
            return finding("io-on-valid-spec", "run exited 3: \(firstLine)")
        }
        if outcome.status == 0 {
            switch command {
            case "sample":
                if let row = nonFiniteRow(outcome.stdout, evaluated: false) {
                    return finding("nonsense", "sample exited 0 printing '\(row)'", detail: "")
                }
            case "eval":
                if let row = nonFiniteRow(outcome.stdout, evaluated: true) {
                    return finding("nonsense", "eval exited 0 printing '\(row)'", detail: "")
                }
            case "run":
                // metrics.json writes non-finite numbers as the strings "NaN", "Infinity", "-Infinity".
                if let metrics, ["\"NaN\"", "\"Infinity\"", "\"-Infinity\""].contains(where: metrics.contains) {
                    return finding("nonsense", "run exited 0 with a non-finite value in metrics.json", detail: "")
                }
            default: break
            }
        }
        return nil
    }

    /// The first CSV row with a non-finite number where it is nonsense: anywhere in `sample`
    /// output; in `eval` output (`evaluated`) a NaN or +∞ log density (the points are the
    /// user's own, and −∞ is the documented log density outside the support).
    static func nonFiniteRow(_ csv: String, evaluated: Bool) -> String? {
        let rows = csv.split(separator: "\n")
        guard let header = rows.first?.split(separator: ",") else { return nil }
        for row in rows.dropFirst() {
            for (column, field) in row.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let isLogDensity = column < header.count && header[column].hasPrefix("log_p")
                if evaluated {
                    if isLogDensity && (field == "nan" || field == "inf") { return String(row) }
                } else if field == "nan" || field == "inf" || field == "-inf" {
                    return String(row)
                }
            }
        }
        return nil
    }

    /// Digits blanked, so that the same failure with other numbers counts once.
    static func normalized(_ text: String) -> String {
        String(text.prefix(160).map { $0.isNumber ? "#" : $0 })
    }
}
