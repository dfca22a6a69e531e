import Foundation

/// Cosine annealing (Loshchilov & Hutter 2017, without restarts):
/// η_t = η_min + ½(η − η_min)(1 + cos(π·min(t, T)/T)).
public struct CosineSchedule: LearningRateSchedule {
    public let base: Double
    public let iterations: Int
    public let minimum: Double

    public init(base: Double, iterations: Int, minimum: Double = 0) {
        self.base = base
        self.iterations = max(1, iterations)
        self.minimum = minimum
    }

    public func rate(at iteration: Int) -> Double {
        let fraction = Double(min(iteration, iterations)) / Double(iterations)
        return minimum + 0.5 * (base - minimum) * (1 + cos(Double.pi * fraction))
    }
}
