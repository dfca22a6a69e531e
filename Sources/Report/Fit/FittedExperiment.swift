import FlowKit
import Foundation

/// A spec's fit carried through to the run: the ``FitRun``, the text of `fitted.yaml`, the
/// experiment read back from that text (so the report draws exactly what `flowreport run
/// fitted.yaml` would), the fit's metrics and checks, and its figures.
struct FittedExperiment {
    static let fileName = "fitted.yaml"

    let fit: FitRun
    let text: String
    let experiment: Experiment
    let report: FitReport
    let figures: [BuiltFigure]

    init(spec: Experiment, plan: FitPlan, seed: UInt64, jobs: Int, quiet: Bool) throws(ReportError) {
        let bar = ProgressBar(label: "\(spec.name) fit", enabled: !quiet, unit: "it")
        fit = try FitRun(plan: plan, seed: seed, jobs: jobs) { done, total, loss in
            bar.update(done, of: total, detail: "loss \(Run.format(loss))")
        }
        bar.finish()
        text = try FittedSpec.text(source: spec.source, fit: fit)
        var loaded: Experiment
        do {
            loaded = try SpecLoader.load(text: text, path: spec.path)
        } catch {
            throw .rendering("the fitted flow's spec does not load: \(error)")
        }
        loaded.source = spec.source
        experiment = loaded
        report = FitReport(fit: fit, jobs: jobs)
        figures = FitFigures.figures(fit: fit, experiment: loaded)
    }
}
