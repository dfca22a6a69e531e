import FlowKit
import Foundation

/// Measures the checks and metrics of a run after its streaming pass, in ``CheckName`` order,
/// each where it applies (``CheckName/applies(toDimension:)``):
///
/// - the density checks on a grid: `eq4_vs_eq5` and the reference checks on 2001 points of
///   the output's range (d = 1); `eq4_vs_eq5`, `grid_integral` and `histogram_l1` on the
///   check box (d = 2); `eq4_vs_eq5` at sampled points (d > 2, no grid);
/// - `ks_statistic` and `ks_pvalue` (d = 1 with a reference), `integral` (d = 1);
/// - `round_trip` and `logdet_vs_finite_difference` at sampled points (``PointChecks``) and
///   `numerical_trouble` (which also counts metrics that are not finite), for every dimension.
///
/// A check with nothing to compare (no grid point with a finite density, no sample inside the
/// box, no resolved finite difference) is NaN and fails as "not measured": never a pass.
struct RunChecks {
    let experiment: Experiment
    let samples: Int
    let jobs: Int
    let pilot: SamplePass.Pilot
    let checkBox: [ClosedRange<Double>]
    let totals: SamplePass.Totals

    var checks: [CheckResult] = []
    var metrics: [ReportMetric] = []
    var warnings: [String] = []
    var checkGrid: DensityGrid?
    var checkDensity: PlaneDensity?

    /// Points of the 1-D check grid.
    static let checkGridPoints = 2001
    /// Cells per axis of the 2-D check grid, and bins per axis of the check histogram (a divisor).
    static let checkGridCells = 400
    static let checkBins = 40
    /// Pilot samples at which densities are compared point by point (`sample_logp_vs_eq5`;
    /// `eq4_vs_eq5` for d > 2).
    static let densityPoints = 4096

    init(experiment: Experiment, samples: Int, jobs: Int, pilot: SamplePass.Pilot,
         checkBox: [ClosedRange<Double>], totals: SamplePass.Totals) {
        self.experiment = experiment
        self.samples = samples
        self.jobs = jobs
        self.pilot = pilot
        self.checkBox = checkBox
        self.totals = totals
    }

    /// The streamed histogram `histogram_l1` compares with the Eq. 5 bin masses (d = 2 flows).
    static func checkHistogram(experiment: Experiment, checkBox: [ClosedRange<Double>]) -> PlaneHistogramRequest? {
        guard experiment.dimension == 2, !experiment.isTargetOnly else { return nil }
        return PlaneHistogramRequest(source: .flow, x: checkBox[0], y: checkBox[1], bins: checkBins)
    }

    mutating func judge(_ name: CheckName, _ value: Double, _ summary: String) {
        if let result = experiment.checkResult(name, value: value, summary: summary) { checks.append(result) }
    }

    /// Judges a check that compared `measured` things; with nothing to compare the value is
    /// NaN and the check fails as not measured (it never passes on nothing).
    mutating func judge(_ name: CheckName, _ value: Double, measured: Int, nothing reason: String, _ summary: String) {
        if measured > 0 {
            judge(name, value, summary)
        } else {
            judge(name, .nan, "not measured: \(reason). " + summary)
        }
    }

    /// The number of points where both `a` and `b` are finite.
    static func finitePairs(_ a: [Double], _ b: [Double]) -> Int {
        zip(a, b).count { $0.isFinite && $1.isFinite }
    }

    /// Z = ∫∫ exp(−U) of each energy on its box (composite Simpson, 1001² points), as metrics.
    mutating func normalizers(_ energies: [(Energy, [ClosedRange<Double>])]) -> [Energy: (box: [ClosedRange<Double>], value: Double)] {
        var found: [Energy: (box: [ClosedRange<Double>], value: Double)] = [:]
        for (energy, box) in energies {
            if let z = try? energy.normalizer(x: box[0], y: box[1], gridPoints: 1001, rule: .simpson, jobs: jobs) {
                found[energy] = (box, z)
            }
        }
        for (energy, entry) in found.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            metrics.append(ReportMetric(name: "normalizer_\(energy.name)", value: entry.value,
                                        description: "Z = ∫∫ exp(−\(energy.name.uppercased())) over \(Run.boxText(entry.box)) by composite Simpson on 1001 × 1001 points"))
        }
        return found
    }

    /// Every check and metric of the flow.
    mutating func measureFlow() {
        switch experiment.dimension {
        case 1: lineChecks()
        case 2: planeChecks()
        default: pointDensityChecks()
        }
        if let ks = totals.ks { kolmogorovSmirnov(ks) }
        if experiment.dimension == 1, experiment.check(.integral).enabled { integral() }
        pointChecks()
        sampleMetrics()
        numericalTrouble()
    }

    // MARK: - Density checks

    /// d = 1: Eq. 4, Eq. 5 and the reference on ``checkGridPoints`` points of the output's range.
    mutating func lineChecks() {
        let range = checkBox[0]
        let grid = DensityGrid(flow: experiment.flow, reference: experiment.reference, range: range, count: Self.checkGridPoints)
        checkGrid = grid
        let gridText = "on \(Self.checkGridPoints) points of [\(Run.format(range.lowerBound)), \(Run.format(range.upperBound))]"
        let nowhere = "no grid point has a finite density"
        judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(grid.logEq4, grid.logEq5), measured: Self.finitePairs(grid.logEq4, grid.logEq5),
              nothing: nowhere, "max |log p_Eq4 − log p_Eq5| \(gridText)")
        if let logReference = grid.logReference {
            judge(.eq4VsReference, DensityGrid.maxAbsoluteDifference(grid.logEq4, logReference), measured: Self.finitePairs(grid.logEq4, logReference),
                  nothing: nowhere, "max |log p_Eq4 − log p_ref| \(gridText)")
            judge(.eq5VsReference, DensityGrid.maxAbsoluteDifference(grid.logEq5, logReference), measured: Self.finitePairs(grid.logEq5, logReference),
                  nothing: nowhere, "max |log p_Eq5 − log p_ref| \(gridText)")
        }
    }

    /// d = 2: Eq. 4 and Eq. 5 on the centres of ``checkGridCells``² cells of the check box, their
    /// integral with the mass outside, and the streamed histogram against the Eq. 5 bin masses.
    mutating func planeChecks() {
        let flow = experiment.flow
        let box = checkBox
        let boxText = Run.boxText(box)
        let n = experiment.ode == nil ? Self.checkGridCells : ODESettings.checkGridCells
        let grid = PlaneDensity(flow: flow, x: box[0], y: box[1], columns: n, rows: n, eq4: true, jobs: jobs)
        checkDensity = grid
        let gridText = "on the centres of \(n) × \(n) cells of \(boxText)"
        judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(grid.logEq4 ?? [], grid.logEq5),
              measured: Self.finitePairs(grid.logEq4 ?? [], grid.logEq5), nothing: "no cell centre has a finite density",
              "max |log p_Eq4 − log p_Eq5| \(gridText)")
        let histogram = Self.checkHistogram(experiment: experiment, checkBox: box).flatMap { totals.planes[$0] }
        let all = histogram?.totalCount ?? 0
        let inside = histogram?.inRangeCount ?? 0
        let outside = all > 0 ? ((histogram?.outOfRange ?? 0) + (histogram?.nanCount ?? 0)) / all : .nan
        let integral = grid.integral
        let emptyBox = "no sample falls inside the box and no density mass lies on it, so there is nothing to compare; choose a range that holds the samples"
        judge(.gridIntegral, abs(integral + outside - 1), measured: inside > 0 && integral > 0 ? 1 : 0, nothing: emptyBox,
              "|Σ p_Eq5 ΔA + mass outside − 1|: midpoint rule \(gridText) gives \(Run.format(integral)); \(Run.format(outside)) of \(samples) samples (standard error \(Run.format((outside * (1 - outside) / max(all, 1)).squareRoot()))) fall outside")
        metrics.append(ReportMetric(name: "grid_integral", value: integral, description: "∫∫ p_Eq5 over \(boxText) by the midpoint rule on \(n) × \(n) cells"))
        metrics.append(ReportMetric(name: "mass_outside_box", value: outside, description: "fraction of all samples outside \(boxText)"))
        if let histogram, let masses = grid.binMasses(bins: Self.checkBins) {
            let bins = Self.checkBins
            let l1 = (try? HistogramDensityDistance.l1(histogram, binMasses: masses)) ?? .nan
            let noise = Self.expectedNoiseL1(masses: masses, samples: all)
            judge(.histogramL1, l1 / noise, measured: inside > 0 && masses.contains { $0 > 0 } ? 1 : 0, nothing: emptyBox,
                  "L1 = \(Run.format(l1)) between the \(bins) × \(bins)-bin histogram of \(samples) samples on \(boxText) and the Eq. 5 bin masses, over \(Run.format(noise)), its expected size from sampling noise alone")
            metrics.append(ReportMetric(name: "histogram_l1", value: l1, description: "L1 distance of the sample histogram to the Eq. 5 bin masses (\(bins) × \(bins) bins on \(boxText))"))
        }
    }

    /// d > 2: Eq. 4 against Eq. 5 at the first ``densityPoints`` pilot samples.
    mutating func pointDensityChecks() {
        let points = pilot.output.prefix(Self.densityPoints)
        let eq4 = experiment.flow.logDensityByForward(points), eq5 = experiment.flow.logDensityByInverse(points)
        judge(.eq4VsEq5, DensityGrid.maxAbsoluteDifference(eq4, eq5), measured: Self.finitePairs(eq4, eq5),
              nothing: "no sampled point has a finite density",
              "max |log p_Eq4 − log p_Eq5| at \(points.count) sampled points (d = \(experiment.dimension): no grid)")
    }

    // MARK: - One-dimensional checks

    mutating func kolmogorovSmirnov(_ ks: KSResult) {
        let how = ks.statisticErrorBound > 0
            ? "streaming, from bins of y holding at most 1/\(SamplePass.streamingKSBins) of F_ref each; the exact D is at most \(Run.format(ks.statisticErrorBound)) above"
            : "exact, from the sorted sample"
        let noSamples = "no finite sample to compare with F_ref"
        judge(.ksStatistic, ks.statistic, measured: ks.sampleCount, nothing: noSamples, "Kolmogorov–Smirnov D of \(ks.sampleCount) samples against F_ref (\(how))")
        judge(.ksPValue, ks.pValue, measured: ks.sampleCount, nothing: noSamples, "Kolmogorov–Smirnov p-value, \(ks.method.summary); passes when ≥ the limit")
        metrics.append(ReportMetric(name: "ks_statistic", value: ks.statistic, description: "KS statistic D against the reference CDF"))
        metrics.append(ReportMetric(name: "ks_pvalue", value: ks.pValue, description: "KS p-value, \(ks.method.summary)"))
    }

    /// |∫ p_Eq5(y) dy − 1| over the propagated output support by adaptive Gauss–Kronrod
    /// quadrature (``AdaptiveIntegrator``).
    mutating func integral() {
        let support = experiment.flow.support[0]
        let flow = experiment.flow
        let integral = AdaptiveIntegrator.integrate({ y in
            let logP = flow.logDensityByInverse(PointBatch(scalars: [y]))[0]
            return logP.isFinite ? exp(logP) : 0
        }, from: support.lower, to: support.upper, relativeTolerance: 1e-10, absoluteTolerance: 1e-13)
        judge(.integral, abs(integral.value - 1),
              "|∫ p_Eq5 dy − 1| over \(support) by adaptive Gauss–Kronrod (\(integral.evaluations) evaluations, error estimate \(Run.format(integral.errorEstimate)))")
        metrics.append(ReportMetric(name: "integral", value: integral.value, description: "∫ p_Eq5 dy over the output support"))
    }

    // MARK: - Checks of every dimension

    mutating func pointChecks() {
        let chain = experiment.flow.chain
        if experiment.check(.roundTrip).enabled {
            let roundTrip = PointChecks.roundTrip(chain: chain, base: pilot.base)
            judge(.roundTrip, roundTrip.value, measured: roundTrip.points, nothing: "no base sample is finite",
                  "max ‖T⁻¹(T(x)) − x‖_∞ / max(1, ‖x‖_∞) over \(roundTrip.points) sampled x" + (chain.hasClosedFormInverse ? "" : " (numerical inverses included)"))
        }
        if experiment.check(.logDetVsFiniteDifference).enabled {
            let c = PointChecks.logDetAgainstFiniteDifferences(maps: chain.maps, stages: pilot.stages)
            var text = "max |log|det J| − log|det J_FD|| over \(c.compared) sampled (map, point) pairs, J_FD by Ridders' extrapolation"
            if c.unresolved > 0 { text += "; \(c.unresolved) pairs skipped where the finite difference cannot resolve the Jacobian" }
            judge(.logDetVsFiniteDifference, c.worst, measured: c.compared,
                  nothing: "no sampled point lets the finite difference resolve a Jacobian", text)
        }
    }

    /// Samples with a non-finite coordinate or log density, or outside the output's support;
    /// every stage's trouble is described in ``warnings``.
    mutating func numericalTrouble() {
        let supports = experiment.flow.stageSupports
        let output = supports.count - 1
        for (s, count) in totals.nonFinite.enumerated() where count > 0 {
            warnings.append("\(count) of \(samples) samples are not finite after stage \(s) (overflow or NaN); they are left out of every moment and every histogram bin.")
        }
        for (s, count) in totals.outsideSupport.enumerated() where count > 0 {
            warnings.append("\(count) of \(samples) samples fall outside the support \(Self.boxText(supports[s])) after stage \(s).")
        }
        if totals.badLogDensity > 0 {
            warnings.append("\(totals.badLogDensity) samples inside the support have a log density that is not finite (NaN, +∞, or −∞ where a map saturated).")
        }
        let nonFiniteMetrics = metrics.filter { !$0.value.isFinite }.map(\.name)
        if !nonFiniteMetrics.isEmpty {
            warnings.append("Metrics that are not finite (overflow or nothing to average): \(nonFiniteMetrics.joined(separator: ", ")).")
        }
        let trouble = totals.nonFinite[output] + totals.outsideSupport[output] + totals.badLogDensity + nonFiniteMetrics.count
        judge(.numericalTrouble, Double(trouble),
              "samples with a non-finite value (\(totals.nonFinite[output])) or log density (\(totals.badLogDensity)), or outside the support \(Self.boxText(supports[output])) (\(totals.outsideSupport[output])), and metrics that are not finite (\(nonFiniteMetrics.count))")
    }

    /// Eq. 7 against Eq. 5 at the finite pilot samples (those that are not finite are
    /// numerical trouble, counted there), and the moments of the output.
    mutating func sampleMetrics() {
        let output = pilot.output
        let d = output.dimension
        var values: [Double] = [], forward: [Double] = []
        for i in 0..<output.count where forward.count < Self.densityPoints {
            let point = output.point(i)
            guard point.allSatisfy(\.isFinite) else { continue }
            values += point
            forward.append(pilot.logDensity[i])
        }
        let points = PointBatch(dimension: d, values: values)
        metrics.append(ReportMetric(name: "sample_logp_vs_eq5",
                                    value: DensityGrid.maxAbsoluteDifference(forward, experiment.flow.logDensityByInverse(points)),
                                    description: "max |log p from the forward pass at the samples (Rezende & Mohamed eq. 7) − log p_Eq5| over \(points.count) finite samples"))
        let oneDimensional = experiment.dimension == 1
        for (j, moments) in totals.moments.enumerated() {
            let suffix = oneDimensional ? "" : "_\(j)"
            let what = oneDimensional ? "the output" : "output coordinate \(j)"
            metrics.append(ReportMetric(name: "output_mean" + suffix, value: moments.mean, description: "sample mean of \(what)"))
            if let sd = moments.standardDeviation {
                metrics.append(ReportMetric(name: "output_std" + suffix, value: sd, description: "sample standard deviation of \(what)"))
            }
        }
        if let reference = experiment.reference {
            if let mean = reference.mean {
                metrics.append(ReportMetric(name: "reference_mean", value: mean, description: "mean of the reference distribution"))
            }
            if let variance = reference.variance {
                metrics.append(ReportMetric(name: "reference_std", value: variance.squareRoot(), description: "standard deviation of the reference distribution"))
            }
        }
    }

    // MARK: - Helpers

    /// A support box as text: `(0, ∞)` in one dimension, `ℝ × (0, 1)` in several.
    static func boxText(_ box: [Interval]) -> String {
        box.count == 1 ? box[0].description : box.map(\.description).joined(separator: " × ")
    }

    /// E|X − λ| for X ~ Poisson(λ): 2·e^{−λ}·λ^{⌊λ⌋+1}/⌊λ⌋! (the mean absolute deviation of the
    /// Poisson distribution; Ramasubban 1958).
    static func poissonMeanAbsoluteDeviation(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 0 }
        let k = Foundation.floor(lambda)
        return Foundation.exp(Foundation.log(2) - lambda + (k + 1) * Foundation.log(lambda) - Special.logGamma(k + 1))
    }

    /// The L1 distance ``HistogramDensityDistance/l1(_:binMasses:)`` expected from sampling
    /// noise alone when `n` samples follow bin masses `masses` exactly (the rest, 1 − Σ m,
    /// outside): (1/n)·Σ_b E|C_b − n·m_b| with C_b ≈ Poisson(n·m_b), which slightly
    /// overestimates the binomial noise of large bins (so the ratio errs towards passing
    /// there, by at most a factor √(1 − m_b)).
    static func expectedNoiseL1(masses: [Double], samples n: Double) -> Double {
        guard n > 0 else { return .nan }
        let outside = max(0, 1 - masses.reduce(0, +))
        return (masses + [outside]).reduce(0) { $0 + poissonMeanAbsoluteDeviation(n * $1) } / n
    }
}
