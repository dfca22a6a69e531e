import FlowKit
import Foundation

/// One run of an experiment in any dimension: everything the figures draw and the checks
/// judge.
///
/// The steps are the same for every dimension: the pilot chunk (chunk 0 with its stages), the
/// figure plan built once from it (``UnivariateFigurePlan`` for d = 1,
/// ``MultivariateFigurePlan`` for d ≥ 2), one streaming pass over all samples that fills the
/// plan's histograms (``SamplePass``), then the checks that apply to the dimension
/// (``CheckName/applies(toDimension:)``, measured by ``RunChecks``) and the metrics.
/// Numerical trouble found on the way is collected in ``warnings`` for the report.
public struct Run: Sendable {
    public let experiment: Experiment
    public let samples: Int
    public let seed: UInt64
    public let jobs: Int
    /// Chunk 0 with every stage: the bounded subsample for figures that need points and for
    /// the point checks.
    public let pilot: SamplePass.Pilot
    /// The figure plan, with the automatic ranges of the pilot.
    public let plan: any FigurePlanner
    /// What the streaming pass measured.
    public let totals: SamplePass.Totals
    /// Eq. 4, Eq. 5 and the reference on the check grid (d = 1).
    public let checkGrid: DensityGrid?
    /// Eq. 4 and Eq. 5 on the check grid (d = 2).
    public let checkDensity: PlaneDensity?
    /// Z = ∫∫ exp(−U) over the box of the `targets` figures, per energy shown.
    public let normalizers: [Energy: (box: [ClosedRange<Double>], value: Double)]
    public let checks: [CheckResult]
    public let metrics: [ReportMetric]
    /// Numerical trouble in words (non-finite values, points outside a support), for the report.
    public let warnings: [String]
    public let wallTimeSeconds: Double

    /// Runs `experiment` with `samples` draws from `seed` on `jobs` threads.
    public init(experiment: Experiment, samples: Int, seed: UInt64, jobs: Int,
                progress: ((Int, Int) -> Void)? = nil) throws(ReportError) {
        let start = Date()
        self.experiment = experiment
        self.samples = samples
        self.seed = seed
        self.jobs = jobs
        let setup = RunPlan(experiment: experiment, samples: samples, seed: seed)
        let pilot = setup.pilot
        let plan = setup.figures
        self.pilot = pilot
        self.plan = plan
        do {
            totals = try setup.stream(jobs: jobs, progress: progress)
        } catch {
            throw .rendering("histogram set-up failed: \(error)")
        }
        var measured = RunChecks(experiment: experiment, samples: samples, jobs: jobs, pilot: pilot,
                                 checkBox: plan.checkBox, totals: totals)
        normalizers = measured.normalizers(plan.energies)
        if !experiment.isTargetOnly { measured.measureFlow() }
        checkGrid = measured.checkGrid
        checkDensity = measured.checkDensity
        let seconds = Date().timeIntervalSince(start)
        measured.metrics.append(ReportMetric(name: "samples_per_second", value: Double(samples) / max(seconds, 1e-9), unit: "1/s",
                                             description: "throughput of the whole run (sampling, histograms, checks)"))
        checks = measured.checks
        metrics = measured.metrics
        warnings = measured.warnings
        wallTimeSeconds = seconds
    }

    /// The streamed 1-D histograms by request.
    public var histograms: [HistogramRequest: Histogram] { totals.histograms }
    /// The streamed 2-D histograms by request.
    public var planes: [PlaneHistogramRequest: FlowKit.Histogram2D] { totals.planes }
    /// The output x_K of the pilot chunk.
    public var pilotOutput: PointBatch { pilot.output }
    /// The base draws x_0 of the pilot chunk.
    public var pilotBase: PointBatch { pilot.base }
    /// The box of the checks and of figures without a `range`.
    public var checkBox: [ClosedRange<Double>] { plan.checkBox }

    /// A number in short scientific or plain form for summaries.
    static func format(_ x: Double) -> String {
        if x == 0 || (abs(x) >= 1e-3 && abs(x) < 1e6) {
            return String(format: "%g", x)
        }
        return String(format: "%.3g", x)
    }

    /// `[x0, x1] × [y0, y1]`.
    static func boxText(_ box: [ClosedRange<Double>]) -> String {
        box.map { "[\(format($0.lowerBound)), \(format($0.upperBound))]" }.joined(separator: " × ")
    }
}

/// The set-up of a run before its streaming pass: the pass, its pilot chunk, the figure plan
/// built once from the pilot, and the histograms the pass fills (the plan's, plus the one
/// `histogram_l1` compares with the Eq. 5 bin masses in 2-D). ``Run`` and the benchmarks
/// share it.
public struct RunPlan: Sendable {
    public let pass: SamplePass
    public let pilot: SamplePass.Pilot
    public let figures: any FigurePlanner
    public let histogramRequests: [HistogramRequest]
    public let planeRequests: [PlaneHistogramRequest]

    public init(experiment: Experiment, samples: Int, seed: UInt64) {
        pass = SamplePass(experiment: experiment, samples: samples, seed: seed)
        let pilot = pass.pilot()
        self.pilot = pilot
        let figures: any FigurePlanner = experiment.dimension == 1
            ? UnivariateFigurePlan(experiment: experiment, pilot: pilot)
            : MultivariateFigurePlan(experiment: experiment, pilot: pilot)
        self.figures = figures
        histogramRequests = figures.histogramRequests
        var planes = figures.planeRequests
        if let check = RunChecks.checkHistogram(experiment: experiment, checkBox: figures.checkBox), !planes.contains(check) {
            planes.append(check)
        }
        planeRequests = planes
    }

    /// The streaming pass over all samples on `jobs` threads.
    public func stream(jobs: Int, progress: ((Int, Int) -> Void)? = nil) throws -> SamplePass.Totals {
        try pass.run(histograms: histogramRequests, planes: planeRequests, jobs: jobs, progress: progress)
    }
}
