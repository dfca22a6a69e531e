/// normal_quantile: (0, 1) → ℝ, y = Φ⁻¹(x), log T'(x) = −log φ(y) = y²/2 + ½ log 2π; inverse
/// x = Φ(y) with log (T⁻¹)'(y) = log φ(y) = −y²/2 − ½ log 2π. Pushes U(0, 1) to N(0, 1)
/// (inverse-CDF sampling). The inverse of ``NormalCDFMap``.
public struct NormalQuantileMap: ScalarBijection {
    public init() {}
    public var name: String { "normal_quantile" }
    public var domain: Interval { .unit }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        let y = Special.normalQuantile(x)
        return (y, 0.5 * y * y + Special.halfLogTwoPi)
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (Special.normalCDF(y), -0.5 * y * y - Special.halfLogTwoPi)
    }
}
