import FlowKit

/// Fits a flow-matching field: the loop of ``Trainer`` (batch loss and gradient, skipped
/// non-finite steps, clipping, optimiser step, observers) around a ``FlowMatchingBatch``.
///
/// A sibling of ``Trainer`` rather than a ``TrainingObjective``: that protocol computes each
/// chunk's loss from a ``TrainableFlow`` and the chunk's own stream, independently of the
/// other chunks, whereas flow matching trains a field (not a flow of layers) and OT pairing
/// couples all the points of a batch before any chunk can compute its loss. Everything else
/// (``TrainingConfiguration``, ``Optimizer``, ``LearningRateSchedule``, ``GradientClipping``,
/// ``TrainingObserver``, ``FitResult``) is shared.
public struct FlowMatchingTrainer {
    public let objective: ConditionalFlowMatching
    public let configuration: TrainingConfiguration

    public init(objective: ConditionalFlowMatching, configuration: TrainingConfiguration) {
        self.objective = objective
        self.configuration = configuration
    }

    public func fit<O: Optimizer>(from initial: [Double], optimizer: inout O, schedule: any LearningRateSchedule,
                                  observers: [any TrainingObserver] = []) throws(FlowTrainingError) -> FitResult {
        try configuration.validate()
        guard initial.count == objective.field.parameterCount else {
            throw .invalidConfiguration("expected \(objective.field.parameterCount) parameters, got \(initial.count)")
        }
        let batch = FlowMatchingBatch(objective: objective, configuration: configuration)
        var theta = initial
        var losses: [Double] = []
        losses.reserveCapacity(configuration.iterations)
        var skipped: [Int] = []
        for t in 0..<configuration.iterations {
            let loss = try batch.compute(parameters: theta, iteration: t,
                                             prefetch: Array((t + 1)..<min(t + 3, configuration.iterations)))
            var gradient = batch.gradient
            losses.append(loss)
            guard loss.isFinite, batch.gradientIsFinite else {
                skipped.append(t)
                if skipped.count > configuration.maximumSkippedSteps {
                    throw .nonFiniteSteps(iteration: t, layer: "flow-matching field", skipped: skipped.count)
                }
                continue
            }
            configuration.clipping?.clip(&gradient)
            optimizer.step(&theta, gradient: gradient, learningRate: schedule.rate(at: t), jobs: configuration.jobs)
            for observer in observers { observer.iterationFinished(t, loss: loss, parameters: theta) }
        }
        return FitResult(parameters: theta, losses: losses, skippedIterations: skipped)
    }
}
