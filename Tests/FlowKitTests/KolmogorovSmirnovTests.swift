import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Fixtures: Tests/FlowKitTests/Fixtures/make_ks_fixtures.py (scipy 1.17.1).
final class KolmogorovSmirnovTests: XCTestCase {
    struct Fixtures: Decodable {
        struct PValue: Decodable { let n: Int; let d: Double; let sf: Double; let durbin_sf: Double? }
        struct Tail: Decodable { let lambda: Double; let q: Double }
        struct Sample: Decodable { let shift: Double; let x: [Double]; let statistic: Double; let pvalue: Double }
        let pvalues: [PValue]
        let kolmogorov: [Tail]
        let smirnov: [PValue]
        let samples: [Sample]
    }

    func loadFixtures() throws -> Fixtures {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "ks_fixtures", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }

    static func normalCDF(_ x: Double) -> Double { 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) }

    /// The stated agreement with scipy's kstwo.sf (what kstest's exact mode returns):
    /// - closed forms and doubled Smirnov: 1e-9 relative;
    /// - Durbin matrix: 1e-9 relative to scipy's own Durbin-matrix value; against kstwo.sf
    ///   also 1e-9 where scipy itself is exact, and 1e-5 where scipy switches to its Pelz–Good
    ///   expansion (n > 140 and n·d^1.5 > 1.4; measured worst 4.8e-6, scipy's error);
    /// - asymptotic Stephens (n > 10 000): 2e-3 relative (measured worst 1.5e-3 at n = 20 000,
    ///   shrinking with n).
    func testPValuesAgainstScipy() throws {
        let fixtures = try loadFixtures()
        var worst: [KSResult.PValueMethod: Double] = [:]
        for c in fixtures.pvalues {
            let (p, method) = FlowKit.KolmogorovSmirnov.pValue(statistic: c.d, sampleCount: c.n)
            let nd = Double(c.n)
            let scipyUsesPelzGood = c.n > 140 && c.d < 0.5 && nd * c.d * c.d < 2.2 && nd * Foundation.pow(c.d, 1.5) > 1.4
            let tolerance: Double
            switch method {
            case .asymptoticStephens: tolerance = 2e-3
            case .durbinMatrix:
                tolerance = scipyUsesPelzGood ? 1e-5 : 1e-9
                let reference = try XCTUnwrap(c.durbin_sf, "n = \(c.n), d = \(c.d)")
                XCTAssertLessThanOrEqual(relativeError(p, reference), 1e-9, "n = \(c.n), d = \(c.d): \(p) vs scipy DMTW \(reference)")
            default: tolerance = 1e-9
            }
            let error = c.sf < 1e-300 ? abs(p - c.sf) : relativeError(p, c.sf)
            worst[method] = max(worst[method] ?? 0, error)
            XCTAssertLessThanOrEqual(error, tolerance, "n = \(c.n), d = \(c.d): \(p) vs scipy \(c.sf) [\(method)]")
        }
        // Every branch is exercised.
        XCTAssertEqual(Set(worst.keys), [.closedForm, .doubledSmirnov, .durbinMatrix, .asymptoticStephens])
        print("KS p-value worst relative error vs scipy by method: \(worst)")
    }

    func testKolmogorovTailAgainstScipy() throws {
        for c in try loadFixtures().kolmogorov {
            XCTAssertLessThanOrEqual(relativeError(FlowKit.KolmogorovSmirnov.kolmogorovUpperTail(c.lambda), c.q), 1e-12, "λ = \(c.lambda)")
        }
    }

    func testSmirnovAgainstScipy() throws {
        for c in try loadFixtures().smirnov {
            XCTAssertLessThanOrEqual(relativeError(FlowKit.KolmogorovSmirnov.smirnovUpperTail(n: c.n, d: c.d), c.sf), 1e-9, "n = \(c.n), d = \(c.d)")
        }
    }

    /// Whole tests on fixed normal samples: statistic to 1e-14; p-value to 1e-9 for n = 20
    /// (scipy exact), 1e-5 for n = 300 and 2000 (scipy's Pelz–Good; see above).
    func testExactTestOnSamplesAgainstScipy() throws {
        for s in try loadFixtures().samples {
            let r = FlowKit.KolmogorovSmirnov.exact(sortedSample: s.x, cdf: Self.normalCDF)
            XCTAssertLessThanOrEqual(relativeError(r.statistic, s.statistic), 1e-14, "n = \(s.x.count)")
            XCTAssertLessThanOrEqual(relativeError(r.pValue, s.pvalue), s.x.count <= 140 ? 1e-9 : 1e-5, "n = \(s.x.count): \(r) vs \(s.pvalue)")
            XCTAssertEqual(r.sampleCount, s.x.count)
            XCTAssertEqual(r.statisticErrorBound, 0)
        }
    }

    /// D for n = 1: max(1 − F(x), F(x)); n = 2 at known points.
    /// C = A·B by the textbook triple loop: c_ij summed over l in increasing order from +0,
    /// multiply and add rounded separately.
    static func naiveProduct(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for j in 0..<m {
                var sum = 0.0
                for l in 0..<m { sum = sum + a[i * m + l] * b[l * m + j] }
                c[i * m + j] = sum
            }
        }
        return c
    }

    /// The register-blocked product (4 × 8 blocks, then 4-wide and single columns, then single
    /// rows) equals the triple loop to the bit, for every size that exercises each tail, with
    /// zeros in A (the Hessenberg pattern of the Durbin matrix) and signs mixed.
    func testDurbinMatrixProductEqualsTripleLoop() {
        var stream = RandomStream(seed: 13)
        for m in Array(1...21) + [31, 33, 40, 173] {
            let a = (0..<(m * m)).map { e -> Double in e / m + 1 < e % m ? 0 : stream.nextUniform() - 0.3 }
            let b = (0..<(m * m)).map { _ in (stream.nextUniform() - 0.5) * 1e3 }
            var c = [Double](repeating: .nan, count: m * m)
            FlowKit.KolmogorovSmirnov.multiply(a, b, into: &c, m)
            XCTAssertEqual(c.map(\.bitPattern), Self.naiveProduct(a, b, m).map(\.bitPattern), "m = \(m)")
        }
    }

    /// The Durbin CDF keeps only row k of the accumulated power (a vector–matrix product per
    /// set bit of n) and squares by the blocked product; it must equal, to the bit, the full
    /// m × m powering by the triple loop (the reference here: every product of the binary
    /// powering in full, same summation order).
    func testDurbinRowPoweringEqualsFullPowering() {
        func fullPowering(n: Int, d: Double) -> Double {
            let nd = Double(n) * d
            let k = Int(nd.rounded(.up)), h = Double(k) - nd, m = 2 * k - 1
            var v = [Double](repeating: 0, count: m), w = [Double](repeating: 0, count: m)
            var factorial = 1.0
            for j in 1...m {
                w[j - 1] = factorial
                factorial /= Double(j)
                v[j - 1] = (1 - Foundation.pow(h, Double(j))) * factorial
            }
            let tt = Foundation.pow(max(2 * h - 1, 0), Double(m)) - 2 * Foundation.pow(h, Double(m))
            v[m - 1] = (1 + tt) * factorial
            var hMatrix = [Double](repeating: 0, count: m * m)
            for col in 1..<max(m, 1) { for row in (col - 1)..<m { hMatrix[row * m + col] = w[row - col + 1] } }
            for row in 0..<m { hMatrix[row * m] = v[row] }
            for col in 0..<m { hMatrix[(m - 1) * m + col] = v[m - 1 - col] }
            var power = [Double](repeating: 0, count: m * m)
            for i in 0..<m { power[i * m + i] = 1 }
            var exponent = 0, hExponent = 0, remaining = n
            while remaining > 0 {
                if remaining % 2 == 1 {
                    power = Self.naiveProduct(power, hMatrix, m)
                    exponent += hExponent
                }
                remaining /= 2
                if remaining == 0 { break }
                hMatrix = Self.naiveProduct(hMatrix, hMatrix, m)
                hExponent *= 2
                if abs(hMatrix[(k - 1) * m + k - 1]) > 0x1p128 {
                    for i in 0..<(m * m) { hMatrix[i] *= 0x1p-128 }
                    hExponent += 128
                }
            }
            var p = power[(k - 1) * m + k - 1]
            for i in 1...n {
                p = Double(i) * p / Double(n)
                if abs(p) < 0x1p-128 {
                    p *= 0x1p128
                    exponent -= 128
                }
            }
            return min(1, max(0, Foundation.scalbn(p, exponent)))
        }
        // m from 3 to 99, odd and even n (one a power of two, one 2¹⁶ + 1), h near 0 and near 1.
        let cases: [(Int, Double)] = [(7, 0.3), (50, 0.11), (141, 0.09), (1000, 0.0251), (1024, 0.03),
                                      (10_000, 0.0049999), (65_537, 0.0006)]
        for (n, d) in cases {
            let value = FlowKit.KolmogorovSmirnov.durbinMatrixCDF(n: n, d: d)
            XCTAssertEqual(value.bitPattern, fullPowering(n: n, d: d).bitPattern, "n = \(n), d = \(d)")
            XCTAssertGreaterThan(value, 0)
            XCTAssertLessThan(value, 1)
        }
    }

    func testStatisticByHand() {
        let r1 = FlowKit.KolmogorovSmirnov.exact(sortedSample: [0.3], cdf: { $0 })
        XCTAssertEqual(r1.statistic, 0.7)
        // P(D_1 ≥ 0.7) = 2(1 − 0.7) = 0.6.
        XCTAssertLessThanOrEqual(relativeError(r1.pValue, 0.6), 1e-15)
        let r2 = FlowKit.KolmogorovSmirnov.exact(sortedSample: [0.25, 0.75], cdf: { $0 })
        XCTAssertEqual(r2.statistic, 0.25)
        XCTAssertEqual(r2.pValue, 1) // n·d = 0.5
        XCTAssertEqual(FlowKit.KolmogorovSmirnov.exact(sortedSample: [], cdf: { $0 }).pValue, 1)
        // Unsorted input is sorted first; NaN gives NaN.
        XCTAssertEqual(FlowKit.KolmogorovSmirnov.exact(sortedSample: [0.75, 0.25], cdf: { $0 }), r2)
        XCTAssertTrue(FlowKit.KolmogorovSmirnov.exact(sortedSample: [0.5, .nan], cdf: { $0 }).statistic.isNaN)
        XCTAssertTrue(FlowKit.KolmogorovSmirnov.exact(sortedSample: [0.5], cdf: { _ in .nan }).pValue.isNaN)
    }

    /// The streaming statistic brackets the exact one: D_edge ≤ D ≤ D_edge + bound ≤ D_edge + 1/B.
    func testStreamingBracketsExact() throws {
        var stream = RandomStream(seed: 7, stream: 3)
        for (n, bins, power) in [(1000, 1000, 1.0), (5000, 256, 1.0), (5000, 4096, 1.1), (20, 64, 1.0)] {
            // u^power with power ≠ 1 is not uniform: the test must see it.
            let u = (0..<n).map { _ in Foundation.pow(stream.nextUniform(), power) }.sorted()
            let exact = FlowKit.KolmogorovSmirnov.exact(sortedSample: u, cdf: { $0 })
            var h = try Histogram(low: 0, high: 1, binCount: bins)
            h.insert(contentsOf: u)
            let s = FlowKit.KolmogorovSmirnov.streaming(uHistogram: h)
            XCTAssertEqual(s.sampleCount, n)
            XCTAssertLessThanOrEqual(s.statistic, exact.statistic * (1 + 1e-15))
            XCTAssertGreaterThanOrEqual(s.statistic + s.statisticErrorBound, exact.statistic * (1 - 1e-15))
            XCTAssertLessThanOrEqual(s.statisticErrorBound, 1 / Double(bins) * (1 + 1e-12))
            XCTAssertLessThanOrEqual(exact.statistic - s.statistic, 1 / Double(bins) * (1 + 1e-12))
        }
    }

    /// Fixed-seed behaviour of the test itself: uniform data pass, shifted data fail.
    func testPowerOnFixedSeed() throws {
        var stream = RandomStream(seed: 11)
        let u = (0..<4000).map { _ in stream.nextUniform() }.sorted()
        XCTAssertGreaterThan(FlowKit.KolmogorovSmirnov.exact(sortedSample: u, cdf: { $0 }).pValue, 0.01)
        let shifted = u.map { min(1, $0 * 1.05) }
        XCTAssertLessThan(FlowKit.KolmogorovSmirnov.exact(sortedSample: shifted, cdf: { $0 }).pValue, 1e-6)
    }

    /// Out-of-range u (F evaluated wrongly) counts against the null hypothesis.
    func testStreamingCountsOverflow() throws {
        var h = try Histogram(low: 0, high: 1, binCount: 10)
        h.insert(contentsOf: (0..<10).map { (Double($0) + 0.5) / 10 })
        let clean = FlowKit.KolmogorovSmirnov.streaming(uHistogram: h)
        XCTAssertLessThanOrEqual(clean.statistic, 0.05 + 1e-15)
        for _ in 0..<10 { h.insert(2) }
        let dirty = FlowKit.KolmogorovSmirnov.streaming(uHistogram: h)
        XCTAssertEqual(dirty.sampleCount, 20)
        XCTAssertLessThanOrEqual(relativeError(dirty.statistic, 0.5), 1e-15)
    }
}
