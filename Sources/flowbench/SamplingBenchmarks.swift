import FlowKit
import Foundation

/// Speed of FlowKit's sampling primitives, each against numpy's time for the same work
/// (``NumpyReference``, measured in the same run): normal and uniform draws, the exp map on a batch, histogram
/// inserts and Flow.sample of N(0, 1) → exp.
///
/// Every loop folds its results into a checksum that is printed, so the work cannot be
/// optimized away and so that a change which alters a single sample shows up as a changed
/// checksum (performance changes must keep results bit-identical).
enum SamplingBenchmarks {
    /// Draws per timed repetition of the scalar draw benchmarks.
    static let draws = 10_000_000
    /// Batch size of the batch benchmarks (the sample pass's chunk size).
    static let batch = 1 << 16
    /// Batches per timed repetition of the batch benchmarks.
    static let batchesPerRun = 100
    static let repetitions = 5

    /// Order-dependent checksum of a sequence of doubles: a rotating xor of their bit
    /// patterns (sensitive to any changed bit and to order).
    struct Checksum {
        var value: UInt64 = 0
        @inline(__always) mutating func add(_ x: Double) {
            value = (value << 7 | value >> 57) ^ x.bitPattern
        }
        var hex: String { String(value, radix: 16) }
    }

    static let standardNormal = Benchmark(name: "normal", summary: "RandomStream.nextStandardNormal (ziggurat), ns per draw") {
        var checksum = Checksum()
        let ns = Timing.best(repetitions: repetitions) {
            var stream = RandomStream(seed: 1)
            var c = Checksum()
            for _ in 0..<draws { c.add(stream.nextStandardNormal()) }
            checksum = c
        }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "normal draw", value: ns / Double(draws), unit: "ns", reference: NumpyReference.normal,
            target: .timesNumpy(2), detail: "10^7 draws, checksum \(checksum.hex)")])
    }

    static let standardNormalBatch = Benchmark(name: "normal-batch", summary: "RandomStream.fillStandardNormal on 2^16 doubles, ns per draw") {
        var buffer = [Double](repeating: 0, count: batch)
        var checksum = Checksum()
        let ns = Timing.best(repetitions: repetitions) {
            var c = Checksum()
            buffer.withUnsafeMutableBufferPointer { out in
                var stream = RandomStream(seed: 1)
                for _ in 0..<batchesPerRun {
                    stream.fillStandardNormal(out)
                    c.add(out[batch - 1])
                }
            }
            checksum = c
        }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "normal draw (batch fill)", value: ns / Double(batch * batchesPerRun), unit: "ns",
            reference: NumpyReference.normal, target: .timesNumpy(1.5),
            detail: "what NormalDistribution.sample(into:) uses, checksum \(checksum.hex)")])
    }

    static let uniform = Benchmark(name: "uniform", summary: "RandomStream.nextUniform, ns per draw") {
        var checksum = Checksum()
        let ns = Timing.best(repetitions: repetitions) {
            var stream = RandomStream(seed: 1)
            var c = Checksum()
            for _ in 0..<draws { c.add(stream.nextUniform()) }
            checksum = c
        }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "uniform draw", value: ns / Double(draws), unit: "ns", reference: nil, target: nil,
            detail: "10^7 draws, checksum \(checksum.hex)")])
    }

    /// Standard normal inputs for the batch benchmarks.
    static func normalBatch(seed: UInt64) -> PointBatch {
        var stream = RandomStream(seed: seed)
        return PointBatch(scalars: (0..<batch).map { _ in stream.nextStandardNormal() })
    }

    static let expMap = Benchmark(name: "exp", summary: "Elementwise<ExpMap>.forward on a batch of 2^16, ns per element") {
        let input = normalBatch(seed: 2)
        var points = input
        var logAbsDet = [Double](repeating: 0, count: batch)
        let map = Elementwise(ExpMap())
        var checksum = Checksum()
        let ns = Timing.bestSelfTimed(repetitions: repetitions) {
            var elapsed = 0.0
            for _ in 0..<batchesPerRun {
                points.values.withUnsafeMutableBufferPointer { p in
                    input.values.withUnsafeBufferPointer { s in p.baseAddress!.update(from: s.baseAddress!, count: s.count) }
                }
                for i in logAbsDet.indices { logAbsDet[i] = 0 }
                let start = Timing.now()
                map.forward(&points, logAbsDet: &logAbsDet)
                elapsed += Double(Timing.now() - start)
            }
            return elapsed
        }
        for v in points.values { checksum.add(v) }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "exp map (batch)", value: ns / Double(batch * batchesPerRun), unit: "ns", reference: NumpyReference.exp,
            target: .timesNumpy(2), detail: "value and log|det|, checksum \(checksum.hex)")])
    }

    static let histogramInsert = Benchmark(name: "histogram", summary: "Histogram.insert(contentsOf:), 100 bins on [-4, 4], ns per value") {
        let input = normalBatch(seed: 3)
        var histogram = try Histogram(low: -4, high: 4, binCount: 100)
        let ns = try Timing.best(repetitions: repetitions) {
            histogram = try Histogram(low: -4, high: 4, binCount: 100)
            input.values.withUnsafeBufferPointer { values in
                for _ in 0..<batchesPerRun { histogram.insert(contentsOf: values) }
            }
        }
        var checksum = Checksum()
        for c in histogram.counts { checksum.add(c) }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "histogram insert", value: ns / Double(batch * batchesPerRun), unit: "ns",
            reference: NumpyReference.histogram, target: .timesNumpy(2),
            detail: "100 bins, N(0,1) values, checksum \(checksum.hex)")])
    }

    /// The flow N(0, 1) → exp of reports/lognormal.yaml.
    static func lognormalFlow() throws -> Flow {
        try Flow(base: IndependentComponents([NormalDistribution()]),
                 chain: TransformChain(maps: [Elementwise(ExpMap())], dimension: 1))
    }

    static let flowSample = Benchmark(name: "flow-sample", summary: "Flow.sample(into:logDensity:using:) of N(0,1) → exp, ns per sample") {
        let flow = try lognormalFlow()
        var points = PointBatch(dimension: 1, count: batch)
        var logDensity = [Double](repeating: 0, count: batch)
        var checksum = Checksum()
        let ns = Timing.best(repetitions: repetitions) {
            var c = Checksum()
            for b in 0..<batchesPerRun {
                var stream = RandomStream(seed: 4, stream: UInt64(b))
                flow.sample(into: &points, logDensity: &logDensity, using: &stream)
                c.add(points.values[batch - 1])
                c.add(logDensity[batch - 1])
            }
            checksum = c
        }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "Flow.sample N(0,1)→exp", value: ns / Double(batch * batchesPerRun), unit: "ns",
            reference: NumpyReference.normal.flatMap { n in NumpyReference.exp.map { n + $0 } }, target: .timesNumpy(2),
            detail: "value and log p (numpy: normal + exp), checksum \(checksum.hex)")])
    }
}
