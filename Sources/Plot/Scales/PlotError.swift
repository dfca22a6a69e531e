/// The one error type of the Plot module.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An axis range that cannot be drawn (see ``AxisRange/check(lower:upper:kind:)``):
    /// `reason` says why, in words for a user.
    case undrawableRange(lower: Double, upper: Double, reason: String)

    public var description: String {
        switch self {
        case let .undrawableRange(lower, upper, reason):
            return "the range [\(lower), \(upper)] cannot be drawn: \(reason)"
        }
    }
}
