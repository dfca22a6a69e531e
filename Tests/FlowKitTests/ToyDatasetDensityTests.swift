import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The exact densities of 8gaussians and checkerboard: they integrate to 1, match the
/// generators' histograms within sampling noise (fixed seeds, χ²), and have the stated
/// entropies.
final class ToyDatasetDensityTests: XCTestCase {
    func testCatalog() {
        XCTAssertEqual(ToyDatasetDensity(.eightGaussians), .eightGaussians)
        XCTAssertEqual(ToyDatasetDensity(.checkerboard)?.dataset, .checkerboard)
        XCTAssertNil(ToyDatasetDensity(.moons))
        XCTAssertEqual(ToyDatasetDensity.checkerboard.entropy, Foundation.log(32.0))
        XCTAssertThrowsError(try ToyDatasetDensity.checkerboard.logDensities(PointBatch(dimension: 1, count: 2)))
        let nll = MonteCarloEstimate(value: 3.6, standardError: 0.01, count: 10)
        XCTAssertEqual(ToyDatasetDensity.checkerboard.klDivergence(negativeLogLikelihood: nll).value, 3.6 - Foundation.log(32.0), accuracy: 1e-15)
    }

    /// 8gaussians: the mixture formula at a centre (the other components negligible there,
    /// the nearest at 6.1σ), its integral over [−8, 8]² by Simpson is 1 to 1e-10.
    func testEightGaussiansDensity() {
        let d = ToyDatasetDensity.eightGaussians, s = ToyDatasetDensity.eightGaussiansStd
        let (cx, cy) = ToyDatasetDensity.eightGaussiansCenters[4]
        XCTAssertEqual(d.logDensity(cx, cy), -Foundation.log(8 * 2 * Double.pi * s * s), accuracy: 1e-7)
        XCTAssertEqual(d.logDensity(1e200, 0), -.infinity)
        XCTAssertTrue(d.logDensity(.nan, 0).isNaN)
        XCTAssertTrue(d.logDensity(30, -20).isFinite)
        let rule = EnvelopedEnergy.simpsonRule(from: -8, to: 8, intervals: 200)
        let total = EnvelopedEnergy.tensorSum(x: rule, y: rule, jobs: 2) { -d.logDensity($0, $1) }
        XCTAssertEqual(total, 1, accuracy: 1e-10)
    }

    /// χ² of a 16 × 16 histogram of 80,000 generator points on [−4, 4]² against the exact bin
    /// masses (products of normal CDF differences per component); bins with expected count
    /// < 5 are pooled into one. The statistic must be below the 0.9999 quantile
    /// (Wilson–Hilferty) of its χ² distribution.
    func testEightGaussiansMatchesGenerator() {
        let n = 80_000, bins = 16
        var stream = RandomStream(seed: 5, stream: 2)
        let points = ToyDataset.eightGaussians.sample(count: n, using: &stream)
        var counts = [Double](repeating: 0, count: bins * bins + 1)
        for i in 0..<n { counts[bin(points[i, 0], points[i, 1], bins: bins)] += 1 }
        let s = ToyDatasetDensity.eightGaussiansStd, h = 8.0 / Double(bins)
        var expected = [Double](repeating: 0, count: bins * bins + 1)
        for by in 0..<bins {
            for bx in 0..<bins {
                let x0 = -4 + Double(bx) * h, y0 = -4 + Double(by) * h
                var mass = 0.0
                for (cx, cy) in ToyDatasetDensity.eightGaussiansCenters {
                    let px = Special.normalCDF((x0 + h - cx) / s) - Special.normalCDF((x0 - cx) / s)
                    let py = Special.normalCDF((y0 + h - cy) / s) - Special.normalCDF((y0 - cy) / s)
                    mass += px * py / 8
                }
                expected[by * bins + bx] = mass * Double(n)
            }
        }
        expected[bins * bins] = Double(n) - expected[0..<(bins * bins)].reduce(0, +)
        assertChiSquare(observed: counts, expected: expected)
    }

    /// Checkerboard: every generated point has log p = −log 32; the 128 half-unit bins of the
    /// eight squares are equally likely (χ²) and the other 128 empty; the density integrates
    /// to 1 (8 squares of area 4 at 1/32, exactly, on a grid of cell midpoints).
    func testCheckerboardMatchesGenerator() {
        let d = ToyDatasetDensity.checkerboard
        let n = 64_000, bins = 16
        var stream = RandomStream(seed: 6, stream: 2)
        let points = ToyDataset.checkerboard.sample(count: n, using: &stream)
        var counts = [Double](repeating: 0, count: bins * bins + 1)
        for (i, value) in (try! d.logDensities(points)).enumerated() {
            XCTAssertEqual(value, -Foundation.log(32.0), "point \(points.point(i))")
            counts[bin(points[i, 0], points[i, 1], bins: bins)] += 1
        }
        var observed = [Double](), expected = [Double]()
        var integral = 0.0
        for by in 0..<bins {
            for bx in 0..<bins {
                let x = -4 + (Double(bx) + 0.5) * 0.5, y = -4 + (Double(by) + 0.5) * 0.5
                let p = Foundation.exp(d.logDensity(x, y))
                integral += p * 0.25
                if p > 0 {
                    observed.append(counts[by * bins + bx])
                    expected.append(Double(n) * p * 0.25)
                } else {
                    XCTAssertEqual(counts[by * bins + bx], 0)
                }
            }
        }
        XCTAssertEqual(integral, 1, accuracy: 1e-15)
        XCTAssertEqual(observed.count, 128)
        XCTAssertEqual(counts[bins * bins], 0)
        assertChiSquare(observed: observed, expected: expected)
        // The edges: half-open squares [2i, 2i + 2).
        XCTAssertEqual(d.logDensity(-4, 0), -Foundation.log(32.0))
        XCTAssertEqual(d.logDensity(4, 0), -.infinity)
        XCTAssertEqual(d.logDensity(0, 0), -Foundation.log(32.0))
        XCTAssertEqual(d.logDensity(-0.001, 0), -.infinity)
    }

    /// H(8gaussians): the nested adaptive value with its error bound, checked against an
    /// independent Simpson sum of −p log p over [−8, 8]², against the stored value, and against
    /// the well-separated limit log 8 + 1 + log(2πσ²) (the overlap lowers it only slightly).
    func testEightGaussiansEntropy() {
        let h = ToyDatasetDensity.eightGaussiansEntropy()
        XCTAssertTrue(h.converged)
        XCTAssertLessThan(h.errorEstimate, 1e-10)
        XCTAssertEqual(h.value, ToyDatasetDensity.eightGaussians.entropy, accuracy: 1e-11)
        let d = ToyDatasetDensity.eightGaussians
        let rule = EnvelopedEnergy.simpsonRule(from: -8, to: 8, intervals: 200)
        let simpson = EnvelopedEnergy.tensorSum(x: rule, y: rule, jobs: 2) { a, b in
            let l = d.logDensity(a, b)
            return -Foundation.log(max(-l, 1e-300)) - l  // exp(−V) = −l·e^{l} = −p log p (l < 0 here)
        }
        XCTAssertEqual(simpson, h.value, accuracy: 1e-8)
        let s = ToyDatasetDensity.eightGaussiansStd
        let separated = Foundation.log(8.0) + 1 + Foundation.log(2 * Double.pi * s * s)
        XCTAssertLessThan(abs(h.value - separated), 1e-2)
    }

    func bin(_ x: Double, _ y: Double, bins: Int) -> Int {
        let bx = Int(Foundation.floor((x + 4) / 8 * Double(bins))), by = Int(Foundation.floor((y + 4) / 8 * Double(bins)))
        guard bx >= 0, bx < bins, by >= 0, by < bins else { return bins * bins }
        return by * bins + bx
    }

    func assertChiSquare(observed: [Double], expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        var chi2 = 0.0, pooledObserved = 0.0, pooledExpected = 0.0, cells = 0
        for (o, e) in zip(observed, expected) {
            if e < 5 { pooledObserved += o; pooledExpected += e; continue }
            chi2 += (o - e) * (o - e) / e
            cells += 1
        }
        if pooledExpected > 0 {
            chi2 += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / max(pooledExpected, 1e-12)
            cells += 1
        }
        let k = Double(cells - 1), z = 3.719  // 0.9999 normal quantile
        let quantile = k * pow(1 - 2 / (9 * k) + z * (2 / (9 * k)).squareRoot(), 3)
        XCTAssertLessThan(chi2, quantile, "χ² \(chi2) with \(cells - 1) dof", file: file, line: line)
        XCTAssertGreaterThan(chi2, 0.2 * k, "χ² \(chi2) suspiciously small", file: file, line: line)
    }
}
