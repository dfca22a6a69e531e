import FlowKit
import Foundation

/// Everything measured in a run of a one-dimensional experiment: what the figures draw and
/// what the checks judge.
public struct UnivariateRun: Sendable {
    public let experiment: Experiment
    public let samples: Int
    public let seed: UInt64
    public let jobs: Int
    /// The support of each stage (0 = base, K = output), propagated through the chain.
    public let stageSupports: [Interval]
    /// The automatic plotting range of each stage, from the pilot sample.
    public let stageRanges: [ClosedRange<Double>]
    /// The first chunk of samples (at most ``SamplePass/chunkSize``), every stage: the bounded
    /// subsample that figures needing points (Q–Q, map) and the point checks use.
    public let pilotStages: [[Double]]
    public let totals: SamplePass.Totals
    /// Eq. 4, Eq. 5 and the reference on the output's automatic range (the checks' grid).
    public let checkGrid: DensityGrid
    public let checks: [CheckResult]
    public let metrics: [ReportMetric]
    /// Numerical trouble in words (non-finite values, points outside a support), for the report.
    public let warnings: [String]
    public let wallTimeSeconds: Double

    /// Points of the check grid.
    public static let checkGridPoints = 2001

    /// Runs `experiment` with `samples` draws from `seed` on `jobs` threads; `figures`
    /// decides which histograms the streaming pass fills.
    public init(experiment: Experiment, samples: Int, seed: UInt64, jobs: Int,
                progress: ((Int, Int) -> Void)? = nil) throws(ReportError) {
        let start = Date()
        self.experiment = experiment
        self.samples = samples
        self.seed = seed
        self.jobs = jobs
        let maps = experiment.maps
        var supports = [experiment.base.support.first ?? .real]
        for map in maps { supports.append(map.image(of: [supports[supports.count - 1]])[0]) }
        stageSupports = supports

        let planner = SamplePass(flow: experiment.flow, maps: maps, samples: samples, seed: seed,
                                 stageSupports: supports, requests: [], reference: experiment.reference)
        let pilot = planner.chunk(0)
        pilotStages = pilot.stages
        stageRanges = zip(pilot.stages, supports).map { values, support in
            AutomaticRange.range(of: values, support: support) ?? -1...1
        }
        let plan = UnivariateFigurePlan(experiment: experiment, stageRanges: stageRanges)
        let pass = SamplePass(flow: experiment.flow, maps: maps, samples: samples, seed: seed,
                              stageSupports: supports, requests: plan.histogramRequests,
                              reference: experiment.reference)
        do {
            totals = try pass.run(jobs: jobs, progress: progress)
        } catch {
            throw .rendering("histogram set-up failed: \(error)")
        }
        let outputRange = stageRanges[stageRanges.count - 1]
        checkGrid = DensityGrid(flow: experiment.flow, reference: experiment.reference, range: outputRange,
                                count: Self.checkGridPoints)

        var checks: [CheckResult] = []
        var metrics: [ReportMetric] = []
        var warnings: [String] = []
        func judge(_ name: CheckName, _ value: Double, _ summary: String) {
            if let result = experiment.checkResult(name, value: value, summary: summary) { checks.append(result) }
        }
        let gridText = "on \(Self.checkGridPoints) points of [\(Self.format(outputRange.lowerBound)), \(Self.format(outputRange.upperBound))]"
        judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(checkGrid.logEq4, checkGrid.logEq5),
              "max |log p_Eq4 − log p_Eq5| \(gridText)")
        if let logReference = checkGrid.logReference {
            judge(.eq4VsReference, DensityGrid.maxAbsoluteDifference(checkGrid.logEq4, logReference),
                  "max |log p_Eq4 − log p_ref| \(gridText)")
            judge(.eq5VsReference, DensityGrid.maxAbsoluteDifference(checkGrid.logEq5, logReference),
                  "max |log p_Eq5 − log p_ref| \(gridText)")
        }
        if let ks = totals.ks {
            let how = ks.statisticErrorBound > 0
                ? "streaming, from \(SamplePass.streamingKSBins) bins of u = F_ref(y); D within ±\(Self.format(ks.statisticErrorBound))"
                : "exact, from the sorted sample"
            judge(.ksStatistic, ks.statistic, "Kolmogorov–Smirnov D of \(ks.sampleCount) samples against F_ref (\(how))")
            judge(.ksPValue, ks.pValue, "Kolmogorov–Smirnov p-value, \(ks.method.summary); passes when ≥ the limit")
            metrics.append(ReportMetric(name: "ks_statistic", value: ks.statistic, description: "KS statistic D against the reference CDF"))
            metrics.append(ReportMetric(name: "ks_pvalue", value: ks.pValue, description: "KS p-value, \(ks.method.summary)"))
        }
        if experiment.check(.integral).enabled {
            let outputSupport = supports[supports.count - 1]
            let integral = UnivariateChecks.integral(flow: experiment.flow, support: outputSupport)
            judge(.integral, abs(integral.value - 1),
                  "|∫ p_Eq5 dy − 1| over \(outputSupport) by adaptive Gauss–Kronrod (\(integral.evaluations) evaluations, error estimate \(Self.format(integral.errorEstimate)))")
            metrics.append(ReportMetric(name: "integral", value: integral.value, description: "∫ p_Eq5 dy over the output support"))
        }
        if experiment.check(.roundTrip).enabled {
            judge(.roundTrip, UnivariateChecks.roundTrip(flow: experiment.flow, pilot: pilot.stages[0]),
                  "max |T⁻¹(T(x)) − x| / max(1, |x|) over \(min(UnivariateChecks.roundTripPoints, pilot.stages[0].count)) sampled x")
        }
        if experiment.check(.logDetVsFiniteDifference).enabled {
            let comparison = UnivariateChecks.logDetAgainstFiniteDifferences(maps: maps, stages: pilot.stages)
            var text = "max |log|T′(x)| − log|Ridders finite difference|| over \(comparison.compared) sampled (map, x) pairs"
            if comparison.unresolved > 0 { text += "; \(comparison.unresolved) points skipped where the finite difference cannot resolve T′" }
            judge(.logDetVsFiniteDifference, comparison.compared > 0 ? comparison.worst : .nan, text)
        }
        let output = supports.count - 1
        let trouble = totals.nonFinite[output] + totals.outsideSupport[output] + totals.badLogDensity
        for (s, count) in totals.nonFinite.enumerated() where count > 0 {
            warnings.append("\(count) of \(samples) samples are not finite after stage \(s) (overflow or NaN); they are left out of every moment and every histogram bin.")
        }
        for (s, count) in totals.outsideSupport.enumerated() where count > 0 {
            warnings.append("\(count) of \(samples) samples fall outside the support \(supports[s]) after stage \(s).")
        }
        if totals.badLogDensity > 0 {
            warnings.append("\(totals.badLogDensity) samples have a NaN or +∞ log density.")
        }
        // The warnings reach the report through this check's summary (shown in every page).
        judge(.numericalTrouble, Double(trouble),
              (["samples with a non-finite value (\(totals.nonFinite[output])) or log density (\(totals.badLogDensity)), or outside the support \(supports[output]) (\(totals.outsideSupport[output]))"] + warnings).joined(separator: ". "))

        // Eq. 7 (forward pass at the samples) against Eq. 5 at the same points.
        let pilotOutput = PointBatch(scalars: pilot.stages[pilot.stages.count - 1])
        let eq5AtSamples = experiment.flow.logDensityByInverse(pilotOutput)
        metrics.append(ReportMetric(name: "sample_logp_vs_eq5",
                                    value: DensityGrid.maxAbsoluteDifference(pilot.logDensity, eq5AtSamples),
                                    description: "max |log p from the forward pass at the samples (Rezende & Mohamed eq. 7) − log p_Eq5| over \(pilotOutput.count) samples"))
        let moments = totals.moments[output]
        metrics.append(ReportMetric(name: "output_mean", value: moments.mean, description: "sample mean of the output"))
        if let sd = moments.standardDeviation {
            metrics.append(ReportMetric(name: "output_std", value: sd, description: "sample standard deviation of the output"))
        }
        if let reference = experiment.reference {
            if let mean = reference.mean {
                metrics.append(ReportMetric(name: "reference_mean", value: mean, description: "mean of the reference distribution"))
            }
            if let variance = reference.variance {
                metrics.append(ReportMetric(name: "reference_std", value: variance.squareRoot(), description: "standard deviation of the reference distribution"))
            }
        }
        let seconds = Date().timeIntervalSince(start)
        metrics.append(ReportMetric(name: "samples_per_second", value: Double(samples) / max(seconds, 1e-9), unit: "1/s",
                                    description: "throughput of the whole run (sampling, histograms, checks)"))
        self.checks = checks
        self.metrics = metrics
        self.warnings = warnings
        self.wallTimeSeconds = seconds
    }

    /// A number in short scientific or plain form for summaries.
    static func format(_ x: Double) -> String {
        if x == 0 || (abs(x) >= 1e-3 && abs(x) < 1e6) {
            return String(format: "%g", x)
        }
        return String(format: "%.3g", x)
    }
}
