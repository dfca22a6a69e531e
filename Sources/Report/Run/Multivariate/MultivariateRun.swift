import FlowKit
import Foundation

/// Everything measured in a run of a d-dimensional experiment (d ≥ 2): the streamed
/// histograms the figures draw, the density on the check grid, and the checks.
///
/// Checks (``CheckName``): `eq4_vs_eq5` on the check grid (d = 2; at the pilot samples for
/// d > 2); `grid_integral`, the midpoint rule of p_Eq5 over the check box plus the fraction
/// of all samples outside it; `histogram_l1`, the L1 distance between the streamed 2-D
/// histogram and the Eq. 5 bin masses divided by its expected size under sampling noise alone
/// (≈ 1 when the samples follow the density); `logdet_vs_finite_difference` and `round_trip`
/// at sampled points; `numerical_trouble`.
public struct MultivariateRun: Sendable {
    public let experiment: Experiment
    public let samples: Int
    public let seed: UInt64
    public let jobs: Int
    /// The base points of the first chunk (stream 0, the same points flow chunk 0 starts from)
    /// and their images: the bounded subsample for scatters, warped grids and point checks.
    public let pilotBase: PointBatch
    public let pilotOutput: PointBatch
    /// The figure plan, with the automatic ranges of the pilot sample.
    public let plan: MultivariateFigurePlan
    /// The box of the checks and of figures without a `range` (coordinates 0 and 1).
    public let box: [ClosedRange<Double>]
    /// Streamed histograms by request.
    public let planes: [PlaneHistogramRequest: FlowKit.Histogram2D]
    public let marginals: [MarginalRequest: Histogram]
    public let totals: MultivariateSamplePass.Totals?
    /// Eq. 4 and Eq. 5 on the check grid (d = 2).
    public let checkDensity: PlaneDensity?
    /// Z = ∫∫ exp(−U) over the box of the `targets` figures, per energy shown.
    public let normalizers: [Energy: (box: [ClosedRange<Double>], value: Double)]
    public let checks: [CheckResult]
    public let metrics: [ReportMetric]
    public let warnings: [String]
    public let wallTimeSeconds: Double

    /// Cells per axis of the check grid, and bins per axis of the check histogram (a divisor).
    public static let checkGridCells = 400
    public static let checkBins = 40
    /// Pilot points (at most one chunk).
    public static let pilotPoints = 4096

    public init(experiment: Experiment, samples: Int, seed: UInt64, jobs: Int,
                progress: ((Int, Int) -> Void)? = nil) throws(ReportError) {
        let start = Date()
        self.experiment = experiment
        self.samples = samples
        self.seed = seed
        self.jobs = jobs
        let d = experiment.dimension
        let flow = experiment.flow

        // Pilot: the first base points of stream 0 and their images.
        var stream = RandomStream(seed: seed, stream: 0)
        var base = PointBatch(dimension: d, count: min(samples, Self.pilotPoints))
        flow.base.sample(into: &base, using: &stream)
        var output = base
        var scratch = [Double](repeating: 0, count: base.count)
        flow.chain.forward(&output, logAbsDet: &scratch)
        pilotBase = base
        pilotOutput = output
        let automatic: [ClosedRange<Double>] = (0..<d).map { j in
            let values = (0..<output.count).map { output[$0, j] }
            return AutomaticRange.range(of: values, support: flow.support[j]) ?? -4...4
        }
        let plan = MultivariateFigurePlan(experiment: experiment, automaticBox: automatic)
        self.plan = plan
        box = experiment.isTargetOnly ? [-4...4, -4...4] : plan.checkBox

        let checkRequest = PlaneHistogramRequest(source: .flow, x: box[0], y: box[1], bins: Self.checkBins)
        var planeRequests = plan.planeRequests
        if !experiment.isTargetOnly && !planeRequests.contains(checkRequest) { planeRequests.append(checkRequest) }
        let pass = MultivariateSamplePass(flow: experiment.isTargetOnly ? nil : flow, samples: samples, seed: seed,
                                          planes: planeRequests, marginals: plan.marginalRequests)
        let totals: MultivariateSamplePass.Totals
        do {
            totals = try pass.run(jobs: jobs, progress: progress)
        } catch {
            throw .rendering("histogram set-up failed: \(error)")
        }
        self.totals = totals
        planes = Dictionary(uniqueKeysWithValues: zip(planeRequests, totals.planes))
        marginals = Dictionary(uniqueKeysWithValues: zip(plan.marginalRequests, totals.marginals))

        var normalizers: [Energy: (box: [ClosedRange<Double>], value: Double)] = [:]
        for (energy, energyBox) in plan.energies {
            if let z = try? energy.normalizer(x: energyBox[0], y: energyBox[1], gridPoints: 1001, rule: .simpson, jobs: jobs) {
                normalizers[energy] = (energyBox, z)
            }
        }
        self.normalizers = normalizers

        var checks: [CheckResult] = []
        var metrics: [ReportMetric] = []
        var warnings: [String] = []
        func judge(_ name: CheckName, _ value: Double, _ summary: String) {
            if let result = experiment.checkResult(name, value: value, summary: summary) { checks.append(result) }
        }
        for (energy, entry) in normalizers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            metrics.append(ReportMetric(name: "normalizer_\(energy.name)", value: entry.value,
                                        description: "Z = ∫∫ exp(−\(energy.name.uppercased())) over \(Self.boxText(entry.box)) by composite Simpson on 1001 × 1001 points"))
        }

        var checkDensity: PlaneDensity?
        if !experiment.isTargetOnly {
            let boxText = Self.boxText(box)
            if d == 2 {
                let n = Self.checkGridCells
                let grid = PlaneDensity(flow: flow, x: box[0], y: box[1], columns: n, rows: n, eq4: true, jobs: jobs)
                checkDensity = grid
                let gridText = "on the centres of \(n) × \(n) cells of \(boxText)"
                judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(grid.logEq4 ?? [], grid.logEq5),
                      "max |log p_Eq4 − log p_Eq5| \(gridText)")
                let histogram = planes[checkRequest]
                let all = histogram?.totalCount ?? 0
                let outside = all > 0 ? ((histogram?.outOfRange ?? 0) + (histogram?.nanCount ?? 0)) / all : .nan
                let integral = grid.integral
                judge(.gridIntegral, abs(integral + outside - 1),
                      "|Σ p_Eq5 ΔA + mass outside − 1|: midpoint rule \(gridText) gives \(Self.format(integral)); \(Self.format(outside)) of \(samples) samples (standard error \(Self.format((outside * (1 - outside) / max(all, 1)).squareRoot()))) fall outside")
                metrics.append(ReportMetric(name: "grid_integral", value: integral, description: "∫∫ p_Eq5 over \(boxText) by the midpoint rule on \(n) × \(n) cells"))
                metrics.append(ReportMetric(name: "mass_outside_box", value: outside, description: "fraction of all samples outside \(boxText)"))
                if let histogram, let masses = grid.binMasses(bins: Self.checkBins) {
                    let l1 = (try? HistogramDensityDistance.l1(histogram, binMasses: masses)) ?? .nan
                    let noise = MultivariateChecks.expectedNoiseL1(masses: masses, samples: all)
                    judge(.histogramL1, l1 / noise,
                          "L1 = \(Self.format(l1)) between the \(Self.checkBins) × \(Self.checkBins)-bin histogram of \(samples) samples on \(boxText) and the Eq. 5 bin masses, over \(Self.format(noise)), its expected size from sampling noise alone")
                    metrics.append(ReportMetric(name: "histogram_l1", value: l1, description: "L1 distance of the sample histogram to the Eq. 5 bin masses (\(Self.checkBins) × \(Self.checkBins) bins on \(boxText))"))
                }
            } else {
                let n = min(pilotOutput.count, 1000)
                let points = PointBatch(dimension: d, values: Array(pilotOutput.values[0..<(n * d)]))
                judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(flow.logDensityByForward(points), flow.logDensityByInverse(points)),
                      "max |log p_Eq4 − log p_Eq5| at \(n) sampled points (d = \(d): no grid)")
            }
            if experiment.check(.roundTrip).enabled {
                judge(.roundTrip, MultivariateChecks.roundTrip(chain: flow.chain, base: pilotBase),
                      "max ‖T⁻¹(T(x)) − x‖_∞ / max(1, ‖x‖_∞) over \(min(pilotBase.count, MultivariateChecks.roundTripPoints)) sampled x" + (flow.chain.hasClosedFormInverse ? "" : " (numerical inverses included)"))
            }
            if experiment.check(.logDetVsFiniteDifference).enabled {
                let c = MultivariateChecks.logDetAgainstFiniteDifferences(maps: experiment.maps, base: pilotBase)
                var text = "max |log|det J| − log|det J_FD|| over \(c.compared) sampled (map, point) pairs, J_FD by Ridders' extrapolation"
                if c.unresolved > 0 { text += "; \(c.unresolved) pairs skipped where the finite difference is not finite" }
                judge(.logDetVsFiniteDifference, c.compared > 0 ? c.worst : .nan, text)
            }
            let trouble = totals.nonFinite + totals.badLogDensity
            judge(.numericalTrouble, Double(trouble),
                  "samples with a non-finite coordinate (\(totals.nonFinite)) or a NaN/+∞ log density (\(totals.badLogDensity))")
            if totals.nonFinite > 0 {
                warnings.append("\(totals.nonFinite) of \(samples) samples have a non-finite coordinate; they are left out of every histogram and moment.")
            }
            // Eq. 7 (forward pass) against Eq. 5 at the pilot samples.
            if let chunk = pass.flowChunk(0) {
                let n = min(chunk.points.count, 1000)
                let points = PointBatch(dimension: d, values: Array(chunk.points.values[0..<(n * d)]))
                metrics.append(ReportMetric(name: "sample_logp_vs_eq5",
                                            value: DensityGrid.maxAbsoluteDifference(Array(chunk.logDensity[0..<n]), flow.logDensityByInverse(points)),
                                            description: "max |log p from the forward pass at the samples (Rezende & Mohamed eq. 7) − log p_Eq5| over \(n) samples"))
            }
            for (j, moments) in totals.moments.enumerated() {
                metrics.append(ReportMetric(name: "output_mean_\(j)", value: moments.mean, description: "sample mean of output coordinate \(j)"))
                if let sd = moments.standardDeviation {
                    metrics.append(ReportMetric(name: "output_std_\(j)", value: sd, description: "sample standard deviation of output coordinate \(j)"))
                }
            }
        }
        self.checkDensity = checkDensity
        let seconds = Date().timeIntervalSince(start)
        metrics.append(ReportMetric(name: "samples_per_second", value: Double(samples) / max(seconds, 1e-9), unit: "1/s",
                                    description: "throughput of the whole run (sampling, histograms, grids, checks)"))
        self.checks = checks
        self.metrics = metrics
        self.warnings = warnings
        self.wallTimeSeconds = seconds
    }

    static func format(_ x: Double) -> String { UnivariateRun.format(x) }

    /// `[x0, x1] × [y0, y1]`.
    static func boxText(_ box: [ClosedRange<Double>]) -> String {
        box.map { "[\(format($0.lowerBound)), \(format($0.upperBound))]" }.joined(separator: " × ")
    }
}
