import Foundation
import XCTest
@testable import Report

/// The same spec and seed give byte-identical figures and identical numbers for any `--jobs`
/// (issue 4: "Results are identical for any --jobs").
final class RunEndToEndReproducibilityTests: XCTestCase {
    /// Metrics that measure the machine, not the experiment.
    static let timingMetrics: Set<String> = ["samples_per_second"]

    func testJobsOneAndTwoGiveByteIdenticalFiguresAndEqualNumbers() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        let spec = try RunEndToEnd.place("chain.yaml", in: directory, subfolder: "specs")
        // 300 000 samples are 5 chunks of 65 536 (the last one partial), so two workers
        // really split the pass and the merge order matters.
        let samples = 300_000
        XCTAssertEqual((samples + SamplePass.chunkSize - 1) / SamplePass.chunkSize, 5)
        var reports: [URL] = []
        for jobs in [1, 2] {
            let result = try RunEndToEnd.run(["run", spec, "--samples", String(samples), "--jobs", String(jobs),
                                              "--out", "jobs\(jobs)", "--quiet"], in: directory)
            XCTAssertEqual(result.status, 0, "jobs \(jobs): \(result.stderr)")
            reports.append(directory.appendingPathComponent("jobs\(jobs)/chain"))
        }
        let one = RunEndToEnd.snapshot(reports[0]), two = RunEndToEnd.snapshot(reports[1])
        XCTAssertEqual(one.keys.sorted(), two.keys.sorted())
        let figures = one.keys.filter { $0.hasPrefix("figures/") }.sorted()
        XCTAssertEqual(figures.count, 8, "4 figures as PNG and PDF: \(figures)")
        for file in figures {
            XCTAssertEqual(one[file], two[file], "\(file) is byte-identical for --jobs 1 and 2")
        }
        XCTAssertEqual(one["chain.yaml"], two["chain.yaml"])

        let first = try RunEndToEnd.metrics(reports[0]), second = try RunEndToEnd.metrics(reports[1])
        XCTAssertEqual(first.provenance.threads, 1)
        XCTAssertEqual(second.provenance.threads, 2)
        XCTAssertEqual(first.provenance.samples, samples)
        XCTAssertEqual(first.checks, second.checks, "every check value, limit, verdict and summary")
        XCTAssertEqual(first.figures, second.figures, "titles and captions (which quote counts)")
        let kept = { (m: ReportMetricsFile) in m.metrics.filter { !Self.timingMetrics.contains($0.name) } }
        XCTAssertEqual(kept(first).map(\.name), kept(second).map(\.name))
        for (a, b) in zip(kept(first), kept(second)) {
            // Bit-identical, not merely close (NaN would compare unequal and fail too).
            XCTAssertEqual(a.value.bitPattern, b.value.bitPattern, "\(a.name): \(a.value) vs \(b.value)")
        }
        XCTAssertTrue(first.metrics.contains { $0.name == "samples_per_second" })
        XCTAssertTrue(first.passed, "\(first.checks.filter { !$0.passed })")
    }
}
