/// η_t = η.
public struct ConstantSchedule: LearningRateSchedule {
    public let rate: Double
    public init(_ rate: Double) { self.rate = rate }
    public func rate(at iteration: Int) -> Double { rate }
}
