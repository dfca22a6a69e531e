import Report

/// Non-finite numbers in the CSV of `sample` and `eval` are numerical trouble (an overflow, or
/// an output rounded onto the edge of a map's range), reported with exit 1 and never printed
/// as data. In `sample` output every number must be finite; in `eval` output the log-density
/// columns must not be NaN or +∞ (−∞ is the documented log density outside the support, and
/// the point columns are the user's own input).
enum NumericalTrouble {
    /// Throws a ``CommandFailure`` with exit 1 when `csv` (header first) has such numbers.
    static func check(_ csv: String, evaluated: Bool, spec: String) throws(CommandFailure) {
        let rows = csv.split(separator: "\n")
        guard let header = rows.first?.split(separator: ",").map(String.init) else { return }
        var bad = 0
        var first: String?
        for (index, row) in rows.dropFirst().enumerated() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let offending = fields.indices.filter { column in
                let field = fields[column]
                let isLogDensity = column < header.count && header[column].hasPrefix("log_p")
                if evaluated { return isLogDensity && (field == "nan" || field == "inf") }
                return field == "nan" || field == "inf" || field == "-inf"
            }
            guard !offending.isEmpty else { continue }
            bad += 1
            if first == nil {
                let shown = zip(header, fields).map { "\($0) = \($1)" }.joined(separator: ", ")
                first = "\(evaluated ? "point" : "sample") \(index + 1): \(shown)"
            }
        }
        guard bad > 0, let first else { return }
        let total = rows.count - 1
        let what = evaluated ? "log densities are NaN or +∞" : "samples are not finite"
        let hint = evaluated
            ? "the flow's arithmetic breaks down at these points; check the points and the spec's parameters"
            : "the flow overflows or saturates for draws of this base (an output at ±∞, NaN, or rounded onto the edge of a map's range); narrow the base or scale the maps down"
        throw CommandFailure(code: CommandFailure.checkFailed,
                             message: TerminalText.escaped("\(spec): error: numerical trouble: \(bad) of \(total) \(what) (first: \(first)); nothing printed")
                                 + "\n  hint: " + hint)
    }
}
