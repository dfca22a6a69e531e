import XCTest
import Foundation
import TestSupport
@testable import Report
import FlowKit

/// Small flow-matching fits end to end: every output present with the metric names,
/// `fitted.yaml` reproducing the densities to the last bit, `sample` and `eval` on the fitted
/// spec, identical results for --jobs 1 and 2.
final class FlowMatchingEndToEndTests: XCTestCase {
    static let spec = """
    title: tiny flow matching
    seed: 4
    samples: 300
    base: {normal: {mean: [0, 0], std: [1, 1]}}
    flow:
      - {flow_matching: {hidden: [8], sigma_min: 0, pairing: independent}}
    fit:
      objective: flow_matching
      data: moons
      iterations: 30
      batch: 32
      optimizer: {adam: {learning_rate: 1e-2}}
      validation: {every: 10}
    ode: {method: rk4, steps: 6}
    figures:
      - density: {grid: 20}
      - samples
    output: {formats: [png]}
    variants:
      eight_ot:
        label: 8gaussians OT
        base: {dataset: 8gaussians}
        flow: [{flow_matching: {hidden: [8], pairing: ot}}]
    """

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func metrics(_ report: String) throws -> [String: Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: report + "/metrics.json"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var out: [String: Double] = [:]
        for m in (json["metrics"] as? [[String: Any]]) ?? [] {
            if let name = m["name"] as? String { out[name] = (m["value"] as? Double) ?? .nan }
        }
        for c in (json["checks"] as? [[String: Any]]) ?? [] {
            if let name = c["name"] as? String { out["check:" + name] = (c["value"] as? Double) ?? .nan }
        }
        return out
    }

    func testSmallFitWritesEveryOutputAndReproducesFromFittedYAML() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let path = try write(Self.spec, "fm.yaml", in: directory)
        let first = try ReportRunner.run(specPaths: [path], options: RunOptions(jobs: 2, quiet: true))[0]
        XCTAssertTrue(first.allChecksPassed, first.reportDirectory)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: first.reportDirectory))
        XCTAssertTrue(files.isSuperset(of: ["fitted.yaml", "metrics.json", "report.pdf", "report.md", "index.html", "figures"]), "\(files)")
        let figures = Set(try FileManager.default.contentsOfDirectory(atPath: first.reportDirectory + "/figures"))
        XCTAssertEqual(figures, ["density.png", "samples.png", "loss.png", "fit.png", "trajectories.png", "field.png"])
        let m = try metrics(first.reportDirectory)
        for name in ["fit_iterations", "fit_seconds", "iterations_per_second", "final_loss", "skipped_steps",
                     "wasserstein2", "wasserstein2_floor", "function_evaluations", "heldout_nll",
                     "wasserstein2_eight_ot", "wasserstein2_floor_eight_ot", "function_evaluations_eight_ot", "heldout_nll_eight_ot",
                     "check:eq4_vs_eq5", "check:round_trip", "check:histogram_l1"] {
            XCTAssertNotNil(m[name], name)
        }
        XCTAssertEqual(m["fit_iterations"], 30)
        XCTAssertNil(m["check:logdet_vs_finite_difference"], "off by default for a continuous flow")
        XCTAssertEqual(m["function_evaluations"], 24, "rk4: 4 evaluations × 6 steps per sample")
        XCTAssertGreaterThan(m["wasserstein2"] ?? .nan, m["wasserstein2_floor"] ?? .nan, "30 iterations are far from the data")
        XCTAssertTrue((m["heldout_nll"] ?? .nan).isFinite)

        let fitted = try String(contentsOfFile: first.reportDirectory + "/fitted.yaml", encoding: .utf8)
        XCTAssertFalse(fitted.contains("\nfit:"), "no fit section")
        XCTAssertTrue(fitted.contains("ode:"), "the solver is kept")
        XCTAssertTrue(fitted.contains("parameters: ["))

        // fitted.yaml as a spec of the same name elsewhere: the same densities, bit for bit.
        let again = directory.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let copy = again.appendingPathComponent("fm.yaml").path
        try FileManager.default.copyItem(atPath: first.reportDirectory + "/fitted.yaml", toPath: copy)
        let experiment = try SpecLoader.load(path: copy)
        XCTAssertNil(experiment.flowMatching)
        XCTAssertEqual(experiment.ode?.method, .rk4(steps: 6))
        let second = try ReportRunner.run(specPaths: [copy], options: RunOptions(jobs: 1, quiet: true))[0]
        for figure in ["density.png", "samples.png"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: first.reportDirectory + "/figures/" + figure))
            let b = try Data(contentsOf: URL(fileURLWithPath: second.reportDirectory + "/figures/" + figure))
            XCTAssertEqual(a, b, figure)
        }
        let a = try metrics(first.reportDirectory), b = try metrics(second.reportDirectory)
        let shared = Set(b.keys).subtracting(["samples_per_second"])
        XCTAssertGreaterThan(shared.count, 5)
        for name in shared { XCTAssertEqual(a[name]?.bitPattern, b[name]?.bitPattern, name) }
        // Its parameters are the fit's, bit for bit.
        let plan = try XCTUnwrap(try SpecLoader.load(path: path).flowMatching)
        let fit = try FlowMatchingRun(plan: plan, seed: 4, jobs: 1)
        XCTAssertEqual((experiment.maps.first as? ContinuousFlowMap)?.parameters, fit.parameters)
        let variant = try XCTUnwrap(experiment.variants.first { $0.name == "eight_ot" })
        XCTAssertTrue(variant.base is ToyDatasetDensity)

        // sample and eval on the fitted spec; the spec to be fitted is refused.
        let sampled = try RunEndToEnd.run(["sample", copy, "--count", "5", "--seed", "1"], in: directory)
        XCTAssertEqual(sampled.status, 0, sampled.stderr)
        XCTAssertEqual(sampled.stdout.split(separator: "\n").count, 6, sampled.stdout)
        let evaluated = try RunEndToEnd.run(["eval", copy, "--at", "0.5,0.25"], in: directory)
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        let row = try XCTUnwrap(evaluated.stdout.split(separator: "\n").last).split(separator: ",").compactMap { Double($0) }
        XCTAssertEqual(row.count, 4)
        let direct = experiment.flow.logDensityByInverse(PointBatch(dimension: 2, values: [0.5, 0.25]))[0]
        XCTAssertEqual(row[3], direct, accuracy: 1e-9 * max(1, abs(direct)), "eval's Eq. 5 is the flow's")
        let refused = try RunEndToEnd.run(["sample", path, "--count", "5"], in: directory)
        XCTAssertEqual(refused.status, 2)
    }

    func testJobsOneAndTwoGiveIdenticalFits() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        // One OT fit (the pairing couples the batch), without the density figure, to stay fast.
        let spec = Self.spec.components(separatedBy: "variants:")[0]
            .replacingOccurrences(of: "pairing: independent", with: "pairing: ot")
            .replacingOccurrences(of: "      - density: {grid: 20}\n", with: "")
            .replacingOccurrences(of: "samples: 300", with: "samples: 200")
        let path = try write(spec, "fm.yaml", in: directory)
        var reports: [String] = []
        for jobs in [1, 2] {
            let out = directory.appendingPathComponent("jobs\(jobs)").path
            reports.append(try ReportRunner.run(specPaths: [path], options: RunOptions(outputDirectory: out, jobs: jobs, quiet: true))[0].reportDirectory)
        }
        for file in ["fitted.yaml", "figures/loss.png", "figures/fit.png", "figures/trajectories.png", "figures/field.png", "figures/samples.png"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: reports[0] + "/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: reports[1] + "/" + file))
            XCTAssertEqual(a, b, file)
        }
    }

    /// The run's jobs reach the ODE solves of the fitted flows (own and variant), the cap the
    /// runner applies to every experiment (`Experiment.solving(jobs:)`).
    func testRunJobsCapTheContinuousSolves() throws {
        func capsOf(_ experiment: Experiment) -> [Int] {
            ([experiment.flow] + experiment.variants.map(\.flow)).compactMap { ($0.chain.maps.first as? ContinuousFlowMap)?.jobs }
        }
        let spec = try SpecLoader.load(text: Self.spec, path: "fm.yaml")
        XCTAssertEqual(capsOf(spec.solving(jobs: 1)), [1, 1])
        XCTAssertEqual(capsOf(spec.solving(jobs: 3)), [3, 3])
        let single = try SpecLoader.load(text: Self.spec.components(separatedBy: "variants:")[0], path: "fm.yaml")
        for jobs in [1, 2] {
            let fitted = try FlowMatchingExperiment(spec: single, seed: 4, samples: 100, jobs: jobs, quiet: true)
            XCTAssertEqual(capsOf(fitted.experiment), [jobs])
        }
    }

    /// The shipped spec: four fits (N(0, I) and 8gaussians to moons, independent and OT), one
    /// solver, within the fitted-spec size limit.
    func testShippedSpecHoldsFourFits() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports/flow-matching.yaml").path
        let experiment = try SpecLoader.load(path: path)
        let plans = [experiment.flowMatching] + experiment.variants.map(\.flowMatching)
        XCTAssertEqual(plans.compactMap { $0 }.count, 4)
        XCTAssertEqual(plans.compactMap { $0?.entry.pairing }, [.independent, .optimalTransport, .independent, .optimalTransport])
        XCTAssertEqual(plans.compactMap { $0.map { $0.base is ToyDatasetDensity } }, [false, false, true, true])
        XCTAssertEqual(experiment.ode?.method, .dopri5(relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
        // Every fit with the cosine decay of the learning rate (the variants inherit the fit section).
        XCTAssertEqual(plans.compactMap { $0?.settings.schedule }, [.cosine, .cosine, .cosine, .cosine])
        let parameters = ExperimentBuilder.flowMatchingParameters(plans)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertLessThan(text.utf8.count + parameters * ExperimentBuilder.bytesPerFittedParameter, SpecLimits.maximumBytes)
    }
}
