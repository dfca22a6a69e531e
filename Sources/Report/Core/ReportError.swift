/// The one error type of the Report module. Each case renders as a user-facing message;
/// the command maps cases to exit codes (2 for a bad spec or usage, 3 for I/O).
public enum ReportError: Error, Sendable, CustomStringConvertible {
    /// One or more problems in a spec file, each with file, line, column, message and hint,
    /// printed like a compiler's diagnostics.
    case invalidSpec([SpecDiagnostic])
    /// Reading or writing a file or folder failed.
    case io(path: String, message: String)
    /// Drawing a figure or writing a page failed.
    case rendering(String)
    /// A template could not be read or rendered.
    case template(path: String, message: String)

    public var description: String {
        switch self {
        case let .invalidSpec(diagnostics):
            return diagnostics.map(\.rendered).joined(separator: "\n")
        case let .io(path, message):
            return TerminalText.escapedLines("\(path): error: \(message)")
        case let .rendering(message):
            return TerminalText.escapedLines("error: rendering failed: \(message)")
        case let .template(path, message):
            return TerminalText.escapedLines("\(path): error: template: \(message)")
        }
    }
}

/// One compiler-style diagnostic about a spec:
/// `path/spec.yaml:LINE:COL: error: message`, the offending line with a caret, and a hint.
public struct SpecDiagnostic: Sendable, Equatable {
    public var file: String
    /// 1-based line and column of the offending node (0 when the problem is the whole file).
    public var line: Int
    public var column: Int
    public var message: String
    public var hint: String?
    /// The text of the offending line, for the caret display.
    public var sourceLine: String?

    public init(file: String, line: Int, column: Int, message: String, hint: String? = nil, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        self.sourceLine = sourceLine
    }

    /// The diagnostic as printed on stderr.
    public var rendered: String {
        // Line 0 means the problem is the whole input (a file, or an option such as --at).
        // Control characters from the spec are escaped, never sent raw to the terminal.
        let file = TerminalText.escaped(file), message = TerminalText.escaped(message)
        var out = line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
        if let sourceLine, line > 0 {
            let (shown, caret) = TerminalText.escaped(line: sourceLine, column: column)
            out += "\n    \(shown)\n    " + String(repeating: " ", count: max(0, caret - 1)) + "^"
        }
        if let hint { out += "\n  hint: \(TerminalText.escaped(hint))" }
        return out
    }
}
