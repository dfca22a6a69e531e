import FlowKit
import FlowTraining
import Foundation

/// The fit of an experiment's `fit:` section (Report's side of FlowTraining): builds the
/// trainable flow, its starting parameters (the spec's base mean and std, layer k from stream
/// k + 1 of the seed, data-dependent initialisation for maximum likelihood), the objective and
/// the optimiser, runs the ``Trainer`` with a ``FitMonitor`` (validation estimates, progress),
/// and keeps what the report shows.
///
/// Results are identical for any number of jobs (``BatchGradient`` splits batches into chunks
/// with their own random streams).
public struct FitRun: Sendable {
    public let plan: FitPlan
    public let flow: TrainableFlow
    public let parameters: [Double]
    /// The mini-batch loss of every iteration.
    public let losses: [Double]
    public let skippedSteps: Int
    /// Validation estimates: held-out NLL (maximum likelihood) or −ELBO at β = 1 on fresh samples
    /// (reverse KL), with standard errors.
    public let validation: [FitMonitor.Estimate]
    /// β_t of the annealed objective at every iteration (empty without annealing).
    public let betas: [Double]
    public let seconds: Double
    /// Held-out points (maximum likelihood).
    public let heldOut: PointBatch?
    public let seed: UInt64

    /// Random streams of a fit beyond the trainer's (which uses 2⁶² + …).
    static let heldOutStream: UInt64 = 1 << 61
    static let validationStream: UInt64 = (1 << 61) + 1
    static let estimateStream: UInt64 = (1 << 61) + 2
    static let splitStream: UInt64 = (1 << 61) + 3
    static let heldOutCount = 10_000

    public init(plan: FitPlan, seed: UInt64, jobs: Int,
                progress: ((_ iteration: Int, _ total: Int, _ loss: Double) -> Void)? = nil) throws(ReportError) {
        self.plan = plan
        self.seed = seed
        let settings = plan.settings
        let d = plan.baseMean.count
        let flow = TrainableFlow(dimension: d, layers: plan.layers.map(\.layer))
        self.flow = flow
        var theta = flow.initialParameters(seed: seed)
        for j in 0..<d {
            theta[j] = plan.baseMean[j]
            theta[d + j] = Foundation.log(plan.baseStd[j])
        }
        var frozen: [Int] = settings.trainBase ? [] : Array(0..<(2 * d))
        for (k, slot) in plan.layers.enumerated() {
            let offset = flow.layerOffsets[k]
            if let fixed = slot.fixed {
                theta.replaceSubrange(offset..<(offset + fixed.count), with: fixed)
                frozen += Array(offset..<(offset + fixed.count))
            } else {
                frozen += slot.layer.untrainedParameters.map { offset + $0 }
            }
        }

        let objective: any TrainingObjective
        var heldOut: PointBatch?
        switch settings.objective {
        case .reverseKL:
            guard let energy = settings.target else { throw .rendering("fit: reverse_kl without a target") }
            objective = ReverseKL(target: EnvelopedEnergy(energy), annealingIterations: settings.anneal)
        case .maximumLikelihood:
            guard let data = settings.data else { throw .rendering("fit: maximum_likelihood without data") }
            let training: PointBatch
            switch data {
            case let .dataset(dataset):
                var stream = RandomStream(seed: seed, stream: Self.heldOutStream)
                heldOut = dataset.sample(count: Self.heldOutCount, using: &stream)
                var initStream = RandomStream(seed: seed, stream: Self.splitStream)
                training = dataset.sample(count: 1024, using: &initStream)
                objective = MaximumLikelihood(data: .toy(dataset))
            case let .points(points, _):
                let split = Self.split(points, seed: seed)
                heldOut = split.heldOut
                training = split.training
                objective = MaximumLikelihood(data: .points(split.training))
            }
            let before = theta
            do {
                try flow.initializeFromData(&theta, points: training.prefix(min(1024, training.count)))
            } catch {
                throw .rendering("fit: data-dependent initialisation failed: \(error)")
            }
            for i in frozen { theta[i] = before[i] }
        }
        self.heldOut = heldOut

        let configuration = TrainingConfiguration(iterations: settings.iterations, batchSize: settings.batch,
                                                  jobs: max(1, jobs), seed: seed,
                                                  clipping: settings.clip.map { GradientClipping(maximumNorm: $0) })
        let trainer = Trainer(flow: flow, objective: objective, configuration: configuration)
        let monitor = FitMonitor(flow: flow, objective: settings.objective, target: settings.target, heldOut: heldOut,
                                 every: settings.validationEvery, total: settings.iterations, seed: seed, progress: progress)
        let start = Date()
        let result: FitResult
        do {
            var optimizer = FrozenParameters(inner: ChosenOptimizer(settings.optimizer), frozen: frozen.sorted())
            let schedule = settings.schedule.schedule(rate: settings.optimizer.learningRate, iterations: settings.iterations)
            result = try trainer.fit(from: theta, optimizer: &optimizer, schedule: schedule, observers: [monitor])
        } catch {
            throw .rendering("fit failed: \(error)")
        }
        seconds = Date().timeIntervalSince(start)
        parameters = result.parameters
        losses = result.losses
        skippedSteps = result.skippedIterations.count
        validation = monitor.estimates
        if settings.objective == .reverseKL, settings.anneal > 0, let rkl = objective as? ReverseKL {
            betas = (0..<settings.iterations).map { rkl.beta(at: $0) }
        } else {
            betas = []
        }
    }

    /// A deterministic shuffle of `points` by the seed; the last fifth (at least 2) is held out.
    static func split(_ points: PointBatch, seed: UInt64) -> (training: PointBatch, heldOut: PointBatch) {
        var order = Array(0..<points.count)
        var stream = RandomStream(seed: seed, stream: splitStream)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = min(i, Int(stream.nextUniform() * Double(i + 1)))
            order.swapAt(i, j)
        }
        let held = max(2, points.count / 5)
        let d = points.dimension
        func gather(_ indices: ArraySlice<Int>) -> PointBatch {
            PointBatch(dimension: d, values: indices.flatMap { points.point($0) })
        }
        return (gather(order[..<(points.count - held)]), gather(order[(points.count - held)...]))
    }

    /// The fitted layer k's parameters.
    public func layerParameters(_ k: Int) -> [Double] { flow.parameters(ofLayer: k, in: parameters) }

    /// The fitted base's mean and standard deviation.
    public var base: (mean: [Double], std: [Double]) { flow.base.meanAndStandardDeviation(parameters) }
}
