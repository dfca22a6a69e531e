/// normal_cdf: ℝ → (0, 1), y = Φ(x), log T'(x) = log φ(x) = −x²/2 − ½ log 2π; inverse
/// x = Φ⁻¹(y) with log|(T⁻¹)'(y)| = −log φ(Φ⁻¹(y)) = x²/2 + ½ log 2π. Pushes N(0, 1) to
/// U(0, 1) (flows.md §8). Φ and Φ⁻¹ are ``Special/normalCDF(_:)`` and
/// ``Special/normalQuantile(_:)``.
public struct NormalCDFMap: ScalarBijection {
    public init() {}
    public var name: String { "normal_cdf" }
    public var domain: Interval { .real }
    public var codomain: Interval { .unit }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (Special.normalCDF(x), -0.5 * x * x - Special.halfLogTwoPi)
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let x = Special.normalQuantile(y)
        return (x, 0.5 * x * x + Special.halfLogTwoPi)
    }
}
