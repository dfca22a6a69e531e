/// Command-line overrides for `flowreport run`; nil fields keep the spec's values.
public struct RunOptions: Sendable {
    /// The folder that receives `<name>/` and `index.html` (default: the folder of each spec,
    /// so `reports/lognormal.yaml` gives `reports/lognormal/`).
    public var outputDirectory: String?
    /// Overrides the spec's `samples`.
    public var samples: Int?
    /// Overrides the spec's `seed`.
    public var seed: UInt64?
    /// Worker threads (default: the machine's cores). Results do not depend on it.
    public var jobs: Int?
    /// Figure formats (`png`, `pdf`, `svg`), overriding the spec's `output.formats`.
    public var formats: [String]?
    /// No progress output.
    public var quiet: Bool
    /// Overrides the iterations of every fit (quick previews, tests).
    public var fitIterations: Int?
    /// Overrides the batch size of every fit.
    public var fitBatch: Int?
    /// Overrides the fresh samples of the final reverse-KL estimates (tests; default 65,536).
    public var fitEstimateSamples: Int?
    /// A folder with `report.html.mustache` and `report.md.mustache` replacing the built-in templates.
    public var templatesDirectory: String?

    public init(outputDirectory: String? = nil, samples: Int? = nil, seed: UInt64? = nil, jobs: Int? = nil,
                formats: [String]? = nil, quiet: Bool = false, templatesDirectory: String? = nil,
                fitIterations: Int? = nil, fitBatch: Int? = nil, fitEstimateSamples: Int? = nil) {
        self.fitEstimateSamples = fitEstimateSamples
        self.fitIterations = fitIterations
        self.fitBatch = fitBatch
        self.outputDirectory = outputDirectory
        self.samples = samples
        self.seed = seed
        self.jobs = jobs
        self.formats = formats
        self.quiet = quiet
        self.templatesDirectory = templatesDirectory
    }
}

/// The result of running one spec.
public struct RunOutcome: Sendable {
    /// The report folder written.
    public var reportDirectory: String
    /// Whether every enabled check passed (the command exits 1 otherwise).
    public var allChecksPassed: Bool

    public init(reportDirectory: String, allChecksPassed: Bool) {
        self.reportDirectory = reportDirectory
        self.allChecksPassed = allChecksPassed
    }
}
