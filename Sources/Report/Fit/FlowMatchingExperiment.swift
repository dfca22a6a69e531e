import FlowKit
import Foundation

/// A flow-matching spec's fits carried through to the run (the sibling of
/// ``FittedExperiment``): the ``FlowMatchingRun`` of the spec's own flow and of every variant
/// with a `flow_matching` flow (run in parallel, each deterministic), the text of
/// `fitted.yaml`, the experiment read back from that text (so the report draws exactly what
/// `flowreport run fitted.yaml` would, through the same run core as every flow), the metrics
/// and the figures of the fits.
struct FlowMatchingExperiment {
    /// One fit: `variant` nil for the spec's own flow.
    struct Chain: Sendable {
        var variant: String?
        var label: String
        var fit: FlowMatchingRun
    }

    let chains: [Chain]
    let text: String
    let experiment: Experiment
    let report: FlowMatchingReport
    let figures: [BuiltFigure]

    /// Whether `spec` has a flow-matching fit (its own flow or a variant's).
    static func applies(to spec: Experiment) -> Bool {
        spec.flowMatching != nil || spec.variants.contains { $0.flowMatching != nil }
    }

    init(spec: Experiment, seed: UInt64, samples: Int, jobs: Int, quiet: Bool,
         adjust: (FlowMatchingPlan) -> FlowMatchingPlan = { $0 }) throws(ReportError) {
        var plans: [(variant: String?, label: String, plan: FlowMatchingPlan)] = []
        if let own = spec.flowMatching { plans.append((nil, Self.label(own, base: spec.baseDescription), adjust(own))) }
        for variant in spec.variants {
            if let own = variant.flowMatching { plans.append((variant.name, variant.label == FlowMatchingEntry.name ? Self.label(own, base: variant.baseDescription) : variant.label, adjust(own))) }
        }
        let total = plans.reduce(0) { $0 + $1.plan.settings.iterations }
        let bar = ProgressBar(label: "\(spec.name) flow matching\(plans.count > 1 ? " (\(plans.count) fits)" : "")", enabled: !quiet, unit: "it")
        let progress = FitProgress(total: total, bar: bar)
        // At most `jobs` threads in all, as for gradient fits.
        let work = plans
        let runs = try FittedExperiment.runFits(count: plans.count, jobs: jobs) { k, threads throws(ReportError) in
            try FlowMatchingRun(plan: work[k].plan, seed: seed, jobs: threads) { _, _, loss in progress.step(loss: loss) }
        }
        bar.finish()
        let chains = zip(plans, runs).map { entry, run in Chain(variant: entry.variant, label: entry.label, fit: run) }
        self.chains = chains
        text = try FlowMatchingSpec.text(source: spec.source, chains: chains)
        // The solves honour the run's jobs (nested inside the chains' parallel loops below,
        // they run on their worker's thread).
        let loaded = try FittedExperiment.loadFitted(text, of: spec).solving(jobs: jobs)
        experiment = loaded
        let flows = chains.map { chain in chain.variant.flatMap { name in loaded.variants.first { $0.name == name }?.flow } ?? loaded.flow }
        report = try FlowMatchingReport(chains: chains, flows: flows, samples: samples, jobs: jobs)
        figures = FlowMatchingFigures.figures(chains: chains, flows: flows, report: report, samples: samples, jobs: jobs)
    }

    /// `N(0, I) → moons, independent`, `8gaussians → moons, OT`.
    static func label(_ plan: FlowMatchingPlan, base: FlowStepDescription) -> String {
        var source = (plan.base as? ToyDatasetDensity)?.rawValue ?? base.name
        if let normal = plan.base as? MultivariateNormalDistribution, normal.mean.allSatisfy({ $0 == 0 }) {
            let d = normal.dimension
            let identity = (0..<(d * d)).allSatisfy { normal.choleskyFactor[$0] == ($0 % (d + 1) == 0 ? 1 : 0) }
            if identity { source = "N(0, I)" }
        }
        return "\(source) → \(plan.settings.dataName), \(plan.entry.pairing == .optimalTransport ? "OT" : "independent")"
    }
}
