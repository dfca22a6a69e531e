import FlowKit
import Foundation
@testable import Report
import TestSupport
import XCTest

/// Multivariate specs and runs (issue 5): dimension errors with positions, the shipped 2-D
/// specs end to end, grid densities that integrate to 1, and the histogram check's noise model.
final class MultivariateReportTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func diagnostics(_ text: String) -> [SpecDiagnostic] {
        do {
            _ = try SpecLoader.load(text: text, path: "t.yaml")
            XCTFail("spec should be invalid")
        } catch {
            if case let .invalidSpec(found) = error { return found }
            XCTFail("unexpected error \(error)")
        }
        return []
    }

    func testDimensionMismatchPointsAtTheParameter() {
        let found = diagnostics("""
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow:
          - {radial: {z0: [0, 0], alpha: 1, beta: 1}}
          - {planar: {w: [1, 0], u: [1, 0, 2]}}
        """)
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.line, 4)
        XCTAssertEqual(found.first?.column, 29)   // the value of `u`
        XCTAssertTrue(found.first?.message.contains("expected dimension 2, found 3") ?? false, found.first?.message ?? "")
        XCTAssertTrue(found.first?.rendered.hasPrefix("t.yaml:4:29: error: ") ?? false)
    }

    func testTwoDimensionalFiguresAndChecksAreRejectedInOneDimension() {
        let found = diagnostics("""
        base: {normal: {mean: 0, std: 1}}
        flow: [exp]
        figures: [density]
        checks: {grid_integral: {limit: 0.1}}
        """)
        XCTAssertEqual(found.map { [$0.line, $0.column] }, [[3, 11], [4, 10]])
        XCTAssertTrue(found[0].message.contains("d-dimensional"))
    }

    func testRangeBoxColourMapAndRowsAreValidated() {
        let found = diagnostics("""
        base: {normal: {mean: [0, 0], std: 1}}
        flow: [{radial: {z0: [0, 0], alpha: 1, beta: 1}}]
        figures:
          - density: {range: [[-1, 1], [-1, 1], [0, 1]]}
          - stages: {colormap: rezend, rows: [{flow: [0, 2]}]}
        """)
        XCTAssertEqual(found.map { [$0.line, $0.column] }, [[4, 22], [5, 24], [5, 50]])
        XCTAssertTrue(found[1].hint?.contains("rezende") ?? false)
    }

    /// Every shipped spec (`reports/*.yaml`, 1-D and d-dimensional) runs end to end with all its
    /// checks passing, at a reduced sample count.
    func testEveryShippedSpecRunsAndPasses() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let reports = Self.root.appendingPathComponent("reports")
        let specs = try FileManager.default.contentsOfDirectory(atPath: reports.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { reports.appendingPathComponent($0).path }
            // Continuous flows cost an ODE solve per density point: flow-matching.yaml is
            // validated by FlowMatchingEndToEndTests and rendered in release mode.
            .filter { !$0.hasSuffix("/flow-matching.yaml") }
        for required in ["lognormal", "affine-normal", "neglog-uniform", "sigmoid-normal", "normal-cdf", "pareto-chain",
                         "rezende-fig1", "energies", "toy-datasets", "realnvp-coupling"] {
            XCTAssertTrue(specs.contains { $0.hasSuffix("/\(required).yaml") }, "shipped spec \(required).yaml")
        }
        // Fits shrink to a few small steps here (their full runs are for `make reports`).
        let outcomes = try ReportRunner.run(specPaths: specs, options: RunOptions(outputDirectory: out, samples: 20_000, jobs: 2,
                                                                                  formats: ["svg"], quiet: true,
                                                                                  fitIterations: 5, fitBatch: 16, fitEstimateSamples: 4096))
        XCTAssertEqual(outcomes.count, specs.count)
        for outcome in outcomes {
            XCTAssertTrue(outcome.allChecksPassed, outcome.reportDirectory)
            let figures = try FileManager.default.contentsOfDirectory(atPath: outcome.reportDirectory + "/figures")
            XCTAssertFalse(figures.isEmpty, outcome.reportDirectory)
        }
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/rezende-fig1/figures")
        XCTAssertEqual(Set(figures), ["stages.svg", "density.svg", "samples.svg", "warped_grid.svg", "marginals.svg"])
        // Normalisers against flows.md §4 (trapezoid, 4001² points) to 1e-4 relative.
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/energies/metrics.json"))) as? [String: Any]
        let values = Dictionary(uniqueKeysWithValues: ((metrics?["metrics"] as? [[String: Any]]) ?? []).compactMap { m -> (String, Double)? in
            guard let name = m["name"] as? String, let value = m["value"] as? Double else { return nil }
            return (name, value)
        })
        for (name, expected) in [("normalizer_u1", 6.53715), ("normalizer_u2", 8.02121), ("normalizer_u3", 14.0371), ("normalizer_u4", 14.6519)] {
            XCTAssertLessThan(relativeError(values[name] ?? .nan, expected), 1e-4, name)
        }
    }

    func testGridDensityIntegratesToOneAndChecksPass() throws {
        let experiment = try SpecLoader.load(text: """
        samples: 50000
        base: {normal: {mean: [0.5, -0.5], cov: [[1, 0.5], [0.5, 2]]}}
        flow:
          - {planar: {w: [1, 2], u: [0.5, -1], b: 0.3}}
          - {radial: {z0: [1, 0], alpha: 0.5, beta: 1.5}}
          - {linear: {matrix: [[1, 0.4], [0, 0.8]], shift: [0.1, 0]}}
        figures: [{samples: {range: [[-9, 9], [-9, 9]]}}]
        """, path: "grid.yaml")
        let density = PlaneDensity(flow: experiment.flow, x: -9...9, y: -9...9, columns: 400, rows: 400, eq4: true, jobs: 2)
        XCTAssertLessThan(abs(density.integral - 1), 1e-4)
        let run = try Run(experiment: experiment, samples: 50_000, seed: 3, jobs: 2)
        for check in run.checks { XCTAssertTrue(check.passed, "\(check.name) = \(check.value)") }
        XCTAssertEqual(run.checks.map(\.name), ["eq4_vs_eq5", "grid_integral", "histogram_l1", "round_trip",
                                                "logdet_vs_finite_difference", "numerical_trouble"])
        // The same numbers for any number of threads.
        let single = try Run(experiment: experiment, samples: 50_000, seed: 3, jobs: 1)
        XCTAssertEqual(single.checks.map(\.value), run.checks.map(\.value))
    }

    func testHistogramCheckFailsWhenTheSamplesDoNotFollowTheDensity() throws {
        // Bin masses of a wrong density (shifted) against the samples of the right one.
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{radial: {z0: [0, 0], alpha: 1, beta: 1}}]
        """, path: "h.yaml")
        let shifted = try SpecLoader.load(text: """
        base: {normal: {mean: [0.2, 0], std: [1, 1]}}
        flow: [{radial: {z0: [0, 0], alpha: 1, beta: 1}}]
        """, path: "s.yaml")
        let run = try Run(experiment: experiment, samples: 100_000, seed: 1, jobs: 2)
        let request = PlaneHistogramRequest(source: .flow, x: run.checkBox[0], y: run.checkBox[1], bins: RunChecks.checkBins)
        let histogram = try XCTUnwrap(run.planes[request])
        let n = RunChecks.checkGridCells
        let wrong = try XCTUnwrap(PlaneDensity(flow: shifted.flow, x: run.checkBox[0], y: run.checkBox[1], columns: n, rows: n,
                                               eq4: false, jobs: 2).binMasses(bins: RunChecks.checkBins))
        let ratio = try HistogramDensityDistance.l1(histogram, binMasses: wrong)
            / RunChecks.expectedNoiseL1(masses: wrong, samples: histogram.totalCount)
        XCTAssertGreaterThan(ratio, 2)   // a 0.2σ shift: measured 2.4 at 10⁵ samples
        let right = try XCTUnwrap(run.checks.first { $0.name == "histogram_l1" })
        XCTAssertLessThan(right.value, 1.3)
        XCTAssertGreaterThan(right.value, 0.7)
    }

    func testPoissonMeanAbsoluteDeviationMatchesItsDefinition() {
        for lambda in [0.05, 0.3, 2.5, 7.0, 40.0] {
            var sum = 0.0, logTerm = -lambda
            for k in 0..<400 {
                if k > 0 { logTerm += log(lambda) - log(Double(k)) }
                sum += abs(Double(k) - lambda) * exp(logTerm)
            }
            XCTAssertLessThan(relativeError(RunChecks.poissonMeanAbsoluteDeviation(lambda), sum), 1e-12, "λ = \(lambda)")
        }
    }
}
