import Foundation
import XCTest
@testable import Report

final class OutputIndexTests: XCTestCase {
    private func makeRoot() throws -> String {
        let root = try OutputFixtures.temporaryDirectory()
        let passing = OutputFixtures.document(
            name: "affine", title: "Affine <of> a normal",
            checks: [CheckResult(name: "eq4_vs_eq5", value: 1e-16, limit: 1e-12, passed: true, summary: "s")]
        )
        let failing = OutputFixtures.document(name: "lognormal")
        for document in [failing, passing] {
            try ReportStaging.build(finalDirectory: (root as NSString).appendingPathComponent(document.name)) { staging throws(ReportError) in
                try ReportPages.write(document, into: staging.directory)
            }
        }
        let fileManager = FileManager()
        // Hidden staging leftovers, folders without metrics.json and loose files are not reports.
        try fileManager.createDirectory(atPath: (root as NSString).appendingPathComponent(".lognormal.staging-1"), withIntermediateDirectories: false)
        try fileManager.createDirectory(atPath: (root as NSString).appendingPathComponent("notes"), withIntermediateDirectories: false)
        try Data("x: 1".utf8).write(to: URL(fileURLWithPath: (root as NSString).appendingPathComponent("lognormal.yaml")))
        // A report whose metrics.json is broken is listed as unreadable.
        let broken = (root as NSString).appendingPathComponent("broken")
        try fileManager.createDirectory(atPath: broken, withIntermediateDirectories: false)
        try Data("{\"schema_version\": 1,".utf8).write(to: URL(fileURLWithPath: (broken as NSString).appendingPathComponent("metrics.json")))
        XCTAssertTrue(fileManager.createFile(atPath: (root as NSString).appendingPathComponent("affine/report.pdf"), contents: Data("%PDF".utf8)))
        return root
    }

    func testEntriesReadEachMetricsFile() throws {
        let entries = try ReportIndex.entries(reportsRoot: try makeRoot())
        XCTAssertEqual(entries.map(\.name), ["affine", "broken", "lognormal"])
        XCTAssertEqual(entries.map { $0.metrics?.passed }, [true, nil, false])
        XCTAssertEqual(entries.map(\.hasPDF), [true, false, false])
        XCTAssertEqual(entries[1].problem, "metrics.json is unreadable")
        XCTAssertEqual(entries[2].metrics?.checksPassed, 2)
        XCTAssertEqual(entries[2].metrics?.checksTotal, 3)
    }

    func testIndexListsReportsWithState() throws {
        let root = try makeRoot()
        try ReportIndex.write(reportsRoot: root)
        let html = try OutputFixtures.read((root as NSString).appendingPathComponent("index.html"))
        let rows = try OutputFixtures.matches(
            #"<tr class="(pass|fail)">\s*<td class="nowrap"><a href="([^"]*)"><code>([^<]*)</code></a></td>.*?<td class="num">([^<]*)</td>\s*<td><span class="badge (?:pass|fail)">([^<]*)</span>"#,
            in: html
        )
        XCTAssertEqual(rows.map { $0[2] }, ["affine", "broken", "lognormal"])
        XCTAssertEqual(rows.map { $0[1] }, ["affine/index.html", "broken/index.html", "lognormal/index.html"])
        XCTAssertEqual(rows.map { $0[0] }, ["pass", "fail", "fail"])
        XCTAssertEqual(rows.map { $0[3] }, ["1 / 1", "", "2 / 3"])
        XCTAssertEqual(rows.map { $0[4] }, ["✓ pass", "? unreadable", "✗ fail"])
        XCTAssertTrue(html.contains("3 reports · 1 passing · 1 failing · 1 unreadable"), html)
        XCTAssertTrue(html.contains(#"<a href="affine/report.pdf">PDF</a> · <a href="affine/metrics.json">metrics</a>"#))
        XCTAssertTrue(html.contains("Affine &lt;of&gt; a normal"))
        XCTAssertFalse(html.lowercased().contains("<script"), html)
    }

    func testEmptyRoot() throws {
        let root = try OutputFixtures.temporaryDirectory()
        try ReportIndex.write(reportsRoot: root)
        let html = try OutputFixtures.read((root as NSString).appendingPathComponent("index.html"))
        XCTAssertTrue(html.contains("No reports yet."))
        XCTAssertFalse(html.contains("<tr class="))
    }

    func testMissingRootIsAnIOError() throws {
        let missing = (try OutputFixtures.temporaryDirectory() as NSString).appendingPathComponent("nope")
        XCTAssertThrowsError(try ReportIndex.write(reportsRoot: missing)) { error in
            guard case let ReportError.io(path, _)? = error as? ReportError else { return XCTFail("expected io, got \(error)") }
            XCTAssertEqual(path, missing)
        }
    }
}
