import FlowTraining

/// The optimiser a spec's `fit: optimizer:` names (``FitSettings/OptimizerChoice``), built
/// once, so that every kind of fit runs one training call whatever the choice.
enum ChosenOptimizer: Optimizer {
    case adam(Adam)
    case rmsprop(RMSprop)

    init(_ choice: FitSettings.OptimizerChoice) {
        switch choice {
        case let .adam(_, amsgrad): self = .adam(Adam(amsgrad: amsgrad))
        case let .rmsprop(_, momentum): self = .rmsprop(RMSprop(momentum: momentum))
        }
    }

    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double) {
        step(&parameters, gradient: gradient, learningRate: learningRate, jobs: 1)
    }

    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double, jobs: Int) {
        switch self {
        case var .adam(adam):
            adam.step(&parameters, gradient: gradient, learningRate: learningRate, jobs: jobs)
            self = .adam(adam)
        case var .rmsprop(rmsprop):
            rmsprop.step(&parameters, gradient: gradient, learningRate: learningRate, jobs: jobs)
            self = .rmsprop(rmsprop)
        }
    }
}
