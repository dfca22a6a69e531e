@testable import FlowKit
import Foundation
import XCTest

/// CDFBinning against its definition: every bin within the maximum mass, the bin of a value by
/// bits equal to the bin found by searching the edges, each bin inside one bin of u = F(x), the
/// KS statistic bracketing the exact one, and the PIT counts equal to binning F(x) per value.
final class CDFBinningTests: XCTestCase {
    /// Values that reach every kind of bucket: the bulk, far tails, tiny magnitudes, both zeros,
    /// subnormals, infinities and NaN.
    func values(_ d: any UnivariateDistribution, count: Int, seed: UInt64) -> [Double] {
        var stream = RandomStream(seed: seed)
        var x = (0..<count).map { _ in d.quantile(stream.nextOpenUniform()) }
        x += (0..<2000).map { _ in 4 * stream.nextStandardNormal() }
        x += (0..<2000).map { _ in Foundation.exp(8 * stream.nextStandardNormal()) }
        x += [0, -0.0, 1, -1, 1e-300, -1e-300, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e300, -1e300,
              .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, 40, -40]
        return x
    }

    /// The bin of `x` by definition: the last bin whose lower key is at most key(x).
    func searchedBin(_ b: CDFBinning, _ x: Double) -> Int {
        if x.isNaN { return b.nanBin }
        let k = CDFBinning.key(x)
        var lo = 0, hi = b.lowerKeys.count   // lowerKeys[lo] ≤ k < lowerKeys[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if b.lowerKeys[mid] <= k { lo = mid } else { hi = mid }
        }
        return lo
    }

    func checkStructure(_ d: any UnivariateDistribution, maximumMass: Double, pit: [Histogram], seed: UInt64,
                        file: StaticString = #filePath, line: UInt = #line) throws -> CDFBinning {
        let b = try XCTUnwrap(CDFBinning(reference: d, maximumMass: maximumMass, uHistograms: pit), file: file, line: line)
        // Edges strictly ordered where bins are not empty, F nondecreasing, every bin's mass within the bound.
        XCTAssertEqual(b.lowerKeys[0], 0, file: file, line: line)
        XCTAssertEqual(b.edgeCDF[0], 0, file: file, line: line)
        for i in 1..<b.binCount {
            XCTAssertLessThanOrEqual(b.lowerKeys[i - 1], b.lowerKeys[i], file: file, line: line)
            XCTAssertLessThanOrEqual(b.edgeCDF[i - 1], b.edgeCDF[i], file: file, line: line)
        }
        var worst = 0.0
        for i in 0..<b.binCount {
            let next = i + 1 < b.binCount ? b.edgeCDF[i + 1] : 1
            worst = max(worst, next - b.edgeCDF[i])
        }
        XCTAssertLessThanOrEqual(worst, maximumMass * (1 + 1e-9), "largest bin mass", file: file, line: line)
        // Not far more bins than the mass needs (more where a coarse bucket is wide against the
        // law's features: its parts are equal, as fine as its densest part needs).
        XCTAssertLessThan(Double(b.binCount), 8 / maximumMass + 200, file: file, line: line)
        // The bin of every value, by bits, is the bin by search; and its u-bin is that of F(x).
        var mismatches = 0, pitMismatches: [Double] = []
        let x = values(d, count: 50_000, seed: seed)
        var probes = x
        // Every edge, and the doubles just below and above it.
        for key in b.lowerKeys where key > 0 && key < UInt64.max {
            let v = CDFBinning.value(ofKey: key)
            probes += [v, v.nextDown, v.nextUp]
        }
        for v in probes {
            let bin = b.bin(of: v)
            if bin != searchedBin(b, v) { mismatches += 1 }
            if !v.isNaN {
                for (h, histogram) in pit.enumerated() where Int(b.uBins[h][bin]) != CDFBinning.uBin(d.cdf(v), histogram) {
                    pitMismatches.append(v)
                }
            }
        }
        XCTAssertEqual(mismatches, 0, "bins by bits that differ from the bins by search", file: file, line: line)
        // Values whose bin of u differs from their bin's: only where the floating-point F is not
        // monotone, a few ulps from a threshold (the edge where the bin of u changes).
        for v in pitMismatches {
            let k = CDFBinning.key(v)
            let near = b.lowerKeys.contains { $0 > 0 && (k > $0 ? k - $0 : $0 - k) <= 8 }
            XCTAssertTrue(near, "\(v) is in a bin of another u-bin, away from any edge", file: file, line: line)
        }
        XCTAssertLessThan(pitMismatches.count, 10, file: file, line: line)
        return b
    }

    func testLogNormalWithPITBins() throws {
        let d = try LogNormalDistribution(mu: 0, sigma: 1)
        let pit = [try Histogram(low: 0, high: 1, binCount: 20)]
        let b = try checkStructure(d, maximumMass: 1.0 / 65536, pit: pit, seed: 1)
        // The lognormal's bins: about 1.0–1.1 bins per 1/65536 of mass, not the 2^18 of the cap.
        XCTAssertLessThan(b.binCount, 80_000)
        XCTAssertGreaterThan(b.binCount, 65_536)
        XCTAssertEqual(b.bin(of: .nan), b.nanBin)
        XCTAssertEqual(b.bin(of: -1), 0, "the empty half-line is the first bin")
        XCTAssertEqual(b.bin(of: 0), 0)
        XCTAssertEqual(b.bin(of: .infinity), b.binCount - 1)
    }

    func testNormalAcrossZeroAndAShiftedScale() throws {
        let pit = [try Histogram(low: 0, high: 1, binCount: 20), try Histogram(low: 0, high: 1, binCount: 7)]
        _ = try checkStructure(try NormalDistribution(mean: 0, std: 1), maximumMass: 1.0 / 4096, pit: pit, seed: 2)
        _ = try checkStructure(try NormalDistribution(mean: -300, std: 0.5), maximumMass: 1.0 / 4096, pit: [], seed: 3)
        _ = try checkStructure(try UniformDistribution(low: -2, high: 5), maximumMass: 1.0 / 2048, pit: pit, seed: 4)
        _ = try checkStructure(try UniformDistribution(low: 1, high: 1.01), maximumMass: 1.0 / 65536, pit: [], seed: 5)
    }

    /// No binning (the pass then computes u per value) when u-histogram edges are closer than a
    /// coarse bucket's width, or when the law is too narrow for 2¹⁸ parts of a bucket.
    func testTooNarrowLawsGiveNoBinning() throws {
        let pit = [try Histogram(low: 0, high: 1, binCount: 20)]
        let narrow = try UniformDistribution(low: 1, high: 1.01)
        XCTAssertNil(CDFBinning(reference: narrow, maximumMass: 1.0 / 65536, uHistograms: pit))
        XCTAssertNotNil(CDFBinning(reference: try UniformDistribution(low: 1, high: 2), maximumMass: 1.0 / 65536, uHistograms: pit))
        XCTAssertNil(CDFBinning(reference: try NormalDistribution(mean: -3e5, std: 0.01), maximumMass: 1.0 / 65536))
    }

    /// The KS statistic from the bins brackets the exact one, within the computed bound, itself
    /// within the maximum mass; and the PIT counts equal binning u = F(y) value by value.
    func testKolmogorovSmirnovAndPITAgainstPerValue() throws {
        let d = try LogNormalDistribution(mu: 0, sigma: 1)
        let pitHistogram = try Histogram(low: 0, high: 1, binCount: 20)
        let maximumMass = 1.0 / 2048   // coarse bins, so that the bound matters
        let b = try XCTUnwrap(CDFBinning(reference: d, maximumMass: maximumMass, uHistograms: [pitHistogram]))
        var stream = RandomStream(seed: 5)
        for (n, sigma) in [(30_000, 1.0), (30_000, 1.06), (500, 1.0)] {
            // exp(σ·z): the reference for σ = 1, a slightly wider law otherwise (the test must see it).
            var y = (0..<n).map { _ in Foundation.exp(sigma * stream.nextStandardNormal()) }
            y += [.nan, .nan]
            let counts = ShardedCounts(binCount: b.countsLength)
            y.withUnsafeBufferPointer { values in counts.withShard(adding: values.count) { b.count(values, into: $0) } }
            let totals = counts.totals()
            XCTAssertEqual(totals.reduce(0, +), UInt64(y.count))
            XCTAssertEqual(totals[b.nanBin], 2)
            let binned = b.kolmogorovSmirnov(counts: totals)
            let exact = KolmogorovSmirnov.exact(sortedSample: y.filter { !$0.isNaN }.sorted(), cdf: { d.cdf($0) })
            XCTAssertEqual(binned.sampleCount, n)
            XCTAssertLessThanOrEqual(binned.statistic, exact.statistic * (1 + 1e-12) + 1e-15)
            XCTAssertGreaterThanOrEqual(binned.statistic + binned.statisticErrorBound, exact.statistic * (1 - 1e-12))
            XCTAssertLessThanOrEqual(binned.statisticErrorBound, maximumMass * (1 + 1e-9))
            if sigma != 1 { XCTAssertLessThan(binned.pValue, 1e-3, "a wider law must fail") }
            // PIT: the same counts as u = F(y) inserted value by value.
            var perValue = try Histogram(low: 0, high: 1, binCount: 20)
            perValue.insert(contentsOf: y.map { d.cdf($0) })
            var fromBins = pitHistogram
            b.addU(counts: totals, to: &fromBins, index: 0)
            XCTAssertEqual(fromBins.counts, perValue.counts)
            XCTAssertEqual(fromBins.nanCount, perValue.nanCount)
            XCTAssertEqual(fromBins.underflow, perValue.underflow)
            XCTAssertEqual(fromBins.overflow, perValue.overflow)
        }
    }

    /// Shards: the totals are the sum of every worker's additions, whatever the shard, and a
    /// shard near 2³² additions is emptied into the 64-bit totals first.
    func testShardedCountsAddUpAcrossThreads() {
        let counts = ShardedCounts(binCount: 5)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            counts.withShard(adding: 10) { c in for k in 0..<10 { c[(i + k) % 5] &+= 1 } }
        }
        XCTAssertEqual(counts.totals(), [128, 128, 128, 128, 128])
        // A shard that has taken nearly 2³² additions is spilled before more are added.
        let big = ShardedCounts(binCount: 1)
        big.withShard(adding: Int(UInt32.max)) { $0[0] = UInt32.max }
        big.withShard(adding: 3) { $0[0] &+= 3 }
        XCTAssertEqual(big.totals(), [UInt64(UInt32.max) + 3])
    }
}
