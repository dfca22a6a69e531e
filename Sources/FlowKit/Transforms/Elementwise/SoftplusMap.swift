/// softplus: ℝ → (0, ∞), y = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), T'(x) = σ(x) so
/// log T'(x) = −softplus(−x); inverse x = log(e^y − 1) = y + log(1 − e^{−y}) with
/// log|(T⁻¹)'(y)| = −log(1 − e^{−y}), both via Mächler's (2012) log1mexp.
public struct SoftplusMap: ScalarBijection {
    public init() {}
    public var name: String { "softplus" }
    public var domain: Interval { .real }
    public var codomain: Interval { .positive }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (ElementwiseMath.softplus(x), -ElementwiseMath.softplus(-x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let l = ElementwiseMath.logOneMinusExp(y)
        return (y + l, -l)
    }
}
