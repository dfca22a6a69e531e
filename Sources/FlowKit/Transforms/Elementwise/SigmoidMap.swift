/// sigmoid: ℝ → (0, 1), y = σ(x) = 1/(1 + e^{−x}), log σ'(x) = −softplus(−x) − softplus(x);
/// inverse x = logit y = log y − log1p(−y) with log|(T⁻¹)'(y)| = −log y − log1p(−y).
/// Pushes the standard logistic to U(0, 1) and N(0, 1) to the logit-normal (flows.md §8).
public struct SigmoidMap: ScalarBijection {
    public init() {}
    public var name: String { "sigmoid" }
    public var domain: Interval { .real }
    public var codomain: Interval { .unit }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (ElementwiseMath.sigmoid(x), ElementwiseMath.logSigmoidDerivative(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (ElementwiseMath.logit(y), ElementwiseMath.logLogitDerivative(y))
    }
}
