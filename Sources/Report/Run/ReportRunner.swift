import FlowKit
import Foundation
import Plot
import PlotCairo

/// Runs specs and writes their report folders.
///
/// For each spec: load and validate (every spec is validated before any runs, so a typo in
/// the third spec costs no time), run the experiment (``Run``, the same core for every
/// dimension), build the figures of its plan, and write the report into a staging folder that
/// replaces the old report only when everything succeeded (``ReportStaging``). Finally
/// `index.html` of every report root lists all reports with their pass/fail state.
public enum ReportRunner {
    /// The tool's name and version as written into provenance.
    public static let toolVersion = "flowreport 0.1.0"

    /// Runs every spec of `specPaths`; throws on the first invalid spec (with the diagnostics of
    /// every spec) or failed run, and returns one outcome per spec otherwise.
    public static func run(specPaths: [String], options: RunOptions) throws(ReportError) -> [RunOutcome] {
        var experiments: [Experiment] = []
        var diagnostics: [SpecDiagnostic] = []
        for path in specPaths {
            do {
                experiments.append(try SpecLoader.load(path: path))
            } catch {
                guard case let .invalidSpec(found) = error else { throw error }
                diagnostics += found
            }
        }
        if !diagnostics.isEmpty { throw .invalidSpec(diagnostics) }
        var outcomes: [RunOutcome] = []
        var roots: [String] = []
        let templates = LoadedTemplates(directory: options.templatesDirectory)
        for experiment in experiments {
            let root = reportsRoot(for: experiment, options: options)
            outcomes.append(try runOne(experiment, root: root, options: options, templates: templates))
            if !roots.contains(root) { roots.append(root) }
        }
        for root in roots { try ReportIndex.write(reportsRoot: root, templates: try templates.get()) }
        return outcomes
    }

    /// The folder that receives `<name>/`: `--out DIR`, or the spec's own folder.
    static func reportsRoot(for experiment: Experiment, options: RunOptions) -> String {
        if let out = options.outputDirectory { return out }
        let folder = (experiment.path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    static func runOne(_ spec: Experiment, root: String, options: RunOptions,
                       templates: LoadedTemplates) throws(ReportError) -> RunOutcome {
        let seed = options.seed ?? spec.seed
        let jobs = options.jobs ?? ChunkedReduction.availableCores
        // A spec with a fit: fit first, then run the fitted flow (its fitted.yaml) like any spec.
        let fitted = try spec.fit.map { (plan: FitPlan) throws(ReportError) in
            try FittedExperiment(spec: spec, plan: plan, seed: seed, jobs: jobs, quiet: options.quiet) { plan in
                var plan = plan
                if let iterations = options.fitIterations {
                    plan.settings.iterations = iterations
                    plan.settings.validationEvery = min(plan.settings.validationEvery, max(1, iterations / 5))
                    plan.settings.anneal = min(plan.settings.anneal, iterations)
                }
                if let batch = options.fitBatch { plan.settings.batch = batch }
                if let samples = options.fitEstimateSamples { plan.settings.estimateSamples = samples }
                return plan
            }
        }
        // A flow-matching spec: fit its fields, then run the fitted continuous flow (its fitted.yaml).
        let matched = FlowMatchingExperiment.applies(to: spec)
            ? try FlowMatchingExperiment(spec: spec, seed: seed, samples: options.samples ?? spec.samples, jobs: jobs,
                                         quiet: options.quiet) { plan in
                var plan = plan
                if let iterations = options.fitIterations {
                    plan.settings.iterations = iterations
                    plan.settings.validationEvery = min(plan.settings.validationEvery, max(1, iterations / 5))
                }
                if let batch = options.fitBatch { plan.settings.batch = batch }
                return plan
            }
            : nil
        // The run's --jobs caps the ODE solves of continuous flows too.
        let experiment = (fitted?.experiment ?? matched?.experiment ?? spec).solving(jobs: jobs)
        let samples = options.samples ?? experiment.samples
        let formats = (options.formats ?? experiment.output.formats.map(\.rawValue))
            .compactMap { ImageFormat(rawValue: $0) }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw .io(path: root, message: "cannot create the reports folder: \(ReportStaging.reason(error))")
        }
        let progress = ProgressBar(label: experiment.name, enabled: !options.quiet)
        let run = try Run(experiment: experiment, samples: samples, seed: seed, jobs: jobs,
                          progress: { done, total in progress.update(done, of: total) })
        progress.finish()
        let figures = run.plan.figures(run: run) + (fitted?.figures ?? []) + (matched?.figures ?? [])
        let finalDirectory = (root as NSString).appendingPathComponent(experiment.name)
        let document = ReportDocument(
            name: experiment.name, title: experiment.title, description: experiment.description,
            specSource: experiment.source, specFileName: (experiment.path as NSString).lastPathComponent,
            checks: run.checks + (fitted?.report.checks ?? []),
            warnings: run.warnings,
            figures: figures.map { ReportFigure(id: $0.id, title: $0.title, caption: $0.caption,
                                                formats: formats.map(\.rawValue)) },
            metrics: run.metrics + (fitted?.report.metrics ?? []) + (matched?.report.metrics ?? []),
            provenance: ReportProvenance(tool: toolVersion, seed: seed, samples: samples, threads: jobs,
                                         wallTimeSeconds: run.wallTimeSeconds,
                                         matrixProducts: fitted == nil && matched == nil ? nil : MatrixProducts.preferred.name))
        try ReportStaging.build(finalDirectory: finalDirectory) { (staging: ReportStaging) throws(ReportError) in
            let figuresFolder = (staging.directory as NSString).appendingPathComponent("figures")
            // Every figure file, the text pages of report.pdf and the pages are independent (each
            // renders its own Cairo surface): run them on `jobs` threads. Every figure's PDF is
            // made once, written as figures/<id>.pdf when asked for, and becomes its page of
            // report.pdf (`PDFMerge`), so no figure is laid out or drawn twice for the same
            // format. The bytes do not depend on the order; the first failure in task order is
            // reported.
            let tasks = ReportTask.list(figureCount: figures.count, formats: formats)
            let dpi = Double(experiment.output.dpi)
            let figureTitles = figures.map { $0.figure.title ?? "" }
            let done = ChunkedReduction(jobs: jobs, wave: tasks.count).run(
                chunkCount: tasks.count, into: ReportTask.Results(figureCount: figures.count),
                work: { index -> ReportTask.Outcome in
                    let task = tasks[index]
                    do {
                        switch task {
                        case .textPages:
                            let bytes = try ReportPDF.textPages(document: document, figureTitles: figureTitles)
                            return ReportTask.Outcome(task: task, result: .success(bytes))
                        case .pages:
                            try ReportPages.write(document, into: staging.directory, templates: try templates.get(),
                                                  hasPDF: true)
                            return ReportTask.Outcome(task: task, result: .success([]))
                        case let .figure(index, format):
                            let built = figures[index]
                            let bytes: [UInt8]
                            do {
                                bytes = try built.figure.data(format: format, dpi: dpi)
                            } catch {
                                let message = "figure '\(built.id)' as \(format.rawValue): \(error)"
                                return ReportTask.Outcome(task: task, result: .failure(.rendering(message)))
                            }
                            if formats.contains(format) {
                                let path = (figuresFolder as NSString).appendingPathComponent("\(built.id).\(format.rawValue)")
                                try StagedFile.write(bytes, to: path)
                            }
                            return ReportTask.Outcome(task: task, result: .success(format == .pdf ? bytes : []))
                        }
                    } catch let error as ReportError {
                        return ReportTask.Outcome(task: task, result: .failure(error))
                    } catch {
                        return ReportTask.Outcome(task: task, result: .failure(.rendering("report.pdf: \(error)")))
                    }
                },
                merge: { results, outcome in results.record(outcome) })
            if let failure = done.failures.first { throw failure }
            let pdfPath = (staging.directory as NSString).appendingPathComponent("report.pdf")
            do {
                let merged = try PDFMerge.merge([done.textPages] + done.figurePDFs)
                try StagedFile.write(merged, to: pdfPath)
            } catch let error as ReportError {
                throw error
            } catch {
                throw .rendering("report.pdf: \(error)")
            }
            if let text = fitted?.text ?? matched?.text {
                let path = (staging.directory as NSString).appendingPathComponent(FittedExperiment.fileName)
                try StagedFile.write(text, to: path)
            }
        }
        return RunOutcome(reportDirectory: finalDirectory, allChecksPassed: document.allChecksPassed)
    }
}
