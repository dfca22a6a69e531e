import Dispatch
@testable import FlowKit
import Foundation
import TestSupport
import XCTest

/// Philox4x32-10 known answers, stream layout and independence, the bits → double maps, and
/// fixed-seed goodness-of-fit tests of the uniform and ziggurat normal samplers.
final class RandomTests: XCTestCase {
    /// Random123 `tests/kat_vectors`, the three `philox4x32 10` lines (ctr[4] key[2] → out[4]),
    /// as published by D. E. Shaw Research (github.com/DEShawResearch/random123).
    func testPhiloxKnownAnswerVectors() {
        let vectors: [((UInt32, UInt32, UInt32, UInt32), (UInt32, UInt32), (UInt32, UInt32, UInt32, UInt32))] = [
            ((0, 0, 0, 0), (0, 0), (0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
            ((0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), (0xFFFF_FFFF, 0xFFFF_FFFF),
             (0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
            ((0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), (0xA409_3822, 0x299F_31D0),
             (0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
        ]
        for (counter, key, expected) in vectors {
            let out = Philox4x32(key: key).block(counter)
            XCTAssertEqual([out.0, out.1, out.2, out.3], [expected.0, expected.1, expected.2, expected.3])
        }
    }

    /// Stream i of seed s reads Philox blocks at counters (position, i) under key(s), in order.
    func testStreamLayoutFollowsTheCounterScheme() {
        let seed: UInt64 = 0x0123_4567_89AB_CDEF
        var stream = RandomStream(seed: seed, stream: 7)
        let philox = Philox4x32(key: (0x89AB_CDEF, 0x0123_4567))
        for position: UInt32 in 0..<3 {
            let block = philox.block((position, 0, 7, 0))
            XCTAssertEqual([stream.nextUInt32(), stream.nextUInt32(), stream.nextUInt32(), stream.nextUInt32()],
                           [block.0, block.1, block.2, block.3])
        }
    }

    /// A seed and stream reproduce their numbers: stream 3 of seed 42 gives these 64-bit words
    /// in every run and release (computed outside this code base, by an independent
    /// Philox4x32-10 written from Salmon et al. 2011 and checked on the Random123 known-answer
    /// vectors), and its values do not depend on which other streams exist or were drawn from,
    /// before or in between, nor in which order.
    func testSameSeedAndStreamReproduce() {
        let known: [UInt64] = [0x0A51_A6B2_7214_8A91, 0xB918_C659_9920_5BC7, 0x85A8_DF3C_1D91_B19B,
                               0xA9B1_302C_3FAA_46E6, 0x5229_C193_E58A_6D8C, 0x821F_0D02_9E98_8ED9]
        var alone = RandomStream(seed: 42, stream: 3)
        XCTAssertEqual(known.map { _ in alone.nextUInt64() }, known)
        // Streams 0…7 of seed 42 and stream 3 of seed 43, drawn in a scrambled order with
        // varying amounts (odd counts of 32-bit words, so that their buffers are misaligned).
        var streams = (0..<8).map { RandomStream(seed: 42, stream: UInt64($0)) } + [RandomStream(seed: 43, stream: 3)]
        for k in [6, 1, 8] { for _ in 0..<(2 * k + 1) { _ = streams[k].nextUInt32() } }
        var drawn: [UInt64] = []
        var round = 0
        while drawn.count < known.count {
            for k in [5, 0, 8, 7, 3, 1, 6, 2, 4] {
                if k == 3 {
                    drawn.append(streams[3].nextUInt64())
                } else {
                    for _ in 0..<((k + round) % 3 + 1) { _ = streams[k].nextUInt32() }
                }
            }
            round += 1
        }
        XCTAssertEqual(drawn, known)
        // The uniforms of the stream are the same words mapped to k · 2⁻⁵³.
        var uniforms = RandomStream(seed: 42, stream: 3)
        XCTAssertEqual(known.map { _ in uniforms.nextUniform() }, known.map { Double($0 >> 11) * 0x1.0p-53 })
    }

    /// Neighbouring streams (and neighbouring seeds) are uncorrelated: the sample correlation of
    /// 10⁵ paired uniforms must be within 4 standard errors (4/√n) of 0, and no two of the
    /// first 10⁴ 64-bit words coincide across streams.
    func testStreamsAreIndependent() {
        let n = 100_000
        let pairs: [(RandomStream, RandomStream)] = [
            (RandomStream(seed: 1, stream: 0), RandomStream(seed: 1, stream: 1)),
            (RandomStream(seed: 1, stream: 0), RandomStream(seed: 2, stream: 0)),
            (RandomStream(seed: 1, stream: 0), RandomStream(seed: 1, stream: 1 << 32)),
        ]
        for (first, second) in pairs {
            var a = first, b = second
            var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
            for _ in 0..<n {
                let x = a.nextUniform(), y = b.nextUniform()
                sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y
            }
            let m = Double(n)
            let cov = sab / m - sa / m * sb / m
            let r = cov / ((saa / m - sa * sa / (m * m)) * (sbb / m - sb * sb / (m * m))).squareRoot()
            XCTAssertLessThan(abs(r), 4 / m.squareRoot(), "correlation \(r)")
            var a2 = first, b2 = second
            let wordsA = Set((0..<10_000).map { _ in a2.nextUInt64() })
            let wordsB = Set((0..<10_000).map { _ in b2.nextUInt64() })
            XCTAssertTrue(wordsA.isDisjoint(with: wordsB))
        }
    }

    /// Chunk i drawn from stream i gives the same numbers whether chunks run one after another
    /// or concurrently.
    func testParallelChunksMatchSequential() {
        let chunks = 8, perChunk = 1000
        @Sendable func fill(_ chunk: Int, _ out: UnsafeMutableBufferPointer<Double>) {
            var stream = RandomStream(seed: 99, stream: UInt64(chunk))
            for j in 0..<perChunk { out[chunk * perChunk + j] = stream.nextStandardNormal() }
        }
        var sequential = [Double](repeating: 0, count: chunks * perChunk)
        sequential.withUnsafeMutableBufferPointer { buffer in
            for chunk in 0..<chunks { fill(chunk, buffer) }
        }
        var parallel = [Double](repeating: 0, count: chunks * perChunk)
        parallel.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: chunks) { fill($0, shared) }
        }
        XCTAssertEqual(sequential, parallel)
    }

    func testBitsToDoubleRanges() {
        XCTAssertEqual(RandomStream.uniform(fromBits: 0), 0)
        XCTAssertEqual(RandomStream.uniform(fromBits: .max), 1 - 0x1.0p-53)
        XCTAssertLessThan(RandomStream.uniform(fromBits: .max), 1)
        XCTAssertEqual(RandomStream.openUniform(fromBits: 0), 0x1.0p-53)
        XCTAssertEqual(RandomStream.openUniform(fromBits: .max), 1 - 0x1.0p-53)
        XCTAssertLessThan(RandomStream.openUniform(fromBits: .max), 1)
        // The low 11 bits are dropped; the top 53 map exactly to multiples of 2⁻⁵³.
        XCTAssertEqual(RandomStream.uniform(fromBits: 1 << 63), 0.5)
        XCTAssertEqual(RandomStream.uniform(fromBits: (1 << 11) - 1), 0)
        XCTAssertEqual(RandomStream.uniform(fromBits: 1 << 11), 0x1.0p-53)
        var stream = RandomStream(seed: 5)
        for _ in 0..<100_000 {
            let u = stream.nextUniform(), v = stream.nextOpenUniform()
            XCTAssertTrue(u >= 0 && u < 1)
            XCTAssertTrue(v > 0 && v < 1)
        }
    }

    /// Fixed-seed KS tests: 2·10⁵ uniforms against F(u) = u, on two streams.
    func testUniformPassesKolmogorovSmirnov() {
        for streamIndex: UInt64 in [0, 17] {
            var stream = RandomStream(seed: 2024, stream: streamIndex)
            let sample = (0..<200_000).map { _ in stream.nextUniform() }
            let (d, p) = ksTest(sample) { min(max($0, 0), 1) }
            XCTAssertGreaterThan(p, 0.001, "D = \(d)")
        }
    }

    /// The ziggurat tables close: f(x₂₅₅) + v/x₂₅₅ = 1 up to rounding (which pins down r),
    /// every layer has area v, the edges decrease, and draws are symmetric in sign.
    func testZigguratTablesAreConsistent() {
        let table = NormalZiggurat.shared
        XCTAssertLessThanOrEqual(abs(table.closure - 1), 1e-14)
        let x = table.edges
        XCTAssertEqual(x.count, 257)
        for i in 1..<256 { XCTAssertGreaterThan(x[i], x[i + 1]) }
        let r = NormalZiggurat.tailStart
        let v = r * exp(-0.5 * r * r) + (Double.pi / 2).squareRoot() * erfc(r / 2.0.squareRoot())
        XCTAssertLessThanOrEqual(relativeError(x[0] * table.heights[0], v), 1e-15)
        for i in 1..<256 {
            XCTAssertLessThanOrEqual(relativeError(x[i] * (table.heights[i + 1] - table.heights[i]), v), 1e-11, "layer \(i)")
        }
        var stream = RandomStream(seed: 11)
        var positive = 0
        let n = 200_000
        for _ in 0..<n where stream.nextStandardNormal() > 0 { positive += 1 }
        // Binomial(n, ½): 4 standard deviations.
        XCTAssertLessThan(abs(Double(positive) - Double(n) / 2), 4 * (Double(n) / 4).squareRoot())
    }

    /// Fixed-seed KS test of 2·10⁵ ziggurat normals against Φ, and their first four moments.
    func testStandardNormalPassesKolmogorovSmirnov() {
        var stream = RandomStream(seed: 31337, stream: 2)
        let n = 200_000
        let sample = (0..<n).map { _ in stream.nextStandardNormal() }
        let (d, p) = ksTest(sample, cdf: Special.normalCDF)
        XCTAssertGreaterThan(p, 0.001, "D = \(d)")
        let m = Double(n)
        let mean = sample.reduce(0, +) / m
        let variance = sample.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)
        let kurtosis = sample.reduce(0) { $0 + pow($1 - mean, 4) } / m / (variance * variance)
        // Standard errors: mean 1/√n, variance √(2/n), kurtosis √(24/n); 4 of each.
        XCTAssertLessThan(abs(mean), 4 / m.squareRoot())
        XCTAssertLessThan(abs(variance - 1), 4 * (2 / m).squareRoot())
        XCTAssertLessThan(abs(kurtosis - 3), 4 * (24 / m).squareRoot())
    }

    /// The tail beyond the ziggurat's base edge r = 3.6541528853610088 is sampled by a separate
    /// branch: its frequency must match 2·(1 − Φ(r)) ≈ 2.58·10⁻⁴ (binomial, 4 standard
    /// deviations), and the conditional law of |Z| beyond r must match (KS).
    func testStandardNormalTail() {
        let r = 3.6541528853610088
        var stream = RandomStream(seed: 7, stream: 1)
        let n = 2_000_000
        var tail: [Double] = []
        for _ in 0..<n {
            let z = abs(stream.nextStandardNormal())
            if z > r { tail.append(z) }
        }
        let probability = 2 * Special.normalSurvival(r)
        let expected = Double(n) * probability
        XCTAssertLessThan(abs(Double(tail.count) - expected), 4 * (expected * (1 - probability)).squareRoot(),
                          "tail count \(tail.count) vs \(expected)")
        let qr = Special.normalSurvival(r)
        let (d, p) = ksTest(tail) { 1 - Special.normalSurvival($0) / qr }
        XCTAssertGreaterThan(p, 0.001, "D = \(d)")
    }

    // MARK: - Batch normal fill against the scalar ziggurat

    /// `n` scalar draws from a copy of `stream` and one fill of `n` from another copy: the
    /// same bits in order, and the two streams in step afterwards (their next four 32-bit
    /// outputs agree, which also compares an odd position within a block).
    private func assertFillMatchesScalar(_ stream: RandomStream, count n: Int, _ label: String,
                                         file: StaticString = #filePath, line: UInt = #line) {
        var scalar = stream, batch = stream
        let expected = (0..<n).map { _ in scalar.nextStandardNormal() }
        var out = [Double](repeating: .nan, count: n)
        out.withUnsafeMutableBufferPointer { batch.fillStandardNormal($0) }
        XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern), label, file: file, line: line)
        XCTAssertEqual((0..<4).map { _ in batch.nextUInt32() }, (0..<4).map { _ in scalar.nextUInt32() },
                       "stream state after \(label)", file: file, line: line)
    }

    /// Every buffer size from 1 to 40 (both sides of the eight-word fast path and of the
    /// word-by-word tail), and 2¹⁶, from an even and an odd start word, and from the middle of
    /// a word (an odd number of 32-bit draws, where the fill goes draw by draw).
    func testFillStandardNormalMatchesScalarForSmallAndLargeBuffers() {
        for skip32 in [0, 1, 2, 3, 6] {
            var start = RandomStream(seed: 0x5EED, stream: 3)
            for _ in 0..<skip32 { _ = start.nextUInt32() }
            for n in Array(1...40) + [1 << 16] {
                assertFillMatchesScalar(start, count: n, "n = \(n) after \(skip32) 32-bit draws")
            }
        }
    }

    /// Fills that start at every word of a 16-word Philox group and end on either side of the
    /// 256-word batch of words computed ahead (``RandomStream/normalBatchBlocks``), on a stream
    /// whose index uses both counter halves and whose position crosses 2³² blocks (the carry
    /// into the counter's second word).
    func testFillStandardNormalMatchesScalarAcrossBatchBoundaries() {
        let batchWords = 2 * RandomStream.normalBatchBlocks
        for (seed, blockStart) in [(UInt64(2024), UInt64(0)), (0xFEED_0000_0001, (1 << 32) - 40)] {
            var base = RandomStream(seed: seed, stream: 0x0000_0007_0000_0005)
            base.seek(toWord: 2 * blockStart)
            for offset in 0..<17 {
                var start = base
                for _ in 0..<offset { _ = start.nextUInt64() }
                for n in [batchWords - 9, batchWords - 1, batchWords, batchWords + 1, batchWords + 7, 2 * batchWords + 3] {
                    assertFillMatchesScalar(start, count: n, "seed \(seed), start word +\(offset), n = \(n)")
                }
            }
        }
    }

    /// A long fill goes through the slow path many times: the wedge test (which draws a uniform,
    /// so the stream moves by more words than values) and the tail (|z| > r, which draws two or
    /// more uniforms), and its values and final state are still the scalar draws'. The test
    /// checks that both paths were taken, from the words themselves.
    func testFillStandardNormalMatchesScalarThroughSlowPathAndTail() {
        let n = 1 << 16
        let start = RandomStream(seed: 31337, stream: 2)
        var scalar = start
        let draws = (0..<n).map { _ in scalar.nextStandardNormal() }
        XCTAssertGreaterThan(draws.count { abs($0) > NormalZiggurat.tailStart }, 0, "no draw in the tail")
        XCTAssertGreaterThan(scalar.wordIndex ?? 0, UInt64(n), "no draw left the fast path")
        assertFillMatchesScalar(start, count: n, "slow path and tail")
        // Several fills in a row of awkward sizes continue the same sequence.
        var batch = start, reference = start
        for size in [7, 1, 1000, 13, 4099, 8, 9] {
            assertFillMatchesScalar(batch, count: size, "fill of \(size) in a sequence")
            var out = [Double](repeating: .nan, count: size)
            out.withUnsafeMutableBufferPointer { batch.fillStandardNormal($0) }
            for _ in 0..<size { _ = reference.nextStandardNormal() }
            XCTAssertEqual(batch.nextUInt64(), reference.nextUInt64())
        }
    }

    /// The eight-word fast path on hand-made words: it writes u·wᵢ with the word's sign for the
    /// leading words with u < kᵢ and returns how many there are, for a first rejected word at
    /// each of the eight places (u = 2⁵² − 1 is never below kᵢ; u = 0 is below kᵢ in layers
    /// 1…254, and in layer 255, where k = 0, it is not).
    func testEightWordFastPathStopsAtTheFirstRejectedWord() {
        let table = NormalZiggurat.shared
        for i in 0..<256 {
            XCTAssertEqual(table.layers[2 * i], table.widths[i])
            XCTAssertEqual(table.layers[2 * i + 1], Double(table.thresholds[i]))
        }
        XCTAssertEqual(table.thresholds[255], 0)
        func word(layer: UInt64, negative: Bool, u: UInt64) -> UInt64 { u << 9 | (negative ? 0x100 : 0) | layer }
        var generator = RandomStream(seed: 8, stream: 0)
        for rejected in 0...8 {
            var words = (0..<8).map { k -> UInt64 in
                let layer = 1 + generator.nextUInt64() % 254
                let u = generator.nextUInt64() % table.thresholds[Int(layer)]
                return word(layer: layer, negative: k % 3 == 1, u: u)
            }
            if rejected < 8 { words[rejected] = word(layer: 17, negative: false, u: (1 << 52) - 1) }
            if rejected < 7 { words[7] = word(layer: 255, negative: true, u: 0) }
            var out = [Double](repeating: .nan, count: 8)
            let accepted = words.withUnsafeMutableBufferPointer { w in
                out.withUnsafeMutableBufferPointer { o in
                    table.layers.withUnsafeBufferPointer {
                        RandomStream.fastNormals(w.baseAddress!, into: o.baseAddress!, layers: $0.baseAddress!)
                    }
                }
            }
            XCTAssertEqual(accepted, rejected, "first rejected word at \(rejected)")
            for k in 0..<accepted {
                let layer = Int(words[k] & 0xFF), u = (words[k] >> 9) & ((1 << 52) - 1)
                let x = Double(u) * table.widths[layer]
                XCTAssertEqual(out[k].bitPattern, ((words[k] >> 8) & 1 == 1 ? -x : x).bitPattern, "word \(k)")
            }
        }
    }
}
