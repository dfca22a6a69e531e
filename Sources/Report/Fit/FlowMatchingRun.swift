import FlowKit
import FlowTraining
import Foundation

/// The fit of a `flow_matching` entry (Report's side of ``FlowMatchingTrainer``): the field
/// starts from stream 1 of the seed (the map of the spec before the fit), regresses onto the
/// conditional paths from the base (x₀) to the data (x₁) by the spec's optimiser, and records
/// the mini-batch losses and a validation loss (the same loss on 512 fixed draws never used
/// in training) every `validation.every` iterations.
///
/// Results are identical for any number of jobs (``FlowMatchingBatch`` merges its chunks in
/// order).
public struct FlowMatchingRun: Sendable {
    public struct Validation: Sendable, Equatable {
        public var iteration: Int
        public var loss: Double
    }

    public let plan: FlowMatchingPlan
    public let network: NeuralVelocityField
    public let parameters: [Double]
    public let losses: [Double]
    public let skippedSteps: Int
    public let validation: [Validation]
    public let seconds: Double
    /// Data points never trained on (fresh draws of a data set, or the held-out fifth of a file).
    public let heldOut: PointBatch
    /// The training points of a data file (nil for a data set).
    public let training: PointBatch?
    public let seed: UInt64

    /// Points of the validation loss.
    static let validationPoints = 512
    /// The iteration index whose random streams the validation draws use (never a training one).
    static let validationIteration = 1 << 40

    public init(plan: FlowMatchingPlan, seed: UInt64, jobs: Int,
                progress: ((_ iteration: Int, _ total: Int, _ loss: Double) -> Void)? = nil) throws(ReportError) {
        self.plan = plan
        self.seed = seed
        let settings = plan.settings
        let network = plan.entry.network(dimension: plan.dimension)
        self.network = network
        var stream = RandomStream(seed: seed, stream: 1)
        let initial = network.initialParameters(using: &stream)
        let data: PointSource
        switch settings.data {
        case let .dataset(dataset):
            var held = RandomStream(seed: seed, stream: FitRun.heldOutStream)
            heldOut = dataset.sample(count: FitRun.heldOutCount, using: &held)
            training = nil
            data = .toy(dataset)
        case let .points(points, _):
            let split = FitRun.split(points, seed: seed)
            heldOut = split.heldOut
            training = split.training
            data = .points(split.training)
        }
        let objective: ConditionalFlowMatching
        do {
            objective = try ConditionalFlowMatching(field: network, source: .distribution(plan.base), data: data,
                                                    sigmaMin: plan.entry.sigmaMin, pairing: plan.entry.pairing)
        } catch {
            throw .rendering("flow matching: \(error)")
        }
        let configuration = TrainingConfiguration(iterations: settings.iterations, batchSize: settings.batch,
                                                  jobs: max(1, jobs), seed: seed)
        let monitor = FlowMatchingMonitor(objective: objective, seed: seed, every: settings.validationEvery,
                                          total: settings.iterations, progress: progress)
        let trainer = FlowMatchingTrainer(objective: objective, configuration: configuration)
        let start = Date()
        let result: FitResult
        do {
            var optimizer = ChosenOptimizer(settings.optimizer)
            let schedule = settings.schedule.schedule(rate: settings.optimizer.learningRate, iterations: settings.iterations)
            result = try trainer.fit(from: initial, optimizer: &optimizer, schedule: schedule, observers: [monitor])
        } catch {
            throw .rendering("flow-matching fit failed: \(error)")
        }
        seconds = Date().timeIntervalSince(start)
        parameters = result.parameters
        losses = result.losses
        skippedSteps = result.skippedIterations.count
        validation = monitor.values
    }

    /// The fitted flow's map with the spec's solver.
    public func map() throws(ReportError) -> ContinuousFlowMap {
        do {
            return try ContinuousFlowMap(network: network, parameters: parameters, method: plan.ode.method)
        } catch {
            throw .rendering("flow matching: \(error)")
        }
    }
}

/// Progress after every iteration and the validation loss every `every` iterations (and after
/// the last) on fixed draws.
final class FlowMatchingMonitor: TrainingObserver {
    let batch: FlowMatchingBatch
    let every: Int
    let total: Int
    let progress: ((Int, Int, Double) -> Void)?
    private(set) var values: [FlowMatchingRun.Validation] = []

    init(objective: ConditionalFlowMatching, seed: UInt64, every: Int, total: Int, progress: ((Int, Int, Double) -> Void)?) {
        batch = FlowMatchingBatch(objective: objective,
                                  configuration: TrainingConfiguration(iterations: 1, batchSize: FlowMatchingRun.validationPoints, jobs: 1, seed: seed))
        self.every = max(1, every)
        self.total = total
        self.progress = progress
    }

    func iterationFinished(_ iteration: Int, loss: Double, parameters: [Double]) {
        progress?(iteration + 1, total, loss)
        guard (iteration + 1) % every == 0 || iteration + 1 == total else { return }
        if let value = try? batch.compute(parameters: parameters, iteration: FlowMatchingRun.validationIteration) {
            values.append(FlowMatchingRun.Validation(iteration: iteration + 1, loss: value))
        }
    }
}
