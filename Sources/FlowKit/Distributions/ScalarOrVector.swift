/// A spec value that is either one number (broadcast to every coordinate) or a vector.
public enum ScalarOrVector: Codable, Sendable, Equatable {
    case scalar(Double)
    case vector([Double])

    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let value = try? single.decode(Double.self) {
            self = .scalar(value)
        } else {
            self = .vector(try single.decode([Double].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .scalar(let value): try single.encode(value)
        case .vector(let values): try single.encode(values)
        }
    }

    /// The vector's length, or nil for a scalar.
    public var count: Int? {
        if case .vector(let values) = self { return values.count }
        return nil
    }

    /// The values in `dimension` coordinates; throws when a vector has another length.
    public func values(dimension: Int, key: String) throws -> [Double] {
        switch self {
        case .scalar(let value): return [Double](repeating: value, count: dimension)
        case .vector(let values):
            guard values.count == dimension else {
                throw FlowKitError.dimensionMismatch(what: "parameter '\(key)'", expected: dimension, found: values.count, parameter: key)
            }
            return values
        }
    }

    /// The common dimension of several optional values and the `dimension` the spec gives:
    /// vector lengths must agree with each other and with `given`; all scalars use `given` or 1.
    public static func dimension(of values: [(String, ScalarOrVector?)], given: Int?) throws -> Int {
        var found = given
        for (key, value) in values {
            guard let n = value?.count else { continue }
            if let d = found, d != n {
                throw FlowKitError.dimensionMismatch(what: "parameter '\(key)'", expected: d, found: n, parameter: key)
            }
            found = n
        }
        return found ?? 1
    }
}
