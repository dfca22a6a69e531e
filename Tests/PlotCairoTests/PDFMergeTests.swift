import Foundation
import Plot
import XCTest
import TestSupport
@testable import PlotCairo

final class PDFMergeTests: XCTestCase {
    /// A 2×2 heat map filling the page.
    private func quadrants() -> Figure {
        var f = Figure(width: 100, height: 80)
        f.padding = 0
        f.panel.showsAxes = false
        f.panel.heatMap(Grid2D(columns: 2, rows: 2, values: [0, 1, 2, 3]), x: 0...1, y: 0...1, colorMap: .viridis)
        return f
    }

    private func textPage(_ title: String) throws -> [UInt8] {
        let doc = try PDFDocument(title: title)
        try doc.addPage(width: 595, height: 842) { r in
            r.drawLabel("Report (1 0 R) %not a comment", font: Font(family: .serif, size: 18, bold: true), at: Point(72, 72))
            r.stroke(Rect(x: 72, y: 100, width: 300, height: 60), style: StrokeStyle(width: 0.5))
        }
        try doc.addPage(width: 595, height: 842) { r in
            r.drawLabel("second text page", font: Font(size: 10), at: Point(72, 72))
        }
        return try doc.finish()
    }

    private func tool(_ path: String, _ args: [String]) throws -> [UInt8] {
        let result = try ExternalTool.run(path, args)
        XCTAssertEqual(result.status, 0, "\(path) \(args)")
        return Array(result.output)
    }

    /// Page `page` of the PDF `bytes` rasterised by poppler (PPM bytes, 30 dpi).
    private func rendered(_ bytes: [UInt8], page: Int) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pdfmerge-\(getpid())-\(UUID().uuidString).pdf")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try tool("/usr/bin/pdftoppm", ["-r", "30", "-f", String(page), "-l", String(page), url.path])
    }

    func testPagesFollowInOrderAndRenderAsTheirSources() throws {
        let text = try textPage("merged")
        let figures = [try quadrants().pdfData(), try PlotBenchmarkFigure.make().pdfData()]
        let merged = try PDFMerge.merge([text] + figures)
        let document = try PDFMerge.parse(merged)
        XCTAssertEqual(document.pages.count, 4)
        // Every object of the inputs but each one's catalogue and page tree (and, after the
        // first, its information dictionary), plus the new catalogue and page tree.
        var expected = 2
        for (index, input) in ([text] + figures).enumerated() {
            expected += try PDFMerge.parse(input).objects.count - (index == 0 ? 2 : 3)
        }
        XCTAssertEqual(document.objects.count, expected)
        let sources: [([UInt8], Int)] = [(text, 1), (text, 2), (figures[0], 1), (figures[1], 1)]
        for (page, source) in sources.enumerated() {
            XCTAssertEqual(try rendered(merged, page: page + 1), try rendered(source.0, page: source.1), "page \(page + 1)")
        }
        let info = String(decoding: try tool("/usr/bin/pdfinfo", [try write(merged)]), as: UTF8.self)
        XCTAssertTrue(info.contains("Title:           merged"), info)
        XCTAssertTrue(info.contains("Pages:           4"), info)
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pdfmerge-info-\(getpid()).pdf")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testReferencesAreRenumberedOutsideStringsAndStreams() throws {
        let merged = try PDFMerge.merge([try textPage("a"), try textPage("b")])
        let document = try PDFMerge.parse(merged)
        XCTAssertEqual(document.pages.count, 4)
        XCTAssertEqual(document.pagesTree, 1)
        XCTAssertEqual(document.root, 2)
        // Every page names the new page tree as its parent and its own resources.
        for page in document.pages {
            let range = try XCTUnwrap(document.objects[page])
            XCTAssertEqual(PDFMerge.reference(after: "/Parent", in: merged, range: range), 1)
            let resources = try XCTUnwrap(PDFMerge.reference(after: "/Resources", in: merged, range: range))
            XCTAssertNotNil(document.objects[resources])
        }
        let resources = document.pages.compactMap { page in
            document.objects[page].flatMap { PDFMerge.reference(after: "/Resources", in: merged, range: $0) }
        }
        XCTAssertEqual(Set(resources).count, 4, "pages of the two documents keep apart resources")
    }

    func testSameInputSameBytes() throws {
        let inputs = [try textPage("t"), try quadrants().pdfData()]
        XCTAssertEqual(try PDFMerge.merge(inputs), try PDFMerge.merge(inputs))
    }

    func testMalformedInputThrows() throws {
        let good = try quadrants().pdfData()
        XCTAssertThrowsError(try PDFMerge.merge([])) { XCTAssertTrue("\($0)".contains("no documents"), "\($0)") }
        XCTAssertThrowsError(try PDFMerge.merge([Array("hello".utf8)])) { XCTAssertTrue("\($0)".contains("not a PDF"), "\($0)") }
        XCTAssertThrowsError(try PDFMerge.merge([good, Array(good.prefix(good.count / 2))])) {
            XCTAssertTrue("\($0)".contains("document 2"), "\($0)")
        }
        // An offset that does not point at its object.
        var shifted = good
        shifted.insert(0x20, at: 20)
        XCTAssertThrowsError(try PDFMerge.merge([shifted])) { XCTAssertTrue("\($0)".contains("offset"), "\($0)") }
    }
}
