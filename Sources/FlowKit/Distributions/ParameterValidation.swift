/// Range checks for distribution parameters, throwing ``FlowKitError/invalidParameter`` with
/// the spec key. NaN and ±∞ are always rejected.
public enum ParameterValidation {
    /// Requires a finite value.
    public static func finite(_ value: Double, _ key: String) throws {
        guard value.isFinite else {
            throw FlowKitError.invalidParameter(parameter: key, value: "\(value)", requirement: "must be finite")
        }
    }

    /// Requires a finite value > 0.
    public static func positive(_ value: Double, _ key: String) throws {
        guard value.isFinite, value > 0 else {
            throw FlowKitError.invalidParameter(parameter: key, value: "\(value)", requirement: "must be finite and > 0")
        }
    }

    /// The keyed container of a parameter mapping, or nil when the value is absent/null (then
    /// every parameter takes its default).
    public static func container<Key: CodingKey>(_ decoder: any Decoder, keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key>? {
        if let single = try? decoder.singleValueContainer(), single.decodeNil() { return nil }
        return try decoder.container(keyedBy: Key.self)
    }
}

extension KeyedDecodingContainer {
    /// The number at `key`, or `fallback` when the key is absent.
    func number(_ key: Key, default fallback: Double) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? fallback
    }
}
