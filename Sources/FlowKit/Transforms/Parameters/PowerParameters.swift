/// Spec parameters of `power`: `exponent` (required, ≠ 0).
public struct PowerParameters: Codable, Sendable, Equatable {
    public var exponent: Double

    public init(exponent: Double) { self.exponent = exponent }

    /// The validated map (throws ``FlowKitError/invalidParameter`` naming the key).
    public func make() throws(FlowKitError) -> PowerMap {
        try PowerMap(exponent: exponent)
    }

    static let docs = [
        ParameterDoc("exponent", .number, requirement: "finite, ≠ 0", summary: "p in y = xᵖ"),
    ]
}
