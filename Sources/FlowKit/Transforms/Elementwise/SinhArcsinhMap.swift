import Foundation

/// sinh_arcsinh: ℝ → ℝ, y = sinh(τ·(asinh x + ε)) with ε = `skew` and τ = `tailweight` > 0.
///
/// Parametrisation: this is Jones & Pewsey's (2009, "Sinh-arcsinh distributions",
/// Biometrika 96(4), eq. 2) X_{ε,δ} = sinh((asinh Z + ε)/δ) with δ = 1/τ, the same form as
/// TensorFlow Probability's `SinhArcsinh` bijector: pushed through it, N(0, 1) becomes the
/// sinh-arcsinh distribution, skewed right for ε > 0 and heavier-tailed for τ > 1
/// (ε = 0, τ = 1 is the identity).
///
/// With u = τ·(asinh x + ε): log|T'(x)| = log cosh u + log τ − ½ log(1 + x²).
/// Inverse x = sinh(asinh(y)/τ − ε); with w = asinh(y)/τ − ε:
/// log|(T⁻¹)'(y)| = log cosh w − log τ − ½ log(1 + y²).
public struct SinhArcsinhMap: ScalarBijection {
    public let skew: Double
    public let tailweight: Double
    @usableFromInline let logTailweight: Double

    /// Throws ``FlowKitError/invalidParameter`` unless `skew` is finite and `tailweight` is
    /// finite and > 0.
    public init(skew: Double = 0, tailweight: Double = 1) throws(FlowKitError) {
        try ParameterValidation.finite(skew, "skew")
        try ParameterValidation.positive(tailweight, "tailweight")
        self.skew = skew
        self.tailweight = tailweight
        self.logTailweight = log(tailweight)
    }

    public var name: String { "sinh_arcsinh" }
    public var domain: Interval { .real }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        let u = tailweight * (asinh(x) + skew)
        return (sinh(u), ElementwiseMath.logCosh(u) + logTailweight - ElementwiseMath.halfLogOnePlusSquare(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let w = asinh(y) / tailweight - skew
        return (sinh(w), ElementwiseMath.logCosh(w) - logTailweight - ElementwiseMath.halfLogOnePlusSquare(y))
    }
}
