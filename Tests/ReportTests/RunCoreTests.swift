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

    /// Above ``SamplePass/exactKSLimit`` the KS test and the PIT histogram come from the
    /// reference's ``CDFBinning``: the same for 1 and 2 jobs, a statistic that brackets the exact
    /// statistic of the same outputs within its bound (≤ 2⁻¹⁶), and PIT counts equal to binning
    /// u = F(y) value by value.
    func testTheStreamingPassAgainstTheExactTestOfTheSameOutputs() throws {
        let experiment = try SpecLoader.load(text: """
        title: t
        seed: 5
        samples: 1000
        base: {normal: {mean: 0, std: 1}}
        flow: [exp, {affine: {shift: 0.01, scale: 1}}]
        reference: {lognormal: {mu: 0, sigma: 1}}
        """, path: "stream.yaml")
        let samples = SamplePass.exactKSLimit + 40_000
        let pass = SamplePass(experiment: experiment, samples: samples, seed: 5)
        let pit = HistogramRequest(source: .probabilityIntegralTransform, low: 0, high: 1, bins: 20)
        XCTAssertNotNil(try pass.referenceBinning(histograms: [pit]))
        let one = try pass.run(histograms: [pit], planes: [], jobs: 1)
        let two = try pass.run(histograms: [pit], planes: [], jobs: 2)
        let ks = try XCTUnwrap(one.ks)
        XCTAssertEqual(two.ks, ks)
        XCTAssertEqual(two.histograms, one.histograms)
        // The same outputs, chunk by chunk, for the exact test and u per value.
        var outputs: [Double] = []
        for chunk in 0..<pass.chunkCount {
            var stream = RandomStream(seed: 5, stream: UInt64(chunk))
            let n = min(SamplePass.chunkSize, samples - chunk * SamplePass.chunkSize)
            outputs += experiment.flow.sample(count: n, using: &stream).points.values
        }
        let reference = try XCTUnwrap(experiment.reference)
        let exact = KolmogorovSmirnov.exact(sortedSample: outputs.sorted(), cdf: { reference.cdf($0) })
        XCTAssertEqual(ks.sampleCount, samples)
        XCTAssertLessThanOrEqual(ks.statistic, exact.statistic * (1 + 1e-12))
        XCTAssertGreaterThanOrEqual(ks.statistic + ks.statisticErrorBound, exact.statistic * (1 - 1e-12))
        XCTAssertLessThanOrEqual(ks.statisticErrorBound, 1.0 / 65536 * (1 + 1e-9))
        XCTAssertLessThan(ks.pValue, 1e-3, "a shift of 0.01 is plain at 10⁶ samples (D ≈ 7·10⁻³)")
        var perValue = try Histogram(low: 0, high: 1, binCount: 20)
        perValue.insert(contentsOf: outputs.map { reference.cdf($0) })
        XCTAssertEqual(one.histograms[pit]?.counts, perValue.counts)
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

/// Fuzzing findings inside the run (issue 9): specs that `check` accepts must run to a report,
/// with numerical trouble as a failed check (exit 1), never an I/O failure (exit 3) or a crash.
final class RunExtremeInputTests: XCTestCase {
    static let specs: [(name: String, text: String)] = [
        ("logistic-huge", """
        base: {logistic: {loc: 0, scale: 1e308}}
        flow: [sigmoid]
        """),
        ("affine-huge", """
        base: {normal: {mean: 0, std: 1}}
        flow: [{affine: {scale: 1e308}}]
        """),
        ("linear-huge-3d", """
        base: {normal: {mean: [0, 0, 0], std: [1, 1, 1]}}
        flow: [{linear: {matrix: [[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [1.7976931348623157e308, 0.5, 0.7]]}}]
        figures: [pairs]
        """),
        ("subnormal-width", """
        base: {uniform: {low: [0, 0], high: [5e-323, 1]}}
        flow: [reverse]
        figures: [warped_grid, samples]
        """),
        ("subnormal-width-3d", """
        base: {uniform: {low: [0, 0, 0], high: [5e-323, 1, 1]}}
        flow: [reverse]
        figures: [pairs]
        """),
    ]

    func testExtremeSpecsRunToAReportWithoutIOFailure() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        for spec in Self.specs {
            let file = directory.appendingPathComponent("\(spec.name).yaml")
            try "title: \(spec.name)\nseed: 3\nsamples: 3000\n\(spec.text)\noutput: {formats: [png]}\n".write(to: file, atomically: true, encoding: .utf8)
            let result = try RunEndToEnd.run(["run", "\(spec.name).yaml", "--quiet"], in: directory)
            XCTAssertTrue([0, 1].contains(result.status), "\(spec.name): exit \(result.status): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Backtrace"), spec.name)
            let metrics = try RunEndToEnd.metrics(directory.appendingPathComponent(spec.name))
            // Whatever passes must have measured something finite.
            for check in metrics.checks where check.passed { XCTAssertTrue(check.value.isFinite, "\(spec.name): \(check.name)") }
            if metrics.metrics.contains(where: { !$0.value.isFinite }) {
                XCTAssertFalse(try XCTUnwrap(metrics.checks.first { $0.name == "numerical_trouble" }).passed, spec.name)
            }
        }
    }
}
