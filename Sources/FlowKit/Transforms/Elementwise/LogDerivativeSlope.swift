import Foundation

/// An elementwise map that also knows the slope of its log-derivative,
///
///     s(x) = d/dx log|t'(x)| = t''(x)/t'(x),
///
/// the one quantity beyond ``ScalarBijection/forward(_:)`` that a vector–Jacobian product
/// through t needs (``TrainableFixedElementwise``): with t'(x) = ±exp(log|t'(x)|) from the
/// forward pass, ∂L/∂x = g·t'(x) + γ·s(x) for g = ∂L/∂y and γ = ∂L/∂log|t'|.
///
/// The inverse direction needs the same for t⁻¹, r(y) = d/dy log|(t⁻¹)'(y)|; by the chain rule
/// r(y) = −s(x)·(t⁻¹)'(y) at x = t⁻¹(y) (the default). A map whose inverse loses its point to
/// rounding (normal_quantile: Φ(y) rounds to 1 for y ≳ 8.3, where Φ⁻¹ is +∞) gives r from y
/// directly instead.
public protocol LogDerivativeSlope: ScalarBijection {
    /// s(x) = d/dx log|t'(x)| at a point x of the domain.
    func logDerivativeSlope(_ x: Double) -> Double
    /// r(y) = d/dy log|(t⁻¹)'(y)| at a point y of the codomain.
    func inverseLogDerivativeSlope(_ y: Double) -> Double
}

extension LogDerivativeSlope {
    /// r(y) = −s(t⁻¹(y))·(t⁻¹)'(y), with (t⁻¹)'(y) = ±exp(log|(t⁻¹)'(y)|) from ``ScalarBijection/inverse(_:)``.
    public func inverseLogDerivativeSlope(_ y: Double) -> Double {
        let (x, logDerivative) = inverse(y)
        return -logDerivativeSlope(x) * (isIncreasing ? 1 : -1) * exp(logDerivative)
    }
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

/// power: log|t'| = log|p| + (p − 1) log x, s = (p − 1)/x.
extension PowerMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double { (exponent - 1) / x }
}

/// sinh_arcsinh: with u = τ·(asinh x + ε), log t' = log cosh u + log τ − ½ log(1 + x²), so
/// s = τ·tanh(u)/√(1 + x²) − x/(1 + x²).
extension SinhArcsinhMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double {
        let u = tailweight * (asinh(x) + skew)
        let onePlusSquare = 1 + x * x
        return tailweight * tanh(u) / onePlusSquare.squareRoot() - x / onePlusSquare
    }
}

/// normal_quantile: with y = Φ⁻¹(x), log t' = y²/2 + ½ log 2π and dy/dx = t'(x), so
/// s = y·t'(x) = y·exp(y²/2 + ½ log 2π); the inverse Φ has log (t⁻¹)' = log φ(y), r(y) = −y,
/// taken from y (Φ(y) rounds to 1 long before φ(y) underflows).
extension NormalQuantileMap: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double {
        let (y, logDerivative) = forward(x)
        return y * exp(logDerivative)
    }

    public func inverseLogDerivativeSlope(_ y: Double) -> Double { -y }
}

/// spline: inside a bin, s = ∂ log S′/∂x of ``RationalQuadraticBin/partials(at:)``
/// (Durkan et al. 2019, eq. 5 differentiated); 0 on the linear tails. S″ jumps at the knots
/// (the spline is C¹), where s is the slope of the bin to the right.
extension RationalQuadraticSpline: LogDerivativeSlope {
    public func logDerivativeSlope(_ x: Double) -> Double {
        let last = knotsX.count - 1
        guard x >= knotsX[0], x < knotsX[last] else { return x.isNaN ? .nan : 0 }
        return bin(containing: x).partials(at: x).dLog.x
    }
}
