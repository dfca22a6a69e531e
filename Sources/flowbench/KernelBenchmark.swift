import FlowKit
import Foundation

/// Each batch kernel of the sample pass against the scalar path it replaces, timed in the same
/// run with the repetitions interleaved (old, new, old, new, …; best of each on the thread's
/// CPU clock), so that the ratio stays honest on a machine whose load changes from minute to
/// minute: the normal fill (same values) against the per-draw ziggurat, the table Φ against
/// libm's erfc, and FiniteScan's two passes against Welford's update.
enum KernelBenchmark {
    static let n = 1 << 16  // the sample pass's chunk
    static let repetitions = 40

    /// Best ns per value of `old` and of `new`, interleaved.
    static func compare(_ old: () -> Void, _ new: () -> Void) -> (old: Double, new: Double) {
        old()
        new()
        var best = (old: Double.infinity, new: Double.infinity)
        for _ in 0..<repetitions {
            var start = Timing.now()
            old()
            best.old = min(best.old, Double(Timing.now() - start))
            start = Timing.now()
            new()
            best.new = min(best.new, Double(Timing.now() - start))
        }
        return (best.old / Double(n), best.new / Double(n))
    }

    static func row(_ name: String, _ t: (old: Double, new: Double), reference: Double? = nil, _ detail: String) -> BenchmarkRow {
        BenchmarkRow(name: name, value: t.new, unit: "ns", reference: reference, target: nil,
                     detail: String(format: "scalar path %.2f ns → %.2fx faster; ", t.old, t.old / t.new) + detail)
    }

    static let kernels = Benchmark(name: "kernels", summary: "batch kernels vs the scalar paths they replace, interleaved, ns per value") {
        var stream = RandomStream(seed: 9)
        let z = (0..<n).map { _ in stream.nextStandardNormal() }
        let y = z.map { Foundation.exp($0) }
        var out = [Double](repeating: 0, count: n)
        var rows: [BenchmarkRow] = []

        var same = true
        let normal = compare({
            var s = RandomStream(seed: 1, stream: 2)
            out.withUnsafeMutableBufferPointer { o in for i in o.indices { o[i] = s.nextStandardNormal() } }
        }, {
            var s = RandomStream(seed: 1, stream: 2)
            var fill = [Double](repeating: 0, count: n)
            fill.withUnsafeMutableBufferPointer { s.fillStandardNormal($0) }
            same = same && fill == out
        })
        rows.append(row("normal fill (bulk Philox + ziggurat)", normal, reference: NumpyReference.normal,
                        same ? "values bit-identical" : "VALUES DIFFER"))

        let logNormal = try LogNormalDistribution()
        rows.append(row("log-normal cdf (libm log + table Φ)", compare({
            out.withUnsafeMutableBufferPointer { o in for i in o.indices { o[i] = logNormal.cdf(y[i]) } }
        }, {
            y.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { logNormal.cdf(of: x, into: $0) } }
        }), "u = F_ref(y) of the lognormal spec"))

        let normalDistribution = try NormalDistribution()
        rows.append(row("normal cdf (table Φ)", compare({
            out.withUnsafeMutableBufferPointer { o in for i in o.indices { o[i] = normalDistribution.cdf(z[i]) } }
        }, {
            z.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { normalDistribution.cdf(of: x, into: $0) } }
        }), "Special.normalCDF (erfc) per value before"))

        var welfordMean = 0.0, scanMean = 0.0
        rows.append(row("moments + support counts (FiniteScan)", compare({
            var m = RunningMoments()
            var outside = 0, nonFinite = 0
            for v in y {
                if !v.isFinite { nonFinite += 1; continue }
                if v < 0 || v > .infinity { outside += 1 }
                m.add(v)
            }
            welfordMean = m.mean + Double(outside + nonFinite)
        }, {
            let scan = y.withUnsafeBufferPointer { FiniteScan($0, lower: 0, upper: .infinity) }
            scanMean = scan.moments.mean + Double(scan.outside + scan.nonFinite)
        }), String(format: "Welford per value before; means %.17g vs %.17g", welfordMean, scanMean)))
        return BenchmarkOutput(rows: rows)
    }
}
