import Foundation
import Plot
import XCTest
import TestSupport
@testable import PlotCairo

final class CairoOutputTests: XCTestCase {
    /// A figure with a 2×2 heat map filling the whole page: no axes, no padding.
    func quadrants() -> Figure {
        var f = Figure(width: 100, height: 100)
        f.padding = 0
        f.panel.showsAxes = false
        let g = Grid2D(columns: 2, rows: 2, values: [0, 1, 2, 3]) // row 0 = bottom
        f.panel.heatMap(g, x: 0...1, y: 0...1, colorMap: ColorMap(name: "q", colors: [
            Color(r8: 255, g8: 0, b8: 0), Color(r8: 0, g8: 255, b8: 0), Color(r8: 0, g8: 0, b8: 255), Color(r8: 255, g8: 255, b8: 0),
        ]))
        return f
    }

    func testPNGPixelsAtKnownPositions() throws {
        let png = try quadrants().pngData(dpi: 144) // 200 × 200 pixels
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let img = try PNGImage.decode(png)
        XCTAssertEqual(img.width, 200)
        XCTAssertEqual(img.height, 200)
        XCTAssertEqual(img[50, 150], Color(r8: 255, g8: 0, b8: 0), "value 0: bottom-left")
        XCTAssertEqual(img[150, 150], Color(r8: 0, g8: 255, b8: 0), "value 1: bottom-right")
        XCTAssertEqual(img[50, 50], Color(r8: 0, g8: 0, b8: 255), "value 2: top-left")
        XCTAssertEqual(img[150, 50], Color(r8: 255, g8: 255, b8: 0), "value 3: top-right")
    }

    func testLineColourAndWhiteBackground() throws {
        var f = Figure(width: 100, height: 100)
        f.padding = 0
        f.panel.showsAxes = false
        f.panel.hline(0.5, color: Color(r8: 0, g8: 0x72, b8: 0xB2), width: 6, dash: .solid)
        f.panel.y.setLimits(0, 1)
        f.panel.x.setLimits(0, 1)
        let img = try PNGImage.decode(try f.pngData(dpi: 72))
        XCTAssertEqual(img[50, 50], Color(r8: 0, g8: 0x72, b8: 0xB2))
        XCTAssertEqual(img[50, 10], .white)
        XCTAssertEqual(img[50, 90], .white)
    }

    func testSameFigureSameBytes() throws {
        let f = PlotBenchmarkFigure.make()
        XCTAssertTrue(try f.pngData(dpi: 100) == f.pngData(dpi: 100), "PNG bytes differ")
        let a = try f.pdfData(), b = try f.pdfData()
        XCTAssertTrue(a == b, "PDF bytes differ")
        let text = String(decoding: a, as: UTF8.self)
        XCTAssertFalse(text.contains("CreationDate"), "no time stamp in the PDF")
        XCTAssertFalse(text.contains("ModDate"))
        let s1 = try f.svgData(), s2 = try f.svgData()
        XCTAssertTrue(s1 == s2, "SVG bytes differ")
    }

    func testSVGPathAndGlyphCounts() throws {
        var f = Figure(width: 200, height: 100)
        f.panel.showsAxes = false
        f.panel.line(x: [0, 1, 2], y: [0, 1, 0])
        f.panel.line(x: [0, 1, 2], y: [1, 0, 1])
        f.panel.scatter(x: [0.5, 1.5], y: [0.5, 0.5])
        let svg = String(decoding: try f.svgData(), as: UTF8.self)
        XCTAssertTrue(svg.contains("width=\"200pt\""), "sized in points")
        // Two strokes and one fill holding both markers; the background is a <rect>.
        XCTAssertEqual(svg.components(separatedBy: "<path").count - 1, 3)
        XCTAssertEqual(svg.components(separatedBy: "<rect").count - 1, 1)

        var g = Figure(width: 200, height: 100, title: "AB BA")
        g.panel.showsAxes = false
        let gs = String(decoding: try g.svgData(), as: UTF8.self)
        // Cairo draws text as glyph symbols: five glyphs placed ("AB BA"), defined once each
        // for A, B and space, plus Cairo's .notdef glyph 0.
        XCTAssertEqual(gs.components(separatedBy: "xlink:href=\"#glyph").count - 1, 5)
        XCTAssertEqual(gs.components(separatedBy: "<symbol overflow=\"visible\" id=\"glyph").count - 1, 4)
    }

    func testMultiPagePDF() throws {
        let doc = try PDFDocument(title: "flowreport test")
        try doc.addPage(width: 595, height: 842) { r in
            r.drawLabel("Report title", font: Font(family: .serif, size: 18, bold: true), at: Point(72, 72))
            let w = r.measureText("metric", font: Font(size: 10)).width
            XCTAssertGreaterThan(w, 20)
            XCTAssertLessThan(w, 40)
            r.stroke(Rect(x: 72, y: 100, width: 300, height: 60), style: StrokeStyle(width: 0.5))
        }
        try doc.addPage(quadrants())
        try doc.addPage(PlotBenchmarkFigure.make())
        XCTAssertEqual(doc.pageCount, 3)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plotcairo-\(getpid()).pdf")
        defer { try? FileManager.default.removeItem(at: url) }
        try doc.write(to: url.path)
        XCTAssertThrowsError(try doc.addPage(width: 10, height: 10) { _ in }, "no pages after finishing")
        guard let info = try? run("/usr/bin/pdfinfo", [url.path]) else { throw XCTSkip("pdfinfo not installed") }
        let fields = Dictionary(info.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let c = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<c]), line[line.index(after: c)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(fields["Pages"], "3")
        XCTAssertEqual(fields["Title"], "flowreport test")
        XCTAssertTrue(fields["Page size"]?.hasPrefix("595 x 842 pts") ?? false, info)
    }

    func testWriteFilesByExtension() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plotcairo-files-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = quadrants()
        for ext in ["png", "pdf", "svg"] {
            let path = dir.appendingPathComponent("q.\(ext)").path
            try f.write(to: path)
            XCTAssertGreaterThan((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0, 100)
        }
        XCTAssertThrowsError(try f.write(to: dir.appendingPathComponent("q.jpg").path)) { e in
            XCTAssertTrue("\(e)".contains("unknown image extension"))
        }
    }

    func testCairoErrorsCarryStatusText() {
        let f = Figure(width: 100_000, height: 100)
        XCTAssertThrowsError(try f.pngData(dpi: 72)) { e in
            guard let ce = e as? CairoError else { return XCTFail("\(e)") }
            XCTAssertTrue(ce.message.contains("size"), ce.message)
        }
    }

    func run(_ tool: String, _ args: [String]) throws -> String {
        String(decoding: try ExternalTool.run(tool, args).output, as: UTF8.self)
    }
}

/// A figure with text, math, histograms and curves (the benchmark's shape, smaller).
enum PlotBenchmarkFigure {
    static func make() -> Figure {
        var f = Figure(width: 300, height: 240, rows: 2, columns: 1, title: "$X \\sim \\mathcal{N}(0,1)$")
        let edges = (0...40).map { -4 + 8 * Double($0) / 40 }
        let heights = (0..<40).map { i in exp(-pow((edges[i] + edges[i + 1]) / 2, 2) / 2) }
        for r in 0..<2 {
            f[r, 0].histogram(edges: edges, heights: heights, label: "hist")
            let x = (0..<200).map { -4 + 8 * Double($0) / 199 }
            f[r, 0].line(x: x, y: x.map { exp(-$0 * $0 / 2) }, color: .black, width: 2, label: "$p_X(x)$")
            f[r, 0].y.label = "$p_X(x)$"
        }
        return f
    }
}
