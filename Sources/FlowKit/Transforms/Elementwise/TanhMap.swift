import Foundation

/// tanh: ℝ → (−1, 1), log|T'(x)| = log(1 − tanh² x) = 2(log 2 − |x| − softplus(−2|x|));
/// inverse x = atanh y with log|(T⁻¹)'(y)| = −log(1 − y²) = −log1p(−y) − log1p(y).
/// Pushes N(0, 1) to p(y) = φ(atanh y)/(1 − y²) (flows.md §8).
public struct TanhMap: ScalarBijection {
    public init() {}
    public var name: String { "tanh" }
    public var domain: Interval { .real }
    public var codomain: Interval { Interval(lower: -1, upper: 1) }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (tanh(x), ElementwiseMath.logTanhDerivative(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (atanh(y), -log1p(-y) - log1p(y))
    }
}
