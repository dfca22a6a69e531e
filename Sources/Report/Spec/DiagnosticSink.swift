import Yams

/// Collects compiler-style diagnostics for one spec file, attaching the offending source line
/// to each so that it prints with a caret.
final class DiagnosticSink {
    let file: String
    private let lines: [Substring]
    private(set) var diagnostics: [SpecDiagnostic] = []

    init(file: String, text: String) {
        self.file = file
        self.lines = SourceLines.split(text)
    }

    var isEmpty: Bool { diagnostics.isEmpty }

    /// Records an error at 1-based `line` and `column`.
    func error(line: Int, column: Int, _ message: String, hint: String? = nil) {
        var source: String?
        if line >= 1, line <= lines.count {
            source = String(lines[line - 1]).replacingTabs()
        }
        diagnostics.append(SpecDiagnostic(file: file, line: line, column: column, message: message,
                                          hint: hint, sourceLine: source))
    }

    /// Records an error at a node's position (line 1, column 1 when the node has no mark).
    func error(at node: Node?, _ message: String, hint: String? = nil) {
        error(at: node?.mark, message, hint: hint)
    }

    func error(at mark: Mark?, _ message: String, hint: String? = nil) {
        error(line: mark?.line ?? 1, column: mark?.column ?? 1, message, hint: hint)
    }

    /// The collected diagnostics as the error to throw.
    /// The collected diagnostics, in file order, as the error to throw.
    var reportError: ReportError {
        .invalidSpec(diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element))
    }
}

extension String {
    /// Tabs shown as single spaces so that the caret under a column stays aligned.
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
