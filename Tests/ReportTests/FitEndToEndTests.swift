import XCTest
import Foundation
import TestSupport
@testable import Report
import FlowKit

/// Small fits end to end: every output present with the issue's metric names, `fitted.yaml`
/// reproducing the fitted report to the last bit, identical results for --jobs 1 and 2, a fit
/// from a user's file, and an interrupted fit leaving the old report untouched.
final class FitEndToEndTests: XCTestCase {
    static let reverseKL = """
    title: tiny planar fit
    seed: 3
    samples: 2000
    base: {normal: {mean: [0, 0], std: [1, 1]}}
    flow:
      - {planar: {repeat: 2}}
    fit:
      objective: reverse_kl
      target: u1
      iterations: 20
      batch: 32
      optimizer: {adam: {learning_rate: 1e-2}}
      anneal: 10
      validation: {every: 5}
    checks: {kl_model_to_target: 5}
    figures: [density, samples]
    output: {formats: [png]}
    """

    static let maximumLikelihood = """
    seed: 5
    samples: 2000
    base: {normal: {mean: [0, 0], std: [1, 1]}}
    flow:
      - {spline_coupling: {repeat: 2, hidden: [4], bins: 4}}
    fit:
      objective: maximum_likelihood
      data: 8gaussians
      iterations: 12
      batch: 64
      validation: {every: 4}
    checks: {heldout_nll: {limit: 10}}
    figures: [density, samples]
    output: {formats: [png]}
    """

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func metricNames(_ report: String) throws -> [String: Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: report + "/metrics.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let metrics = (json["metrics"] as? [[String: Any]]) ?? []
        let checks = (json["checks"] as? [[String: Any]]) ?? []
        var out: [String: Double] = [:]
        for m in metrics + checks.map({ ["name": "check:" + ($0["name"] as? String ?? ""), "value": $0["value"] ?? 0] }) {
            if let name = m["name"] as? String { out[name] = (m["value"] as? Double) ?? .nan }
        }
        return out
    }

    func testSmallFitsWriteEveryOutputWithTheIssuesMetricNames() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let specs = [try write(Self.reverseKL, "rkl.yaml", in: directory), try write(Self.maximumLikelihood, "ml.yaml", in: directory)]
        let outcomes = try ReportRunner.run(specPaths: specs, options: RunOptions(jobs: 2, quiet: true))
        XCTAssertEqual(outcomes.count, 2)
        for outcome in outcomes {
            XCTAssertTrue(outcome.allChecksPassed, outcome.reportDirectory)
            let files = Set(try FileManager.default.contentsOfDirectory(atPath: outcome.reportDirectory))
            XCTAssertTrue(files.isSuperset(of: ["fitted.yaml", "metrics.json", "report.pdf", "report.md", "index.html", "figures"]), "\(files)")
            let figures = Set(try FileManager.default.contentsOfDirectory(atPath: outcome.reportDirectory + "/figures"))
            XCTAssertEqual(figures, ["density.png", "samples.png", "loss.png", "fit.png"])
            let fitted = try String(contentsOfFile: outcome.reportDirectory + "/fitted.yaml", encoding: .utf8)
            XCTAssertFalse(fitted.contains("fit:"), "no fit section")
            // The provenance names who computed the networks' products (the last bits of fitted values depend on it).
            let metrics = try ReportMetricsFile.decode(try Data(contentsOf: URL(fileURLWithPath: outcome.reportDirectory + "/metrics.json")))
            XCTAssertEqual(metrics.provenance.matrixProducts, MatrixProducts.preferred.name)
        }
        let common = ["fit_iterations", "fit_seconds", "iterations_per_second", "final_loss", "skipped_steps", "check:gradient_check"]
        let rkl = try metricNames(outcomes[0].reportDirectory)
        for name in common + ["elbo", "elbo_standard_error", "log_z_estimate", "effective_sample_size", "log_z_reference",
                              "kl_model_to_target", "check:kl_model_to_target", "check:elbo_below_log_z"] {
            XCTAssertNotNil(rkl[name], name)
        }
        XCTAssertEqual(rkl["fit_iterations"], 20)
        XCTAssertEqual(rkl["skipped_steps"], 0)
        // KL(q ‖ p) = log Z − ELBO ≥ 0, and the IS estimate of log Z is near the quadrature value.
        let klValue = try XCTUnwrap(rkl["kl_model_to_target"])
        XCTAssertGreaterThan(klValue, 0)
        XCTAssertEqual(klValue, (rkl["log_z_reference"] ?? .nan) - (rkl["elbo"] ?? .nan), accuracy: 1e-12)
        XCTAssertEqual(rkl["log_z_reference"] ?? .nan, log(6.53715), accuracy: 1e-4)
        XCTAssertLessThan(rkl["check:gradient_check"] ?? .nan, 1e-5)

        let ml = try metricNames(outcomes[1].reportDirectory)
        for name in common + ["heldout_nll", "data_entropy", "kl_data_to_model", "check:heldout_nll"] { XCTAssertNotNil(ml[name], name) }
        XCTAssertEqual(ml["kl_data_to_model"] ?? .nan, (ml["heldout_nll"] ?? .nan) - (ml["data_entropy"] ?? .nan), accuracy: 1e-12)
        XCTAssertNil(ml["elbo"])
    }

    func testFittedYAMLReproducesTheFittedReportToTheLastBit() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try write(Self.maximumLikelihood, "ml.yaml", in: directory)
        let first = try ReportRunner.run(specPaths: [spec], options: RunOptions(jobs: 2, quiet: true))[0]
        // The fitted flow as a spec of the same name in another folder.
        let again = directory.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let copy = again.appendingPathComponent("ml.yaml").path
        try FileManager.default.copyItem(atPath: first.reportDirectory + "/fitted.yaml", toPath: copy)
        let experiment = try SpecLoader.load(path: copy)
        XCTAssertNil(experiment.fit)
        let second = try ReportRunner.run(specPaths: [copy], options: RunOptions(jobs: 2, quiet: true))[0]
        for figure in ["density.png", "samples.png"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.reportDirectory + "/figures/" + figure))
            let b = try Data(contentsOf: URL(fileURLWithPath: second.reportDirectory + "/figures/" + figure))
            XCTAssertEqual(a, b, figure)
        }
        let a = try metricNames(first.reportDirectory), b = try metricNames(second.reportDirectory)
        let shared = Set(b.keys).subtracting(["samples_per_second"])
        XCTAssertFalse(shared.isEmpty)
        for name in shared { XCTAssertEqual(a[name]?.bitPattern, b[name]?.bitPattern, name) }
        // Its fitted parameters are the fit's, bit for bit, and give the fit's densities.
        let plan = try XCTUnwrap(try SpecLoader.load(path: spec).fit)
        let fit = try FitRun(plan: plan, seed: 5, jobs: 1)
        let points = PointBatch(dimension: 2, values: [0.1, -0.2, 2.5, 1.0, -3, 0.4])
        for (k, map) in experiment.maps.enumerated() {
            XCTAssertEqual((map as? TrainedLayerMap)?.parameters, fit.layerParameters(k))
        }
        let fromSpec = experiment.flow.logDensity(points)
        let fromFit = fit.flow.logDensity(parameters: fit.parameters, of: points)
        for (x, y) in zip(fromSpec, fromFit) { XCTAssertEqual(x, y, accuracy: 1e-12) }
    }

    /// Fixed maps of the transform catalog among fitted planar layers: their log-dets count in
    /// the objective (the whole flow's gradient against central differences), nothing of them
    /// is fitted, and fitted.yaml writes them back as written and reproduces the fitted
    /// densities to the last bit.
    func testFixedCatalogMapsStandAmongFittedLayers() throws {
        let text = """
        seed: 6
        samples: 2000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow:
          - {affine: {scale: 0.5, shift: 0.25}}
          - {planar: {repeat: 2}}
          - reverse
          - {linear: {matrix: [[1.2, 0.3], [-0.4, 0.9]], shift: [0.1, 0]}}
          - sinh
          - {affine: {scale: -1.5, shift: 0}}
        fit: {objective: reverse_kl, target: u1, iterations: 30, batch: 32, optimizer: {adam: {learning_rate: 1e-2}}}
        figures: [density]
        output: {formats: [png]}
        """
        let plan = try XCTUnwrap(try SpecLoader.load(text: text, path: "mixed.yaml").fit)
        XCTAssertEqual(plan.layers.map(\.layer.name), ["affine", "planar", "planar", "reverse", "linear", "sinh", "affine"])
        XCTAssertEqual(plan.layers.map(\.catalogEntry), ["{affine: {scale: 0.5, shift: 0.25}}", nil, nil, "reverse",
                                                         "{linear: {matrix: [[1.2, 0.3], [-0.4, 0.9]], shift: [0.1, 0]}}",
                                                         "sinh", "{affine: {scale: -1.5, shift: 0}}"])
        let fit = try FitRun(plan: plan, seed: 6, jobs: 1)
        XCTAssertEqual(fit.parameters.count, 4 + 2 * 5, "base and two planar layers; the fixed maps have none")
        // The whole flow's gradient (every coordinate) against central differences.
        XCTAssertLessThan(FitReport.gradientError(fit: fit, jobs: 1), 1e-6)
        let fitted = try FittedSpec.text(source: text, fit: fit)
        XCTAssertTrue(fitted.contains("  - {affine: {scale: 0.5, shift: 0.25}}\n"), fitted)
        XCTAssertTrue(fitted.contains("  - reverse\n  - {linear: {matrix: [[1.2, 0.3], [-0.4, 0.9]], shift: [0.1, 0]}}\n  - sinh\n  - {affine: {scale: -1.5, shift: 0}}\n"), fitted)
        let experiment = try SpecLoader.load(text: fitted, path: "mixed.yaml")
        XCTAssertNil(experiment.fit)
        for k in [1, 2] {
            let planar = try XCTUnwrap(experiment.maps[k] as? PlanarTransform)
            XCTAssertEqual(planar.parameters, TrainablePlanar(dimension: 2).parameters(from: fit.layerParameters(k)), "bit for bit")
        }
        // Samples of the fitted flow with their log densities (planar runs forward only) against
        // the density of fitted.yaml's flow by its inverse pass (Eq. 5, planar by root search).
        var stream = RandomStream(seed: 1, stream: 0)
        let drawn = fit.flow.sample(parameters: fit.parameters, count: 40, using: &stream)
        let fromSpec = experiment.flow.logDensity(drawn.points)
        for (x, y) in zip(fromSpec, drawn.logDensity) { XCTAssertEqual(x, y, accuracy: 1e-9 * max(1, abs(y))) }
    }

    /// The catalog maps with a curved or network Jacobian among a fitted MAF, by maximum
    /// likelihood: sinh_arcsinh, spline, a given coupling, and exp → power → log (a chain whose
    /// supports nest). The whole flow's gradient passes the finite-difference check, fitted.yaml
    /// writes every fixed entry back as written, and the report re-run from fitted.yaml is the
    /// same to the last bit (figures and metrics).
    func testFixedCurvedAndCouplingMapsStandAmongFittedLayers() throws {
        let text = """
        title: mixed
        seed: 3
        samples: 2000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow:
          - {sinh_arcsinh: {skew: 0.3, tailweight: 1.2}}
          - {maf: {hidden: [8]}}
          - {spline: {x: [-3, -1, 0, 1, 3], y: [-3, -1.5, 0, 1.5, 3], derivatives: [1, 0.8, 1.5, 0.8, 1]}}
          - {coupling: {mask: [1, 0], conditioner: {layers: [{weights: [[0.5], [-0.3]], bias: [0.1, 0.2]}, {weights: [[0.2, 0.1], [0.3, -0.4]], bias: [0, 0.1]}]}, scale: 1.5}}
          - exp
          - {power: {exponent: 0.5}}
          - log
        fit: {objective: maximum_likelihood, data: 8gaussians, iterations: 40, batch: 64, optimizer: {adam: {learning_rate: 5e-3}}}
        figures: [density]
        output: {formats: [png]}
        """
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try write(text, "mixed.yaml", in: directory)
        let plan = try XCTUnwrap(try SpecLoader.load(path: spec).fit)
        XCTAssertEqual(plan.layers.map(\.layer.name), ["sinh_arcsinh", "maf", "spline", "coupling", "exp", "power", "log"])
        XCTAssertTrue(plan.layers[3].layer is TrainableFixedCoupling)
        let fit = try FitRun(plan: plan, seed: 3, jobs: 1)
        XCTAssertEqual(fit.skippedSteps, 0)
        XCTAssertLessThan(FitReport.gradientError(fit: fit, jobs: 1), 1e-6)
        let first = try ReportRunner.run(specPaths: [spec], options: RunOptions(jobs: 2, quiet: true))[0]
        let fitted = try String(contentsOfFile: first.reportDirectory + "/fitted.yaml", encoding: .utf8)
        for line in text.split(separator: "\n").filter({ $0.hasPrefix("  - {s") || $0.hasPrefix("  - {c") || $0.hasPrefix("  - {p") })
            + ["  - exp", "  - log"] {
            XCTAssertTrue(fitted.contains(line + "\n"), "\(line) in \(fitted)")
        }
        let again = directory.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let copy = again.appendingPathComponent("mixed.yaml").path
        try FileManager.default.copyItem(atPath: first.reportDirectory + "/fitted.yaml", toPath: copy)
        let second = try ReportRunner.run(specPaths: [copy], options: RunOptions(jobs: 2, quiet: true))[0]
        let a = try Data(contentsOf: URL(fileURLWithPath: first.reportDirectory + "/figures/density.png"))
        let b = try Data(contentsOf: URL(fileURLWithPath: second.reportDirectory + "/figures/density.png"))
        XCTAssertEqual(a, b)
        let ma = try metricNames(first.reportDirectory), mb = try metricNames(second.reportDirectory)
        for name in Set(mb.keys).subtracting(["samples_per_second"]) { XCTAssertEqual(ma[name]?.bitPattern, mb[name]?.bitPattern, name) }
    }

    func testJobsOneAndTwoGiveIdenticalFittedParametersAndFigures() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try write(Self.maximumLikelihood, "ml.yaml", in: directory)
        var reports: [String] = []
        for jobs in [1, 2] {
            let out = directory.appendingPathComponent("jobs\(jobs)").path
            reports.append(try ReportRunner.run(specPaths: [spec], options: RunOptions(outputDirectory: out, jobs: jobs, quiet: true))[0].reportDirectory)
        }
        for file in ["fitted.yaml", "figures/loss.png", "figures/fit.png", "figures/density.png", "figures/samples.png"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: reports[0] + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: reports[1] + "/" + file))
            XCTAssertEqual(a, b, file)
        }
    }

    func testFitToAFileOfPointsHoldsOutAFifth() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        var stream = RandomStream(seed: 1, stream: 0)
        var csv = "x,y\n"
        for _ in 0..<200 {
            let a = stream.nextStandardNormal(), b = stream.nextStandardNormal()
            csv += "\(1 + 0.5 * a),\(-1 + 0.8 * a + 0.3 * b)\n"
        }
        try csv.write(toFile: directory.appendingPathComponent("points.csv").path, atomically: true, encoding: .utf8)
        let spec = try write("""
        seed: 2
        samples: 2000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{coupling: {repeat: 2, hidden: [4]}}]
        fit: {objective: maximum_likelihood, data: {file: points.csv}, iterations: 15, batch: 32}
        figures: [samples]
        output: {formats: [png]}
        """, "points.yaml", in: directory)
        let outcome = try ReportRunner.run(specPaths: [spec], options: RunOptions(jobs: 1, quiet: true))[0]
        let metrics = try metricNames(outcome.reportDirectory)
        XCTAssertNotNil(metrics["heldout_nll"])
        XCTAssertNil(metrics["data_entropy"], "no exact density for a user's points")
        let plan = try XCTUnwrap(try SpecLoader.load(path: spec).fit)
        let fit = try FitRun(plan: plan, seed: 2, jobs: 1)
        XCTAssertEqual(fit.heldOut?.count, 40)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: outcome.reportDirectory + "/figures")),
                       ["samples.png", "loss.png", "fit.png"])
    }

    func testInterruptedFitKeepsTheOldReport() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let reports = directory.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: reports, withIntermediateDirectories: true)
        _ = try write(Self.reverseKL, "rkl.yaml", in: reports)
        let done = try RunEndToEnd.run(["run", "reports/rkl.yaml", "--quiet"], in: directory)
        XCTAssertEqual(done.status, 0, done.stderr)
        let before = RunEndToEnd.snapshot(reports)
        XCTAssertFalse(before.isEmpty)
        // The same spec with a fit far too long to finish, stopped by Ctrl-C (SIGINT) while fitting.
        _ = try write(Self.reverseKL.replacingOccurrences(of: "iterations: 20", with: "iterations: 10000000"), "rkl.yaml", in: reports)
        let process = try RunEndToEnd.launch(["run", "reports/rkl.yaml", "--quiet"], in: directory)
        Thread.sleep(forTimeInterval: 2)
        XCTAssertTrue(process.isRunning, "the long fit is still running")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        var after = RunEndToEnd.snapshot(reports)
        after["rkl.yaml"] = before["rkl.yaml"]
        XCTAssertEqual(after, before, "the old report, its figures and the index are untouched; no staging folder")
    }
}

/// A grid of fits in one spec: variants with their own flows and fit keys, fitted in
/// parallel, written into fitted.yaml as fixed variants, with the `fit` grid and `bound` figures.
final class FitVariantsEndToEndTests: XCTestCase {
    static let spec = """
    title: tiny grid of fits
    seed: 4
    samples: 2000
    base: {normal: {mean: [0, 0], std: [1, 1]}}
    flow: [{planar: {repeat: 1}}]
    fit: {objective: reverse_kl, target: u1, iterations: 8, batch: 16, optimizer: {adam: {learning_rate: 1e-2}}}
    variants:
      planar3: {label: planar, flow: [{planar: {repeat: 3}}]}
      radial2: {label: radial, flow: [{radial: {repeat: 2}}], fit_figure: false}
      planar_u2: {label: planar, flow: [{planar: {repeat: 1}}], fit: {target: u2}}
    figures: [samples]
    output: {formats: [png]}
    """

    func testVariantsFitInParallelAndBecomeFixedVariants() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let path = directory.appendingPathComponent("grid.yaml").path
        try Self.spec.write(toFile: path, atomically: true, encoding: .utf8)
        let experiment = try SpecLoader.load(path: path)
        XCTAssertEqual(experiment.variants.compactMap { $0.fit?.layers.count }, [3, 2, 1])
        XCTAssertEqual(experiment.variants.last?.fit?.settings.target, .u2)
        XCTAssertEqual(experiment.variants.last?.fit?.settings.iterations, 8, "the spec's other fit keys")
        var reports: [String] = []
        for jobs in [1, 2] {
            let out = directory.appendingPathComponent("jobs\(jobs)").path
            let outcome = try ReportRunner.run(specPaths: [path], options: RunOptions(outputDirectory: out, jobs: jobs, quiet: true))[0]
            XCTAssertTrue(outcome.allChecksPassed)
            reports.append(outcome.reportDirectory)
        }
        let fitted = try String(contentsOfFile: reports[0] + "/fitted.yaml", encoding: .utf8)
        XCTAssertEqual(fitted, try String(contentsOfFile: reports[1] + "/fitted.yaml", encoding: .utf8))
        let reloaded = try SpecLoader.load(text: fitted, path: "grid.yaml")
        XCTAssertNil(reloaded.fit)
        XCTAssertEqual(reloaded.variants.map(\.name), ["planar3", "radial2", "planar_u2"])
        XCTAssertEqual(reloaded.variants.map(\.maps.count), [3, 2, 1])
        XCTAssertEqual(reloaded.variants.map(\.inFitFigure), [true, false, true], "fit_figure: false is kept in fitted.yaml")
        XCTAssertTrue(reloaded.variants.allSatisfy { $0.fit == nil })
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: reports[0] + "/figures")),
                       ["samples.png", "loss.png", "fit.png", "bound.png"])
        for figure in ["fit.png", "bound.png"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: reports[0] + "/figures/" + figure)),
                           try Data(contentsOf: URL(fileURLWithPath: reports[1] + "/figures/" + figure)), figure)
        }
        let metrics = try String(contentsOfFile: reports[0] + "/metrics.json", encoding: .utf8)
        for name in ["\"elbo\"", "\"elbo_planar3\"", "\"kl_model_to_target_radial2\"", "\"elbo_below_log_z_planar_u2\""] {
            XCTAssertTrue(metrics.contains(name), name)
        }
    }

    /// --jobs caps the threads of a spec's fits: `workers` fits at a time, `perFit` threads
    /// each, workers · perFit ≤ jobs, and never more workers than fits.
    func testJobsCapTheThreadsOfParallelFits() {
        for jobs in 1...9 {
            for fits in 1...40 {
                let (workers, perFit) = FittedExperiment.threads(jobs: jobs, fits: fits)
                XCTAssertLessThanOrEqual(workers * perFit, jobs, "jobs \(jobs), fits \(fits)")
                XCTAssertEqual(workers, min(jobs, fits), "jobs \(jobs), fits \(fits)")
                XCTAssertGreaterThanOrEqual(perFit, 1)
            }
        }
        XCTAssertEqual(FittedExperiment.threads(jobs: 2, fits: 36).workers, 2)
        XCTAssertEqual(FittedExperiment.threads(jobs: 4, fits: 1).perFit, 4, "one fit takes every thread")
        XCTAssertEqual(FittedExperiment.threads(jobs: 1, fits: 36).workers, 1)
    }
}
