@testable import FlowKit
import Foundation
import TestSupport
import XCTest

/// BucketedCDF against the scalar F it stands in for: within its tolerance on random and
/// special arguments, the scalar's own values where it has no good polynomial (kinks, outside
/// the covered octaves), and the same streaming KS histogram of u as the scalar F.
final class BucketedCDFTests: XCTestCase {
    func arguments(scale: Double, shift: Double = 0) -> [Double] {
        var stream = RandomStream(seed: 31)
        var x = (0..<40_000).map { _ in shift + scale * stream.nextStandardNormal() }
        x += (0..<10_000).map { _ in Foundation.exp(3 * stream.nextStandardNormal()) }
        x += [0, -0.0, 1, -1, 1e-300, -1e-300, Double.leastNonzeroMagnitude, 1e300, -1e300, .infinity, -.infinity, .nan, 40, -40]
        return x
    }

    /// Batch and scalar values of the table against the distribution's scalar cdf.
    func check(_ d: any UnivariateDistribution, _ x: [Double], file: StaticString = #filePath, line: UInt = #line) throws -> BucketedCDF {
        let table = try XCTUnwrap(BucketedCDF(d), file: file, line: line)
        var out = [Double](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { table.cdf(of: xs, into: $0) } }
        var worst = 0.0
        for (v, u) in zip(x, out) {
            let expected = d.cdf(v)
            if expected.isNaN {
                XCTAssertTrue(u.isNaN, "cdf(\(v))", file: file, line: line)
                continue
            }
            XCTAssertTrue(u >= 0 && u <= 1, "cdf(\(v)) = \(u)", file: file, line: line)
            worst = max(worst, abs(u - expected))
            XCTAssertEqual(table.cdf(v), u, "scalar and batch path at \(v)", file: file, line: line)
        }
        XCTAssertLessThanOrEqual(worst, BucketedCDF.tolerance, "\(type(of: d))", file: file, line: line)
        XCTAssertLessThanOrEqual(table.measuredError, BucketedCDF.tolerance, file: file, line: line)
        return table
    }

    func testLogNormalWithinTolerance() throws {
        let table = try check(try LogNormalDistribution(mu: 0, sigma: 1), arguments(scale: 4, shift: 3))
        // Octaves from about e^−7 to e^7 on the positive side only: 22 octaves of 64 buckets.
        XCTAssertGreaterThan(table.bucketCount, 1000)
        XCTAssertLessThan(table.bucketCount, 2000)
        XCTAssertEqual(table.markedCount, 0)
        _ = try check(try LogNormalDistribution(mu: -0.4, sigma: 0.3), arguments(scale: 2, shift: 1))
    }

    func testNormalAndCauchyWithinTolerance() throws {
        let table = try check(try NormalDistribution(mean: 0.3, std: 1.7), arguments(scale: 3))
        XCTAssertEqual(table.markedCount, 0)
        _ = try check(try CauchyDistribution(loc: 0, scale: 1), arguments(scale: 30))
    }

    /// A uniform on [−0.3, 0.7] has kinks inside two buckets: those are marked and give the
    /// scalar F exactly.
    func testKinksAreMarkedAndExact() throws {
        let d = try UniformDistribution(low: -0.3, high: 0.7)
        var x = arguments(scale: 1)
        for k in -50...50 {
            let step = Double(k) * 1e-4
            x.append(-0.3 + step)
            x.append(0.7 + step)
        }
        let table = try check(d, x)
        XCTAssertGreaterThanOrEqual(table.markedCount, 2)
        for v in [-0.3, 0.7, (-0.3).nextUp, 0.7.nextDown] { XCTAssertEqual(table.cdf(v), d.cdf(v)) }
    }

    /// The streaming KS histogram (2^16 bins of u) of 10⁵ log-normal draws: the same counts
    /// from the table as from the log-normal's own batch CDF.
    func testSameKSHistogramAsTheBatchCDF() throws {
        let d = try LogNormalDistribution(mu: 0, sigma: 1)
        let table = try XCTUnwrap(BucketedCDF(d))
        var stream = RandomStream(seed: 2024)
        let y = (0..<100_000).map { _ in d.sample(using: &stream) }
        var fromTable = try Histogram(low: 0, high: 1, binCount: 1 << 16), fromBatch = fromTable
        var u = [Double](repeating: 0, count: y.count)
        y.withUnsafeBufferPointer { ys in u.withUnsafeMutableBufferPointer { table.cdf(of: ys, into: $0) } }
        fromTable.insert(contentsOf: u)
        y.withUnsafeBufferPointer { ys in u.withUnsafeMutableBufferPointer { d.cdf(of: ys, into: $0) } }
        fromBatch.insert(contentsOf: u)
        XCTAssertEqual(fromTable, fromBatch)
        XCTAssertEqual(KolmogorovSmirnov.streaming(uHistogram: fromTable).statistic,
                       KolmogorovSmirnov.streaming(uHistogram: fromBatch).statistic)
    }
}
