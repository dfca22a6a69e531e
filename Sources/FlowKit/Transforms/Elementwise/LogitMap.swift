/// logit: (0, 1) → ℝ, y = log x − log1p(−x), log|T'(x)| = −log x − log1p(−x); inverse
/// x = σ(y) with log σ'(y) = −softplus(−y) − softplus(y). The inverse of ``SigmoidMap``.
public struct LogitMap: ScalarBijection {
    public init() {}
    public var name: String { "logit" }
    public var domain: Interval { .unit }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (ElementwiseMath.logit(x), ElementwiseMath.logLogitDerivative(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (ElementwiseMath.sigmoid(y), ElementwiseMath.logSigmoidDerivative(y))
    }
}
