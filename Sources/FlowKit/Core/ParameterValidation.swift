import Foundation

/// Range checks for the parameters of distributions and transforms, throwing
/// ``FlowKitError/invalidParameter`` (or ``FlowKitError/dimensionMismatch``) with the spec key.
/// NaN and ±∞ are always rejected.
public enum ParameterValidation {
    /// Requires a finite value.
    public static func finite(_ value: Double, _ key: String) throws(FlowKitError) {
        guard value.isFinite else {
            throw FlowKitError.invalidParameter(parameter: key, value: "\(value)", requirement: "must be finite")
        }
    }

    /// Requires a finite value > 0.
    public static func positive(_ value: Double, _ key: String) throws(FlowKitError) {
        guard value.isFinite, value > 0 else {
            throw FlowKitError.invalidParameter(parameter: key, value: "\(value)", requirement: "must be finite and > 0")
        }
    }

    /// Requires a finite value ≠ 0.
    public static func nonZero(_ value: Double, _ name: String) throws(FlowKitError) {
        guard value.isFinite, value != 0 else {
            throw .invalidParameter(parameter: name, value: "\(value)", requirement: "must be finite and ≠ 0")
        }
    }

    /// Every entry finite and strictly increasing, at least `minimumCount` entries.
    public static func strictlyIncreasing(_ values: [Double], _ name: String, minimumCount: Int) throws(FlowKitError) {
        guard values.count >= minimumCount else {
            throw .invalidParameter(parameter: name, value: "\(values.count) values",
                                    requirement: "needs at least \(minimumCount) values")
        }
        for (i, v) in values.enumerated() {
            guard v.isFinite else {
                throw .invalidParameter(parameter: name, value: "\(v) at index \(i)", requirement: "must be finite")
            }
            if i > 0, !(v > values[i - 1]) {
                throw .invalidParameter(parameter: name, value: "\(v) at index \(i) after \(values[i - 1])",
                                        requirement: "must be strictly increasing")
            }
        }
    }

    /// The keyed container of a parameter mapping, or nil when the value is absent/null (then
    /// every parameter takes its default).
    public static func container<Key: CodingKey>(_ decoder: any Decoder, keyedBy: Key.Type) throws -> KeyedDecodingContainer<Key>? {
        if let single = try? decoder.singleValueContainer(), single.decodeNil() { return nil }
        return try decoder.container(keyedBy: Key.self)
    }

    // MARK: - Vectors, matrices and dimensions (multivariate transforms)

    /// Spec text for a vector value in an error message (at most eight entries shown).
    static func describe(_ vector: [Double]) -> String {
        let shown = vector.prefix(8).map { formatNumber($0) }
        return "[" + shown.joined(separator: ", ") + (vector.count > 8 ? ", … (\(vector.count) entries)" : "") + "]"
    }

    /// Spec text for a matrix value in an error message.
    static func describe(_ matrix: [[Double]]) -> String {
        if matrix.count <= 3 { return "[" + matrix.map(describe).joined(separator: ", ") + "]" }
        return "a \(matrix.count)-row matrix"
    }

    /// A number as spec text (shortest round-trip form).
    static func formatNumber(_ x: Double) -> String { "\(x)" }

    /// Throws unless every entry of `vector` is finite.
    static func requireFinite(_ vector: [Double], key: String) throws(FlowKitError) {
        if let bad = vector.first(where: { !$0.isFinite }) {
            throw .invalidParameter(parameter: key, value: describe(vector), requirement: "every entry must be finite (found \(bad))")
        }
    }

    /// Throws unless `value` is finite.
    static func requireFinite(_ value: Double, key: String) throws(FlowKitError) {
        if !value.isFinite {
            throw .invalidParameter(parameter: key, value: formatNumber(value), requirement: "must be finite")
        }
    }

    /// The dimension of a vector parameter, checked against the established `dimension` (if
    /// any): a mismatch is a ``FlowKitError/dimensionMismatch(what:expected:found:parameter:)``, an empty
    /// vector an invalid parameter.
    static func dimension(of count: Int, key: String, transform: String, established dimension: Int?) throws(FlowKitError) -> Int {
        if let dimension, count != dimension {
            throw .dimensionMismatch(what: "\(transform) parameter '\(key)'", expected: dimension, found: count, parameter: key)
        }
        guard count > 0 else {
            throw .invalidParameter(parameter: key, value: "[]", requirement: "must have at least one entry")
        }
        return count
    }
}

extension KeyedDecodingContainer {
    /// The number at `key`, or `fallback` when the key is absent.
    func number(_ key: Key, default fallback: Double) throws -> Double {
        try decodeIfPresent(Double.self, forKey: key) ?? fallback
    }
}
