import FlowKit
import Foundation
import Report
import XCTest

/// The one run core: the same steps and rules in every dimension, warnings that reach the
/// report, and checks that never pass on nothing.
final class RunCoreTests: XCTestCase {
    func testOneAndTwoDimensionalRunsJudgeTheirChecksInTheDocumentedOrder() throws {
        let line = try SpecLoader.load(text: """
        title: t
        seed: 1
        samples: 3000
        base: {normal: {mean: 0, std: 1}}
        flow: [exp]
        reference: {lognormal: {mu: 0, sigma: 1}}
        """, path: "line.yaml")
        let run = try Run(experiment: line, samples: 3000, seed: 1, jobs: 2)
        XCTAssertEqual(run.checks.map(\.name), ["eq4_vs_eq5", "eq4_vs_reference", "eq5_vs_reference", "ks_pvalue",
                                                "integral", "round_trip", "logdet_vs_finite_difference", "numerical_trouble"])
        XCTAssertTrue(run.checks.allSatisfy(\.passed), "\(run.checks)")
        XCTAssertTrue(run.plan is UnivariateFigurePlan)
        XCTAssertNotNil(run.checkGrid)
        XCTAssertNil(run.checkDensity)

        let plane = try SpecLoader.load(text: """
        title: t
        seed: 1
        samples: 3000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{radial: {z0: [0, 0], alpha: 1, beta: 1}}]
        figures: [density]
        """, path: "plane.yaml")
        let planeRun = try Run(experiment: plane, samples: 3000, seed: 1, jobs: 2)
        XCTAssertEqual(planeRun.checks.map(\.name), ["eq4_vs_eq5", "grid_integral", "histogram_l1", "round_trip",
                                                     "logdet_vs_finite_difference", "numerical_trouble"])
        XCTAssertTrue(planeRun.plan is MultivariateFigurePlan)
        XCTAssertNotNil(planeRun.checkDensity)
        XCTAssertTrue(planeRun.warnings.isEmpty)
    }

    func testThePilotIsTheFirstChunkOfThePass() throws {
        let experiment = try SpecLoader.load(text: """
        title: t
        seed: 9
        samples: 70000
        base: {normal: {mean: [0, 0], std: [1, 2]}}
        flow: [{planar: {u: [1, 0.5], w: [0.5, -1], b: 0.2}}, reverse]
        """, path: "p.yaml")
        let setup = RunPlan(experiment: experiment, samples: 70_000, seed: 9)
        XCTAssertEqual(setup.pilot.count, SamplePass.chunkSize)
        XCTAssertEqual(setup.pilot.stages.count, 3)
        var stream = RandomStream(seed: 9, stream: 0)
        let drawn = experiment.flow.sample(count: SamplePass.chunkSize, using: &stream)
        XCTAssertEqual(setup.pilot.output, drawn.points)
        XCTAssertEqual(setup.pilot.logDensity, drawn.logDensity)
        // The moments of the pass cover every sample: both chunks.
        let totals = try setup.stream(jobs: 2)
        XCTAssertEqual(totals.moments.map(\.count), [70_000, 70_000])
        XCTAssertEqual(totals.nonFinite, [0, 0, 0])
    }

    func testWarningsOfATwoDimensionalRunReachTheReport() throws {
        // exp of N(0, 300²) per coordinate overflows for about 0.9 % of the coordinates.
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = directory.appendingPathComponent("overflow2d.yaml")
        try """
        title: overflow in 2-D
        seed: 4
        samples: 20000
        base: {normal: {mean: [0, 0], std: [300, 1]}}
        flow: [exp]
        figures: [{samples: {range: [[0, 5], [0, 5]]}}]
        """.write(to: spec, atomically: true, encoding: .utf8)
        let result = try RunEndToEnd.run(["run", "overflow2d.yaml", "--quiet"], in: directory)
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = directory.appendingPathComponent("overflow2d")
        let metrics = try RunEndToEnd.metrics(report)
        let trouble = try XCTUnwrap(metrics.checks.first { $0.name == "numerical_trouble" })
        XCTAssertFalse(trouble.passed)
        let warning = try XCTUnwrap(metrics.warnings.first { $0.contains("are not finite after stage 1") }, "\(metrics.warnings)")
        let count = try XCTUnwrap(Int(warning.prefix { $0.isNumber }))
        XCTAssertTrue((100...300).contains(count), warning)
        XCTAssertTrue(try RunEndToEnd.text(report.appendingPathComponent("index.html")).contains("Numerical trouble"))
        XCTAssertTrue(try RunEndToEnd.text(report.appendingPathComponent("report.md")).contains(warning))
    }

    func testChecksWithNothingToMeasureFailAsNotMeasured() throws {
        // Every sample and all the density lie far from the plotted box.
        let experiment = try SpecLoader.load(text: """
        title: t
        seed: 2
        samples: 5000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [reverse]
        figures: [{samples: {range: [[1000, 1001], [1000, 1001]]}}]
        """, path: "far.yaml")
        let run = try Run(experiment: experiment, samples: 5000, seed: 2, jobs: 1)
        for name in ["grid_integral", "histogram_l1"] {
            let check = try XCTUnwrap(run.checks.first { $0.name == name }, name)
            XCTAssertTrue(check.value.isNaN, "\(name) = \(check.value)")
            XCTAssertFalse(check.passed, name)
            XCTAssertTrue(check.summary.hasPrefix("not measured: no sample falls inside the box"), check.summary)
        }
    }
}
