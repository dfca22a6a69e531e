import XCTest
@testable import Plot

final class TickTests: XCTestCase {
    /// Golden linear tick lists: (lower, upper, max intervals) → ticks. Values are compared
    /// exactly with decimal literals: 0.3 must be 0.3, never 0.30000000000000004.
    func testLinearGoldenTicks() {
        let table: [(Double, Double, Int, [Double])] = [
            (0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
            (0, 0.3, 3, [0, 0.1, 0.2, 0.3]),
            (-1.2, 3.7, 5, [-1, 0, 1, 2, 3]),
            (1e6, 5e6, 4, [1e6, 2e6, 3e6, 4e6, 5e6]),
            (-3e-7, 2e-7, 5, [-3e-7, -2e-7, -1e-7, 0, 1e-7, 2e-7]),
            (0.1, 0.95, 8, [0.2, 0.4, 0.6, 0.8]), // step 0.2 ≥ 0.85/8
            (0.1, 0.95, 9, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]),
            (-4, 4, 9, [-4, -3, -2, -1, 0, 1, 2, 3, 4]),
            (-4, 4, 4, [-4, -2, 0, 2, 4]),
            (0.0001, 0.00035, 5, [0.0001, 0.00015, 0.0002, 0.00025, 0.0003, 0.00035]),
            (-500, 500, 4, [-500, 0, 500]),
            (2.25, 2.75, 5, [2.3, 2.4, 2.5, 2.6, 2.7]),
        ]
        for (lo, hi, n, expected) in table {
            let t = TickLocator.linear(lower: lo, upper: hi, maxIntervals: n)
            XCTAssertEqual(t.values, expected, "ticks for [\(lo), \(hi)] with ≤ \(n) intervals")
        }
    }

    func testNoTickPrintsFloatingPointNoise() {
        for n in 2...9 {
            for (lo, hi) in [(0.0, 0.7), (-0.35, 0.95), (1.1, 1.7), (0.01, 0.09)] {
                let t = TickLocator.linear(lower: lo, upper: hi, maxIntervals: n)
                for label in TickFormatter.linear(t.values, step: t.step) {
                    XCTAssertLessThanOrEqual(label.count, 6, "label \(label) for [\(lo), \(hi)], n = \(n)")
                    XCTAssertFalse(label.contains("0000"), label)
                }
            }
        }
    }

    func testLogGoldenTicks() {
        let a = TickLocator.log(lower: 1, upper: 1000, maxIntervals: 6)
        XCTAssertEqual(a.major, [1, 10, 100, 1000])
        XCTAssertEqual(a.minor.count, 24) // 2…9 in each of three decades
        XCTAssertTrue(a.decades)
        let b = TickLocator.log(lower: 1e-6, upper: 1, maxIntervals: 4)
        XCTAssertEqual(b.major, [1e-6, 1e-4, 1e-2, 1])
        XCTAssertEqual(b.minor, [])
        let c = TickLocator.log(lower: 2, upper: 30, maxIntervals: 6)
        XCTAssertEqual(c.major, [2, 5, 10, 20])
        XCTAssertFalse(c.decades)
        let d = TickLocator.log(lower: 1.5, upper: 1.9, maxIntervals: 4)
        XCTAssertGreaterThanOrEqual(d.major.count, 2, "narrow log range still gets labelled ticks")
    }

    func testLinearFormatter() {
        XCTAssertEqual(TickFormatter.linear([0, 0.2, 0.4], step: 0.2), ["0.0", "0.2", "0.4"])
        XCTAssertEqual(TickFormatter.linear([-1, 0, 1], step: 1), ["−1", "0", "1"])
        XCTAssertEqual(TickFormatter.linear([-500, 0, 500], step: 500), ["−500", "0", "500"])
        XCTAssertEqual(TickFormatter.linear([0, 1e5, 2e5], step: 1e5), ["0", "$1\\times10^{5}$", "$2\\times10^{5}$"])
        XCTAssertEqual(TickFormatter.linear([0, 0.0005, 0.001], step: 0.0005), ["0.0000", "0.0005", "0.0010"])
        XCTAssertEqual(TickFormatter.linear([0, 0.0002, 0.0004], step: 0.0002),
                       ["0", "$2\\times10^{-4}$", "$4\\times10^{-4}$"])
        XCTAssertEqual(TickFormatter.linear([0.00015, 0.0002], step: 0.00005), ["$1.5\\times10^{-4}$", "$2.0\\times10^{-4}$"])
        XCTAssertEqual(TickFormatter.linear([2.3, 2.4], step: 0.1), ["2.3", "2.4"])
        XCTAssertEqual(TickFormatter.fixed(-0.0001, decimals: 2), "0.00", "no negative zero")
    }

    func testLogFormatter() {
        XCTAssertEqual(TickFormatter.log(100, decade: true), "$10^{2}$")
        XCTAssertEqual(TickFormatter.log(0.01, decade: true), "$10^{−2}$")
        XCTAssertEqual(TickFormatter.log(1, decade: true), "$10^{0}$")
        XCTAssertEqual(TickFormatter.log(2, decade: false), "2")
        XCTAssertEqual(TickFormatter.log(0.5, decade: false), "0.5")
        XCTAssertEqual(TickFormatter.log(20, decade: false), "20")
    }

    func testScaleMapsAndFlips() {
        let x = Scale(kind: .linear, domain: (0, 10), range: (100, 300))
        XCTAssertEqual(x.map(0), 100)
        XCTAssertEqual(x.map(5), 200)
        XCTAssertEqual(x.invert(250), 7.5)
        let y = Scale(kind: .linear, domain: (-1, 1), range: (400, 200)) // bottom → top
        XCTAssertEqual(y.map(-1), 400)
        XCTAssertEqual(y.map(1), 200)
        let l = Scale(kind: .log, domain: (1, 1000), range: (0, 300))
        XCTAssertEqual(l.map(10), 100, accuracy: 1e-12 * 300)
        XCTAssertEqual(l.map(100), 200, accuracy: 1e-12 * 300)
        XCTAssertTrue(l.map(0).isNaN)
        XCTAssertTrue(l.map(-1).isNaN)
        for v in [1.5, 37.0, 999.0] {
            XCTAssertLessThan(abs(l.invert(l.map(v)) - v) / v, 1e-13)
        }
    }
}
