/// A catalog entry as named in a spec, with its parameters as written, for display in reports
/// (`exp`, `affine(scale: 2, shift: 1)`).
public struct FlowStepDescription: Sendable, Equatable {
    /// The catalog name.
    public var name: String
    /// The parameters as (key, value text) pairs in spec order.
    public var parameters: [(key: String, value: String)]

    public init(name: String, parameters: [(key: String, value: String)] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// `name` alone, or `name(key: value, …)`.
    public var displayText: String {
        parameters.isEmpty ? name
            : name + "(" + parameters.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }

    public static func == (a: FlowStepDescription, b: FlowStepDescription) -> Bool {
        a.name == b.name && a.parameters.elementsEqual(b.parameters) { $0.key == $1.key && $0.value == $1.value }
    }
}
