/// One named scalar result shown in the metrics table and written to `metrics.json`.
public struct ReportMetric: Sendable, Equatable {
    /// Stable identifier, e.g. `sample_mean`.
    public var name: String
    /// The value; non-finite values are allowed and written as `"NaN"`, `"Infinity"` or
    /// `"-Infinity"` in `metrics.json` (see docs/metrics-schema.md).
    public var value: Double
    /// Unit, if the value has one (e.g. `s`, `nats`).
    public var unit: String?
    /// One line saying what the value is.
    public var description: String

    public init(name: String, value: Double, unit: String? = nil, description: String) {
        self.name = name
        self.value = value
        self.unit = unit
        self.description = description
    }
}
