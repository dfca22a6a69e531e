/// A first-order optimiser: one update of the parameters from a gradient (of a loss to
/// minimise) at a learning rate given by the schedule.
public protocol Optimizer: Sendable {
    mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double)
}
