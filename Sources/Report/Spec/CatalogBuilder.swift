import FlowKit
import Yams

/// Builds a catalog value from its parameter node by handing Yams' decoder to
/// ``CatalogEntry/make``, and turns what it throws into diagnostics that point at the
/// offending parameter.
///
/// The parameter mapping's keys and value types are checked against the entry's
/// ``ParameterDoc``s first (unknown keys with "did you mean", numbers that are NaN or ±∞,
/// vectors that are not lists), so most errors never reach the entry.
struct CatalogBuilder {
    let sink: DiagnosticSink

    /// `what` names the place in the spec for messages (e.g. "base", "flow[1]", "reference").
    func build<Value>(_ entry: CatalogEntry<Value>, parameters: Node?, nameNode: Node, what: String,
                      dimension: Int?) -> Value? {
        let mapping: Node.Mapping
        switch parameters {
        case nil:
            mapping = Node.Mapping([])
        case let .some(node):
            if node.null != nil, node.scalar != nil {
                mapping = Node.Mapping([])
            } else if let m = node.mapping {
                mapping = m
            } else {
                sink.error(at: node, "\(what) '\(entry.name)' parameters must be a mapping of key: value",
                           hint: entry.parameters.isEmpty ? "'\(entry.name)' takes no parameters; write just '\(entry.name)'"
                               : "e.g. {" + entry.parameters.map { "\($0.name): …" }.joined(separator: ", ") + "}")
                return nil
            }
        }
        guard checkParameters(mapping, of: entry, what: what) else { return nil }
        let node = Node.mapping(mapping)
        do {
            let box = MakeBox(dimension: dimension) { decoder, dim in try entry.make(decoder, dim) }
            let built = try YAMLDecoder().decode(Built<Value>.self, from: node, userInfo: [MakeBox<Value>.key: box])
            return built.value
        } catch let error as FlowKitError {
            if case let .invalidParameter(parameter, _, _) = error, parameter == "dimension", dimension == nil,
               mapping.keys.allSatisfy({ $0.scalar?.string != "dimension" }), !sink.isEmpty {
                // The dimension is unknown because the base failed, which is already reported;
                // "set 'dimension' explicitly" would only mislead.
                return nil
            }
            report(error, mapping: mapping, nameNode: nameNode, entry: entry.name, what: what)
        } catch let error as DecodingError {
            report(error, mapping: mapping, nameNode: nameNode, entry: entry.name, what: what)
        } catch {
            sink.error(at: nameNode, "\(what) '\(entry.name)': \(error)")
        }
        return nil
    }

    /// Checks keys and value shapes; returns false when a diagnostic was recorded.
    private func checkParameters<Value>(_ mapping: Node.Mapping, of entry: CatalogEntry<Value>, what: String) -> Bool {
        let before = sink.diagnostics.count
        let names = entry.parameters.map(\.name)
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                sink.error(at: key, "\(what) '\(entry.name)': parameter names must be plain words")
                continue
            }
            guard let doc = entry.parameters.first(where: { $0.name == name }) else {
                sink.error(at: key, "\(what) '\(entry.name)' has no parameter '\(name)'",
                           hint: names.isEmpty ? "'\(entry.name)' takes no parameters"
                               : Suggestion.hint(for: name, in: names, kind: "parameters"))
                continue
            }
            checkShape(value, kind: doc.kind, parameter: name, entry: entry.name, what: what)
        }
        return sink.diagnostics.count == before
    }

    private func checkShape(_ node: Node, kind: ParameterDoc.Kind, parameter: String, entry: String, what: String) {
        let label = "\(what) '\(entry)': parameter '\(parameter)'"
        switch kind {
        case .number:
            checkNumber(node, label: label)
        case .integer:
            if checkNumber(node, label: label), node.int == nil {
                sink.error(at: node, "\(label) must be an integer, found '\(node.scalar?.string ?? "")'")
            }
        case .vector, .integers:
            guard let items = node.sequence else {
                // A scalar broadcasts in d dimensions; it must still be a number.
                if node.scalar != nil { checkNumber(node, label: label) } else {
                    sink.error(at: node, "\(label) must be a list of numbers")
                }
                return
            }
            if items.isEmpty {
                sink.error(at: node, "\(label) must list at least one number (one per dimension), found an empty list")
            }
            for item in items { checkNumber(item, label: label) }
        case .matrix:
            guard let rows = node.sequence else {
                sink.error(at: node, "\(label) must be a list of rows (a matrix)")
                return
            }
            if rows.isEmpty {
                sink.error(at: node, "\(label) must have at least one row, found an empty list")
            }
            var firstLength: Int?
            for (index, row) in rows.enumerated() {
                guard let items = row.sequence else {
                    sink.error(at: row, "\(label): each row must be a list of numbers")
                    continue
                }
                if items.isEmpty {
                    sink.error(at: row, "\(label): row \(index + 1) is empty")
                    continue
                }
                if let firstLength, items.count != firstLength {
                    sink.error(at: row, "\(label): row \(index + 1) has \(items.count) entr\(items.count == 1 ? "y" : "ies") but row 1 has \(firstLength); every row needs the same number of entries")
                    continue
                }
                firstLength = firstLength ?? items.count
                for item in items { checkNumber(item, label: label) }
            }
        case .flag:
            if node.scalar == nil || node.tagName != .bool {
                sink.error(at: node, "\(label) must be true or false")
            }
        case .object:
            break
        }
    }

    /// A finite number; records a diagnostic and returns false otherwise.
    @discardableResult
    private func checkNumber(_ node: Node, label: String) -> Bool {
        guard let scalar = node.scalar else {
            sink.error(at: node, "\(label) must be a number, found a \(node.sequence != nil ? "list" : "mapping")")
            return false
        }
        let tag = node.tagName
        guard tag == .int || tag == .float, let value = node.float else {
            sink.error(at: node, "\(label) must be a number, found '\(scalar.string)'",
                       hint: scalar.style == .plain ? nil : "remove the quotes")
            return false
        }
        guard value.isFinite else {
            sink.error(at: node, "\(label) must be finite, found \(scalar.string)")
            return false
        }
        return true
    }

    private func report(_ error: FlowKitError, mapping: Node.Mapping, nameNode: Node, entry: String, what: String) {
        switch error {
        case let .invalidParameter(parameter, _, _):
            let target = mapping.first { $0.key.scalar?.string == parameter }
            sink.error(at: target?.value ?? nameNode, "\(what) '\(entry)': \(error.description)",
                       hint: target == nil ? "'\(parameter)' takes its default value here; set it explicitly" : nil)
        case let .dimensionMismatch(_, expected, _, parameter):
            // Point at the parameter the error blames (`u` of planar), if any.
            let target = parameter.flatMap { key in mapping.first { $0.key.scalar?.string == key } }
            sink.error(at: target?.value ?? nameNode, "\(what) '\(entry)': \(error.description)",
                       hint: "the experiment is \(expected)-dimensional (from the base distribution); give every vector \(expected) entries and every matrix \(expected) × \(expected)")
        default:
            sink.error(at: nameNode, "\(what) '\(entry)': \(error.description)")
        }
    }

    private func report(_ error: DecodingError, mapping: Node.Mapping, nameNode: Node, entry: String, what: String) {
        let path: [any CodingKey]
        let message: String
        switch error {
        case let .typeMismatch(type, context):
            path = context.codingPath
            message = "must be \(Self.describe(type))"
        case let .valueNotFound(type, context):
            path = context.codingPath
            message = "expected \(Self.describe(type)), found nothing"
        case let .keyNotFound(key, context):
            sink.error(at: nameNode, "\(what) '\(entry)' needs parameter '\(key.stringValue)'")
            _ = context
            return
        case let .dataCorrupted(context):
            path = context.codingPath
            message = context.debugDescription
        @unknown default:
            sink.error(at: nameNode, "\(what) '\(entry)': \(error)")
            return
        }
        var node = Node.mapping(mapping)
        var names: [String] = []
        for key in path {
            if let index = key.intValue, let items = node.sequence, index < items.count {
                node = items[index]
                names.append("[\(index)]")
            } else if let next = node.mapping?.first(where: { $0.key.scalar?.string == key.stringValue }) {
                node = next.value
                names.append(key.stringValue)
            }
        }
        // The full path to the value, e.g. 'conditioner.layers[0].weights'.
        let dotted = names.enumerated().map { $0.offset > 0 && !$0.element.hasPrefix("[") ? "." + $0.element : $0.element }.joined()
        let parameter = names.isEmpty ? "" : " parameter '\(dotted)'"
        var text = Self.plain(message)
        if case .typeMismatch = error { text += ", found \(SpecReader.describe(node))" }
        sink.error(at: path.isEmpty ? nameNode : node, "\(what) '\(entry)':\(parameter) \(text)")
    }

    /// Decoder wording made plain: Swift's "Cannot initialize T from invalid String value v"
    /// names a type the user never sees.
    static func plain(_ message: String) -> String {
        guard message.hasPrefix("Cannot initialize "), let range = message.range(of: " value ") else { return message }
        return "'\(message[range.upperBound...])' is not one of the allowed values"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        case is [Double].Type: return "a list of numbers"
        case is [[Double]].Type: return "a matrix (a list of rows)"
        case is Node.Mapping.Type: return "a mapping (key: value)"
        case is Node.Sequence.Type: return "a list"
        case is Node.Scalar.Type: return "a single value (a number or a word)"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") || name.hasPrefix("[") { return "a list" }
            if name.hasPrefix("Dictionary<") { return "a mapping (key: value)" }
            return "a value of another kind"
        }
    }
}

/// Carries an entry's `make` and the dimension through `Decoder.userInfo`.
private final class MakeBox<Value>: @unchecked Sendable {
    // Immutable after init; only read while decoding on the calling thread.
    static var key: CodingUserInfoKey { CodingUserInfoKey(rawValue: "flowreport.catalog.make")! }
    let dimension: Int?
    let make: (any Decoder, Int?) throws -> Value
    init(dimension: Int?, make: @escaping (any Decoder, Int?) throws -> Value) {
        self.dimension = dimension
        self.make = make
    }
}

/// A decodable wrapper whose `init(from:)` calls the entry's `make` with the decoder.
private struct Built<Value>: Decodable {
    let value: Value
    init(from decoder: any Decoder) throws {
        guard let box = decoder.userInfo[MakeBox<Value>.key] as? MakeBox<Value> else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "internal: catalog entry missing"))
        }
        value = try box.make(decoder, box.dimension)
    }
}
