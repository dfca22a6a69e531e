import FlowKit
import Foundation

/// Our own ``FeatureMajorKernels`` against OpenBLAS's dgemm for the three products of one dense
/// layer (forward W·h + b; backward δ·hᵀ and Wᵀ·δ) on one 64-point chunk, per layer shape, on
/// the thread's CPU clock, the two interleaved (best of each): the measurement behind
/// ``MatrixProducts/defaultMinimumInputs`` (issue 10: "If OpenBLAS beats your own loops at these
/// sizes, use it; measure before deciding").
enum MatrixProductsBenchmark {
    static let n = 64
    /// (inputs, outputs) of the layers our fits use: NSF conditioners 1 → 64 → 64 → 23, flow
    /// matching 3 → 64 → 64 → 2, BNAF-size 64 → 64, and wider and thinner ones around them.
    static let shapes = [(1, 64), (3, 64), (8, 8), (16, 16), (32, 32), (64, 64), (64, 23), (64, 8), (64, 2), (128, 128), (256, 256)]

    static let products = Benchmark(
        name: "mlp-products",
        summary: "one dense layer's forward and backward products on a 64-point chunk: own kernels vs OpenBLAS, one thread"
    ) {
        guard let blas = OpenBLAS.shared else {
            return BenchmarkOutput(rows: [], notes: ["mlp-products: OpenBLAS is not available (libopenblas.so.0 not found or FLOWREPORT_OPENBLAS=0)"])
        }
        var rows: [BenchmarkRow] = []
        var stream = RandomStream(seed: 5)
        for (inputs, outputs) in shapes {
            let own = TrainableMLP(widths: [inputs, outputs], activation: .tanh, zeroLastLayer: false, products: .own)
            var dgemm = own
            dgemm.products = .openBLAS(blas, minimumInputs: 1)
            let theta = own.initialParameters(using: &stream)
            let input = (0..<(inputs * n)).map { _ in stream.nextStandardNormal() }
            var tape = [Double](repeating: 0, count: own.tapeCount(count: n))
            var inputGradient = [Double](repeating: 0, count: inputs * n)
            var gradient = [Double](repeating: 0, count: own.parameterCount)
            func pass(_ mlp: TrainableMLP, backward: Bool) {
                theta.withUnsafeBufferPointer { t in input.withUnsafeBufferPointer { x in tape.withUnsafeMutableBufferPointer { tp in
                    _ = mlp.forward(parameters: t.baseAddress!, input: x.baseAddress!, count: n, tape: tp.baseAddress!)
                    guard backward else { return }
                    let out = mlp.outputGradient(tape: tp.baseAddress!, count: n)
                    for i in 0..<(outputs * n) { out[i] = 1e-3 }
                    inputGradient.withUnsafeMutableBufferPointer { ig in gradient.withUnsafeMutableBufferPointer { g in
                        mlp.backward(parameters: t.baseAddress!, input: x.baseAddress!, count: n, tape: tp.baseAddress!,
                                     inputGradient: ig.baseAddress!, parameterGradient: g.baseAddress!)
                    } }
                } } }
            }
            var best = (forwardOwn: Double.infinity, forwardBLAS: Double.infinity, bothOwn: Double.infinity, bothBLAS: Double.infinity)
            let repetitions = max(20, 2_000_000 / (inputs * outputs * n))
            for _ in 0..<15 {
                best.forwardOwn = min(best.forwardOwn, Timing.best(repetitions: 1) { for _ in 0..<repetitions { pass(own, backward: false) } })
                best.forwardBLAS = min(best.forwardBLAS, Timing.best(repetitions: 1) { for _ in 0..<repetitions { pass(dgemm, backward: false) } })
                best.bothOwn = min(best.bothOwn, Timing.best(repetitions: 1) { for _ in 0..<repetitions { pass(own, backward: true) } })
                best.bothBLAS = min(best.bothBLAS, Timing.best(repetitions: 1) { for _ in 0..<repetitions { pass(dgemm, backward: true) } })
            }
            let r = Double(repetitions)
            let forwardOwn = best.forwardOwn / r, forwardBLAS = best.forwardBLAS / r
            let backwardOwn = (best.bothOwn - best.forwardOwn) / r, backwardBLAS = (best.bothBLAS - best.forwardBLAS) / r
            let flops = Double(2 * inputs * outputs * n)
            rows.append(BenchmarkRow(
                name: "dense layer \(inputs) → \(outputs), n = 64: forward, OpenBLAS vs own", value: forwardBLAS, unit: "ns",
                detail: String(format: "own %.0f ns (%.1f GF/s), OpenBLAS %.1f GF/s: %.2f×", forwardOwn, flops / forwardOwn,
                               flops / forwardBLAS, forwardOwn / forwardBLAS)))
            rows.append(BenchmarkRow(
                name: "dense layer \(inputs) → \(outputs), n = 64: backward, OpenBLAS vs own", value: backwardBLAS, unit: "ns",
                detail: String(format: "own %.0f ns (%.1f GF/s), OpenBLAS %.1f GF/s: %.2f×", backwardOwn, 2 * flops / backwardOwn,
                               2 * flops / backwardBLAS, backwardOwn / backwardBLAS)))
        }
        return BenchmarkOutput(rows: rows, notes: ["mlp-products: \(blas.identity); rule: OpenBLAS for every backward product and for forward products from \(MatrixProducts.defaultMinimumInputs) inputs on"])
    }
}
