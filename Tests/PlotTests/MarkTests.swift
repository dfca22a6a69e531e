import XCTest
@testable import Plot

final class MarkTests: XCTestCase {
    let ctx = PlotContext(plotRect: Rect(x: 0, y: 0, width: 100, height: 100),
                          x: Scale(kind: .linear, domain: (0, 10), range: (0, 100)),
                          y: Scale(kind: .linear, domain: (0, 10), range: (100, 0)))

    func testNaNAndInfinityBreakLines() {
        let m = LineMark(x: [0, 1, 2, 3, 4, 5, 6], y: [1, 2, .nan, 3, 4, .infinity, 5], style: StrokeStyle())
        let p = m.path(in: ctx)
        XCTAssertEqual(p.subpathCount, 3)
        for e in p.elements {
            if case .line(let q) = e { XCTAssertTrue(q.x.isFinite && q.y.isFinite) }
        }
        let logCtx = PlotContext(plotRect: ctx.plotRect, x: ctx.x, y: Scale(kind: .log, domain: (0.1, 10), range: (100, 0)))
        XCTAssertEqual(LineMark(x: [0, 1, 2, 3], y: [1, -1, 2, 3], style: StrokeStyle()).path(in: logCtx).subpathCount, 2,
                       "non-positive values break a line on a log axis")
    }

    func testHistogramOutlineAndStickyZero() {
        let h = StepHistogram(edges: [0, 1, 2, 3], heights: [1, 3, 2], fill: .black)
        let b = h.bounds(x: .linear, y: .linear)
        XCTAssertEqual(b.yMin, 0)
        XCTAssertEqual(b.stickyY, [0])
        let lim = FigureRenderer.limits(Axis(), min: b.yMin, max: b.yMax, sticky: b.stickyY)
        XCTAssertEqual(lim.0, 0, "histograms stand on y = 0 without margin")
        XCTAssertEqual(lim.1, 3 + 0.05 * 3, accuracy: 1e-12)
        let r = RecordingRenderer()
        h.draw(in: ctx, renderer: r)
        guard case .fill(let path, _)? = r.commands.first else { return XCTFail("no fill") }
        // move + 2 per bin + drop to baseline + close
        XCTAssertEqual(path.elements.count, 1 + 6 + 1 + 1)
        XCTAssertEqual(path.elements[2], .line(Point(10, 90)))
    }

    func testMarchingSquaresCircle() {
        let n = 41
        let g = Grid2D(columns: n, rows: n, values: (0..<(n * n)).map { k in
            let x = -2 + 4 * Double(k % n) / Double(n - 1), y = -2 + 4 * Double(k / n) / Double(n - 1)
            return x * x + y * y
        })
        let lines = MarchingSquares.isolines(g, x: -2...2, y: -2...2, level: 1)
        XCTAssertEqual(lines.count, 1, "one joined polyline")
        let line = lines[0]
        XCTAssertEqual(line.first, line.last, "the circle closes")
        XCTAssertGreaterThan(line.count, 40)
        for p in line {
            let r = (p.x * p.x + p.y * p.y).squareRoot()
            // Linear interpolation of r² on a 0.1 grid: radius error below h²/(8r) ≈ 0.0013.
            XCTAssertLessThan(abs(r - 1), 0.0015)
        }
    }

    func testMarchingSquaresSkipsNaNCells() {
        var v = [Double](repeating: 0, count: 16)
        for j in 0..<4 { for i in 0..<4 { v[j * 4 + i] = Double(i) } }
        v[5] = .nan
        let lines = MarchingSquares.isolines(Grid2D(columns: 4, rows: 4, values: v), x: 0...3, y: 0...3, level: 1.5)
        for l in lines { for p in l { XCTAssertEqual(p.x, 1.5, accuracy: 1e-12) } }
        // Column 1 has three cells crossing x = 1.5; the two touching the NaN node (1, 1) are skipped.
        XCTAssertEqual(lines.reduce(0) { $0 + $1.count - 1 }, 1)
        XCTAssertEqual(Set(lines.flatMap { $0.map(\.y) }), [2, 3])
    }

    func testHeatMapImageOrientation() {
        let g = Grid2D(columns: 2, rows: 2, values: [0, 1, 2, 3]) // row 0 = bottom
        let img = HeatMap(grid: g, x: 0...1, y: 0...1, colorMap: .greys).image()
        XCTAssertEqual(img[0, 1], ColorMap.greys.color(at: 0), "bottom-left cell at image bottom row")
        XCTAssertEqual(img[1, 0], ColorMap.greys.color(at: 1))
    }
}
