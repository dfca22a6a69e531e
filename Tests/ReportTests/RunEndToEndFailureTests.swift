import FlowKit
import Foundation
import TestSupport
import XCTest
@testable import Report

/// `flowreport run` when things go wrong: a failing run keeps the old report, an invalid spec
/// writes nothing, a failed check exits 1 and is marked, numerical trouble is reported.
final class RunEndToEndFailureTests: XCTestCase {
    /// The package's own templates folder.
    static var packageTemplates: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("templates")
    }

    /// A copy of the package's templates in `directory/name` with `report.html.mustache`
    /// replaced by `html` (nil: removed).
    func brokenTemplates(in directory: URL, name: String, html: String?) throws -> String {
        let folder = directory.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.packageTemplates, to: folder)
        let page = folder.appendingPathComponent("report.html.mustache")
        try FileManager.default.removeItem(at: page)
        if let html { try html.write(to: page, atomically: true, encoding: .utf8) }
        return name
    }

    func testAFailingRunLeavesTheOldReportByteIdenticalAndNoStagingFolder() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("chain.yaml", in: directory)
        let good = try RunEndToEnd.run(["run", spec, "--quiet"], in: directory)
        XCTAssertEqual(good.status, 0, good.stderr)
        let root = directory.appendingPathComponent("reports")
        let before = RunEndToEnd.snapshot(root)
        XCTAssertTrue(before.keys.contains("chain/metrics.json"))
        XCTAssertTrue(before.keys.contains("index.html"))

        let unclosed = try brokenTemplates(in: directory, name: "unclosed", html: "<h1>{{title}}</h1>\n{{#checks}}<p>{{name}}</p>\n")
        let missing = try brokenTemplates(in: directory, name: "missing", html: nil)
        for (templates, needle) in [(unclosed, "unclosed/report.html.mustache"), (missing, "missing/report.html.mustache")] {
            // A different seed: had the new report been swapped in, its figures would differ.
            let failed = try RunEndToEnd.run(["run", spec, "--seed", "5", "--templates", templates, "--quiet"], in: directory)
            XCTAssertEqual(failed.status, 2, "a template error is bad input: \(failed.stderr)")
            XCTAssertTrue(failed.stderr.contains(needle), failed.stderr)
            XCTAssertTrue(failed.stderr.contains("error: template:"), failed.stderr)
            XCTAssertEqual(RunEndToEnd.snapshot(root), before, "\(templates): the old report and index are untouched")
            XCTAssertEqual(RunEndToEnd.entries(root), ["chain", "chain.yaml", "index.html"],
                           "\(templates): no staging or backup folder remains")
        }
        // The same command with good templates does replace the report (so the comparison above could fail).
        let replaced = try RunEndToEnd.run(["run", spec, "--seed", "5", "--templates", Self.packageTemplates.path, "--quiet"], in: directory)
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let after = RunEndToEnd.snapshot(root)
        XCTAssertNotEqual(after["chain/figures/histograms.png"], before["chain/figures/histograms.png"])
        XCTAssertEqual(try RunEndToEnd.metrics(root.appendingPathComponent("chain")).provenance.seed, 5)
        XCTAssertEqual(RunEndToEnd.entries(root), ["chain", "chain.yaml", "index.html"])
    }

    func testARunKilledWhileWritingLeavesTheOldReportAndTheNextRunCleansUp() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("chain.yaml", in: directory)
        let good = try RunEndToEnd.run(["run", spec, "--quiet"], in: directory)
        XCTAssertEqual(good.status, 0, good.stderr)
        let root = directory.appendingPathComponent("reports")
        let before = RunEndToEnd.snapshot(root)

        // Kill the second run (SIGKILL: no clean-up code runs) as soon as its staging folder appears,
        // i.e. while it writes figures.
        let process = try RunEndToEnd.launch(["run", spec, "--samples", "300000", "--seed", "5", "--quiet"], in: directory)
        let staging = ReportStaging.siblingPrefix(name: "chain", role: "staging") + String(process.processIdentifier)
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning, !RunEndToEnd.entries(root).contains(staging), Date() < deadline { usleep(2000) }
        let caught = process.isRunning
        if caught { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        guard caught, process.terminationReason == .uncaughtSignal else {
            throw XCTSkip("the run finished before its staging folder was seen; nothing was interrupted")
        }
        XCTAssertEqual(RunEndToEnd.snapshot(root).filter { !$0.key.hasPrefix(".") }, before,
                       "the old report and index are untouched")
        XCTAssertTrue(RunEndToEnd.entries(root).contains(staging), "the killed run left its staging folder")

        // The next run removes the dead run's staging folder and replaces the report.
        let next = try RunEndToEnd.run(["run", spec, "--seed", "5", "--quiet"], in: directory)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(RunEndToEnd.entries(root), ["chain", "chain.yaml", "index.html"])
        XCTAssertEqual(try RunEndToEnd.metrics(root.appendingPathComponent("chain")).provenance.seed, 5)
    }

    func testAnInvalidSpecExitsTwoAndWritesNothingEvenForTheValidOnes() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let valid = try RunEndToEnd.place("chain.yaml", in: directory)
        let invalidText = try RunEndToEnd.text(RunEndToEnd.fixtures.appendingPathComponent("chain.yaml"))
            .replacingOccurrences(of: "std: 1}", with: "std: -1}")
        XCTAssertNotEqual(invalidText, try RunEndToEnd.text(RunEndToEnd.fixtures.appendingPathComponent("chain.yaml")))
        try invalidText.write(to: directory.appendingPathComponent("reports/invalid.yaml"), atomically: true, encoding: .utf8)
        for out in [[], ["--out", "elsewhere"]] {
            // Every spec is validated before any runs: the valid spec first still writes nothing.
            let result = try RunEndToEnd.run(["run", valid, "reports/invalid.yaml"] + out, in: directory)
            XCTAssertEqual(result.status, 2, result.stderr)
            XCTAssertTrue(result.stderr.hasPrefix("reports/invalid.yaml:5:"), result.stderr)
            XCTAssertTrue(result.stderr.contains("error: "), result.stderr)
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(RunEndToEnd.entries(directory), ["reports"], "nothing is written: \(out)")
            XCTAssertEqual(RunEndToEnd.entries(directory.appendingPathComponent("reports")), ["chain.yaml", "invalid.yaml"])
        }
    }

    func testAWrongReferenceExitsOneAndMarksTheFailingChecks() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("wrong-reference.yaml", in: directory)
        let result = try RunEndToEnd.run(["run", spec], in: directory)
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stdout, "FAILED: reports/wrong-reference\n")
        let report = directory.appendingPathComponent("reports/wrong-reference")
        let metrics = try RunEndToEnd.metrics(report)
        XCTAssertFalse(metrics.passed)
        let failing = metrics.checks.filter { !$0.passed }.map(\.name)
        XCTAssertEqual(failing, ["eq4_vs_reference", "eq5_vs_reference", "ks_pvalue"])
        XCTAssertEqual(metrics.checksPassed, metrics.checksTotal - 3)
        let checks = Dictionary(uniqueKeysWithValues: metrics.checks.map { ($0.name, $0) })
        XCTAssertLessThanOrEqual(try XCTUnwrap(checks["eq4_vs_eq5"]).value, 1e-12, "the flow itself is right")

        // log LN(y; 0, 1) − log LN(y; 0.1, 1) = ((ln y − 0.1)² − (ln y)²)/2 = 0.005 − 0.1 ln y: the
        // check is its largest magnitude on the grid of the summary's range (DensityGrid: equal
        // steps, the two end points moved inside by a thousandth of a step).
        let eq4 = try XCTUnwrap(checks["eq4_vs_reference"])
        let range = try XCTUnwrap(OutputFixtures.matches(#"on (\d+) points of \[([^,]+), ([^\]]+)\]"#, in: eq4.summary).first, eq4.summary)
        let (count, low, high) = (try XCTUnwrap(Int(range[0])), try XCTUnwrap(Double(range[1])), try XCTUnwrap(Double(range[2])))
        var expected = 0.0
        for i in 0..<count {
            let step = (high - low) / Double(count - 1)
            let y = i == 0 ? low + step / 1000 : (i == count - 1 ? high - step / 1000 : low + Double(i) * step)
            if y > 0 { expected = max(expected, abs(0.005 - 0.1 * Foundation.log(y))) }
        }
        // The summary prints the range to 6 significant digits.
        XCTAssertLessThanOrEqual(relativeError(eq4.value, expected), 1e-4, "\(eq4.value) vs \(expected) on [\(low), \(high)]")
        XCTAssertLessThanOrEqual(relativeError(try XCTUnwrap(checks["eq5_vs_reference"]).value, expected), 1e-4)
        // KS: the two CDFs differ by at most 2Φ(0.05) − 1 ≈ 0.0399 (at ln y = 0.05); with 20 000
        // samples D scatters around it by ≈ 1/√n ≈ 0.007, and the p-value is far below 0.001.
        let ks = try XCTUnwrap(metrics.metrics.first { $0.name == "ks_statistic" }).value
        XCTAssertLessThanOrEqual(abs(ks - 0.03988), 0.015, "ks_statistic \(ks)")
        XCTAssertLessThan(try XCTUnwrap(checks["ks_pvalue"]).value, 1e-6)

        let rows = try RunEndToEnd.htmlCheckRows(try RunEndToEnd.text(report.appendingPathComponent("index.html")))
        XCTAssertEqual(rows.filter { $0.status == "fail" }.map(\.name), failing)
        XCTAssertEqual(Set(rows.filter { $0.status == "fail" }.map(\.mark)), ["✗ fail"])
        let html = try RunEndToEnd.text(report.appendingPathComponent("index.html"))
        XCTAssertTrue(html.contains("3 of \(metrics.checksTotal) checks failed"))
        let index = try RunEndToEnd.text(directory.appendingPathComponent("reports/index.html"))
        XCTAssertTrue(index.contains("✗ fail"))
        XCTAssertFalse(index.contains("✓ pass"))
    }

    /// exp overflows to +∞ exactly when x > log(greatestFiniteMagnitude) ≈ 709.78.
    static let expOverflowThreshold = Foundation.log(Double.greatestFiniteMagnitude)

    /// The number of overflowing samples of Fixtures/runs/overflow.yaml, counted independently
    /// of the runner: chunk i of a run draws its base samples from stream i of the seed.
    func expectedOverflowCount(_ experiment: Experiment, samples: Int, seed: UInt64) -> Int {
        var overflow = 0
        var start = 0, index: UInt64 = 0
        while start < samples {
            let count = min(SamplePass.chunkSize, samples - start)
            var stream = RandomStream(seed: seed, stream: index)
            var points = PointBatch(dimension: 1, count: count)
            experiment.flow.base.sample(into: &points, using: &stream)
            overflow += points.values.count { $0 > Self.expOverflowThreshold }
            start += count
            index += 1
        }
        return overflow
    }

    func testOverflowIsReportedAsNumericalTroubleAndFiguresStillDrawn() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("overflow.yaml", in: directory)
        let experiment = try SpecLoader.load(path: directory.appendingPathComponent(spec).path)
        let expected = expectedOverflowCount(experiment, samples: 20_000, seed: 11)
        // N(0, 300²) exceeds 709.78 with probability 1 − Φ(2.366) ≈ 0.009: ≈ 180 of 20 000.
        XCTAssertTrue((100...260).contains(expected), "\(expected) overflowing samples")

        let result = try RunEndToEnd.run(["run", spec, "--quiet"], in: directory)
        XCTAssertEqual(result.status, 1, result.stderr)
        let report = directory.appendingPathComponent("reports/overflow")
        let metrics = try RunEndToEnd.metrics(report)
        let trouble = try XCTUnwrap(metrics.checks.first { $0.name == "numerical_trouble" })
        XCTAssertFalse(trouble.passed)
        // The overflowing samples, and the metrics they make infinite: the standard deviation
        // of finite outputs up to e^709 overflows (their mean does not), and a sample whose exp
        // underflows to 0 has a finite Eq. 7 density but none by Eq. 5.
        let infinite = metrics.metrics.filter { !$0.value.isFinite }.map(\.name)
        XCTAssertTrue(infinite.contains("output_std"), "\(infinite)")
        XCTAssertFalse(infinite.contains("output_mean"), "\(infinite)")
        XCTAssertEqual(trouble.value, Double(expected + infinite.count))
        XCTAssertTrue(trouble.summary.contains("samples with a non-finite value (\(expected))"), trouble.summary)
        XCTAssertTrue(trouble.summary.contains("metrics that are not finite (\(infinite.count))"), trouble.summary)
        let message = "\(expected) of 20000 samples are not finite after stage 1 (overflow or NaN)"
        XCTAssertTrue(metrics.warnings.contains { $0.hasPrefix(message) }, "\(metrics.warnings)")
        XCTAssertTrue(metrics.warnings.contains { $0.contains("output_std") }, "\(metrics.warnings)")
        let html = try RunEndToEnd.text(report.appendingPathComponent("index.html"))
        XCTAssertTrue(html.contains(message), "the page says what went wrong")
        XCTAssertTrue(try RunEndToEnd.text(report.appendingPathComponent("report.md")).contains(message))
        // Moments come from the finite samples only.
        let mean = try XCTUnwrap(metrics.metrics.first { $0.name == "output_mean" }).value
        XCTAssertTrue(mean.isFinite, "output_mean \(mean)")
        // Every figure is still written, and the captions say what is not drawn.
        for id in ["histograms", "densities"] {
            XCTAssertNotNil(RunEndToEnd.pngSize(try Data(contentsOf: report.appendingPathComponent("figures/\(id).png"))), id)
            XCTAssertTrue(RunEndToEnd.isPDF(try Data(contentsOf: report.appendingPathComponent("figures/\(id).pdf"))), id)
            let caption = try XCTUnwrap(metrics.figures.first { $0.id == id }?.caption)
            XCTAssertTrue(caption.contains("of stage 1 lie outside the plotted range"), caption)
        }

        // In process: the plotted range is finite and every +∞ lands in the overflow count, never in a bin.
        let run = try Run(experiment: experiment, samples: 20_000, seed: 11, jobs: 2)
        XCTAssertEqual(run.totals.nonFinite, [0, expected])
        let output = try XCTUnwrap(run.checkBox.last)
        XCTAssertTrue(output.lowerBound.isFinite && output.upperBound.isFinite, "\(output)")
        let outputHistograms = run.totals.histograms.filter { $0.key.source == .stage(1) }.map(\.value)
        XCTAssertFalse(outputHistograms.isEmpty)
        for h in outputHistograms {
            XCTAssertEqual(h.nanCount, 0)
            XCTAssertEqual(h.totalCount, 20_000)
            XCTAssertGreaterThanOrEqual(h.overflow, Double(expected))
            XCTAssertGreaterThan(h.counts.reduce(0, +), 0, "something is drawn")
            XCTAssertTrue(h.counts.allSatisfy(\.isFinite))
        }
    }
}
