import Foundation

/// Step decay: η_t = η·γ^⌊t/s⌋ (multiply by `factor` every `every` iterations).
public struct StepSchedule: LearningRateSchedule {
    public let base: Double
    public let every: Int
    public let factor: Double

    public init(base: Double, every: Int, factor: Double) {
        self.base = base
        self.every = max(1, every)
        self.factor = factor
    }

    public func rate(at iteration: Int) -> Double { base * pow(factor, Double(iteration / every)) }
}
