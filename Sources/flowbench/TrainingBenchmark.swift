import Foundation
import FlowKit
import FlowTraining

/// Training throughput: iterations per second of whole optimisation steps (batch gradient by
/// chunks, Adam update), wall clock, best of several timed runs after a warm-up.
///
/// - `train-planar32-rkl`: 32 planar maps on a learnable diagonal normal, reverse KL, batch 256,
///   Adam 1e-3, on a correlated Gaussian energy (the energy's cost is a few flops per point;
///   U1's ∇U, which the fitting issue adds to FlowKit, costs a few exponentials more). Peer:
///   normflows 1.7.3, ~64 it/s on U1 here; target ≥ 50× = 3,200 it/s with 2 jobs.
/// - `train-coupling-ml`: 6 affine couplings (hidden (64, 64)) with ActNorm, maximum
///   likelihood on 8gaussians, batch 256 (zuko's NSF peer: ~65 it/s; the spline-coupling row
///   belongs with the spline layer).
enum TrainingBenchmark {
    /// log p̃(x) = −½(x − m)ᵀΣ⁻¹(x − m) for m = (1, −0.5), Σ = [[2, 0.8], [0.8, 0.6]].
    struct GaussianEnergy: TrainingTarget {
        var dimension: Int { 2 }
        let precision: [[Double]] = {
            let det = 2 * 0.6 - 0.8 * 0.8
            return [[0.6 / det, -0.8 / det], [-0.8 / det, 2 / det]]
        }()

        func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, logDensity: UnsafeMutablePointer<Double>,
                                   gradient: UnsafeMutablePointer<Double>) {
            let p00 = precision[0][0], p01 = precision[0][1], p11 = precision[1][1]
            for p in 0..<count {
                let e0 = points[2 * p] - 1, e1 = points[2 * p + 1] + 0.5
                let g0 = p00 * e0 + p01 * e1, g1 = p01 * e0 + p11 * e1
                logDensity[p] = -0.5 * (e0 * g0 + e1 * g1)
                gradient[2 * p] = -g0
                gradient[2 * p + 1] = -g1
            }
        }
    }

    /// Iterations per second on `clock` (wall for the headline; the thread's CPU time for one
    /// job shows the rate without the other processes' share of the cores).
    static func iterationsPerSecond(flow: TrainableFlow, objective: any TrainingObjective, batch: Int, jobs: Int,
                                    iterations: Int, clock: Timing.Clock = .wall) throws -> Double {
        let configuration = TrainingConfiguration(iterations: iterations, batchSize: batch, chunkSize: 64, jobs: jobs, seed: 1)
        let trainer = Trainer(flow: flow, objective: objective, configuration: configuration)
        let start = flow.initialParameters(seed: 1)
        let nanoseconds = try Timing.best(repetitions: 3, clock: clock) {
            var adam = Adam()
            _ = try trainer.fit(from: start, optimizer: &adam, schedule: ConstantSchedule(1e-3))
        }
        return Double(iterations) / (nanoseconds * 1e-9)
    }

    static let planarReverseKL = Benchmark(name: "train-planar32-rkl",
                                           summary: "32 planar maps, reverse KL on a Gaussian energy, batch 256, Adam: iterations/s") {
        let flow = TrainableFlow(dimension: 2, layers: (0..<32).map { _ in TrainablePlanar(dimension: 2) })
        let objective = ReverseKL(target: GaussianEnergy(), annealingIterations: 10_000)
        var rows: [BenchmarkRow] = []
        for jobs in [1, 2] {
            let rate = try iterationsPerSecond(flow: flow, objective: objective, batch: 256, jobs: jobs, iterations: 500)
            rows.append(BenchmarkRow(name: "planar-32 reverse KL, jobs \(jobs)", value: rate, unit: "it/s",
                                     target: jobs == 2 ? .atLeast(3200) : nil, detail: "batch 256, chunks of 64, wall"))
        }
        let cpu = try iterationsPerSecond(flow: flow, objective: objective, batch: 256, jobs: 1, iterations: 500, clock: .thread)
        rows.append(BenchmarkRow(name: "planar-32 reverse KL, 1 core", value: cpu, unit: "it/s", detail: "thread CPU time"))
        return BenchmarkOutput(rows: rows, notes: ["normflows (torch CPU, 2 threads) on U1: ~64 it/s on this machine (issue 10)."])
    }

    static let couplingMaximumLikelihood = Benchmark(name: "train-coupling-ml",
                                                     summary: "6 affine couplings (64, 64), ML on 8gaussians, batch 256, Adam: iterations/s") {
        var layers: [any TrainableLayer] = []
        for k in 0..<6 {
            layers.append(TrainableActNorm(dimension: 2))
            layers.append(TrainableAffineCoupling(dimension: 2, parity: k, hidden: [64, 64]))
        }
        let flow = TrainableFlow(dimension: 2, layers: layers)
        let objective = MaximumLikelihood(data: .toy(.eightGaussians))
        var rows: [BenchmarkRow] = []
        for jobs in [1, 2] {
            let rate = try iterationsPerSecond(flow: flow, objective: objective, batch: 256, jobs: jobs, iterations: 60)
            rows.append(BenchmarkRow(name: "coupling-6 (64,64) ML, jobs \(jobs)", value: rate, unit: "it/s", detail: "batch 256, wall"))
        }
        let cpu = try iterationsPerSecond(flow: flow, objective: objective, batch: 256, jobs: 1, iterations: 60, clock: .thread)
        rows.append(BenchmarkRow(name: "coupling-6 (64,64) ML, 1 core", value: cpu, unit: "it/s", detail: "thread CPU time"))
        return BenchmarkOutput(rows: rows)
    }
}
