/// Documentation of one parameter of a catalog entry: the spec key, what kind of value it
/// takes, what values are allowed, and what it means. `flowreport list` prints these and the
/// spec validator checks keys against them (with "did you mean" hints).
public struct ParameterDoc: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case number, integer, vector, matrix, integers, object, flag
    }
    public let name: String
    public let kind: Kind
    /// The allowed values in words, e.g. "> 0", "≠ 0", "finite".
    public let requirement: String
    public let summary: String
    /// The default as spec text, or nil when the parameter is required.
    public let defaultValue: String?

    public init(_ name: String, _ kind: Kind, requirement: String, summary: String, default defaultValue: String? = nil) {
        self.name = name
        self.kind = kind
        self.requirement = requirement
        self.summary = summary
        self.defaultValue = defaultValue
    }
}

/// One named entry of a catalog (a distribution or a transform): its documentation and how
/// to build it from spec parameters.
///
/// `make` decodes the entry's `Codable` parameter struct from `decoder` (the report layer
/// passes a YAML decoder positioned at the entry's parameter mapping, or at nothing for an
/// entry without parameters), validates the ranges, throwing ``FlowKitError/invalidParameter``
/// with the offending key, and builds the immutable value. Parameters live apart from the math
/// (zuko's lazy modules): training changes parameter structs, never math types.
public struct CatalogEntry<Value>: Sendable {
    public let name: String
    public let summary: String
    public let parameters: [ParameterDoc]
    /// The domain (for transforms) or support (for distributions) in words.
    public let domainSummary: String
    /// Builds the value; `dimension` is the dimension the spec has established at this point
    /// (1 for one-dimensional experiments), or nil when not yet known.
    public let make: @Sendable (_ decoder: any Decoder, _ dimension: Int?) throws -> Value

    public init(name: String, summary: String, parameters: [ParameterDoc], domainSummary: String,
                make: @escaping @Sendable (any Decoder, Int?) throws -> Value) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.domainSummary = domainSummary
        self.make = make
    }
}
