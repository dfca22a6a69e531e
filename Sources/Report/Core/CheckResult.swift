/// The outcome of one numerical check of an experiment, as written to `metrics.json`
/// (`{name, value, limit, passed}`) and shown in the report's checks table.
public struct CheckResult: Sendable, Codable, Equatable {
    /// Stable identifier, e.g. `"eq4_vs_eq5"`.
    public var name: String
    /// The measured value (NaN is never passed; it fails the check).
    public var value: Double
    /// The tolerance the value is compared against.
    public var limit: Double
    /// Whether the check passed.
    public var passed: Bool
    /// One line saying what was measured and how it is compared (e.g. "max |Δ log p| on a
    /// 2001-point grid ≤ limit").
    public var summary: String

    public init(name: String, value: Double, limit: Double, passed: Bool, summary: String) {
        self.name = name
        self.value = value
        self.limit = limit
        self.passed = passed
        self.summary = summary
    }
}
