import Foundation
import Plot
import XCTest
import TestSupport
@testable import Report

final class OutputPDFTests: XCTestCase {
    private func figure(_ title: String) -> Figure {
        var figure = Figure(title: title)
        let x = (0...200).map { 0.02 + Double($0) * 0.03 }
        figure.panel.line(x: x, y: x.map { exp(-0.5 * log($0) * log($0)) / ($0 * (2 * Double.pi).squareRoot()) })
        return figure
    }

    /// Runs a poppler tool and returns its standard output.
    private func poppler(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try ExternalTool.run("/usr/bin/" + tool, arguments)
        XCTAssertEqual(result.status, 0, "\(tool) failed")
        return String(decoding: result.output, as: UTF8.self)
    }

    private func pageCount(_ path: String) throws -> Int? {
        let info = try poppler("pdfinfo", [path])
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return line.flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) }
    }

    private func text(_ path: String, page: Int) throws -> String {
        try poppler("pdftotext", ["-layout", "-f", String(page), "-l", String(page), path, "-"])
    }

    func testTitlePageThenOneFigurePerPage() throws {
        let directory = try OutputFixtures.temporaryDirectory()
        let path = (directory as NSString).appendingPathComponent("report.pdf")
        try ReportPDF.write(document: OutputFixtures.document(), figures: [figure("Densities"), figure("Agreement")], to: path)
        XCTAssertEqual(try pageCount(path), 3)
        let first = try text(path, page: 1)
        XCTAssertTrue(first.contains(OutputFixtures.hostileTitle), first)
        XCTAssertTrue(first.contains("1 of 3 checks failed"), first)
        for name in ["eq4_vs_eq5", "ks_pvalue", "integral", "2.22e-16", "✗ fail", "Provenance", "Page 2", "Page 3"] {
            XCTAssertTrue(first.contains(name), "page 1 lacks \(name):\n\(first)")
        }
        XCTAssertTrue(try text(path, page: 2).contains("Densities"))
        XCTAssertTrue(try text(path, page: 3).contains("Agreement"))
    }

    func testLongChecksTableContinuesWithItsHeader() throws {
        let checks = (0..<80).map { index in
            CheckResult(name: "check_\(index)", value: Double(index) * 1e-3, limit: 0.05, passed: index < 50,
                        summary: "a long description of check \(index) that wraps onto a second line of the narrow what-is-measured column")
        }
        let directory = try OutputFixtures.temporaryDirectory()
        let path = (directory as NSString).appendingPathComponent("report.pdf")
        try ReportPDF.write(document: OutputFixtures.document(checks: checks), figures: [figure("Densities")], to: path)
        let pages = try XCTUnwrap(try pageCount(path))
        XCTAssertGreaterThanOrEqual(pages, 3)
        var seen: [String] = []
        for page in 1..<pages {
            let content = try text(path, page: page)
            if page > 1, content.contains("check_") {
                XCTAssertTrue(content.contains("What is measured"), "page \(page) lacks the repeated header")
            }
            seen += try OutputFixtures.matches(#"(check_\d+)"#, in: content).map { $0[0] }
            XCTAssertTrue(content.contains("page \(page)"))
        }
        XCTAssertEqual(seen, checks.map(\.name), "every row once, in order")
        // The figure list names the real page of the figure.
        let last = try text(path, page: pages - 1)
        XCTAssertTrue(last.contains("Page \(pages)"), last)
        XCTAssertTrue(try text(path, page: pages).contains("Densities"))
    }

    func testSameInputSameBytes() throws {
        let directory = try OutputFixtures.temporaryDirectory()
        let a = (directory as NSString).appendingPathComponent("a.pdf")
        let b = (directory as NSString).appendingPathComponent("b.pdf")
        try ReportPDF.write(document: OutputFixtures.document(), figures: [figure("Densities")], to: a)
        try ReportPDF.write(document: OutputFixtures.document(), figures: [figure("Densities")], to: b)
        XCTAssertEqual(FileManager().contents(atPath: a), FileManager().contents(atPath: b))
    }

    func testUnwritablePathIsAnIOError() throws {
        let path = (try OutputFixtures.temporaryDirectory() as NSString).appendingPathComponent("missing/report.pdf")
        XCTAssertThrowsError(try ReportPDF.write(document: OutputFixtures.document(), figures: [], to: path)) { error in
            guard case let ReportError.io(errorPath, _)? = error as? ReportError else { return XCTFail("expected io, got \(error)") }
            XCTAssertEqual(errorPath, path)
        }
    }
}

final class OutputPDFWrapTests: XCTestCase {
    func testBreakablePieces() {
        XCTAssertEqual(PDFTextPage.breakablePieces("logdet_vs_finite_difference"), ["logdet_", "vs_", "finite_", "difference"])
        XCTAssertEqual(PDFTextPage.breakablePieces("a-b/c"), ["a-", "b/", "c"])
        XCTAssertEqual(PDFTextPage.breakablePieces("plain"), ["plain"])
    }

    func testSingleLine() {
        XCTAssertEqual(PDFTextPage.singleLine("a\nb\tc\r\nd"), "a b c d")
    }

    /// Long words break between characters, each line the longest prefix that fits (the
    /// recording renderer measures 6 pt per character at 10 pt, so 10 characters per 60 pt).
    func testLongWordsBreakIntoFullLines() {
        let page = PDFTextPage(document: OutputFixtures.document(), figureTitles: [], renderer: RecordingRenderer(), width: 60)
        let font = Font(family: .sans, size: 10)
        XCTAssertEqual(page.wrap(String(repeating: "a", count: 25), font: font, width: 60),
                       ["aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"])
        XCTAssertEqual(page.wrap("xy " + String(repeating: "b", count: 23), font: font, width: 60),
                       ["xy", "bbbbbbbbbb", "bbbbbbbbbb", "bbb"])
        XCTAssertEqual(page.wrap("ab cd_" + String(repeating: "e", count: 12), font: font, width: 60),
                       ["ab", "cd_", "eeeeeeeeee", "ee"])
        XCTAssertEqual(page.wrap("w", font: font, width: 3), ["w"], "one character per line at least")
        // A description of 200,000 characters (issue 9: O(n · line) measurements took seconds).
        let lines = page.wrap(String(repeating: "z", count: 200_000), font: font, width: 60)
        XCTAssertEqual(lines.count, 20_000)
        XCTAssertTrue(lines.allSatisfy { $0.count == 10 })
    }
}
