import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class HistogramDensityDistanceTests: XCTestCase {
    static func normalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

    /// A histogram filled with the exact bin masses (as weights) has L1 = 0 to rounding.
    func testExactBinMassesGiveZero() throws {
        var h = try Histogram(low: -3, high: 2, binCount: 40)
        let e = h.edges
        for i in 0..<40 { h.insert(h.centers[i], weight: Self.normalCDF(e[i + 1]) - Self.normalCDF(e[i])) }
        h.insert(-10, weight: Self.normalCDF(-3))
        h.insert(10, weight: 1 - Self.normalCDF(2))
        XCTAssertLessThanOrEqual(relativeError(h.totalCount, 1), 1e-15)
        XCTAssertLessThanOrEqual(HistogramDensityDistance.l1(h, cdf: Self.normalCDF), 1e-14)
    }

    /// Hand-computed: uniform(0,1) reference, histogram on [0, 1] with 2 bins and counts
    /// (3, 1) plus one overflow: |3/5 − 1/2| + |1/5 − 1/2| + |0 − 0| + |1/5 − 0| = 0.6.
    func testHandComputed() throws {
        var h = try Histogram(low: 0, high: 1, binCount: 2)
        h.insert(contentsOf: [0.1, 0.2, 0.3, 0.9, 1.5])
        let cdf = { (x: Double) in min(1, max(0, x)) }
        XCTAssertLessThanOrEqual(relativeError(HistogramDensityDistance.l1(h, cdf: cdf), 0.6), 1e-15)
    }

    /// Fixed-seed samples of N(0,1) in 100 bins: L1 ~ sqrt(2B/(πN)) for multinomial noise;
    /// a shifted reference is far.
    func testSampledDistanceIsSmallAndDetectsShift() throws {
        var stream = RandomStream(seed: 5)
        var h = try Histogram(low: -4, high: 4, binCount: 100)
        // Inverse-CDF-free normal draws by Box–Muller from our stream.
        for _ in 0..<50_000 {
            let u1 = stream.nextOpenUniform(), u2 = stream.nextUniform()
            h.insert((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
        }
        let l1 = HistogramDensityDistance.l1(h, cdf: Self.normalCDF)
        let noise = (2 * 100 / (Double.pi * 50_000)).squareRoot()  // ≈ 0.036
        XCTAssertLessThan(l1, 1.5 * noise)
        XCTAssertGreaterThan(l1, 0.5 * noise)
        XCTAssertGreaterThan(HistogramDensityDistance.l1(h, cdf: { Self.normalCDF($0 - 0.2) }), 0.1)
    }

    /// 2-D: a product of two normal CDFs gives exact bin masses; weights equal to them give
    /// L1 = 0; a hand case with one wrong bin gives twice the moved mass.
    func testTwoDimensional() throws {
        var h = try Histogram2D(x: (-2, 2, 8), y: (-3, 3, 6))
        let xe = h.xEdges, ye = h.yEdges
        var masses = [Double]()
        for iy in 0..<6 {
            for ix in 0..<8 {
                let m = (Self.normalCDF(xe[ix + 1]) - Self.normalCDF(xe[ix])) * (Self.normalCDF(ye[iy + 1]) - Self.normalCDF(ye[iy]))
                masses.append(m)
                h.insert(h.xCenters[ix], h.yCenters[iy], weight: m)
            }
        }
        h.insert(10, 0, weight: 1 - masses.reduce(0, +))
        XCTAssertLessThanOrEqual(try HistogramDensityDistance.l1(h, binMasses: masses), 1e-14)
        var moved = masses
        moved[0] += 0.01
        moved[1] -= 0.01
        XCTAssertLessThanOrEqual(relativeError(try HistogramDensityDistance.l1(h, binMasses: moved), 0.02), 1e-10)
        XCTAssertThrowsError(try HistogramDensityDistance.l1(h, binMasses: [1]))
    }

    func testMarginalFromBatch() throws {
        let batch = PointBatch(dimension: 2, values: [0.1, 5, 0.6, -5, 0.9, 0])
        var h = try Histogram(low: 0, high: 1, binCount: 2)
        h.insert(batch, coordinate: 0)
        XCTAssertEqual(h.counts, [1, 2])
        var g = try Histogram(low: 0, high: 1, binCount: 2)
        g.insert(batch, coordinate: 1)
        XCTAssertEqual(g.counts, [1, 0])
        XCTAssertEqual(g.underflow, 1)
        XCTAssertEqual(g.overflow, 1)
    }
}
