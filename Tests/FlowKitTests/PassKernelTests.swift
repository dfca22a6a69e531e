import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The sample pass's kernels against the plain loops they replace: chunk counts
/// (``HistogramCounts``) merged into a histogram, the histogram insertion that also counts
/// support violations, the four-lane ``FiniteScan`` against its scalar formula bit for bit, and
/// the exp map's batch pass against the C library and its own scalar path.
final class PassKernelTests: XCTestCase {
    /// Values on and around the edges of [low, high] and its bins, NaN and ±∞, and random ones.
    static func edgeValues(low: Double, high: Double, bins: Int, seed: UInt64) -> [Double] {
        var stream = RandomStream(seed: seed)
        var values = (0..<5000).map { _ in low - 0.25 * (high - low) + 1.5 * (high - low) * stream.nextUniform() }
        values += [low, high, low.nextUp, low.nextDown, high.nextDown, high.nextUp, .nan, .infinity, -.infinity, 0, -0.0]
        for i in 0...bins {
            let e = low + (high - low) * Double(i) / Double(bins)
            values += [e, e.nextUp, e.nextDown]
        }
        return values
    }

    /// Counts of several chunks merged equal every value inserted into the histogram: the same
    /// bins, underflow, overflow and NaN counts.
    func testHistogramCountsMergedEqualInsertion() throws {
        for (low, high, bins) in [(0.0, 1.0, 1 << 16), (-1.5, 2.25, 37), (0.0, 20.0, 100)] {
            let values = Self.edgeValues(low: low, high: high, bins: min(bins, 200), seed: UInt64(bins))
            var direct = try Histogram(low: low, high: high, binCount: bins)
            direct.insert(contentsOf: values)
            var merged = try Histogram(low: low, high: high, binCount: bins)
            for start in stride(from: 0, to: values.count, by: 777) {
                var chunk = HistogramCounts(binning: merged)
                values[start..<min(values.count, start + 777)].withContiguousStorageIfAvailable { chunk.insert(contentsOf: $0) }
                XCTAssertEqual(chunk.total, min(777, values.count - start))
                merged.merge(chunk)
            }
            XCTAssertEqual(merged, direct, "[\(low), \(high)] in \(bins) bins")
            XCTAssertEqual(merged.nanCount, 1)
            XCTAssertGreaterThan(merged.underflow, 0)
            XCTAssertGreaterThan(merged.overflow, 0)
        }
    }

    /// The insertion that scans the support fills the same histogram as the plain insertion and
    /// counts what the separate scan counts: non-finite values, and finite values outside
    /// [lower, upper] with the end points inside.
    func testInsertionScanningSupportCountsLikeTheScan() throws {
        let values = Self.edgeValues(low: -4, high: 4, bins: 100, seed: 9) + [-3, 3, -3.0.nextDown, 3.0.nextUp]
        for (lower, upper) in [(-Double.infinity, Double.infinity), (-3.0, 3.0), (0.0, Double.infinity)] {
            var plain = try Histogram(low: -4, high: 4, binCount: 100)
            plain.insert(contentsOf: values)
            var scanned = try Histogram(low: -4, high: 4, binCount: 100)
            let counts = values.withUnsafeBufferPointer { scanned.insert(contentsOf: $0, scanningSupport: lower, upper) }
            XCTAssertEqual(scanned, plain)
            XCTAssertEqual(counts.nonFinite, 3)
            let outside = values.filter { $0.isFinite && ($0 < lower || $0 > upper) }.count
            XCTAssertEqual(counts.outside, outside, "support [\(lower), \(upper)]")
            if lower == -3 { XCTAssertGreaterThan(outside, 1000) }
        }
    }

    /// The scalar formula of ``FiniteScan`` (lanes i mod 4 over whole groups, the tail into lane
    /// 0, sums added as (l0 + l1) + (l2 + l3)): the vector scan must give the same bits.
    static func scalarScan(_ v: [Double], lower: Double, upper: Double) -> FiniteScan {
        var count = 0, outside = 0
        var sum = [0.0, 0, 0, 0]
        var low = Double.infinity, high = -Double.infinity
        let whole = v.count / 4 * 4
        for (i, x) in v.enumerated() where x.isFinite {
            count += 1
            if x < lower || x > upper { outside += 1 }
            sum[i < whole ? i % 4 : 0] += x
            low = min(low, x)
            high = max(high, x)
        }
        guard count > 0 else { return FiniteScan(moments: RunningMoments(), nonFinite: v.count, outside: 0) }
        let n = Double(count)
        let m = ((sum[0] + sum[1]) + (sum[2] + sum[3])) / n
        var s1 = [0.0, 0, 0, 0], s2 = [0.0, 0, 0, 0], s3 = [0.0, 0, 0, 0]
        for (i, x) in v.enumerated() {
            let d = x.isFinite ? x - m : 0
            let lane = i < whole ? i % 4 : 0
            s1[lane] += d
            s2[lane] += d * d
            s3[lane] += d * d * d
        }
        let d1 = (s1[0] + s1[1]) + (s1[2] + s1[3]), d2 = (s2[0] + s2[1]) + (s2[2] + s2[3])
        let d3 = (s3[0] + s3[1]) + (s3[2] + s3[3])
        let mean = d1 / n
        return FiniteScan(moments: RunningMoments(count: count, shift: m, shiftedMean: mean, m2: max(0, d2 - d1 * mean),
                                                  m3: d3 - 3 * mean * d2 + 2 * d1 * mean * mean, min: low, max: high),
                          nonFinite: v.count - count, outside: outside)
    }

    func testVectorFiniteScanMatchesTheScalarFormulaBitForBit() {
        var stream = RandomStream(seed: 12)
        let normals = (0..<70_003).map { _ in stream.nextStandardNormal() }
        var cases: [[Double]] = (0...9).map { Array(normals.prefix($0).map { 1e3 + Foundation.exp($0) }) }
        cases.append(normals.map { Foundation.exp(2 * $0) })
        var dirty = Array(normals.prefix(1027))
        for i in stride(from: 0, to: dirty.count, by: 97) { dirty[i] = [.nan, .infinity, -.infinity][i % 3] }
        dirty[1026] = .nan   // in the tail
        cases.append(dirty)
        for values in cases {
            for (lower, upper) in [(-Double.infinity, Double.infinity), (0.0, 2.0)] {
                let vector = values.withUnsafeBufferPointer { FiniteScan($0, lower: lower, upper: upper) }
                let scalar = Self.scalarScan(values, lower: lower, upper: upper)
                XCTAssertEqual(vector.nonFinite, scalar.nonFinite, "n = \(values.count)")
                XCTAssertEqual(vector.outside, scalar.outside, "n = \(values.count)")
                let a = vector.moments, b = scalar.moments
                XCTAssertEqual(a.count, b.count)
                XCTAssertEqual(a.mean.bitPattern, b.mean.bitPattern, "n = \(values.count)")
                XCTAssertEqual(a.m2.bitPattern, b.m2.bitPattern, "n = \(values.count)")
                XCTAssertEqual(a.m3.bitPattern, b.m3.bitPattern, "n = \(values.count)")
                XCTAssertEqual(a.min, b.min)
                XCTAssertEqual(a.max, b.max)
            }
        }
        XCTAssertEqual(cases[cases.count - 1].withUnsafeBufferPointer { FiniteScan($0) }.nonFinite, 11 + 1)
    }

    /// The exp map's batch pass: within 4 ulp of the C library's exp from −745 to 709.78 (libm's
    /// own values below −708, subnormal and 0 included), +∞ above, NaN kept; the same bits as
    /// the scalar ``ExpMap/forward(_:)`` at every position of a buffer whose length is not a
    /// multiple of four; log|det| = x summed per point.
    func testExpMapBatchPassMatchesTheCLibraryAndTheScalarPath() {
        var x: [Double] = [-800, -745.2, -745, -720, -708.0001, -708, -707.9999, -700, -1e-300, 0, -0.0, 1e-12,
                           0.3465, 5, 700, 709.78, 709.8, 800, .infinity, -.infinity, .nan]
        var stream = RandomStream(seed: 13)
        for _ in 0..<3000 { x.append(-40 + 80 * stream.nextUniform()) }
        for _ in 0..<500 { x.append(-745 + 1455 * stream.nextUniform()) }
        x.append(1.5)   // a partial last group
        let map = ExpMap()
        for d in [1, 3] {
            let n = x.count / d
            var batch = PointBatch(dimension: d, values: Array(x.prefix(n * d)))
            var logAbsDet = [Double](repeating: 0.5, count: n)
            Elementwise(map).forward(&batch, logAbsDet: &logAbsDet)
            for i in 0..<(n * d) {
                let y = batch.values[i], expected = Foundation.exp(x[i])
                XCTAssertEqual(y.bitPattern, map.forward(x[i]).value.bitPattern, "exp(\(x[i])) batch vs scalar")
                if x[i].isNaN {
                    XCTAssertTrue(y.isNaN)
                } else if x[i] < ExpMap.vectorLow {
                    XCTAssertEqual(y, expected, "exp(\(x[i])) below −708 is libm's")
                } else {
                    XCTAssertLessThanOrEqual(ulpDistance(y, expected), 4, "exp(\(x[i])) = \(y), libm \(expected)")
                }
            }
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<d { sum += x[i * d + j] }
                XCTAssertEqual(logAbsDet[i].bitPattern, (0.5 + sum).bitPattern)
            }
        }
        XCTAssertEqual(map.forward(-745.2).value, Foundation.exp(-745.2))
        XCTAssertGreaterThan(map.forward(-740).value, 0, "subnormal, not flushed")
    }

    /// The batch normal draws (four words at a time while all four are accepted) against the
    /// scalar ziggurat, bit for bit, for buffer lengths that end inside a group of four and after
    /// 0–3 words already taken from the stream, and the stream left where the scalar calls leave it.
    func testFillStandardNormalFourAtATimeMatchesScalarDraws() {
        for n in [1, 3, 4, 5, 255, 257, 1023, 4099] {
            for skip in 0..<4 {
                var scalar = RandomStream(seed: 77, stream: UInt64(n)), batch = scalar
                for _ in 0..<skip {
                    XCTAssertEqual(scalar.nextUInt64(), batch.nextUInt64())
                }
                let expected = (0..<n).map { _ in scalar.nextStandardNormal() }
                var out = [Double](repeating: .nan, count: n)
                out.withUnsafeMutableBufferPointer { batch.fillStandardNormal($0) }
                XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern), "n = \(n), skip = \(skip)")
                XCTAssertEqual(batch.nextUInt64(), scalar.nextUInt64(), "n = \(n), skip = \(skip)")
            }
        }
    }

    // MARK: - Fast paths against plain scalar loops, every tail length

    /// Inputs for the exp kernel: the edges of its range (−708, 709.78…, the libm fallback below
    /// −708, the subnormal results, +∞ above), NaN, ±∞, ±0, and random values from −760 to 720.
    static func expInputs(count: Int, seed: UInt64) -> [Double] {
        let edges: [Double] = [-800, -745.2, -745, -720, -708.0001, -708, (-708.0).nextDown, (-708.0).nextUp, -707.9999,
                               -1e-300, 0, -0.0, 1e-12, 0.3465, 709.78, 709.782712893384, (709.782712893384).nextUp,
                               709.8, 800, .infinity, -.infinity, .nan, -.nan, .leastNonzeroMagnitude]
        var stream = RandomStream(seed: seed)
        return (0..<count).map { i in
            let u = stream.nextUniform()
            return u < 0.3 ? edges[(i &* 7 &+ Int(seed)) % edges.count] : -760 + 1480 * stream.nextUniform()
        }
    }

    /// The fused d = 1 pass (sixteen values, then four, then one padded group) against the plain
    /// loop it replaces: sums[i] += 0 + x, then p[i] = ``ExpMap/exponential(_:)``, bit for bit, for
    /// every length 0…40 (every tail after 0–2 whole sixteen-groups), longer buffers, and the
    /// log-dets starting at ±0 and other values; the d = 2 pass against its loop too.
    func testExpMapFusedPassMatchesThePlainLoopForEveryLength() {
        let map = ExpMap()
        for n in Array(0...40) + [63, 64, 65, 1000, 4099] {
            for seed in UInt64(1)...3 {
                let x = Self.expInputs(count: n, seed: seed &* 1000 &+ UInt64(n))
                var start = RandomStream(seed: seed)
                let sums0 = (0..<n).map { i in i % 5 == 0 ? [0.0, -0.0, 0.5, -3.25][i % 4] : -2 + 4 * start.nextUniform() }
                var values = x, sums = sums0
                values.withUnsafeMutableBufferPointer { v in
                    sums.withUnsafeMutableBufferPointer { s in map.forward(v, dimension: 1, logAbsDet: s) }
                }
                for i in 0..<n {
                    let expected = ExpMap.exponential(x[i])
                    XCTAssertEqual(values[i].bitPattern, expected.bitPattern, "exp(\(x[i])) at \(i) of \(n)")
                    XCTAssertEqual(sums[i].bitPattern, (sums0[i] + (0 + x[i])).bitPattern, "log-det at \(i) of \(n)")
                }
                if n % 2 == 0 {
                    var values2 = x, sums2 = Array(sums0.prefix(n / 2))
                    values2.withUnsafeMutableBufferPointer { v in
                        sums2.withUnsafeMutableBufferPointer { s in map.forward(v, dimension: 2, logAbsDet: s) }
                    }
                    for i in 0..<n {
                        XCTAssertEqual(values2[i].bitPattern, ExpMap.exponential(x[i]).bitPattern, "d = 2, \(i) of \(n)")
                    }
                    for i in 0..<(n / 2) {
                        XCTAssertEqual(sums2[i].bitPattern, (sums0[i] + ((0 + x[2 * i]) + x[2 * i + 1])).bitPattern)
                    }
                }
            }
        }
        // The scalar path itself: libm below −708, the four-lane kernel elsewhere.
        XCTAssertEqual(ExpMap.exponential(-745.2), Foundation.exp(-745.2))
        XCTAssertEqual(ExpMap.exponential(709.8), .infinity)
        XCTAssertEqual(ExpMap.exponential(-.infinity), 0)
        XCTAssertTrue(ExpMap.exponential(.nan).isNaN)
    }

    /// ``VectorExponential/expUnclamped(_:)`` against ``VectorExponential/exp(_:)`` bit for bit
    /// on its whole range, both ends included; and the exp map's sixteen-value pass on buffers
    /// that lie entirely in that range (the unclamped path) and with one value outside it in each
    /// position (the general path).
    func testUnclampedExponentialMatchesTheKernel() {
        let range = VectorExponential.unclampedRange
        var stream = RandomStream(seed: 31)
        var x: [Double] = [range.lowerBound, range.upperBound, range.lowerBound.nextUp, range.upperBound.nextDown,
                           0, -0.0, 1e-300, -1e-300, 0.34657359027997264, -0.34657359027997264]
        for _ in 0..<8000 { x.append(range.lowerBound + (range.upperBound - range.lowerBound) * stream.nextUniform()) }
        for _ in 0..<2000 { x.append(-30 + 60 * stream.nextUniform()) }
        while x.count % 4 != 0 { x.append(1) }
        for g in stride(from: 0, to: x.count, by: 4) {
            let v = SIMD4(x[g], x[g + 1], x[g + 2], x[g + 3])
            let fast = VectorExponential.expUnclamped(v), kernel = VectorExponential.exp(v)
            for l in 0..<4 { XCTAssertEqual(fast[l].bitPattern, kernel[l].bitPattern, "exp(\(v[l]))") }
        }
        let map = ExpMap()
        for outlier in [Double.nan, -708.5, 709.8, -.infinity] {
            for position in [-1] + Array(0..<16) {
                var values = Array(x.prefix(48)), sums = [Double](repeating: 0.25, count: 48)
                if position >= 0 { values[16 + position] = outlier }
                let input = values
                values.withUnsafeMutableBufferPointer { v in
                    sums.withUnsafeMutableBufferPointer { s in map.forward(v, dimension: 1, logAbsDet: s) }
                }
                for i in 0..<48 {
                    XCTAssertEqual(values[i].bitPattern, ExpMap.exponential(input[i]).bitPattern, "\(input[i]) at \(i)")
                    XCTAssertEqual(sums[i].bitPattern, (0.25 + (0 + input[i])).bitPattern)
                }
            }
        }
    }

    /// Histogram insertion (lane-counted when the buffer holds at least binCount values, the
    /// value-by-value scan otherwise) against one ``Histogram/insert(_:weight:)`` per value and
    /// the support counts by a filter: every bin, underflow, overflow, NaN, non-finite and outside
    /// count equal, for every length 0…40 and longer buffers, values on the bin edges, just
    /// inside and outside [low, high], at the support ends, NaN and ±∞.
    func testHistogramInsertionMatchesValueByValueInsertionForEveryLength() throws {
        for (low, high, bins) in [(-4.0, 4.0, 100), (0.0, 1.0, 1), (-1.5, 2.25, 3), (0.0, 20.0, 7), (-1.0, 1e-3, 37),
                                  (0.0, 1.0, 2000)] {
            let pool = Self.edgeValues(low: low, high: high, bins: min(bins, 200), seed: UInt64(bins) + 5)
                + [-3, 3, (-3.0).nextDown, (3.0).nextUp, 0.5, (0.5).nextUp]
            var stream = RandomStream(seed: UInt64(bins))
            for n in Array(0...40) + [99, 100, 101, 1999, 2000, 2003, 9000] {
                // Mostly the special values (edges, NaN, ±∞), shuffled, with random ones between.
                let values = (0..<n).map { _ in pool.count > 5000 && stream.nextUniform() < 0.6
                    ? pool[5000 + Int(stream.nextUniform() * Double(pool.count - 5000))]
                    : pool[Int(stream.nextUniform() * Double(pool.count))] }
                for (lower, upper) in [(-Double.infinity, Double.infinity), (-3.0, 3.0), (0.5, Double.infinity)] {
                    var expected = try Histogram(low: low, high: high, binCount: bins)
                    for x in values { expected.insert(x) }
                    var fast = try Histogram(low: low, high: high, binCount: bins)
                    fast.insert(contentsOf: [low, high])   // counts already present are added to
                    expected.insert(low)
                    expected.insert(high)
                    let scan = values.withUnsafeBufferPointer { fast.insert(contentsOf: $0, scanningSupport: lower, upper) }
                    let label = "n = \(n), [\(low), \(high)] in \(bins), support [\(lower), \(upper)]"
                    XCTAssertEqual(fast.counts, expected.counts, label)
                    XCTAssertEqual(fast.underflow, expected.underflow, label)
                    XCTAssertEqual(fast.overflow, expected.overflow, label)
                    XCTAssertEqual(fast.nanCount, expected.nanCount, label)
                    XCTAssertEqual(scan.nonFinite, values.filter { !$0.isFinite }.count, label)
                    XCTAssertEqual(scan.outside, values.filter { $0.isFinite && ($0 < lower || $0 > upper) }.count, label)
                    XCTAssertEqual(fast.totalCount, Double(n + 2), label)
                    // The plain insertion (lane counting without the support counts).
                    var plain = try Histogram(low: low, high: high, binCount: bins), byValue = plain
                    values.withUnsafeBufferPointer { plain.insert(contentsOf: $0) }
                    for x in values { byValue.insert(x) }
                    XCTAssertEqual(plain, byValue, label)
                }
            }
        }
    }

    /// Histogram insertion of a buffer of exactly bin-edge values: each edge low + i·w goes to the
    /// bin that one-value insertion picks, high to the last bin, and the counts are integers.
    func testLaneCountedHistogramOnBinEdges() throws {
        var h = try Histogram(low: -4, high: 4, binCount: 100)
        let edges = h.edges
        h.insert(contentsOf: edges + edges)
        var expected = try Histogram(low: -4, high: 4, binCount: 100)
        for x in edges + edges { expected.insert(x) }
        XCTAssertEqual(h, expected)
        XCTAssertEqual(h.counts[99], expected.counts[99])
        XCTAssertEqual(h.inRangeCount, 202)
        XCTAssertEqual(h.underflow + h.overflow + h.nanCount, 0)
    }

    /// The batch normal log density against ``NormalDistribution/logDensity(_:)`` bit for bit,
    /// for σ a power of two (the multiply path: 1, 2, 0.5, 2⁻³⁰, 2⁹⁰⁰) and not (the division
    /// path: 3, 0.1, and 2¹⁰²³, whose reciprocal is subnormal), every length 0…40.
    func testNormalBatchLogDensityMatchesTheScalarDensity() throws {
        var stream = RandomStream(seed: 21)
        for (mean, std) in [(0.0, 1.0), (1.5, 2.0), (-3.0, 0.5), (0.0, 0x1p-30), (2.0, 0x1p900), (0.0, 3.0), (0.25, 0.1),
                            (0.0, 0x1p1023)] {
            let normal = try NormalDistribution(mean: mean, std: std)
            for n in Array(0...40) + [1001] {
                let x = (0..<n).map { i -> Double in
                    let special: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1e308, -1e308, .leastNonzeroMagnitude, mean]
                    return i % 5 == 0 ? special[(i / 5) % special.count] : mean + std * (10 * (stream.nextUniform() - 0.5))
                }
                var out = [Double](repeating: 7, count: n)
                x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { normal.logDensity(of: xs, into: $0) } }
                for i in 0..<n {
                    XCTAssertEqual(out[i].bitPattern, normal.logDensity(x[i]).bitPattern, "σ = \(std), x = \(x[i])")
                }
            }
        }
    }
}
