import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class StatisticsRunningMomentsTests: XCTestCase {
    /// Two-pass reference on data shifted by x₀ (x − x₀ is exact for data within a factor 2
    /// of x₀, Sterbenz): mean by a compensated sum, then central sums. Unshifted, the
    /// rounding of a mean near 1e9 (3e-8) alone would bias M2 by n·(3e-8)².
    static func twoPass(_ x: [Double]) -> (mean: Double, m2: Double, m3: Double) {
        let x0 = x[0]
        var s = 0.0, c = 0.0
        for v in x { let y = v - x0; let t = s + y; c += abs(s) >= abs(y) ? (s - t) + y : (y - t) + s; s = t }
        let shiftedMean = (s + c) / Double(x.count)
        var m2 = 0.0, m3 = 0.0
        for v in x { let d = (v - x0) - shiftedMean; m2 += d * d; m3 += d * d * d }
        return (x0 + shiftedMean, m2, m3)
    }

    func testSmallByHand() {
        let m = RunningMoments([1, 2, 3, 4, 10])
        XCTAssertEqual(m.count, 5)
        XCTAssertEqual(m.mean, 4)
        XCTAssertEqual(try XCTUnwrap(m.variance), 12.5, accuracy: 1e-14 * 12.5)  // Σd² = 50
        XCTAssertEqual(try XCTUnwrap(m.populationVariance), 10, accuracy: 1e-14 * 10)
        // Σd³ = −27 − 8 − 1 + 0 + 216 = 180; g1 = sqrt(5)·180/50^1.5.
        XCTAssertLessThanOrEqual(relativeError(try XCTUnwrap(m.skewness), 5.0.squareRoot() * 180 / Foundation.pow(50, 1.5)), 1e-14)
        XCTAssertEqual(m.min, 1)
        XCTAssertEqual(m.max, 10)
        XCTAssertNil(RunningMoments([3]).variance)
        XCTAssertNil(RunningMoments().populationVariance)
    }

    /// 1e9 + noise of std 1e-3: the naive Σx² − (Σx)²/n loses every digit; shifted Welford
    /// matches the compensated two-pass reference on the same (rounded) data to 1e-12.
    func testIllConditionedMatchesTwoPass() {
        var stream = RandomStream(seed: 9)
        let x = (0..<100_000).map { _ in 1e9 + 1e-3 * (stream.nextUniform() - 0.5) * 12.0.squareRoot() }
        let m = RunningMoments(x)
        let ref = Self.twoPass(x)
        XCTAssertLessThanOrEqual(relativeError(m.mean, ref.mean), 1e-15)
        XCTAssertLessThanOrEqual(relativeError(m.m2, ref.m2), 1e-12)
        // The naive formula for comparison: it must be far off, or this data is too easy.
        var s = 0.0, s2 = 0.0
        for v in x { s += v; s2 += v * v }
        let naive = s2 - s * s / Double(x.count)
        XCTAssertGreaterThan(relativeError(naive, ref.m2), 1)
        // Third moment of a symmetric uniform: skewness near 0 (sampling noise ~ sqrt(6/n)).
        XCTAssertLessThan(abs(m.skewness ?? .nan), 4 * (6.0 / 100_000).squareRoot())
    }

    func testChanMergeEqualsSinglePass() {
        var stream = RandomStream(seed: 10)
        let x = (0..<30_000).map { _ in 5 + Foundation.pow(stream.nextUniform(), 3) * 7 }  // skewed
        let whole = RunningMoments(x)
        var merged = RunningMoments()
        for (k, size) in [1, 2, 997, 10_000, 5, 18_995].enumerated() {
            let start = [0, 1, 3, 1000, 11_000, 11_005][k]
            merged.merge(RunningMoments(x[start..<(start + size)]))
        }
        merged.merge(RunningMoments())
        XCTAssertEqual(merged.count, whole.count)
        let ref = Self.twoPass(x)
        for (a, b, tol) in [(merged.mean, ref.mean, 1e-14), (merged.m2, ref.m2, 1e-12), (merged.m3, ref.m3, 1e-10),
                            (whole.m2, ref.m2, 1e-12), (whole.m3, ref.m3, 1e-10)] {
            XCTAssertLessThanOrEqual(relativeError(a, b), tol)
        }
        XCTAssertEqual(merged.min, whole.min)
        XCTAssertEqual(merged.max, whole.max)
        // scipy.stats.skew of x^3-transformed uniform is positive.
        XCTAssertGreaterThan(merged.skewness ?? 0, 0.5)
    }

    func testNaNIsCountedApart() {
        var m = RunningMoments([1, .nan, 3])
        XCTAssertEqual(m.count, 2)
        XCTAssertEqual(m.nanCount, 1)
        XCTAssertEqual(m.mean, 2)
        m.merge(RunningMoments([.nan]))
        XCTAssertEqual(m.nanCount, 2)
        XCTAssertEqual(m.count, 2)
    }
}
