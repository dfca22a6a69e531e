/// Text from a spec or a command line made safe to print on a terminal: control characters
/// (C0, DEL, C1) could move the cursor, recolour or retitle the terminal, so each is shown
/// as a visible escape instead, `\u{1B}` for ESC. Tabs become one space so that carets
/// under a column stay aligned.
public enum TerminalText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                out.append(" ")
            } else if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes each line of a multi-line message of our own (an error with an excerpt below
    /// it), keeping its line breaks.
    public static func escapedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    /// Escapes a source line and moves a 1-based `column` (in Unicode scalars) along with the
    /// escapes, so that a caret still points at the same character.
    static func escaped(line: String, column: Int) -> (line: String, column: Int) {
        guard line.unicodeScalars.contains(where: isControl) else { return (line, column) }
        var shifted = column
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 && isControl(scalar) && scalar != "\t" {
            shifted += escaped(String(scalar)).unicodeScalars.count - 1
        }
        return (escaped(line), shifted)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029   // line breaks for some terminals
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)  // bidi overrides
    }
}
