import Foundation
import TestSupport
import XCTest
@testable import Report

/// `flowreport run` end to end: every file of a report folder is present and valid, and the
/// reports index lists the report with its state (issue 4, tests).
final class RunEndToEndOutputTests: XCTestCase {
    /// The figures of Fixtures/runs/lognormal.yaml with their sizes in points: two-panel
    /// figures default to 432 × 360, one-panel figures to 432 × 288, `agreement` asks for
    /// 300 × 200 (FigureRequest.resolvedOptions).
    static let lognormalFigures: [(id: String, width: Double, height: Double)] = [
        ("histograms", 432, 360), ("densities", 432, 360), ("agreement", 300, 200),
        ("map", 432, 360), ("calibration", 432, 288), ("calibration-2", 432, 288),
    ]
    static let lognormalDPI = 100.0

    /// Every check of the lognormal fixture, in the runner's order, with the spec's limits.
    static let lognormalChecks: [(name: String, limit: Double)] = [
        ("eq4_vs_eq5", 1e-12), ("eq4_vs_reference", 1e-12), ("eq5_vs_reference", 1e-12),
        ("ks_statistic", 0.05), ("ks_pvalue", 0.001), ("integral", 1e-6), ("round_trip", 1e-12),
        ("logdet_vs_finite_difference", 1e-6), ("numerical_trouble", 0),
    ]

    /// Runs the lognormal fixture from `reports/lognormal.yaml` once per test.
    func runLognormal() throws -> (directory: URL, report: URL, result: RunEndToEnd.Result) {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("lognormal.yaml", in: directory)
        let result = try RunEndToEnd.run(["run", spec], in: directory)
        return (directory, directory.appendingPathComponent("reports/lognormal"), result)
    }

    func testEveryOutputFileIsPresentAndNothingElse() throws {
        let (directory, report, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "passed: reports/lognormal\n")
        var expected = ["index.html", "report.md", "metrics.json", "lognormal.yaml"]
        if FileManager.default.fileExists(atPath: report.appendingPathComponent("report.pdf").path) {
            expected.append("report.pdf")   // written once ReportPDF lands (testReportPDF checks it)
        }
        for figure in Self.lognormalFigures { expected += ["figures/\(figure.id).png", "figures/\(figure.id).pdf"] }
        XCTAssertEqual(RunEndToEnd.fileList(report), expected.sorted())
        XCTAssertEqual(RunEndToEnd.entries(directory.appendingPathComponent("reports")),
                       ["index.html", "lognormal", "lognormal.yaml"], "no staging or backup folder is left behind")
        // The spec copy is the spec, byte for byte.
        XCTAssertEqual(try Data(contentsOf: report.appendingPathComponent("lognormal.yaml")),
                       try Data(contentsOf: RunEndToEnd.fixtures.appendingPathComponent("lognormal.yaml")))
    }

    func testFigureFilesArePNGAndPDFOfTheRequestedSize() throws {
        let (_, report, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        if RunEndToEnd.pdfinfo == nil { print("note: pdfinfo not installed; PDF page counts are not checked") }
        for figure in Self.lognormalFigures {
            let png = try Data(contentsOf: report.appendingPathComponent("figures/\(figure.id).png"))
            let size = try XCTUnwrap(RunEndToEnd.pngSize(png), "\(figure.id).png has a PNG signature and IHDR")
            XCTAssertEqual(size.width, RunEndToEnd.pixels(figure.width, dpi: Self.lognormalDPI), figure.id)
            XCTAssertEqual(size.height, RunEndToEnd.pixels(figure.height, dpi: Self.lognormalDPI), figure.id)

            let pdfURL = report.appendingPathComponent("figures/\(figure.id).pdf")
            XCTAssertTrue(RunEndToEnd.isPDF(try Data(contentsOf: pdfURL)), "\(figure.id).pdf has a PDF header")
            if let info = try RunEndToEnd.pdfInfo(pdfURL) {
                XCTAssertEqual(info.pages, 1, figure.id)
                XCTAssertLessThanOrEqual(relativeError(info.width, figure.width), 1e-3, figure.id)
                XCTAssertLessThanOrEqual(relativeError(info.height, figure.height), 1e-3, figure.id)
            }
        }
        // The non-integral case is really exercised: 300 pt at 100 dpi is 416.67 px.
        XCTAssertEqual(RunEndToEnd.pixels(300, dpi: 100), 417)
    }

    func testReportPDFHasATitlePageAndOnePagePerFigure() throws {
        let (_, report, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        let url = report.appendingPathComponent("report.pdf")
        let data = FileManager.default.contents(atPath: url.path) ?? Data()
        if data.isEmpty {
            throw XCTSkip("report.pdf is not written yet: ReportPDF (branch report-output) is not on main")
        }
        XCTAssertTrue(RunEndToEnd.isPDF(data))
        let info = try XCTUnwrap(try RunEndToEnd.pdfInfo(url), "pdfinfo (poppler-utils) is needed to count pages")
        XCTAssertEqual(info.pages, 1 + Self.lognormalFigures.count)
        // The figure pages are the figures' own PDFs (joined, not drawn again): poppler draws
        // page 1 + k exactly like figures/<id>.pdf.
        let pdftoppm = URL(fileURLWithPath: "/usr/bin/pdftoppm")
        guard FileManager.default.isExecutableFile(atPath: pdftoppm.path) else { return }
        func raster(_ pdf: URL, page: Int) throws -> Data {
            let process = Process()
            process.executableURL = pdftoppm
            process.arguments = ["-r", "20", "-f", String(page), "-l", String(page), pdf.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            return data
        }
        for (k, figure) in Self.lognormalFigures.enumerated() {
            let own = try raster(report.appendingPathComponent("figures/\(figure.id).pdf"), page: 1)
            XCTAssertGreaterThan(own.count, 100)
            XCTAssertEqual(try raster(url, page: 2 + k), own, "report.pdf page \(2 + k) is \(figure.id).pdf")
        }
    }

    func testMetricsJSONHoldsEveryCheckWithMeasuredValues() throws {
        let (_, report, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        let metrics = try RunEndToEnd.metrics(report)
        XCTAssertEqual(metrics.schemaVersion, 1)
        XCTAssertEqual(metrics.name, "lognormal")
        XCTAssertEqual(metrics.title, "Y = exp(X), X ~ N(0, 1) <end-to-end>")
        XCTAssertEqual(metrics.specFile, "lognormal.yaml")
        XCTAssertTrue(metrics.passed)
        XCTAssertEqual(metrics.checks.map(\.name), Self.lognormalChecks.map(\.name))
        XCTAssertEqual(metrics.checks.map(\.limit), Self.lognormalChecks.map(\.limit))
        XCTAssertEqual(metrics.checksTotal, Self.lognormalChecks.count)
        XCTAssertEqual(metrics.checksPassed, Self.lognormalChecks.count)
        for check in metrics.checks {
            XCTAssertTrue(check.passed, "\(check.name) = \(check.value) against \(check.limit)")
            XCTAssertFalse(check.summary.isEmpty, check.name)
        }
        let checks = Dictionary(uniqueKeysWithValues: metrics.checks.map { ($0.name, $0) })
        let values = Dictionary(uniqueKeysWithValues: metrics.metrics.map { ($0.name, $0.value) })
        // Eq. 4 and Eq. 5 agree with each other and with the analytic log-normal to rounding.
        for name in ["eq4_vs_eq5", "eq4_vs_reference", "eq5_vs_reference"] {
            let value = try XCTUnwrap(checks[name]?.value, name)
            XCTAssertGreaterThanOrEqual(value, 0, name)
            XCTAssertLessThanOrEqual(value, 1e-12, name)
        }
        // ∫ p = 1: the check holds |∫ − 1| and the metric the integral itself.
        XCTAssertLessThanOrEqual(try XCTUnwrap(checks["integral"]?.value), 1e-6)
        XCTAssertLessThanOrEqual(relativeError(try XCTUnwrap(values["integral"]), 1), 1e-6)
        XCTAssertEqual(checks["integral"]?.value ?? .nan, abs((values["integral"] ?? .nan) - 1), "check and metric agree")
        // KS of 10 000 exact samples of the reference: a p-value in [0, 1] above the limit, and
        // the statistic (same in the check and the metric) below the spec's 0.05.
        let p = try XCTUnwrap(checks["ks_pvalue"]?.value)
        XCTAssertTrue((0.001...1).contains(p), "ks_pvalue \(p)")
        XCTAssertEqual(values["ks_pvalue"], p)
        let d = try XCTUnwrap(checks["ks_statistic"]?.value)
        XCTAssertTrue(d > 0 && d < 0.05, "ks_statistic \(d)")
        XCTAssertEqual(values["ks_statistic"], d)
        XCTAssertEqual(checks["numerical_trouble"]?.value, 0)
        XCTAssertLessThanOrEqual(try XCTUnwrap(checks["round_trip"]?.value), 1e-12)
        // The sample mean of LogNormal(0, 1) is e^{1/2}; its standard deviation is
        // √((e − 1)e) ≈ 2.16, so with 10 000 samples the standard error is ≈ 0.0216: allow 5 of them.
        let e = M_E
        XCTAssertEqual(values["reference_mean"] ?? .nan, e.squareRoot(), accuracy: 1e-15 * e)
        XCTAssertLessThanOrEqual(relativeError(values["reference_std"] ?? .nan, ((e - 1) * e).squareRoot()), 1e-14)
        let mean = try XCTUnwrap(values["output_mean"])
        XCTAssertLessThan(abs(mean - e.squareRoot()), 5 * ((e - 1) * e).squareRoot() / 100, "output_mean \(mean)")
        // Eq. 7 (forward pass) and Eq. 5 at the samples agree to rounding.
        XCTAssertLessThanOrEqual(try XCTUnwrap(values["sample_logp_vs_eq5"]), 1e-12)
        // Provenance and figures.
        XCTAssertEqual(metrics.provenance.seed, 2024)
        XCTAssertEqual(metrics.provenance.samples, 10_000)
        XCTAssertEqual(metrics.figures.map(\.id), Self.lognormalFigures.map(\.id))
        for figure in metrics.figures {
            XCTAssertEqual(figure.files.map(\.path), ["figures/\(figure.id).png", "figures/\(figure.id).pdf"])
        }
    }

    func testHTMLAndMarkdownShowOneRowPerCheckWithItsResult() throws {
        let (_, report, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        let html = try RunEndToEnd.text(report.appendingPathComponent("index.html"))
        let rows = try RunEndToEnd.htmlCheckRows(html)
        XCTAssertEqual(rows.map(\.name), Self.lognormalChecks.map(\.name))
        XCTAssertEqual(Set(rows.map(\.status)), ["pass"])
        XCTAssertEqual(Set(rows.map(\.mark)), ["✓ pass"])
        XCTAssertTrue(html.contains("All 9 checks passed"))
        // The spec's title is escaped, never raw markup.
        XCTAssertTrue(html.contains("X ~ N(0, 1) &lt;end-to-end&gt;"))
        XCTAssertFalse(html.contains("<end-to-end>"))
        // Every figure is shown from its PNG.
        for figure in Self.lognormalFigures {
            XCTAssertTrue(html.contains(#"<img src="figures/\#(figure.id).png""#), figure.id)
        }
        let markdown = try RunEndToEnd.text(report.appendingPathComponent("report.md"))
        let checksSection = try XCTUnwrap(OutputFixtures.matches("## Checks\n(.*?)\n## ", in: markdown).first?.first)
        let markdownRows = checksSection.split(separator: "\n").filter { $0.hasPrefix("| `") }
        XCTAssertEqual(markdownRows.count, Self.lognormalChecks.count)
        for (row, check) in zip(markdownRows, Self.lognormalChecks) {
            XCTAssertTrue(row.hasPrefix("| `\(check.name)` |"), String(row))
            XCTAssertTrue(row.hasSuffix("| ✅ pass |"), String(row))
        }
    }

    func testReportsIndexListsTheReportWithItsState() throws {
        let (directory, _, result) = try runLognormal()
        XCTAssertEqual(result.status, 0, result.stderr)
        let index = try RunEndToEnd.text(directory.appendingPathComponent("reports/index.html"))
        XCTAssertTrue(index.contains(#"href="lognormal/index.html""#))
        XCTAssertTrue(index.contains("✓ pass"))
        XCTAssertFalse(index.contains("✗ fail"))
        XCTAssertTrue(index.contains("&lt;end-to-end&gt;"))
        XCTAssertFalse(index.contains("<end-to-end>"))
        let entries = try ReportIndex.entries(reportsRoot: directory.appendingPathComponent("reports").path)
        XCTAssertEqual(entries.map(\.name), ["lognormal"])
        XCTAssertEqual(entries.first?.metrics?.passed, true)
    }

    func testOutPutsTheReportUnderTheGivenFolderAndNothingNextToTheSpec() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let first = try RunEndToEnd.place("wrong-reference.yaml", in: directory, subfolder: "specs")
        let second = try RunEndToEnd.place("chain.yaml", in: directory, subfolder: "specs")
        let result = try RunEndToEnd.run(["run", first, second, "--out", "out/all", "--samples", "2000", "--quiet"], in: directory)
        XCTAssertEqual(result.status, 1, "wrong-reference fails its checks: \(result.stderr)")
        XCTAssertEqual(result.stdout, "", "--quiet")
        XCTAssertEqual(RunEndToEnd.entries(directory.appendingPathComponent("specs")), ["chain.yaml", "wrong-reference.yaml"],
                       "nothing is written next to the specs")
        let out = directory.appendingPathComponent("out/all")
        XCTAssertEqual(RunEndToEnd.entries(out), ["chain", "index.html", "wrong-reference"])
        for name in ["chain", "wrong-reference"] {
            let files = RunEndToEnd.fileList(out.appendingPathComponent(name))
            for file in ["index.html", "report.md", "metrics.json", "\(name).yaml"] {
                XCTAssertTrue(files.contains(file), "\(name)/\(file)")
            }
            XCTAssertEqual(try RunEndToEnd.metrics(out.appendingPathComponent(name)).provenance.samples, 2000, "--samples")
        }
        let index = try RunEndToEnd.text(out.appendingPathComponent("index.html"))
        XCTAssertTrue(index.contains(#"href="chain/index.html""#))
        XCTAssertTrue(index.contains(#"href="wrong-reference/index.html""#))
        XCTAssertTrue(index.contains("✓ pass"), "chain passes")
        XCTAssertTrue(index.contains("✗ fail"), "wrong-reference fails")
        let entries = try ReportIndex.entries(reportsRoot: out.path)
        XCTAssertEqual(entries.map(\.name), ["chain", "wrong-reference"])
        XCTAssertEqual(entries.map { $0.metrics?.passed }, [true, false])
    }
}
