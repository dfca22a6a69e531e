import Foundation
import Yams

/// Reads a spec file and turns it into a validated ``Experiment``, or into compiler-style
/// diagnostics (`path:line:col: error: …`, the line, a caret and a hint).
///
/// Steps, each failing fast: size limit (``SpecLimits/maximumBytes``); UTF-8; a pre-scan of the
/// raw text bounding nesting and aliases (``YAMLPrescan``); parsing with Yams into a node tree
/// with marks (malformed YAML, tabs and duplicate keys become diagnostics); a bounded walk
/// checking depth and alias expansion; then the spec itself (``ExperimentBuilder``), which
/// collects as many diagnostics as it can before giving up.
public enum SpecLoader {
    /// Loads the spec at `path`. Throws ``ReportError/io(path:message:)`` when the file cannot
    /// be read and ``ReportError/invalidSpec(_:)`` when it is not a valid spec.
    public static func load(path: String) throws(ReportError) -> Experiment {
        try load(path: path, catalogs: .standard)
    }

    public static func load(path: String, catalogs: SpecCatalogs) throws(ReportError) -> Experiment {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .io(path: path, message: "no such file")
        }
        if isDirectory.boolValue { throw .io(path: path, message: "is a folder, not a spec file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int,
           size > SpecLimits.maximumBytes {
            throw .invalidSpec([tooLarge(path: path, bytes: size)])
        }
        // Read through a handle, at most one byte past the limit: devices and pipes
        // (/dev/null, /dev/zero, a FIFO) report size 0 and Data(contentsOf:) refuses them.
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            let reason = FileManager.default.isReadableFile(atPath: path) ? "cannot open it" : "permission denied"
            throw .io(path: path, message: "cannot read: \(reason)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: SpecLimits.maximumBytes + 1) ?? Data()
        } catch {
            throw .io(path: path, message: "cannot read: \(ReportStaging.reason(error))")
        }
        if data.count > SpecLimits.maximumBytes {
            throw .invalidSpec([SpecDiagnostic(file: path, line: 1, column: 1,
                                               message: "the spec is more than \(SpecLimits.maximumBytes) bytes (1 MiB), the limit")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidSpec([SpecDiagnostic(file: path, line: 1, column: 1, message: "the spec is not valid UTF-8 text")])
        }
        return try load(text: text, path: path, catalogs: catalogs)
    }

    /// Validates spec `text` as if read from `path` (used in messages and for the name).
    public static func load(text: String, path: String) throws(ReportError) -> Experiment {
        try load(text: text, path: path, catalogs: .standard)
    }

    public static func load(text: String, path: String, catalogs: SpecCatalogs) throws(ReportError) -> Experiment {
        let root = try parse(text: text, path: path)
        let sink = DiagnosticSink(file: path, text: text)
        let builder = ExperimentBuilder(sink: sink, catalogs: catalogs, path: path, source: text)
        guard let experiment = builder.build(root), sink.isEmpty else {
            throw sink.reportError
        }
        return experiment
    }

    /// Parses `text` into a root node after the size, nesting and alias checks; throws
    /// diagnostics for empty and malformed documents.
    static func parse(text: String, path: String) throws(ReportError) -> Node {
        let sink = DiagnosticSink(file: path, text: text)
        if text.utf8.count > SpecLimits.maximumBytes {
            throw .invalidSpec([tooLarge(path: path, bytes: text.utf8.count)])
        }
        var prescan = YAMLPrescan()
        if let problem = prescan.scan(text) {
            sink.error(line: problem.line, column: problem.column, problem.message, hint: problem.hint)
            throw sink.reportError
        }
        let parsed: Node?
        do {
            parsed = try Parser(yaml: text).singleRoot()
        } catch let error as YamlError {
            record(error, text: text, sink: sink)
            throw sink.reportError
        } catch {
            sink.error(line: 1, column: 1, "cannot parse the spec: \(error)")
            throw sink.reportError
        }
        guard let root = parsed, !(root.scalar != nil && root.tagName == .null) else {
            sink.error(line: 1, column: 1, "the spec is empty",
                       hint: "a spec needs at least 'base' and 'flow'; 'flowreport init NAME' writes a starter spec")
            throw sink.reportError
        }
        var budget = SpecLimits.maximumExpandedNodes
        if let deep = findTooDeep(root, depth: 1, budget: &budget) {
            sink.error(at: deep, "nesting is too deep (more than \(SpecLimits.maximumDepth) levels)",
                       hint: "a spec nests a few levels; flatten the structure")
            throw sink.reportError
        }
        if budget < 0 {
            let alias = prescan.firstAlias
            sink.error(line: alias?.line ?? 1, column: alias?.column ?? 1,
                       "aliases expand the spec to more than \(SpecLimits.maximumExpandedNodes) values",
                       hint: "write the values out; this looks like an alias bomb")
            throw sink.reportError
        }
        return root
    }

    /// Walks the tree with aliases expanded, at most `budget` nodes; returns the first node
    /// deeper than the limit. `budget` goes negative when the expansion is too large.
    private static func findTooDeep(_ node: Node, depth: Int, budget: inout Int) -> Node? {
        budget -= 1
        if budget < 0 { return nil }
        if depth > SpecLimits.maximumDepth { return node }
        if let items = node.sequence {
            for item in items {
                if let deep = findTooDeep(item, depth: depth + 1, budget: &budget) { return deep }
                if budget < 0 { return nil }
            }
        } else if let pairs = node.mapping {
            for (key, value) in pairs {
                if let deep = findTooDeep(key, depth: depth + 1, budget: &budget) { return deep }
                if let deep = findTooDeep(value, depth: depth + 1, budget: &budget) { return deep }
                if budget < 0 { return nil }
            }
        }
        return nil
    }

    private static func tooLarge(path: String, bytes: Int) -> SpecDiagnostic {
        SpecDiagnostic(file: path, line: 1, column: 1,
                       message: "the spec is \(bytes) bytes; the limit is \(SpecLimits.maximumBytes) (1 MiB)")
    }

    /// Converts a Yams error into a diagnostic at its mark.
    private static func record(_ error: YamlError, text: String, sink: DiagnosticSink) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "malformed YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            let line = SourceLines.split(text).dropFirst(max(0, mark.line - 1)).first.map(String.init) ?? ""
            var hint: String?
            if problem.contains("cannot start any token"), line.contains("\t") {
                hint = "YAML does not allow tabs for indentation; use spaces"
            } else if problem.contains("mapping values are not allowed") {
                hint = "check the indentation of this line and the one before; or quote a value containing ': '"
            } else if problem.contains("did not find expected") {
                hint = "check for an unclosed bracket or quote, or inconsistent indentation"
            }
            sink.error(at: mark, message, hint: hint)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let second = secondOccurrence(of: key, after: context.mark, in: text)
            sink.error(line: second?.line ?? context.mark.line, column: second?.column ?? context.mark.column,
                       "duplicate key '\(key)'",
                       hint: "'\(key)' is first set at line \(context.mark.line), column \(context.mark.column); keep one")
        case let .reader(problem, offset, _, _):
            let position = offset.map { SourceLines.position(ofScalarOffset: $0, in: text) } ?? (line: 1, column: 1)
            sink.error(line: position.line, column: position.column, "unreadable text: \(problem)")
        default:
            sink.error(line: 1, column: 1, "cannot parse the spec: \(error)")
        }
    }

    /// The position of the next occurrence of `key:` as a mapping key after `mark`.
    private static func secondOccurrence(of key: String, after mark: Mark, in text: String) -> (line: Int, column: Int)? {
        let lines = SourceLines.split(text)
        guard !key.isEmpty, mark.line >= 1, mark.line <= lines.count else { return nil }
        for index in (mark.line - 1)..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            let keyScalars = Array(key.unicodeScalars)
            var start = index == mark.line - 1 ? mark.column : 0   // skip the first occurrence
            while start + keyScalars.count <= scalars.count {
                if Array(scalars[start..<(start + keyScalars.count)]) == keyScalars {
                    let before: Unicode.Scalar = start == 0 ? " " : scalars[start - 1]
                    var after = start + keyScalars.count
                    while after < scalars.count, scalars[after] == " " { after += 1 }
                    let quotedBefore = before == "\"" || before == "'"
                    if [" ", "{", ",", "\"", "'", "-"].contains(before) || quotedBefore || start == 0 {
                        var colon = after
                        if colon < scalars.count, scalars[colon] == "\"" || scalars[colon] == "'" {
                            colon += 1
                            while colon < scalars.count, scalars[colon] == " " { colon += 1 }
                        }
                        if colon < scalars.count, scalars[colon] == ":" {
                            return (index + 1, start + 1)
                        }
                    }
                }
                start += 1
            }
        }
        return nil
    }
}
