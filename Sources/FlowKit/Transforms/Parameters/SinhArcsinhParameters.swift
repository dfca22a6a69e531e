/// Spec parameters of `sinh_arcsinh`: `skew` (default 0) and `tailweight` (default 1, > 0).
public struct SinhArcsinhParameters: Codable, Sendable, Equatable {
    public var skew: Double
    public var tailweight: Double

    public init(skew: Double = 0, tailweight: Double = 1) {
        self.skew = skew
        self.tailweight = tailweight
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skew = try container.decodeIfPresent(Double.self, forKey: .skew) ?? 0
        tailweight = try container.decodeIfPresent(Double.self, forKey: .tailweight) ?? 1
    }

    /// The validated map (throws ``FlowKitError/invalidParameter`` naming the key).
    public func make() throws(FlowKitError) -> SinhArcsinhMap {
        try SinhArcsinhMap(skew: skew, tailweight: tailweight)
    }

    static let docs = [
        ParameterDoc("skew", .number, requirement: "finite",
                     summary: "ε in y = sinh(τ·(asinh x + ε)); > 0 skews right", default: "0"),
        ParameterDoc("tailweight", .number, requirement: "finite, > 0",
                     summary: "τ in y = sinh(τ·(asinh x + ε)); > 1 gives heavier tails", default: "1"),
    ]
}
