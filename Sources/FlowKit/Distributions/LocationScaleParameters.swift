/// The parameters of a location–scale family (`cauchy`, `gumbel`, `laplace`, `logistic`):
/// X = loc + scale·Z for the family's standard variable Z. `loc` is finite, `scale` finite and
/// > 0; an absent key takes its default (loc 0, scale 1).
public struct LocationScaleParameters: Codable, Sendable, Equatable {
    public let loc: Double
    public let scale: Double

    public init(loc: Double = 0, scale: Double = 1) throws {
        try ParameterValidation.finite(loc, "loc")
        try ParameterValidation.positive(scale, "scale")
        self.loc = loc
        self.scale = scale
    }

    public init(from decoder: any Decoder) throws {
        let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
        try self.init(loc: c?.number(.loc, default: 0) ?? 0, scale: c?.number(.scale, default: 1) ?? 1)
    }
}
