import Foundation

/// An elementwise map that also knows the slope of its log-derivative,
///
///     s(x) = d/dx log|t'(x)| = t''(x)/t'(x),
///
/// the one quantity beyond ``ScalarBijection/forward(_:)`` that a vector–Jacobian product
/// through t needs (``TrainableFixedElementwise``): with t'(x) = ±exp(log|t'(x)|) from the
/// forward pass, ∂L/∂x = g·t'(x) + γ·s(x) for g = ∂L/∂y and γ = ∂L/∂log|t'|.
public protocol LogDerivativeSlope: ScalarBijection {
    /// s(x) = d/dx log|t'(x)| at a point x of the domain.
    func logDerivativeSlope(_ x: Double) -> Double
}

/// affine: log|t'| = log|a| is constant, s = 0.
extension AffineMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { 0 }
}

/// exp: log t' = x, s = 1.
extension ExpMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { 1 }
}

/// log: log t' = −log x, s = −1/x.
extension LogMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -1 / x }
}

/// tanh: log t' = log(1 − tanh²x), s = −2 tanh x.
extension TanhMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -2 * tanh(x) }
}

/// sinh: log t' = log cosh x, s = tanh x.
extension SinhMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { tanh(x) }
}

/// asinh: log t' = −½ log(1 + x²), s = −x/(1 + x²).
extension AsinhMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -x / (1 + x * x) }
}

/// atanh: log t' = −log(1 − x²), s = 2x/(1 − x²).
extension AtanhMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { 2 * x / ((1 - x) * (1 + x)) }
}

/// sigmoid: log t' = log σ(x) + log σ(−x), s = σ(−x) − σ(x) = −tanh(x/2).
extension SigmoidMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -tanh(x / 2) }
}

/// softplus: log t' = log σ(x), s = σ(−x) = ½(1 − tanh(x/2)).
extension SoftplusMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { 0.5 * (1 - tanh(x / 2)) }
}

/// logit: log t' = −log x − log(1 − x), s = −1/x + 1/(1 − x).
extension LogitMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -1 / x + 1 / (1 - x) }
}

/// normal_cdf: log t' = log φ(x), s = −x.
extension NormalCDFMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { -x }
}
