import XCTest
@testable import Plot

/// Layout properties: no label box overlaps another or leaves the page.
final class LayoutTests: XCTestCase {
    func assertClean(_ f: Figure, file: StaticString = #filePath, line: UInt = #line) {
        let layout = FigureRenderer.layout(f, renderer: RecordingRenderer())
        let page = layout.bounds
        for b in layout.labels {
            XCTAssertTrue(page.contains(b.rect, tolerance: 1e-6), "\(b.role) '\(b.text)' \(b.rect) leaves the page", file: file, line: line)
        }
        for (i, a) in layout.labels.enumerated() {
            for b in layout.labels[(i + 1)...] where a.rect.intersects(b.rect) {
                // A legend lives inside its own plot area; only text outside plot areas is checked against it.
                XCTFail("\(a.role) '\(a.text)' \(a.rect) overlaps \(b.role) '\(b.text)' \(b.rect)", file: file, line: line)
            }
        }
        for (k, p) in layout.panels.enumerated() {
            XCTAssertTrue(page.contains(p.plotRect), "panel \(k) plot area leaves the page", file: file, line: line)
            for b in layout.labels where b.role != .legend {
                XCTAssertFalse(b.rect.intersects(p.plotRect), "\(b.role) '\(b.text)' overlaps plot area \(k)", file: file, line: line)
            }
            if let lr = p.legendRect { XCTAssertTrue(p.plotRect.contains(lr), "legend inside its plot", file: file, line: line) }
        }
    }

    func line(_ x: [Double], _ y: [Double]) -> Panel {
        var p = Panel()
        p.line(x: x, y: y)
        return p
    }

    func testLongLabelsAndTitles() {
        var f = Figure(width: 400, height: 300, rows: 1, columns: 2, title: "A figure title that is rather long for its width indeed")
        let x = (0..<50).map { Double($0) }
        f[0, 0] = line(x, x.map { $0 * $0 })
        f[0, 0].x.label = "an exceptionally long horizontal axis label that is wider than the panel"
        f[0, 0].y.label = "a long vertical axis label $\\log p(x)$"
        f[0, 0].title = "left panel title that is long"
        f[0, 1] = line(x, x.map { -$0 })
        f[0, 1].x.label = "$x$"
        assertClean(f)
    }

    func testManyPanels() {
        var f = Figure(width: 500, height: 500, rows: 4, columns: 4, title: "sixteen panels")
        for r in 0..<4 {
            for c in 0..<4 {
                let x = (0..<20).map { Double($0) * pow(10, Double(c - 2)) }
                f[r, c] = line(x, x.map { sin($0) * pow(10, Double(r * 2 - 3)) })
                f[r, c].title = "($r, $c)".replacingOccurrences(of: "$r", with: "\(r)").replacingOccurrences(of: "$c", with: "\(c)")
                f[r, c].x.label = "x"
                f[r, c].y.label = "y"
            }
        }
        assertClean(f)
    }

    func testNegativeTinyHugeValues() {
        var f = Figure(width: 460, height: 345, rows: 2, columns: 2)
        let x = (0..<30).map { Double($0) / 29 }
        f[0, 0] = line(x.map { -$0 * 1e-9 }, x.map { -$0 * 3e8 })
        f[0, 1] = line(x.map { $0 * 1e12 }, x.map { 1e-12 + $0 * 1e-15 })
        f[1, 0] = line(x.map { $0 - 0.5 }, x.map { _ in -7.0 })
        f[1, 1] = line(x.map { $0 * 1e4 + 1 }, x.map { $0 * 1e4 + 1 })
        f[1, 1].x.scale = .log
        f[1, 1].y.scale = .log
        for r in 0..<2 { for c in 0..<2 { f[r, c].y.label = "value"; f[r, c].x.label = "position" } }
        assertClean(f)
    }

    func testColorBarAndSharedAxes() {
        var f = Figure(width: 500, height: 260, rows: 1, columns: 3)
        f.sharedY = true
        for c in 0..<3 {
            let g = Grid2D(columns: 10, rows: 10, values: (0..<100).map { Double($0) * 1e5 })
            f[0, c].heatMap(g, x: 0...1, y: 0...1, colorBarLabel: "density of something")
            f[0, c].title = "panel \(c)"
        }
        let layout = FigureRenderer.layout(f, renderer: RecordingRenderer())
        XCTAssertEqual(layout.labels.filter { $0.role == .yTickLabel && $0.panel != 0 }.count, 0, "inner y tick labels hidden")
        XCTAssertNotNil(layout.panels[2].colorBarRect)
        assertClean(f)
    }

    func testRowOfSquarePanelsWithoutAxes() {
        var f = Figure(width: 700, height: 120, rows: 1, columns: 7)
        for c in 0..<7 {
            f[0, c].heatMap(Grid2D(columns: 3, rows: 3, values: Array(repeating: 1, count: 9)), x: 0...1, y: 0...1)
            f[0, c].showsAxes = false
            f[0, c].boxAspect = 1
            f[0, c].title = "$K = \(c)$"
        }
        let layout = FigureRenderer.layout(f, renderer: RecordingRenderer())
        for p in layout.panels {
            XCTAssertEqual(p.plotRect.width, p.plotRect.height, accuracy: 1e-9, "square")
            XCTAssertTrue(p.xTicks.isEmpty && p.yTicks.isEmpty)
        }
        let widths = Set(layout.panels.map { ($0.plotRect.width * 1e6).rounded() })
        XCTAssertEqual(widths.count, 1, "equal panels")
        assertClean(f)
    }

    func testTickLabelsDoNotCrowdNarrowAxes() {
        var f = Figure(width: 150, height: 120)
        f.panel = line([0, 123456.7], [0, 1e-3])
        let layout = FigureRenderer.layout(f, renderer: RecordingRenderer())
        XCTAssertGreaterThanOrEqual(layout.panels[0].xTicks.filter(\.isMajor).count, 2)
        assertClean(f)
    }

    func testLegendBestAvoidsData() {
        var f = Figure()
        // Data crowd the upper right and upper left; lower left is empty.
        let x = (0...100).map { Double($0) / 100 }
        f.panel.line(x: x, y: x.map { 0.5 + 0.5 * abs(2 * $0 - 1) }, label: "upper")
        f.panel.line(x: [0.6, 1], y: [0, 0.2], label: "lower right")
        let layout = FigureRenderer.layout(f, renderer: RecordingRenderer())
        XCTAssertEqual(layout.panels[0].legendPlacement, .lowerLeft)
        f.panel.legend = .upperRight
        XCTAssertEqual(FigureRenderer.layout(f, renderer: RecordingRenderer()).panels[0].legendPlacement, .upperRight)
    }

    func testDrawWalkClipsMarksToPlotArea() {
        var f = Figure()
        f.panel.line(x: [0, 1], y: [0, 1])
        let r = RecordingRenderer()
        let layout = FigureRenderer.draw(f, renderer: r)
        XCTAssertTrue(r.commands.contains(.clip(layout.panels[0].plotRect)))
        XCTAssertEqual(r.commands.filter { $0 == .save }.count, r.commands.filter { $0 == .restore }.count)
        XCTAssertTrue(r.texts.contains("0.0") && r.texts.contains("1.0"))
    }
}
