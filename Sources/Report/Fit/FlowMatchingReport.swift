import FlowKit
import Foundation

/// What a report says about flow-matching fits (names fixed by the issue):
///
/// - `fit_iterations`, `fit_seconds`, `iterations_per_second`, `final_loss`, `skipped_steps`
///   as for every fit (of the spec's own flow, or its first fit);
/// - `wasserstein2`: W₂ between ``wassersteinPoints`` (at most the run's `samples`) samples of the fitted flow (base draws
///   carried t: 0 → 1 by the spec's solver) and as many data points never trained on, by exact
///   assignment (``Wasserstein2``);
/// - `wasserstein2_floor`: W₂ between two independent data samples of the same size (a data
///   set), or between as many training and held-out points (a file): what a perfect model would
///   score at that size;
/// - `function_evaluations`: field evaluations per point of that sampling solve (mean over the
///   points; with dopri5 each point takes its own steps);
/// - `heldout_nll`: −(1/n) Σ log q(x) by Eq. 5 over ``densityPoints`` held-out data points;
/// - `heldout_eq4_vs_eq5` (max |log q_Eq4 − log q_Eq5|) and `heldout_round_trip` (max ‖x̂₁ − x₁‖,
///   x̂₁ the forward solve of the recovered x₀) at those points, and
///   `density_function_evaluations` (per point, of the backward solve), reported with the
///   solver's tolerances: the solver's own check at the data.
///
/// Variants' metrics carry a `_<variant>` suffix.
struct FlowMatchingReport: Sendable {
    var metrics: [ReportMetric] = []
    /// Per chain: the W₂ samples (for the figures) and the sampling work.
    var samples: [PointBatch] = []

    static let wassersteinPoints = 2000
    static let densityPoints = 500
    static let sampleStream: UInt64 = FitRun.estimateStream
    static let floorStream: UInt64 = FitRun.estimateStream + 2

    struct Measured: Sendable {
        var samples = PointBatch(dimension: 2, count: 0)
        var sampling = ContinuousFlowWork()
        var density = ContinuousFlowWork()
        var w2 = Double.nan, floor = Double.nan, count = 0
        var nll = MonteCarloEstimate(values: [])
        var routes = Double.nan, roundTrip = Double.nan, densityCount = 0
    }

    /// `samples` (the run's) caps the points of W₂ and of the held-out densities.
    init(chains: [FlowMatchingExperiment.Chain], flows: [Flow], samples: Int, jobs: Int) throws(ReportError) {
        let pairs = Array(zip(chains, flows))
        // Chains in parallel (each measurement deterministic, merged in chain order).
        let measured = ChunkedReduction(jobs: jobs).run(chunkCount: pairs.count, into: [Measured](), work: { k in
            Self.measure(chain: pairs[k].0, flow: pairs[k].1, cap: max(2, samples))
        }, merge: { $0.append($1) })
        for (k, chain) in chains.enumerated() {
            let m = measured[k]
            let suffix = chain.variant.map { "_" + $0 } ?? ""
            let place = chain.variant.map { " (variant \($0))" } ?? ""
            if k == 0 { addFitMetrics(chain.fit) }
            let ode = chain.fit.plan.ode.summary
            metrics.append(ReportMetric(name: "wasserstein2" + suffix, value: m.w2,
                                        description: "W₂ between \(m.count) samples of the fitted flow and \(m.count) data points never trained on (exact assignment)\(place)"))
            metrics.append(ReportMetric(name: "wasserstein2_floor" + suffix, value: m.floor,
                                        description: "W₂ between two independent data samples of \(m.count) points: the sampling floor\(place)"))
            metrics.append(ReportMetric(name: "function_evaluations" + suffix, value: m.sampling.meanEvaluations,
                                        description: "field evaluations per sample, t: 0 → 1 (\(ode); at most \(m.sampling.maximumEvaluations))\(place)"))
            metrics.append(ReportMetric(name: "heldout_nll" + suffix, value: m.nll.value, unit: "nats",
                                        description: "−(1/n) Σ log q(x) by Eq. 5 over \(m.densityCount) held-out points (± \(Run.format(m.nll.standardError)))\(place)"))
            metrics.append(ReportMetric(name: "density_function_evaluations" + suffix, value: m.density.meanEvaluations,
                                        description: "field evaluations per point of the density solve t: 1 → 0 with the exact divergence (\(ode); at most \(m.density.maximumEvaluations))\(place)"))
            metrics.append(ReportMetric(name: "heldout_eq4_vs_eq5" + suffix, value: m.routes,
                                        description: "max |log q_Eq4 − log q_Eq5| at the \(m.densityCount) held-out points (\(ode))\(place)"))
            metrics.append(ReportMetric(name: "heldout_round_trip" + suffix, value: m.roundTrip,
                                        description: "max ‖x̂₁ − x₁‖ at the held-out points, x̂₁ the forward solve from the recovered x₀ (\(ode))\(place)"))
            self.samples.append(m.samples)
        }
    }

    private mutating func addFitMetrics(_ fit: FlowMatchingRun) {
        let iterations = fit.losses.count
        metrics.append(ReportMetric(name: "fit_iterations", value: Double(iterations), description: "iterations of the fit"))
        metrics.append(ReportMetric(name: "fit_seconds", value: fit.seconds, unit: "s", description: "wall time of the fit"))
        metrics.append(ReportMetric(name: "iterations_per_second", value: Double(iterations) / max(fit.seconds, 1e-9), unit: "1/s",
                                    description: "fit speed (batch \(fit.plan.settings.batch), pairing \(fit.plan.entry.pairing.rawValue))"))
        let tail = fit.losses.suffix(max(1, iterations / 100)).filter(\.isFinite)
        metrics.append(ReportMetric(name: "final_loss", value: tail.isEmpty ? .nan : tail.reduce(0, +) / Double(tail.count),
                                    description: "mean mini-batch flow-matching loss over the last 1 % of iterations"))
        metrics.append(ReportMetric(name: "skipped_steps", value: Double(fit.skippedSteps), description: "steps skipped for a non-finite loss or gradient"))
    }

    static func measure(chain: FlowMatchingExperiment.Chain, flow: Flow, cap: Int) -> Measured {
        var m = Measured()
        let fit = chain.fit
        guard let map = flow.chain.maps.first as? ContinuousFlowMap else { return m }
        let heldOut = fit.heldOut
        // W₂ of samples against held-out data, and its floor.
        let n: Int
        var second: PointBatch
        switch fit.plan.settings.data {
        case let .dataset(dataset):
            n = min(wassersteinPoints, heldOut.count, cap)
            var stream = RandomStream(seed: fit.seed, stream: floorStream)
            second = dataset.sample(count: n, using: &stream)
        case .points:
            n = min(wassersteinPoints, heldOut.count, fit.training?.count ?? 0, cap)
            second = fit.training?.prefix(n) ?? PointBatch(dimension: heldOut.dimension, count: 0)
        }
        let data = heldOut.prefix(n)
        var stream = RandomStream(seed: fit.seed, stream: sampleStream)
        var drawn = PointBatch(dimension: flow.dimension, count: n)
        flow.base.sample(into: &drawn, using: &stream)
        var logDet = [Double](repeating: 0, count: n)
        m.sampling = map.solve(&drawn, from: 0, to: 1, logAbsDet: &logDet)
        m.samples = drawn
        m.count = n
        if drawn.values.allSatisfy(\.isFinite) {
            m.w2 = (try? Wasserstein2.distance(drawn, data)) ?? .nan
        }
        m.floor = (try? Wasserstein2.distance(second, data)) ?? .nan
        // Held-out densities by both routes.
        let points = heldOut.prefix(min(densityPoints, heldOut.count, cap))
        var base = points
        var eq5Det = [Double](repeating: 0, count: points.count)
        m.density = map.solve(&base, from: 1, to: 0, logAbsDet: &eq5Det)
        let logBase = flow.base.logDensity(base)
        let eq5 = (0..<points.count).map { logBase[$0] + eq5Det[$0] }
        var back = base
        var eq4Det = [Double](repeating: 0, count: points.count)
        map.solve(&back, from: 0, to: 1, logAbsDet: &eq4Det)
        let eq4 = (0..<points.count).map { logBase[$0] - eq4Det[$0] }
        m.nll = MonteCarloEstimate.negativeLogLikelihood(logDensities: eq5)
        m.routes = zip(eq4, eq5).map { abs($0 - $1) }.max() ?? .nan
        m.roundTrip = (0..<points.count).map { p in
            (0..<points.dimension).reduce(0.0) { s, j in let e = back[p, j] - points[p, j]; return s + e * e }.squareRoot()
        }.max() ?? .nan
        m.densityCount = points.count
        return m
    }
}
