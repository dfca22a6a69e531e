/// A first-order optimiser: one update of the parameters from a gradient (of a loss to
/// minimise) at a learning rate given by the schedule.
public protocol Optimizer: Sendable {
    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double)
    /// The same update on up to `jobs` threads (``ElementwiseParallel``): the same values
    /// bit for bit as ``step(_:gradient:learningRate:)``.
    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double, jobs: Int)
}

extension Optimizer {
    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double, jobs: Int) {
        step(&parameters, gradient: gradient, learningRate: learningRate)
    }
}
