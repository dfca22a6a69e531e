/// The lines of a spec's text as the YAML parser counts them: a line ends at LF, CR, CR LF,
/// NEL (U+0085), LS (U+2028) or PS (U+2029), as in YAML 1.1 §5.4 and libyaml. Splitting on
/// LF alone would disagree with the parser's line numbers for files with bare-CR endings.
enum SourceLines {
    /// The lines of `text` without their line breaks; a text ending in a break has an empty
    /// last line, as the parser counts it.
    static func split(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if isBreak(scalar) {
                lines.append(Substring(scalars[start..<index]))
                var next = scalars.index(after: index)
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                start = next
                index = next
            } else {
                index = scalars.index(after: index)
            }
        }
        lines.append(Substring(scalars[start..<scalars.endIndex]))
        return lines
    }

    /// Whether `scalar` ends a line for the YAML parser.
    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": return true
        default: return false
        }
    }

    /// The 1-based line and column (in Unicode scalars) of the scalar at `offset`.
    static func position(ofScalarOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars.prefix(offset) {
            if scalar == "\n", previous == "\r" {
                // The LF of a CR LF pair: the break was already counted.
            } else if isBreak(scalar) {
                line += 1; column = 1
            } else {
                column += 1
            }
            previous = scalar
        }
        return (line, column)
    }
}
