/// Everything a finished run knows that the report pages show: the spec, the checks, the
/// figures already rendered into `figures/`, scalar metrics and provenance.
///
/// The value is pure data; `ReportPages`, `ReportPDF` and `ReportIndex` turn it into files.
/// Every string that comes from the spec (`title`, `description`, `specSource`, figure
/// titles and captions, metric names) is escaped by the writers, never by the caller.
public struct ReportDocument: Sendable, Equatable {
    /// The report's folder name: the spec file's stem (`lognormal` for `lognormal.yaml`).
    public var name: String
    /// The spec's `title`.
    public var title: String
    /// The spec's optional `description`.
    public var description: String?
    /// The spec file's text, copied verbatim into the report folder and shown in the pages.
    public var specSource: String
    /// The spec's file name (`lognormal.yaml`); only its last path component is used.
    public var specFileName: String
    /// The checks in the order the spec lists them.
    public var checks: [CheckResult]
    /// Numerical trouble found during the run (non-finite values, points outside a support),
    /// in words; shown above the checks.
    public var warnings: [String]
    /// The figures in display order.
    public var figures: [ReportFigure]
    /// Scalar results in display order (e.g. sample mean, KS statistic).
    public var metrics: [ReportMetric]
    /// How and with what the report was produced.
    public var provenance: ReportProvenance

    public init(
        name: String,
        title: String,
        description: String? = nil,
        specSource: String,
        specFileName: String,
        checks: [CheckResult] = [],
        warnings: [String] = [],
        figures: [ReportFigure] = [],
        metrics: [ReportMetric] = [],
        provenance: ReportProvenance
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.specSource = specSource
        self.specFileName = specFileName
        self.checks = checks
        self.warnings = warnings
        self.figures = figures
        self.metrics = metrics
        self.provenance = provenance
    }

    /// True when every check passed (vacuously true with no checks).
    public var allChecksPassed: Bool { checks.allSatisfy(\.passed) }

    /// Number of checks that passed.
    public var passedCheckCount: Int { checks.count(where: \.passed) }
}
