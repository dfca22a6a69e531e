import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class HistogramTests: XCTestCase {
    /// Brute-force bin of x: the largest i with edge_i ≤ x (the last bin closed).
    static func bruteForceBin(_ x: Double, _ edges: [Double]) -> Int? {
        guard x >= edges[0], x <= edges[edges.count - 1] else { return nil }
        var i = 0
        while i + 1 < edges.count - 1 && edges[i + 1] <= x { i += 1 }
        return i
    }

    func testCountsMatchBruteForce() throws {
        var stream = RandomStream(seed: 1)
        var h = try Histogram(low: -1.5, high: 2.25, binCount: 37)
        var values = (0..<20_000).map { _ in -2 + 4.5 * stream.nextUniform() }
        // Edge cases: both ends, NaN, infinities, values on interior edges.
        values += [-1.5, 2.25, .nan, .infinity, -.infinity, 2.25.nextDown, (-1.5).nextUp]
        values += h.edges
        h.insert(contentsOf: values)
        var expected = [Double](repeating: 0, count: 37)
        var under = 0.0, over = 0.0, nan = 0.0
        for x in values {
            if x.isNaN { nan += 1 } else if x < -1.5 { under += 1 } else if x > 2.25 { over += 1 } else {
                expected[try XCTUnwrap(Self.bruteForceBin(x, h.edges))] += 1
            }
        }
        // Index by multiplication may differ from the edge list only for values within an
        // ulp of an interior edge; none of the random values is, the edges themselves are
        // checked against the multiplication rule below.
        var mismatched = 0
        for i in 0..<37 where h.counts[i] != expected[i] { mismatched += Int(abs(h.counts[i] - expected[i])) }
        XCTAssertLessThanOrEqual(mismatched, 2 * 36, "only values exactly on interior edges may move")
        XCTAssertEqual(h.underflow, under)
        XCTAssertEqual(h.overflow, over)
        XCTAssertEqual(h.nanCount, nan)
        XCTAssertEqual(h.totalCount, Double(values.count))
        XCTAssertEqual(h.binIndex(2.25), 36)
        XCTAssertEqual(h.binIndex(-1.5), 0)
        XCTAssertNil(h.binIndex(.nan))
    }

    /// With a dyadic range every edge is exact, and the multiply rule equals the brute force.
    func testDyadicEdgesAreExact() throws {
        var h = try Histogram(low: -4, high: 4, binCount: 64)
        let edges = h.edges
        h.insert(contentsOf: edges)
        for (i, e) in edges.enumerated() {
            XCTAssertEqual(h.binIndex(e), Self.bruteForceBin(e, edges), "edge \(i)")
        }
        XCTAssertEqual(h.counts[63], 2) // 3.875 and 4
        XCTAssertEqual(h.counts[0], 1)
    }

    func testMergeEqualsInsertAll() throws {
        var stream = RandomStream(seed: 2)
        let values = (0..<10_000).map { _ in 3 * (stream.nextUniform() - 0.4) }
        var all = try Histogram(low: -1, high: 1, binCount: 50)
        all.insert(contentsOf: values)
        var merged = try Histogram(low: -1, high: 1, binCount: 50)
        for chunk in stride(from: 0, to: values.count, by: 1234) {
            var part = try Histogram(low: -1, high: 1, binCount: 50)
            part.insert(contentsOf: values[chunk..<min(chunk + 1234, values.count)])
            merged.merge(part)
        }
        XCTAssertEqual(merged, all)
        // Single inserts equal the buffer path.
        var single = try Histogram(low: -1, high: 1, binCount: 50)
        for x in values { single.insert(x) }
        XCTAssertEqual(single, all)
    }

    func testDensitiesEdgesCenters() throws {
        var h = try Histogram(low: 0, high: 2, binCount: 4)
        h.insert(contentsOf: [0.1, 0.2, 0.7, 1.9, 5, -1, .nan, 1.2])
        XCTAssertEqual(h.edges, [0, 0.5, 1, 1.5, 2])
        XCTAssertEqual(h.centers, [0.25, 0.75, 1.25, 1.75])
        XCTAssertEqual(h.counts, [2, 1, 1, 1])
        // All samples: N = 8, w = 0.5.
        XCTAssertEqual(h.densities(), [0.5, 0.25, 0.25, 0.25])
        // In range only: N = 5; these integrate to 1.
        let d = h.densities(normalizedBy: .inRange)
        XCTAssertEqual(d, [0.8, 0.4, 0.4, 0.4])
        XCTAssertEqual(d.reduce(0, +) * h.binWidth, 1, accuracy: 4 * Double.ulpOfOne)
        XCTAssertEqual(h.integerCounts, [2, 1, 1, 1])
    }

    func testInvalidRangesThrow() {
        XCTAssertThrowsError(try Histogram(low: 1, high: 1, binCount: 3))
        XCTAssertThrowsError(try Histogram(low: 0, high: .infinity, binCount: 3))
        XCTAssertThrowsError(try Histogram(low: 0, high: 1, binCount: 0))
        XCTAssertThrowsError(try Histogram2D(low: 0, high: 1, bins: 1 << 15))
    }

    func testHistogram2DCountsAndMerge() throws {
        var stream = RandomStream(seed: 3)
        var batch = PointBatch(dimension: 3, count: 5000)
        for i in 0..<batch.values.count { batch.values[i] = 10 * stream.nextUniform() - 5 }
        batch[0, 0] = .nan
        batch[1, 0] = 4; batch[1, 1] = 4  // the top-right corner: closed
        var h = try Histogram2D(x: (-4, 4, 16), y: (-4, 4, 8))
        h.insert(batch, xCoordinate: 0, yCoordinate: 1)
        var expected = [Double](repeating: 0, count: 16 * 8)
        var out = 0.0, nan = 0.0
        let xe = h.xEdges, ye = h.yEdges
        for p in 0..<batch.count {
            let x = batch[p, 0], y = batch[p, 1]
            if x.isNaN || y.isNaN { nan += 1; continue }
            guard let ix = HistogramTests.bruteForceBin(x, xe), let iy = HistogramTests.bruteForceBin(y, ye) else { out += 1; continue }
            expected[iy * 16 + ix] += 1
        }
        XCTAssertEqual(h.counts, expected)
        XCTAssertEqual(h.outOfRange, out)
        XCTAssertEqual(h.nanCount, nan)
        XCTAssertEqual(h[15, 7], expected[7 * 16 + 15])
        // Merge of two halves = one pass; single inserts = batch insert.
        var a = try Histogram2D(x: (-4, 4, 16), y: (-4, 4, 8)), b = a, single = a
        a.insert(PointBatch(dimension: 3, values: Array(batch.values[0..<(3 * 2000)])))
        b.insert(PointBatch(dimension: 3, values: Array(batch.values[(3 * 2000)...])))
        a.merge(b)
        XCTAssertEqual(a, h)
        for p in 0..<batch.count { single.insert(batch[p, 0], batch[p, 1]) }
        XCTAssertEqual(single, h)
        // Densities: in-range ones integrate to 1.
        let d = h.densities(normalizedBy: .inRange)
        XCTAssertLessThanOrEqual(relativeError(d.reduce(0, +) * h.xBinWidth * h.yBinWidth, 1), 1e-14)
        XCTAssertLessThanOrEqual(relativeError(h.densities().reduce(0, +) * h.xBinWidth * h.yBinWidth, h.inRangeCount / h.totalCount), 1e-14)
        XCTAssertEqual(h.xCenters.first, -3.75)
        XCTAssertEqual(h.yCenters.last, 3.5)
    }
}

final class HistogramBatchTests: XCTestCase {
    /// The batch insert against one value at a time, with runs of equal values, values on the
    /// edges, out of range and NaN.
    func testBatchMatchesOneAtATime() throws {
        var stream = RandomStream(seed: 5)
        var values = (0..<30_000).map { _ in 0.4 * stream.nextStandardNormal() }
        values += [Double](repeating: 0.01, count: 1000) + [-1, 1, 1.nextUp, -(1.0.nextUp), .nan, .infinity, -.infinity]
        for bins in [1, 7, 100, 4096] {
            var batch = try Histogram(low: -1, high: 1, binCount: bins), single = batch
            values.withUnsafeBufferPointer { batch.insert(contentsOf: $0) }
            for v in values { single.insert(v) }
            XCTAssertEqual(batch, single, "\(bins) bins")
        }
    }
}

extension HistogramBatchTests {
    /// floorIndex is Int(t) for t in [0, 2⁵²): integers, their neighbours, and random values.
    func testFloorIndexIsTruncation() {
        var stream = RandomStream(seed: 9)
        var values: [Double] = [0, -0.0, 0.5, 1, 65535.999_999_999_99, 65536, 0x1p52.nextDown]
        for k in [1, 2, 99, 100, 65535, 65536, 1 << 40] {
            let d = Double(k)
            values += [d, d.nextDown, d.nextUp]
        }
        values += (0..<10_000).map { _ in 70_000 * stream.nextUniform() }
        for t in values { XCTAssertEqual(Histogram.floorIndex(t), Int(t), "t = \(t)") }
    }
}
