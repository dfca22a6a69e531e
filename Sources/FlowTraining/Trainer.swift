import FlowKit

/// The result of a fit.
public struct FitResult: Sendable {
    public var parameters: [Double]
    /// The mini-batch loss of every iteration (NaN or ±∞ where the step was skipped).
    public var losses: [Double]
    /// Iterations whose step was skipped (non-finite loss or gradient).
    public var skippedIterations: [Int]
}

/// Fits a trainable flow: the loop of an algorithm box.
///
///     for t = 0, 1, …, T − 1:
///         L, g ← loss and gradient of batch t                (``BatchGradient``)
///         if L or g is not finite: skip the step, count it   (stop past the limit)
///         g ← clip(g)                                        (``GradientClipping``, optional)
///         θ ← optimiser step(θ, g, η_t)                      (``Optimizer``, ``LearningRateSchedule``)
///         observers(t, L, θ)                                  (``TrainingObserver``: progress, validation)
public struct Trainer {
    public let flow: TrainableFlow
    public let objective: any TrainingObjective
    public let configuration: TrainingConfiguration

    public init(flow: TrainableFlow, objective: any TrainingObjective, configuration: TrainingConfiguration) {
        self.flow = flow
        self.objective = objective
        self.configuration = configuration
    }

    public func fit<O: Optimizer>(from initial: [Double], optimizer: inout O, schedule: any LearningRateSchedule,
                                  observers: [any TrainingObserver] = []) throws(FlowTrainingError) -> FitResult {
        try configuration.validate()
        guard initial.count == flow.parameterCount else {
            throw .invalidConfiguration("expected \(flow.parameterCount) parameters, got \(initial.count)")
        }
        guard flow.supports(objective.direction) else {
            let layer = flow.layers.first { !$0.trainableDirections.contains(objective.direction) }?.name ?? "?"
            throw .invalidConfiguration("layer '\(layer)' has no \(objective.direction.rawValue)-direction pass for this objective")
        }
        let batch = BatchGradient(flow: flow, objective: objective, configuration: configuration)
        var theta = initial
        var losses: [Double] = []
        losses.reserveCapacity(configuration.iterations)
        var skipped: [Int] = []
        for t in 0..<configuration.iterations {
            let loss = batch.compute(parameters: theta, iteration: t)
            var gradient = batch.gradient
            losses.append(loss)
            guard loss.isFinite, batch.gradientIsFinite else {
                skipped.append(t)
                if skipped.count > configuration.maximumSkippedSteps {
                    throw .nonFiniteSteps(iteration: t, layer: batch.locateNonFinite(), skipped: skipped.count)
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
