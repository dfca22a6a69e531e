import FlowKit
import Foundation

/// A spec's fits carried through to the run: the ``FitRun`` of the spec's own flow and of every
/// variant with a fit (run in parallel, each deterministic, so the results do not depend on the
/// number of threads), the text of `fitted.yaml`, the experiment read back from that text (so
/// the report draws exactly what `flowreport run fitted.yaml` would), the fits' metrics and
/// checks, and their figures.
struct FittedExperiment {
    static let fileName = Experiment.fittedSpecFileName

    /// One fit: `variant` nil for the spec's own flow.
    struct Chain: Sendable {
        var variant: String?
        var label: String
        var fit: FitRun
    }

    let chains: [Chain]
    let text: String
    let experiment: Experiment
    let report: FitReport
    let figures: [BuiltFigure]

    var fit: FitRun { chains[0].fit }

    /// How `jobs` threads are shared by `fits` fits: `workers` fits run at a time, each with
    /// `perFit` threads for its batches, so that workers · perFit ≤ jobs (results depend on
    /// neither number).
    static func threads(jobs: Int, fits: Int) -> (workers: Int, perFit: Int) {
        let workers = max(1, min(jobs, fits))
        return (workers, max(1, jobs / workers))
    }

    /// The experiment of `fitted.yaml`'s `text`, read back as `flowreport run fitted.yaml` reads
    /// it (so the report draws exactly that flow), keeping `spec`'s source for the report page.
    static func loadFitted(_ text: String, of spec: Experiment) throws(ReportError) -> Experiment {
        var loaded: Experiment
        do {
            loaded = try SpecLoader.load(text: text, path: spec.path)
        } catch {
            throw .rendering("the fitted flow's spec does not load: \(error)")
        }
        loaded.source = spec.source
        return loaded
    }

    /// Runs `count` fits with at most `jobs` threads in all (``threads(jobs:fits:)``), each
    /// given its index and its threads; the results in index order (independent of `jobs`), or
    /// the first fit's error in that order.
    static func runFits<Run: Sendable>(count: Int, jobs: Int,
                                       _ fit: @escaping @Sendable (_ index: Int, _ threads: Int) throws(ReportError) -> Run) throws(ReportError) -> [Run] {
        let (workers, perFit) = threads(jobs: jobs, fits: count)
        let results = ChunkedReduction(jobs: workers, wave: count).run(
            chunkCount: count, into: [Result<Run, ReportError>](),
            work: { k -> Result<Run, ReportError> in
                do throws(ReportError) {
                    return .success(try fit(k, perFit))
                } catch {
                    return .failure(error)
                }
            },
            merge: { $0.append($1) })
        var runs: [Run] = []
        for result in results {
            switch result {
            case let .success(run): runs.append(run)
            case let .failure(error): throw error
            }
        }
        return runs
    }

    init(spec: Experiment, plan: FitPlan, seed: UInt64, jobs: Int, quiet: Bool,
         adjust: (FitPlan) -> FitPlan = { $0 }) throws(ReportError) {
        // The spec's own flow is labelled by its layer family and length (`planar K = 2`).
        let mainLabel = "\(ExperimentVariant.defaultLabel(spec.steps)) K = \(plan.layers.count)"
        var plans: [(variant: String?, label: String, plan: FitPlan)] = [(nil, mainLabel, adjust(plan))]
        for variant in spec.variants {
            if let own = variant.fit { plans.append((variant.name, variant.label, adjust(own))) }
        }
        let total = plans.reduce(0) { $0 + $1.plan.settings.iterations }
        let bar = ProgressBar(label: "\(spec.name) fit\(plans.count > 1 ? "s (\(plans.count))" : "")", enabled: !quiet, unit: "it")
        let progress = FitProgress(total: total, bar: bar)
        let work = plans
        let runs = try Self.runFits(count: plans.count, jobs: jobs) { k, threads throws(ReportError) in
            try FitRun(plan: work[k].plan, seed: seed, jobs: threads) { _, _, loss in progress.step(loss: loss) }
        }
        bar.finish()
        self.chains = zip(plans, runs).map { entry, run in Chain(variant: entry.variant, label: entry.label, fit: run) }
        text = try FittedSpec.text(source: spec.source, chains: chains)
        let loaded = try Self.loadFitted(text, of: spec)
        experiment = loaded
        report = FitReport(chains: chains, jobs: jobs)
        figures = FitFigures.figures(chains: chains, experiment: loaded, report: report)
    }
}
