/// The one error type of FlowKit.
///
/// Every case carries enough text for a user-facing message; the report layer adds the
/// file, line and column of the spec entry that caused it.
public enum FlowKitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is out of its allowed range (`std ≤ 0`, `scale = 0`, NaN, ±inf, …).
    /// `parameter` is the spec key (e.g. `"std"`), `requirement` says what is allowed.
    case invalidParameter(parameter: String, value: String, requirement: String)
    /// A point is outside the domain of a transform (e.g. `log` of a negative number),
    /// like nflows' `InputOutsideDomain`.
    case outsideDomain(transform: String, value: String, domain: String)
    /// Two pieces that must agree on the number of dimensions do not. `parameter` is the spec
    /// key of the parameter whose length is wrong (the top-level key of the entry's parameter
    /// mapping, e.g. `"u"` or `"conditioner"`), nil when no parameter is to blame; the report
    /// layer points its diagnostic at that key's value.
    case dimensionMismatch(what: String, expected: Int, found: Int, parameter: String? = nil)
    /// A name that is not in a catalog.
    case unknownName(kind: String, name: String, known: [String])
    /// An iterative method did not reach its tolerance.
    case noConvergence(method: String, detail: String)

    public var description: String {
        switch self {
        case let .invalidParameter(parameter, value, requirement):
            return "parameter '\(parameter)' = \(value) is invalid: \(requirement)"
        case let .outsideDomain(transform, value, domain):
            return "\(transform): input \(value) is outside its domain \(domain)"
        case let .dimensionMismatch(what, expected, found, _):
            return "\(what): expected dimension \(expected), found \(found)"
        case let .unknownName(kind, name, _):
            return "unknown \(kind) '\(name)'"
        case let .noConvergence(method, detail):
            return "\(method) did not converge: \(detail)"
        }
    }
}
