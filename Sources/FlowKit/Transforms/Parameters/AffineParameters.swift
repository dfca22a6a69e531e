/// Spec parameters of `affine`: `scale` (required, ≠ 0) and `shift` (default 0).
public struct AffineParameters: Codable, Sendable, Equatable {
    public var scale: Double
    public var shift: Double

    public init(scale: Double, shift: Double = 0) {
        self.scale = scale
        self.shift = shift
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scale = try container.decode(Double.self, forKey: .scale)
        shift = try container.decodeIfPresent(Double.self, forKey: .shift) ?? 0
    }

    /// The validated map (throws ``FlowKitError/invalidParameter`` naming the key).
    public func make() throws(FlowKitError) -> AffineMap {
        try AffineMap(scale: scale, shift: shift)
    }

    static let docs = [
        ParameterDoc("scale", .number, requirement: "finite, ≠ 0", summary: "the factor a in y = a·x + b"),
        ParameterDoc("shift", .number, requirement: "finite", summary: "the offset b in y = a·x + b", default: "0"),
    ]
}
