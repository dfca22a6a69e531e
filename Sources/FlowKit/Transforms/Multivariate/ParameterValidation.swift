import Foundation

/// Checks shared by the multivariate parameter structs: finiteness, and agreement of vector
/// lengths with the dimension the spec has established. Errors name the spec key.
enum ParameterValidation {
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
    /// any): a mismatch is a ``FlowKitError/dimensionMismatch(what:expected:found:)``, an empty
    /// vector an invalid parameter.
    static func dimension(of count: Int, key: String, transform: String, established dimension: Int?) throws(FlowKitError) -> Int {
        if let dimension, count != dimension {
            throw .dimensionMismatch(what: "\(transform) parameter '\(key)'", expected: dimension, found: count)
        }
        guard count > 0 else {
            throw .invalidParameter(parameter: key, value: "[]", requirement: "must have at least one entry")
        }
        return count
    }
}
