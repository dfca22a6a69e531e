import XCTest
@testable import Plot

/// Axis ranges at the edges of `Double` (issue 9): ticks, scales and layouts never trap and
/// never produce non-finite page positions; labels of any length lay out by bisection.
final class ExtremeRangeTests: XCTestCase {
    /// Subnormal values, parsed from text (literals below 2.2e-308 draw compiler warnings).
    static let tiny = Double("1e-310")!, tinier = Double("2e-311")!, smallest = Double.leastNonzeroMagnitude
    static let extremeRanges: [(Double, Double)] = [
        (-1e308, 1e308),
        (-.greatestFiniteMagnitude, .greatestFiniteMagnitude),
        (0, tiny),
        (0, smallest),
        (-smallest, smallest),
        (1e300, 1.7e308),
        (1e20, 1e20 + 16384),
        (-1e308, -2),
        (0, 1e308),
    ]

    func testLinearTicksOnExtremeRangesAreFiniteAndInside() {
        for (lo, hi) in Self.extremeRanges {
            for n in [1, 2, 5, 9] {
                let t = TickLocator.linear(lower: lo, upper: hi, maxIntervals: n)
                XCTAssertFalse(t.values.isEmpty, "[\(lo), \(hi)]")
                XCTAssertTrue(t.step.isFinite && t.step > 0, "step \(t.step) for [\(lo), \(hi)]")
                for v in t.values {
                    // The locator's slack: within 1e-9 of a step beyond an end (0 on [−1e308, −2]).
                    let slack = t.step * 1e-9
                    XCTAssertTrue(v.isFinite && v >= lo - slack && v <= hi + slack, "tick \(v) outside [\(lo), \(hi)]")
                }
                for label in TickFormatter.linear(t.values, step: t.step) {
                    XCTAssertFalse(label.contains("inf") || label.contains("nan"), "label \(label) for [\(lo), \(hi)]")
                }
            }
        }
    }

    func testHugeSymmetricRangeGetsNiceTicks() {
        let t = TickLocator.linear(lower: -1e308, upper: 1e308, maxIntervals: 4)
        XCTAssertEqual(t.values, [-1e308, -5e307, 0, 5e307, 1e308])
        XCTAssertEqual(TickFormatter.linear([5e307], step: 5e307), ["$5\\times10^{307}$"])
    }

    func testSubnormalRangeGetsExactTicks() {
        let t = TickLocator.linear(lower: 0, upper: Self.tiny, maxIntervals: 5)
        XCTAssertEqual(t.values.first, 0)
        XCTAssertEqual(t.values.last, Self.tiny)
        XCTAssertEqual(t.values.count, 6)
        XCTAssertEqual(TickFormatter.linear([Self.tiny], step: Self.tinier), ["$1.0\\times10^{-310}$"])
    }

    func testScaleMapsHugeDomainsToFinitePositions() {
        let s = Scale(kind: .linear, domain: (-.greatestFiniteMagnitude, .greatestFiniteMagnitude), range: (0, 100))
        XCTAssertEqual(s.map(0), 50)
        XCTAssertEqual(s.map(.greatestFiniteMagnitude), 100)
        XCTAssertEqual(s.map(-.greatestFiniteMagnitude), 0)
        XCTAssertEqual(s.invert(75) / (.greatestFiniteMagnitude / 2), 1, accuracy: 1e-15)
    }

    func testAxisRangeCheckNamesTheProblem() {
        XCTAssertNil(AxisRange.problem(lower: 0, upper: 1))
        XCTAssertNil(AxisRange.problem(lower: -1e300, upper: 1e300))
        XCTAssertNil(AxisRange.problem(lower: 1e-300, upper: 1e300, kind: .log))
        XCTAssertTrue(AxisRange.problem(lower: -1e308, upper: 1e308)?.contains("overflows") == true)
        XCTAssertTrue(AxisRange.problem(lower: 0, upper: Self.tiny)?.contains("too narrow") == true)
        XCTAssertTrue(AxisRange.problem(lower: 1, upper: 1 + 1e-15)?.contains("too narrow") == true)
        XCTAssertTrue(AxisRange.problem(lower: 0, upper: .infinity)?.contains("finite") == true)
        XCTAssertTrue(AxisRange.problem(lower: 0, upper: 1, kind: .log)?.contains("low > 0") == true)
        XCTAssertThrowsError(try AxisRange.check(lower: 2, upper: 1)) { error in
            XCTAssertEqual(error as? PlotError, .undrawableRange(lower: 2, upper: 1, reason: "it must have low < high"))
        }
    }

    func testDrawableRangesAreDrawable() {
        let cases: [(Double, Double)] = Self.extremeRanges + [(3, 3), (.nan, 1), (-.infinity, .infinity), (1, 0), (0, 0)]
        for (lo, hi) in cases {
            let d = AxisRange.drawable(lower: lo, upper: hi)
            XCTAssertNil(AxisRange.problem(lower: d.lower, upper: d.upper), "[\(lo), \(hi)] → [\(d.lower), \(d.upper)]")
        }
        let kept = AxisRange.drawable(lower: 0, upper: 1)
        XCTAssertEqual(kept.lower, 0, "a drawable range is kept")
        XCTAssertEqual(kept.upper, 1)
    }

    func testFigureWithDegenerateDataAndExplicitLimitsLaysOutFinite() {
        for (lo, hi) in Self.extremeRanges {
            var f = Figure(width: 300, height: 200)
            f[0, 0].line(x: [lo, hi], y: [hi, lo])
            f[0, 0].x.setLimits(lo, hi)
            let recorder = RecordingRenderer()
            let layout = FigureRenderer.draw(f, renderer: recorder)
            for b in layout.labels {
                XCTAssertTrue(b.rect.x.isFinite && b.rect.y.isFinite && b.rect.width.isFinite, "\(b.text) at \(b.rect) for [\(lo), \(hi)]")
            }
            for command in recorder.commands {
                if case let .text(_, origin, _, _, _) = command {
                    XCTAssertTrue(origin.x.isFinite && origin.y.isFinite, "text at \(origin) for [\(lo), \(hi)]")
                }
            }
        }
    }

    func testLongLabelIsTruncatedToItsSpace() {
        let renderer = RecordingRenderer()
        let font = Font(size: 10)
        for length in [10, 2_000, 8_000, 50_000] {
            let label = String(repeating: "w", count: length)
            let l = FigureRenderer.fitted(label, font: font, maxWidth: 200, renderer: renderer)
            XCTAssertLessThanOrEqual(l.width, 200, "\(length) characters")
            if length > 100 {
                // RecordingRenderer: 0.6 em per character at the shrunk (half) size.
                let perCharacter = 0.6 * font.size * 0.5 * 0.999
                XCTAssertGreaterThan(l.width, 200 - 2 * perCharacter, "\(length): the longest prefix that fits")
            }
        }
    }
}
