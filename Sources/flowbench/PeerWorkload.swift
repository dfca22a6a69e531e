import FlowKit
import FlowTraining
import Foundation

/// One training workload of the peer comparison (`flowbench workload NAME ITERATIONS`), run by
/// `Scripts/peer_bench.py` right after the same workload of the peer (normflows, zuko,
/// torchcfm) in the same process tree: the same iterations, batch 256, 2 threads (jobs = 2)
/// against torch's 2 threads. Prints one JSON object: iterations per second on the wall clock,
/// the same from the process's CPU time (what 2 idle cores would give), and the quality after
/// those iterations:
/// - `planar-u1`: 32 planar maps, reverse KL on the enveloped U1, Adam 1e-3, β annealed over
///   10,000 iterations (normflows_planar_u1.py); KL(q ‖ p) = log Z − ELBO on 10⁵ samples.
/// - `nsf-8gaussians`, `nsf-checkerboard`: ``SplineFitBenchmark``'s flow, ML, Adam 1e-3
///   (zuko_nsf_toy.py); KL(p_data ‖ q) = NLL − H on 10⁵ fresh points.
/// - `fm-independent`, `fm-ot`: ``FlowMatchingBenchmark``'s field (3 × 64 SELU of (x, t)),
///   8gaussians → moons, Adam 1e-3 (torchcfm_8g_moons.py); W₂ of 2,000 samples (dopri5 at 1e-4)
///   to 2,000 fresh moons points, and the floor W₂ of two fresh samples of 2,000.
enum PeerWorkload {
    static let names = ["planar-u1", "nsf-8gaussians", "nsf-checkerboard", "fm-independent", "fm-ot"]

    struct Measured {
        var wall: Double
        var cpu: Double
    }

    static func timed<T>(_ body: () throws -> T) rethrows -> (T, Measured) {
        let wall = Timing.now(.wall), cpu = Timing.now(.process)
        let value = try body()
        return (value, Measured(wall: Double(Timing.now(.wall) - wall) / 1e9, cpu: Double(Timing.now(.process) - cpu) / 1e9))
    }

    static func run(_ name: String, iterations: Int) throws -> [String: Any] {
        var result: [String: Any] = ["workload": name, "iterations": iterations, "batch": 256, "jobs": 2]
        let time: Measured
        switch name {
        case "planar-u1":
            let flow = TrainableFlow(dimension: 2, layers: (0..<32).map { _ in TrainablePlanar(dimension: 2) })
            let energy = EnvelopedEnergy(.u1)
            let trainer = Trainer(flow: flow, objective: ReverseKL(target: energy, annealingIterations: 10_000),
                                  configuration: TrainingConfiguration(iterations: iterations, batchSize: 256, chunkSize: 64, jobs: 2, seed: 1))
            var adam = Adam()
            let (fit, measured) = try timed { try trainer.fit(from: flow.initialParameters(seed: 1), optimizer: &adam, schedule: ConstantSchedule(1e-3)) }
            time = measured
            var stream = RandomStream(seed: 77)
            let (points, logQ) = flow.sample(parameters: fit.parameters, count: 100_000, using: &stream)
            let values = (0..<points.count).map { -energy.potential(points[$0, 0], points[$0, 1]) - logQ[$0] }
            let elbo = MonteCarloEstimate(values: values)
            result["quality"] = "KL(q || p)"
            result["value"] = energy.logNormalizer - elbo.value
            result["standard_error"] = elbo.standardError
        case "nsf-8gaussians", "nsf-checkerboard":
            let dataset: ToyDatasetDensity = name == "nsf-8gaussians" ? .eightGaussians : .checkerboard
            let flow = SplineFitBenchmark.splineFlow()
            let trainer = Trainer(flow: flow, objective: MaximumLikelihood(data: .toy(dataset.dataset)),
                                  configuration: TrainingConfiguration(iterations: iterations, batchSize: 256, chunkSize: 64, jobs: 2, seed: 1))
            var adam = Adam()
            let (fit, measured) = try timed { try trainer.fit(from: flow.initialParameters(seed: 1), optimizer: &adam, schedule: ConstantSchedule(1e-3)) }
            time = measured
            var stream = RandomStream(seed: 2024, stream: 77)
            let heldOut = dataset.dataset.sample(count: 100_000, using: &stream)
            let nll = MonteCarloEstimate.negativeLogLikelihood(logDensities: flow.logDensity(parameters: fit.parameters, of: heldOut))
            let kl = dataset.klDivergence(negativeLogLikelihood: nll)
            result["quality"] = "KL(p_data || q)"
            result["value"] = kl.value
            result["standard_error"] = kl.standardError
        case "fm-independent", "fm-ot":
            let pairing: ConditionalFlowMatching.Pairing = name == "fm-ot" ? .optimalTransport : .independent
            let ((fit, _), measured) = try timed { try FlowMatchingBenchmark.fit(pairing, iterations: iterations, jobs: 2) }
            time = measured
            let points = 2000
            let solver = try DormandPrince54(relativeTolerance: 1e-4, absoluteTolerance: 1e-4)
            let field = try FlowMatchingBenchmark.objective(pairing).field
            let flow = try ContinuousFlow(base: ToyDatasetDensity.eightGaussians, field: field.fixed(parameters: fit.parameters))
            var stream = RandomStream(seed: 7)
            let generated = try flow.sample(count: points, using: &stream, solver: solver)
            let reference = ToyDataset.moons.sample(count: points, using: &stream)
            var floorStream = RandomStream(seed: 99)
            let floor = try Wasserstein2.samplingFloor(of: .moons, count: points, using: &floorStream)
            let w2 = try Wasserstein2.distance(generated.points, reference)
            result["quality"] = "W2 / floor"
            result["value"] = w2 / floor
            result["w2"] = w2
            result["floor"] = floor
            result["nfe"] = generated.statistics.evaluations
        default:
            throw BenchmarkFailure(message: "unknown workload \(name); known: \(names.joined(separator: ", "))")
        }
        result["seconds"] = time.wall
        result["cpu_seconds"] = time.cpu
        result["it_per_s"] = Double(iterations) / time.wall
        result["it_per_2cpu_s"] = Double(iterations) / (time.cpu / 2)
        result["load"] = loadAverage()
        return result
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
