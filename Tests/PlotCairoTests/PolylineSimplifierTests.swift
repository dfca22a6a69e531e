import Foundation
import Plot
import XCTest
@testable import PlotCairo

final class PolylineSimplifierTests: XCTestCase {
    /// Runs `points` (the first is the subpath start) through a simplifier; returns the kept vertices.
    func simplify(_ points: [Point], tolerance: Double, maxRun: Int = 32) -> [Point] {
        var s = PolylineSimplifier(tolerance: tolerance, maxRun: maxRun)
        s.start(at: points[0])
        var kept = [points[0]]
        for p in points.dropFirst() { if let q = s.add(p) { kept.append(q) } }
        if let q = s.finish() { kept.append(q) }
        return kept
    }

    /// Distance from `p` to the segment a–b.
    func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y, l2 = dx * dx + dy * dy
        let t = l2 == 0 ? 0 : min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2))
        return hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy))
    }

    func testCollinearRunBecomesOneSegment() {
        let line = (0...100).map { Point(Double($0), 2 * Double($0) + 1) }
        let kept = simplify(line, tolerance: 0.01, maxRun: 1000)
        XCTAssertEqual(kept, [line[0], line[100]])
    }

    func testMaxRunCapsTheDroppedVertices() {
        let line = (0...100).map { Point(Double($0), 0) }
        let kept = simplify(line, tolerance: 0.01, maxRun: 10)
        // Each chord drops at most 10 vertices, so it spans at most 11 steps.
        XCTAssertEqual(kept.first, line[0])
        XCTAssertEqual(kept.last, line[100])
        for (a, b) in zip(kept, kept.dropFirst()) { XCTAssertLessThanOrEqual(b.x - a.x, 11) }
        XCTAssertEqual(kept.count, 11, "\(kept.map(\.x))")
    }

    func testStepsAndTurnsAreKept() {
        // A step histogram outline: every vertex is a corner.
        var steps: [Point] = [Point(0, 10)]
        for i in 0..<20 {
            let h = Double(i % 3 + 1)
            steps.append(Point(Double(i), h))
            steps.append(Point(Double(i + 1), h))
        }
        let kept = simplify(steps, tolerance: 0.01)
        // Only vertices in the middle of equal-height neighbours may go; here heights change at every bin.
        XCTAssertEqual(kept, steps)
        // A spike that doubles back along the same line keeps its tip.
        let spike = [Point(0, 0), Point(10, 0), Point(5, 0)]
        XCTAssertEqual(simplify(spike, tolerance: 0.01), spike)
    }

    /// Every dropped vertex of a dense smooth curve lies within the tolerance of the simplified
    /// polyline; the endpoints are kept; and the count falls by more than half.
    func testDenseCurveStaysWithinTolerance() {
        let tol = 0.01
        let curve = (0..<1000).map { i -> Point in
            let x = -4 + 8 * Double(i) / 999
            return Point(64 + 373 * Double(i) / 999, 140 - 250 * exp(-x * x / 2) / (2 * Double.pi).squareRoot())
        }
        let kept = simplify(curve, tolerance: tol)
        XCTAssertEqual(kept.first, curve.first)
        XCTAssertEqual(kept.last, curve.last)
        XCTAssertLessThan(kept.count, curve.count / 2)
        XCTAssertGreaterThan(kept.count, 20)
        // Walk both polylines: each original vertex lies between the kept vertices it was dropped for.
        var k = 0
        for p in curve {
            while k + 1 < kept.count, p.x > kept[k + 1].x { k += 1 }
            let d = k + 1 < kept.count ? distance(p, kept[k], kept[k + 1]) : distance(p, kept[k], kept[k])
            XCTAssertLessThanOrEqual(d, tol * (1 + 1e-9), "vertex \(p)")
        }
    }

    func testIsWithinGeometry() {
        let a = Point(0, 0), c = Point(10, 0)
        XCTAssertTrue(PolylineSimplifier.isWithin(Point(5, 0.0099), chordFrom: a, to: c, tolerance: 0.01))
        XCTAssertFalse(PolylineSimplifier.isWithin(Point(5, 0.0101), chordFrom: a, to: c, tolerance: 0.01))
        XCTAssertFalse(PolylineSimplifier.isWithin(Point(-0.001, 0), chordFrom: a, to: c, tolerance: 0.01), "before the chord")
        XCTAssertFalse(PolylineSimplifier.isWithin(Point(10.001, 0), chordFrom: a, to: c, tolerance: 0.01), "past the chord")
        XCTAssertTrue(PolylineSimplifier.isWithin(Point(0.005, 0.005), chordFrom: a, to: a, tolerance: 0.01), "zero-length chord")
        XCTAssertFalse(PolylineSimplifier.isWithin(Point(.nan, 0), chordFrom: a, to: c, tolerance: 0.01))
        // Scale-free: the same configuration 1000 times larger with a 1000 times larger tolerance.
        XCTAssertTrue(PolylineSimplifier.isWithin(Point(5000, 9.9), chordFrom: a, to: Point(10000, 0), tolerance: 10))
    }

    /// Pixel differences between two rasters: the largest per channel and the number of
    /// pixels where some channel differs by more than `threshold`.
    func difference(_ a: RGBAImage, _ b: RGBAImage, threshold: Int) -> (worst: Int, over: Int) {
        var worst = 0, over = 0
        for k in 0..<(a.pixels.count / 4) {
            var m = 0
            for c in 0..<4 { m = max(m, abs(Int(a.pixels[4 * k + c]) - Int(b.pixels[4 * k + c]))) }
            worst = max(worst, m)
            if m > threshold { over += 1 }
        }
        return (worst, over)
    }

    /// Through Cairo: the benchmark-shaped figure (dense curves, histograms, dashes) drawn with
    /// and without simplification differs only in antialiasing noise; a tolerance 30 times
    /// larger shows visibly (so the comparison can fail).
    func testSimplifiedDrawingMatchesUnsimplified() throws {
        let f = PlotBenchmarkFigure.make()
        let exact = try PNGImage.rasterize(f, dpi: 150, simplifyTolerance: 0)
        let simplified = try PNGImage.rasterize(f, dpi: 150, simplifyTolerance: CairoRenderer.simplifyTolerance)
        let coarse = try PNGImage.rasterize(f, dpi: 150, simplifyTolerance: 30 * CairoRenderer.simplifyTolerance)
        let d = difference(exact, simplified, threshold: 8)
        let e = difference(exact, coarse, threshold: 8)
        XCTAssertLessThanOrEqual(d.worst, 32, "at most an eighth of full scale anywhere")
        XCTAssertLessThan(d.over, 100, "pixels differing by more than 8/255")
        XCTAssertGreaterThan(e.over, 4 * max(d.over, 25), "a coarse tolerance is detected")
    }
}
