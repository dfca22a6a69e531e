@testable import FlowKit
import Foundation
import XCTest

/// The batch fast paths must give exactly the values of the scalar paths they replace
/// (bit for bit, and consuming the stream in the same order): the 64-bit pair path of
/// RandomStream, the ziggurat fill, distributions' batch sample / log density / cdf, the
/// product distribution's batch log density and the elementwise maps' batch loops.
final class BatchPathTests: XCTestCase {
    /// Eight blocks of a stream read one 32-bit word at a time are Philox at counters
    /// (position, stream) in order, across refills.
    func testStreamReadsConsecutiveBlocksAcrossRefills() {
        var stream = RandomStream(seed: 0xDEAD_BEEF_0000_0001, stream: 9)
        let philox = Philox4x32(key: RandomStream.key(forSeed: 0xDEAD_BEEF_0000_0001))
        for position: UInt32 in 0..<8 {
            let block = philox.block((position, 0, 9, 0))
            XCTAssertEqual([stream.nextUInt32(), stream.nextUInt32(), stream.nextUInt32(), stream.nextUInt32()],
                           [block.0, block.1, block.2, block.3])
        }
    }

    /// nextUInt64 = (first 32-bit output << 32) | second, at every buffer alignment,
    /// including after an odd number of 32-bit draws (the slow path).
    func testNextUInt64MatchesTwoUInt32DrawsAtEveryAlignment() {
        for skip in 0..<5 {
            var fast = RandomStream(seed: 99, stream: 5), words = RandomStream(seed: 99, stream: 5)
            for _ in 0..<skip {
                _ = fast.nextUInt32()
                _ = words.nextUInt32()
            }
            for _ in 0..<41 {
                let expected = UInt64(words.nextUInt32()) << 32 | UInt64(words.nextUInt32())
                XCTAssertEqual(fast.nextUInt64(), expected, "after \(skip) 32-bit draws")
            }
            XCTAssertEqual(fast.nextUInt32(), words.nextUInt32(), "streams stay in step")
        }
    }

    /// fillStandardNormal gives the scalar ziggurat's draws in order (2¹⁴ draws reach the
    /// tail and wedge paths: about 1 % of draws leave the fast path), and leaves the stream
    /// where the scalar calls leave it.
    func testFillStandardNormalMatchesScalarDraws() {
        let n = 1 << 14
        var scalar = RandomStream(seed: 2024, stream: 1), batch = RandomStream(seed: 2024, stream: 1)
        let expected = (0..<n).map { _ in scalar.nextStandardNormal() }
        var out = [Double](repeating: .nan, count: n)
        out.withUnsafeMutableBufferPointer { batch.fillStandardNormal($0) }
        XCTAssertEqual(out.map(\.bitPattern), expected.map(\.bitPattern))
        XCTAssertTrue(expected.contains { abs($0) > NormalZiggurat.tailStart },
                      "the sample should reach the tail path")
        XCTAssertEqual(batch.nextUInt64(), scalar.nextUInt64())
    }

    /// Batch sample, log density and cdf against the scalar requirements, for the normal
    /// (its own sampler) and distributions on the default batch paths.
    func testUnivariateBatchPathsMatchScalarPaths() throws {
        let distributions: [any UnivariateDistribution] = [
            try NormalDistribution(mean: 1.5, std: 0.3), try LogNormalDistribution(mu: 0.2, sigma: 0.7),
            try UniformDistribution(low: -2, high: 3),
        ]
        let n = 5000
        for d in distributions {
            var scalar = RandomStream(seed: 7, stream: 2), batch = RandomStream(seed: 7, stream: 2)
            let expected = (0..<n).map { _ in d.sample(using: &scalar) }
            var drawn = [Double](repeating: .nan, count: n)
            drawn.withUnsafeMutableBufferPointer { d.sample(into: $0, using: &batch) }
            XCTAssertEqual(drawn.map(\.bitPattern), expected.map(\.bitPattern), "\(type(of: d)) sample")
            var logp = [Double](repeating: .nan, count: n), cdf = [Double](repeating: .nan, count: n)
            drawn.withUnsafeBufferPointer { x in
                logp.withUnsafeMutableBufferPointer { d.logDensity(of: x, into: $0) }
                cdf.withUnsafeMutableBufferPointer { d.cdf(of: x, into: $0) }
            }
            XCTAssertEqual(logp.map(\.bitPattern), drawn.map { d.logDensity($0).bitPattern }, "\(type(of: d)) log density")
            // The normal and log-normal have table kernels, within 10⁻¹⁴ absolute here (the
            // precise bounds are in BatchKernelTests); the others are the scalar loop, bit for bit.
            let tolerance = d is UniformDistribution ? 0 : 1e-14
            for (u, x) in zip(cdf, drawn) {
                XCTAssertLessThanOrEqual(abs(u - d.cdf(x)), tolerance, "\(type(of: d)) cdf(\(x))")
            }
        }
    }

    /// The product's batch log density equals the point-by-point sum Σᵢ log pᵢ(xᵢ) from 0,
    /// in one and in three dimensions, and its 1-D batch sampler draws what the per-point
    /// path drew (the components' scalar samplers in order).
    func testIndependentComponentsBatchPathsMatchPointByPoint() throws {
        let three = IndependentComponents([try NormalDistribution(mean: -1, std: 2), try LogNormalDistribution(),
                                           try UniformDistribution(low: 0, high: 4)])
        let one = IndependentComponents([try NormalDistribution(mean: 0.5, std: 1.5)])
        for product in [one, three] {
            var stream = RandomStream(seed: 11)
            var batch = PointBatch(dimension: product.dimension, count: 3000)
            product.sample(into: &batch, using: &stream)
            let perPoint = (0..<batch.count).map { product.logDensity(batch.point($0)) }
            XCTAssertEqual(product.logDensity(batch).map(\.bitPattern), perPoint.map(\.bitPattern))
        }
        var batchStream = RandomStream(seed: 12), scalarStream = RandomStream(seed: 12)
        var batch = PointBatch(dimension: 1, count: 4097)
        one.sample(into: &batch, using: &batchStream)
        let expected = (0..<4097).map { _ in one.components[0].sample(using: &scalarStream) }
        XCTAssertEqual(batch.values.map(\.bitPattern), expected.map(\.bitPattern))
    }

    /// Elementwise's batch loop (forward and inverse, in 1 and 2 dimensions) against the
    /// scalar map: values bit-identical, log-dets summed per point from 0 and added.
    func testElementwiseBatchLoopMatchesScalarMap() {
        let map = ExpMap()
        for d in [1, 2] {
            let n = 257
            var stream = RandomStream(seed: 3)
            let x = (0..<(n * d)).map { _ in stream.nextStandardNormal() }
            var batch = PointBatch(dimension: d, values: x)
            var logAbsDet = [Double](repeating: 0.25, count: n)
            Elementwise(map).forward(&batch, logAbsDet: &logAbsDet)
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<d {
                    let r = map.forward(x[i * d + j])
                    XCTAssertEqual(batch.values[i * d + j].bitPattern, r.value.bitPattern)
                    sum += r.logAbsDet
                }
                XCTAssertEqual(logAbsDet[i].bitPattern, (0.25 + sum).bitPattern)
            }
            let y = batch.values
            var back = [Double](repeating: 0, count: n)
            Elementwise(map).inverse(&batch, logAbsDet: &back)
            for i in 0..<n {
                var sum = 0.0
                for j in 0..<d {
                    let r = map.inverse(y[i * d + j])
                    XCTAssertEqual(batch.values[i * d + j].bitPattern, r.value.bitPattern)
                    sum += r.logAbsDet
                }
                XCTAssertEqual(back[i].bitPattern, (0 + sum).bitPattern)
            }
        }
    }
}
