/// The learning rate at each iteration (0-based).
public protocol LearningRateSchedule: Sendable {
    func rate(at iteration: Int) -> Double
}
