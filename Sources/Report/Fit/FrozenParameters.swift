import FlowTraining

/// An optimiser that leaves some coordinates of the parameter vector where they are: the base
/// when `train_base: false`, and layers the spec fixes. Their gradient is zeroed before the
/// inner step and their values restored after it, so no optimiser state can move them.
struct FrozenParameters<Inner: Optimizer>: Optimizer {
    var inner: Inner
    /// Sorted indices of the frozen coordinates.
    let frozen: [Int]

    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double) {
        step(&parameters, gradient: gradient, learningRate: learningRate, jobs: 1)
    }

    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double, jobs: Int) {
        guard !frozen.isEmpty else {
            inner.step(&parameters, gradient: gradient, learningRate: learningRate, jobs: jobs)
            return
        }
        var g = gradient
        let kept = frozen.map { parameters[$0] }
        for i in frozen { g[i] = 0 }
        inner.step(&parameters, gradient: g, learningRate: learningRate, jobs: jobs)
        for (i, value) in zip(frozen, kept) { parameters[i] = value }
    }
}
