@testable import FlowKit
import Foundation
import TestSupport
import XCTest

/// The batch kernels against the scalar paths they stand in for: the bulk Philox words and the
/// ziggurat fill bit for bit (values and stream state), the two-pass chunk moments against
/// Welford on ill-conditioned data, and the table Φ against Special.normalCDF within stated
/// ulps.
final class BatchKernelTests: XCTestCase {
    /// fillUInt64 gives nextUInt64's words at every alignment of the stream (0…4 words of a
    /// block used, and after an odd number of 32-bit draws) and leaves the stream in step.
    func testFillUInt64MatchesNextUInt64() {
        for skip32 in 0..<5 {
            for count in [0, 1, 2, 3, 8, 257] {
                var bulk = RandomStream(seed: 0xF00D, stream: 3), scalar = RandomStream(seed: 0xF00D, stream: 3)
                for _ in 0..<skip32 {
                    _ = bulk.nextUInt32()
                    _ = scalar.nextUInt32()
                }
                let expected = (0..<count).map { _ in scalar.nextUInt64() }
                var out = [UInt64](repeating: 0, count: count)
                out.withUnsafeMutableBufferPointer { bulk.fillUInt64($0) }
                XCTAssertEqual(out, expected, "skip \(skip32), count \(count)")
                XCTAssertEqual(bulk.nextUInt32(), scalar.nextUInt32(), "in step after skip \(skip32), count \(count)")
                XCTAssertEqual(bulk.nextUInt64(), scalar.nextUInt64())
            }
        }
    }

    /// The eight-lane Philox equals the scalar block function lane by lane, for counters that
    /// carry from the low into the high 32-bit word, and sequentialWords gives the stream's
    /// words in the stream's order, from an even and from an odd first block.
    func testEightLanePhiloxMatchesScalarBlocks() {
        let generator = Philox4x32(key: (0xDEAD_BEEF, 0x0123_4567))
        let first: UInt64 = 0xFFFF_FFFC
        let p = SIMD8<UInt64>(repeating: first) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7)
        let s0 = SIMD8<UInt64>(repeating: 0x89AB_CDEF), s1 = SIMD8<UInt64>(repeating: 0x7654_3210)
        let (a, b) = generator.blocks(p & SIMD8(repeating: 0xFFFF_FFFF), p &>> 32, s0, s1)
        for l in 0..<8 {
            let q = first + UInt64(l)
            let c = generator.block((UInt32(truncatingIfNeeded: q), UInt32(truncatingIfNeeded: q >> 32), 0x89AB_CDEF, 0x7654_3210))
            XCTAssertEqual(a[l], UInt64(c.0) << 32 | UInt64(c.1), "lane \(l)")
            XCTAssertEqual(b[l], UInt64(c.2) << 32 | UInt64(c.3), "lane \(l)")
        }
        let stream = RandomStream(seed: 5, stream: 0x1_0000_0003)
        for firstBlock in [first, first + 3] {
            var scalar = stream
            scalar.seek(toWord: 2 * firstBlock)
            var words = [UInt64](repeating: 0, count: 48)
            words.withUnsafeMutableBufferPointer { stream.sequentialWords(blocks: firstBlock, groups: 3, into: $0.baseAddress!) }
            for j in 0..<48 { XCTAssertEqual(words[j], scalar.nextUInt64(), "word \(j) from block \(firstBlock)") }
        }
    }

    /// The round keys are (k0 + r·W0, k1 + r·W1) mod 2³² in every lane, and the keyed eight-lane
    /// blocks equal the scalar block function for keys that wrap in the first rounds, for
    /// counters at the 2⁶⁴ wrap of the position and stream indices with both halves set;
    /// sequentialWords equals the scalar words(blocks:count:) for such streams from even and odd
    /// first blocks, across a carry into the high 32-bit word.
    func testKeyedEightLanePhiloxMatchesScalarAtEdges() {
        let keys = Philox4x32.RoundKeys(key: (0xFFFF_FFFF, 0x8000_0001))
        let lanes = withUnsafeBytes(of: keys.lanes) { Array($0.bindMemory(to: UInt64.self)) }
        XCTAssertEqual(lanes.count, 80)
        for r in 0..<10 {
            let k0 = UInt32(0xFFFF_FFFF) &+ UInt32(r) &* Philox4x32.weyl0
            let k1 = UInt32(0x8000_0001) &+ UInt32(r) &* Philox4x32.weyl1
            XCTAssertEqual(Array(lanes[8 * r ..< 8 * r + 4]), [UInt64](repeating: UInt64(k0), count: 4), "k0 round \(r)")
            XCTAssertEqual(Array(lanes[8 * r + 4 ..< 8 * r + 8]), [UInt64](repeating: UInt64(k1), count: 4), "k1 round \(r)")
        }
        // Round 1's k0 of key 0xFFFF_FFFF wraps: 0x9E37_79B8.
        XCTAssertEqual(lanes[8], 0x9E37_79B8)
        let generators = [Philox4x32(key: (0xFFFF_FFFF, 0x8000_0001)), Philox4x32(key: (0, 0)), Philox4x32(key: (0x1234_5678, 0xFFFF_FFFF))]
        let counters: [(UInt32, UInt32, UInt32, UInt32)] = [
            (0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), (0, 0, 0, 0), (0xFFFF_FFFE, 0xFFFF_FFFF, 1, 0xFFFF_FFFF),
            (1, 0, 0, 1), (0x8000_0000, 0x7FFF_FFFF, 0xDEAD_BEEF, 0xCAFE_F00D), (3, 5, 7, 11), (0xFFFF_FFFF, 0, 0, 0xFFFF_FFFF),
            (0x0F0F_0F0F, 0xF0F0_F0F0, 0x5555_5555, 0xAAAA_AAAA),
        ]
        func lane(_ i: Int) -> SIMD8<UInt64> {
            var v = SIMD8<UInt64>()
            for l in 0..<8 {
                let c = counters[l]
                v[l] = UInt64([c.0, c.1, c.2, c.3][i])
            }
            return v
        }
        for g in generators {
            let (a, b) = Philox4x32.blocks(lane(0), lane(1), lane(2), lane(3), keys: Philox4x32.RoundKeys(key: g.key))
            for l in 0..<8 {
                let c = g.block(counters[l])
                XCTAssertEqual(a[l], UInt64(c.0) << 32 | UInt64(c.1), "key \(g.key) lane \(l)")
                XCTAssertEqual(b[l], UInt64(c.2) << 32 | UInt64(c.3), "key \(g.key) lane \(l)")
            }
        }
        // A known answer (Random123 kat_vectors, philox4x32 10 rounds, all-ones counter and key).
        let ones = Philox4x32(key: (0xFFFF_FFFF, 0xFFFF_FFFF)).block((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF))
        XCTAssertEqual([ones.0, ones.1, ones.2, ones.3], [0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD])
        for (seed, streamIndex) in [(UInt64.max, UInt64.max), (0x8000_0000_FFFF_FFFF, 0xFFFF_FFFF_0000_0001)] {
            let stream = RandomStream(seed: seed, stream: streamIndex)
            for firstBlock: UInt64 in [0xFFFF_FFF0, 0xFFFF_FFF3, UInt64.max - 31] {
                var bulk = [UInt64](repeating: 0, count: 64), scalar = bulk
                bulk.withUnsafeMutableBufferPointer { stream.sequentialWords(blocks: firstBlock, groups: 4, into: $0.baseAddress!) }
                scalar.withUnsafeMutableBufferPointer { stream.words(blocks: firstBlock, count: 32, into: $0.baseAddress!) }
                XCTAssertEqual(bulk, scalar, "seed \(seed) stream \(streamIndex) from block \(firstBlock)")
            }
        }
    }

    /// Several fills of awkward sizes in a row, from every alignment, equal the scalar draws
    /// (2¹⁶ + 3 draws reach the tail and wedge paths hundreds of times), and the stream is
    /// left where the scalar calls leave it.
    func testFillStandardNormalMatchesScalarAtEveryAlignment() {
        for skip32 in 0..<4 {
            var scalar = RandomStream(seed: 77, stream: 12), batch = RandomStream(seed: 77, stream: 12)
            for _ in 0..<skip32 {
                _ = scalar.nextUInt32()
                _ = batch.nextUInt32()
            }
            for size in [1, 5, 300, 1 << 16 + 3, 2] {
                let expected = (0..<size).map { _ in scalar.nextStandardNormal() }
                var out = [Double](repeating: .nan, count: size)
                out.withUnsafeMutableBufferPointer { batch.fillStandardNormal($0) }
                XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern), "skip \(skip32), size \(size)")
                XCTAssertEqual(batch.nextUInt64(), scalar.nextUInt64(), "in step after skip \(skip32), size \(size)")
            }
        }
    }

    /// The fill is still a standard normal sampler: with a fixed seed, a KS test of 2·10⁵
    /// draws against Φ and the frequency beyond ±3 (expected 0.0027).
    func testFillStandardNormalDistribution() {
        var stream = RandomStream(seed: 4242, stream: 0)
        var z = [Double](repeating: 0, count: 200_000)
        z.withUnsafeMutableBufferPointer { stream.fillStandardNormal($0) }
        let ks = KolmogorovSmirnov.exact(sortedSample: z.sorted(), cdf: Special.normalCDF)
        XCTAssertGreaterThan(ks.pValue, 0.001, "\(ks)")
        let beyond = Double(z.count { abs($0) > 3 }) / Double(z.count)
        // Binomial standard error √(p(1 − p)/n) ≈ 1.2·10⁻⁴; allow 5 of them.
        XCTAssertEqual(beyond, 2 * Special.normalCDF(-3), accuracy: 6e-4)
    }

    /// FiniteScan against Welford (RunningMoments) on data that defeats the naive formulas:
    /// a 10⁸ mean with standard deviation 10⁻³, a 10⁹ offset, and a heavy tail; plus the counts
    /// of non-finite values and of values outside the support.
    func testFiniteScanMatchesWelfordOnHardData() {
        var stream = RandomStream(seed: 5, stream: 0)
        let normals = (0..<(1 << 16)).map { _ in stream.nextStandardNormal() }
        let cases: [(String, [Double])] = [
            ("1e8 + N(0, 1e-6)", normals.map { 1e8 + 1e-3 * $0 }),
            ("1e9 + exp(N)", normals.map { 1e9 + Foundation.exp($0) }),
            ("exp(3 N)", normals.map { Foundation.exp(3 * $0) }),
            ("N, odd length", Array(normals.prefix(1001))),
        ]
        for (name, values) in cases {
            let scan = values.withUnsafeBufferPointer { FiniteScan($0) }
            let welford = RunningMoments(values)
            XCTAssertEqual(scan.moments.count, values.count, name)
            // The mean to 10⁻¹⁵ of its scale |mean| + std (a mean near 0 has no relative accuracy).
            let scale = abs(welford.mean) + welford.standardDeviation!
            XCTAssertLessThanOrEqual(abs(scan.moments.mean - welford.mean), 1e-15 * scale, name)
            XCTAssertLessThanOrEqual(relativeError(scan.moments.variance!, welford.variance!), 1e-9, name)
            XCTAssertEqual(scan.moments.skewness!, welford.skewness!, accuracy: 1e-6 * max(1, abs(welford.skewness!)), name)
            XCTAssertEqual(scan.moments.min, welford.min, name)
            XCTAssertEqual(scan.moments.max, welford.max, name)
        }
        // Exact: {c − δ, c, c + δ} repeated has mean c, M2 = 2n/3·δ², skewness 0.
        let c = 123_456_789.0, delta = 0.25
        let exact = (0..<3000).map { c + Double($0 % 3 - 1) * delta }
        let scan = exact.withUnsafeBufferPointer { FiniteScan($0) }
        XCTAssertEqual(scan.moments.mean, c)
        XCTAssertEqual(scan.moments.m2, 2000 * delta * delta)
        XCTAssertEqual(scan.moments.skewness, 0)
    }

    func testFiniteScanCountsNonFiniteAndOutsideSupport() {
        let values: [Double] = [1, -2, .nan, 3, .infinity, -.infinity, 0, 5, 4.5, -0.5]
        let scan = values.withUnsafeBufferPointer { FiniteScan($0, lower: 0, upper: 4.5) }
        XCTAssertEqual(scan.nonFinite, 3)
        XCTAssertEqual(scan.outside, 3)  // −2, 5, −0.5; 0 and 4.5 are end points
        let finite = values.filter(\.isFinite)
        let welford = RunningMoments(finite)
        XCTAssertEqual(scan.moments.count, 7)
        XCTAssertEqual(scan.moments.mean, welford.mean, accuracy: 1e-15)
        XCTAssertEqual(scan.moments.m2, welford.m2, accuracy: 1e-13)
        XCTAssertEqual(scan.moments.m3, welford.m3, accuracy: 1e-12)
        XCTAssertEqual(scan.moments.min, -2)
        XCTAssertEqual(scan.moments.max, 5)
        let none = [Double.nan, .infinity].withUnsafeBufferPointer { FiniteScan($0) }
        XCTAssertEqual(none.moments.count, 0)
        XCTAssertEqual(none.nonFinite, 2)
        // Merged per chunk by Chan's formula = Welford over everything.
        var merged = RunningMoments()
        var stream = RandomStream(seed: 8)
        let data = (0..<10_000).map { _ in 50 + stream.nextStandardNormal() }
        for start in stride(from: 0, to: data.count, by: 999) {
            data[start..<min(start + 999, data.count)].withContiguousStorageIfAvailable { merged.merge(FiniteScan($0).moments) }
        }
        let all = RunningMoments(data)
        XCTAssertEqual(merged.count, all.count)
        XCTAssertLessThanOrEqual(relativeError(merged.mean, all.mean), 1e-15)
        XCTAssertLessThanOrEqual(relativeError(merged.variance!, all.variance!), 1e-12)
        XCTAssertEqual(merged.skewness!, all.skewness!, accuracy: 1e-10)
    }

    /// The table Φ within 4 ulps (relative) of Special.normalCDF over [−9, 9] (4 in the left
    /// tail, where both carry the few-ulp error of libm's erfc; 1–2 in the right half), and the
    /// batch CDFs of the normal and the log-normal (the same z as their scalar cdf, so the
    /// same bound) against their scalar cdf, with the scalar's values at 0, negatives, ∞ and
    /// NaN.
    func testNormalCDFTableWithinTwoUlps() throws {
        let table = NormalCDFTable.shared
        var worst = 0
        var z = -9.0
        table.coefficients.withUnsafeBufferPointer { c in
            while z <= 9 {
                worst = max(worst, ulpDistance(table.cdf(z, c.baseAddress!), Special.normalCDF(z)))
                z += 0.000_731
            }
        }
        XCTAssertLessThanOrEqual(worst, 4)
        var stream = RandomStream(seed: 12)
        let x = (0..<50_000).map { _ in 3 * stream.nextStandardNormal() } + [0, -0.0, -1, .infinity, -.infinity, .nan, 40, -40, 1e-300]
        let normal = try NormalDistribution(mean: 0.3, std: 1.7)
        let logNormal = try LogNormalDistribution(mu: -0.4, sigma: 0.9)
        for d in [normal, logNormal] as [any UnivariateDistribution] {
            var out = [Double](repeating: 0, count: x.count)
            x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { d.cdf(of: xs, into: $0) } }
            for (v, u) in zip(x, out) {
                let expected = d.cdf(v)
                if expected.isNaN { XCTAssertTrue(u.isNaN, "\(type(of: d)) cdf(\(v))"); continue }
                XCTAssertLessThanOrEqual(ulpDistance(u, expected), 4, "\(type(of: d)) cdf(\(v)) = \(u), scalar \(expected)")
            }
        }
    }
}
