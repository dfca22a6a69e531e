import Foundation
import XCTest
@testable import Report

/// Golden files for the default templates' output, regenerated only on purpose:
/// `FLOWREPORT_UPDATE_GOLDEN=1 swift test --filter OutputGoldenTests`, then review the diff.
final class OutputGoldenTests: XCTestCase {
    private var goldenDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Output").path
    }

    private func check(_ produced: String, against name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = (goldenDirectory as NSString).appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["FLOWREPORT_UPDATE_GOLDEN"] == "1" {
            try Data(produced.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        if golden != produced {
            let goldenLines = golden.components(separatedBy: "\n")
            let producedLines = produced.components(separatedBy: "\n")
            let first = zip(goldenLines, producedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(goldenLines.count, producedLines.count)
            XCTFail("""
                \(name) differs from the golden file at line \(first + 1):
                golden:   \(first < goldenLines.count ? goldenLines[first] : "<end>")
                produced: \(first < producedLines.count ? producedLines[first] : "<end>")
                (regenerate on purpose with FLOWREPORT_UPDATE_GOLDEN=1)
                """, file: file, line: line)
        }
    }

    func testReportPagesMatchGoldenFiles() throws {
        let directory = try OutputFixtures.temporaryDirectory()
        try ReportPages.write(OutputFixtures.document(), into: directory)
        for (produced, golden) in [("index.html", "report.html"), ("report.md", "report.md"), ("metrics.json", "metrics.json")] {
            try check(try OutputFixtures.read((directory as NSString).appendingPathComponent(produced)), against: golden)
        }
    }

    func testIndexMatchesGoldenFile() throws {
        let root = try OutputFixtures.temporaryDirectory()
        for document in [OutputFixtures.document(name: "lognormal"), OutputFixtures.document(name: "affine", checks: [])] {
            try ReportStaging.build(finalDirectory: (root as NSString).appendingPathComponent(document.name)) { staging throws(ReportError) in
                try ReportPages.write(document, into: staging.directory)
            }
        }
        try ReportIndex.write(reportsRoot: root)
        try check(try OutputFixtures.read((root as NSString).appendingPathComponent("index.html")), against: "index.html")
    }
}
