import Foundation
import Plot
import Yams

/// Typed reads of YAML nodes that record a diagnostic at the node when the value has the
/// wrong type or range, and return nil.
struct SpecReader {
    let sink: DiagnosticSink

    /// A one-word description of what a node is, for "found …" messages.
    static func describe(_ node: Node) -> String {
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        guard let scalar = node.scalar else { return "something else" }
        switch node.tagName {
        case .null: return "nothing"
        case .bool: return "'\(scalar.string)' (a boolean)"
        case .int, .float: return "'\(scalar.string)' (a number)"
        default: return "'\(scalar.string)'"
        }
    }

    /// The keys of a mapping that are not in `allowed`, reported with "did you mean".
    func checkKeys(_ mapping: Node.Mapping, allowed: [String], context: String) {
        for key in mapping.keys {
            guard let name = key.scalar?.string else {
                sink.error(at: key, "keys of \(context) must be plain words")
                continue
            }
            if !allowed.contains(name) {
                sink.error(at: key, "unknown key '\(name)' in \(context)",
                           hint: Suggestion.hint(for: name, in: allowed, kind: "keys"))
            }
        }
    }

    func mapping(_ node: Node, _ what: String) -> Node.Mapping? {
        if let m = node.mapping { return m }
        sink.error(at: node, "\(what) must be a mapping (key: value), found \(Self.describe(node))")
        return nil
    }

    func string(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar, node.tagName != .null else {
            sink.error(at: node, "\(what) must be text, found \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    func bool(_ node: Node, _ what: String) -> Bool? {
        if node.scalar != nil, node.tagName == .bool, let value = node.bool { return value }
        sink.error(at: node, "\(what) must be true or false, found \(Self.describe(node))")
        return nil
    }

    /// A finite number.
    func number(_ node: Node, _ what: String) -> Double? {
        guard let scalar = node.scalar, node.tagName == .int || node.tagName == .float,
              let value = node.float else {
            let quoted = node.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            sink.error(at: node, "\(what) must be a number, found \(Self.describe(node))",
                       hint: quoted ? "remove the quotes" : nil)
            return nil
        }
        guard value.isFinite else {
            sink.error(at: node, "\(what) must be a finite number, found \(scalar.string)")
            return nil
        }
        return value
    }

    /// A number in `range` (closed); `requirement` words the range for the message.
    func number(_ node: Node, _ what: String, in range: ClosedRange<Double>, requirement: String) -> Double? {
        guard let value = number(node, what) else { return nil }
        guard range.contains(value) else {
            sink.error(at: node, "\(what) must be \(requirement), found \(node.scalar?.string ?? "\(value)")")
            return nil
        }
        return value
    }

    /// An integer in `range`, written as an integer literal or as an integral float
    /// (`1e6`); `requirement` words the range for the message.
    func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>, requirement: String,
                 limitHint: String? = nil) -> Int? {
        guard let scalar = node.scalar, node.tagName == .int || node.tagName == .float else {
            sink.error(at: node, "\(what) must be \(requirement), found \(Self.describe(node))")
            return nil
        }
        let text = scalar.string
        if let value = node.int, node.tagName == .int {
            guard range.contains(value) else {
                sink.error(at: node, "\(what) must be \(requirement), found \(text)",
                           hint: value > range.upperBound ? limitHint : nil)
                return nil
            }
            return value
        }
        guard let value = node.float, value.isFinite else {
            // An integer literal too large for Int, or NaN / ±inf.
            let tooLarge = node.tagName == .int || node.float == .infinity
            sink.error(at: node, "\(what) must be \(requirement), found \(text)", hint: tooLarge ? limitHint : nil)
            return nil
        }
        guard value == value.rounded(.towardZero) else {
            sink.error(at: node, "\(what) must be \(requirement), found \(text) (not a whole number)")
            return nil
        }
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            sink.error(at: node, "\(what) must be \(requirement), found \(text)",
                       hint: value > Double(range.upperBound) ? limitHint : nil)
            return nil
        }
        return Int(value)
    }

    /// A seed: an integer in 0 ... 2⁶⁴ − 1.
    func seed(_ node: Node) -> UInt64? {
        let requirement = "a non-negative integer below 2^64"
        guard let scalar = node.scalar, node.tagName == .int || node.tagName == .float else {
            sink.error(at: node, "seed must be \(requirement), found \(Self.describe(node))")
            return nil
        }
        let text = scalar.string.replacingOccurrences(of: "_", with: "")
        if node.tagName == .int {
            if let value = UInt64(text.hasPrefix("+") ? String(text.dropFirst()) : text) { return value }
            if let value = node.int, value >= 0 { return UInt64(value) }
        } else if let value = node.float, value.isFinite, value >= 0, value == value.rounded(),
                  value < 18_446_744_073_709_551_616.0 {
            return UInt64(value)
        }
        sink.error(at: node, "seed must be \(requirement), found \(scalar.string)")
        return nil
    }

    /// A list node's items, or a diagnostic.
    func sequence(_ node: Node, _ what: String) -> [Node]? {
        if let items = node.sequence { return Array(items) }
        sink.error(at: node, "\(what) must be a list, found \(Self.describe(node))")
        return nil
    }

    /// `[lo, hi]` with lo < hi, both finite, and drawable on an axis (``AxisRange``): its
    /// width neither overflows nor is too narrow to carry distinct tick labels.
    func range(_ node: Node, _ what: String) -> ClosedRange<Double>? {
        guard let items = node.sequence, items.count == 2 else {
            sink.error(at: node, "\(what) must be a pair [low, high], found \(Self.describe(node))")
            return nil
        }
        guard let low = number(items[0], what), let high = number(items[1], what) else { return nil }
        guard low < high else {
            sink.error(at: items[0], "\(what) must have low < high, found [\(low), \(high)]")
            return nil
        }
        if let problem = AxisRange.problem(lower: low, upper: high) {
            let text = "[\(items[0].scalar?.string ?? "\(low)"), \(items[1].scalar?.string ?? "\(high)")]"
            sink.error(at: node, "\(what) \(text) cannot be drawn: \(problem)",
                       hint: "choose a range whose width is finite and at least 1e-12 of its largest end, e.g. [-1e300, 1e300] or [0, 1e-300]")
            return nil
        }
        return low...high
    }
}

extension Node {
    /// The resolved tag name (`tag:yaml.org,2002:int`, …); Yams keeps `Tag.name` internal.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
