import Foundation

/// A linear pass over the raw YAML text, before the parser sees it, that bounds what could
/// make parsing or walking expensive: flow nesting (`[[[[…`), block indentation, and the
/// number of aliases (`*name`). It understands just enough YAML to skip comments, quoted
/// scalars and block scalars (`|`, `>`), and errs on the side of counting.
///
/// Exponential alias expansion is bounded again after parsing (``SpecLimits/maximumExpandedNodes``);
/// this pass makes the common bombs fail before the parser builds anything.
struct YAMLPrescan {
    struct Problem: Equatable {
        var line: Int
        var column: Int
        var message: String
        var hint: String?
    }

    /// Position (1-based line and column) of the first alias, if any.
    private(set) var firstAlias: (line: Int, column: Int)?
    private(set) var aliasCount = 0

    /// Scans `text`; returns the first problem found, or nil.
    mutating func scan(_ text: String) -> Problem? {
        var flowDepth = 0
        var quote: Unicode.Scalar?        // inside a quoted scalar that may span lines
        var blockScalarParentIndent: Int?
        var lineNumber = 0
        for rawLine in SourceLines.split(text) {
            lineNumber += 1
            let line = Array(rawLine.unicodeScalars)
            let indent = line.prefix { $0 == " " }.count
            let isBlank = line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
            if let parent = blockScalarParentIndent {
                if isBlank || indent > parent { continue }
                blockScalarParentIndent = nil
            }
            // Block nesting: indentation plus compact "- - -" indicators.
            var column = indent
            while column + 1 < line.count, line[column] == "-", line[column + 1] == " " {
                column += 2
                while column < line.count, line[column] == " " { column += 1 }
            }
            if quote == nil, column > SpecLimits.maximumIndentation {
                return Problem(line: lineNumber, column: column + 1,
                               message: "nesting is too deep (content starts at column \(column + 1), the limit is \(SpecLimits.maximumIndentation))",
                               hint: "a spec nests a few levels; flatten the structure")
            }
            var i = 0
            var previous: Unicode.Scalar = " "
            var lastSignificant: Unicode.Scalar?
            while i < line.count {
                let c = line[i]
                if let q = quote {
                    if q == "'" && c == "'" {
                        if i + 1 < line.count, line[i + 1] == "'" { i += 2; continue }
                        quote = nil
                    } else if q == "\"" && c == "\\" {
                        i += 2; continue
                    } else if c == q {
                        quote = nil
                    }
                    previous = c; i += 1; continue
                }
                let atTokenStart = previous == " " || previous == "\t" || previous == "[" || previous == "{"
                    || previous == "," || i == 0
                switch c {
                case "#" where previous == " " || previous == "\t" || i == 0:
                    i = line.count; continue
                case "'", "\"":
                    if atTokenStart || previous == ":" { quote = c }
                case "[", "{":
                    if atTokenStart || previous == ":" {
                        flowDepth += 1
                        if flowDepth > SpecLimits.maximumDepth {
                            return Problem(line: lineNumber, column: i + 1,
                                           message: "nesting is too deep (more than \(SpecLimits.maximumDepth) levels)",
                                           hint: "a spec nests a few levels; flatten the structure")
                        }
                    }
                case "]", "}":
                    if flowDepth > 0 { flowDepth -= 1 }
                case "*" where atTokenStart:
                    aliasCount += 1
                    if firstAlias == nil { firstAlias = (lineNumber, i + 1) }
                    if aliasCount > SpecLimits.maximumAliases {
                        return Problem(line: lineNumber, column: i + 1,
                                       message: "too many aliases (more than \(SpecLimits.maximumAliases))",
                                       hint: "write the values out; specs do not need aliases (this looks like an alias bomb)")
                    }
                default:
                    break
                }
                if c != " " && c != "\t" && c != "\r" { lastSignificant = c }
                previous = c
                i += 1
            }
            // A block scalar header ends the line: "key: |", "- >-", "key: |2".
            if quote == nil, flowDepth == 0, let last = lastSignificant {
                let trimmed = String(String.UnicodeScalarView(line)).split(separator: "#").first.map(String.init) ?? ""
                let core = trimmed.trimmingTrailingSpaces()
                if last == "|" || last == ">" || last == "-" || last == "+" || last.properties.numericType != nil,
                   let range = core.range(of: #"(^|[\s:])[|>][-+0-9]*$"#, options: .regularExpression),
                   !range.isEmpty {
                    blockScalarParentIndent = indent
                }
            }
        }
        return nil
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
