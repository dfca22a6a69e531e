import Foundation

/// atanh: (−1, 1) → ℝ, y = ½ log((1 + x)/(1 − x)), log|T'(x)| = −log1p(−x) − log1p(x);
/// inverse x = tanh y with log|(T⁻¹)'(y)| = 2(log 2 − |y| − softplus(−2|y|)).
/// The inverse of ``TanhMap``.
public struct AtanhMap: ScalarBijection {
    public init() {}
    public var name: String { "atanh" }
    public var domain: Interval { Interval(lower: -1, upper: 1) }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (atanh(x), -log1p(-x) - log1p(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (tanh(y), ElementwiseMath.logTanhDerivative(y))
    }
}
