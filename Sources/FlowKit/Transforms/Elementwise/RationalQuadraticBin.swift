import Foundation

/// One bin of a monotone rational-quadratic spline (Durkan, Bekasov, Murray & Papamakarios
/// 2019, "Neural Spline Flows", §3.1 and appendix A): the increasing map of [x₀, x₀ + w] onto
/// [y₀, y₀ + h] with end derivatives d₀, d₁ > 0. With s = h/w, ξ = (x − x₀)/w, t = ξ(1 − ξ),
/// c = d₀ + d₁ − 2s, D = s + c·t:
///
///     S(x)     = y₀ + h·R,  R = [s ξ² + d₀ t] / D                               (eq. 4)
///     log S′(x) = 2 log s + log M − 2 log D,  M = d₁ ξ² + 2s t + d₀ (1 − ξ)²    (eq. 5)
///
/// Inverse (appendix A): with Δ = y − y₀, ξ solves aξ² + bξ + c₀ = 0, a = h(s − d₀) + Δc,
/// b = h d₀ − Δc, c₀ = −sΔ, in the cancellation-free form ξ = 2c₀ / (−b − √(b² − 4ac₀)).
///
/// ``partials(at:)`` gives the derivatives of S and log S′ with respect to x and to each of
/// the six bin quantities (x₀, w, y₀, h, d₀, d₁), what a trainable spline needs to push
/// gradients into its knots. Shared by ``RationalQuadraticSpline`` (fixed knots) and
/// ``TrainableSplineCoupling`` (knots from a conditioner).
@usableFromInline
struct RationalQuadraticBin {
    @usableFromInline var x0: Double
    @usableFromInline var width: Double
    @usableFromInline var y0: Double
    @usableFromInline var height: Double
    @usableFromInline var d0: Double
    @usableFromInline var d1: Double

    @inlinable
    init(x0: Double, width: Double, y0: Double, height: Double, d0: Double, d1: Double) {
        self.x0 = x0
        self.width = width
        self.y0 = y0
        self.height = height
        self.d0 = d0
        self.d1 = d1
    }

    /// S(x) and log S′(x) at ξ = (x − x₀)/w.
    @inlinable
    func forward(xi: Double) -> (value: Double, logDerivative: Double) {
        let s = height / width
        let t = xi * (1 - xi)
        let denominator = s + (d0 + d1 - 2 * s) * t
        let y = y0 + height * (s * xi * xi + d0 * t) / denominator
        return (y, logDerivative(xi: xi, s: s, denominator: denominator))
    }

    /// S(x) and log S′(x).
    @inlinable
    func forward(_ x: Double) -> (value: Double, logDerivative: Double) { forward(xi: (x - x0) / width) }

    /// ξ of the preimage of y (clamped to [0, 1] against rounding).
    @inlinable
    func inverseXi(_ y: Double) -> Double {
        let s = height / width
        let delta = y - y0
        let c2 = d1 + d0 - 2 * s
        let a = height * (s - d0) + delta * c2
        let b = height * d0 - delta * c2
        let c = -s * delta
        let discriminant = Swift.max(0, b * b - 4 * a * c)
        let denominator = -b - discriminant.squareRoot()
        guard denominator != 0 else { return 0 }  // Δ = 0 and b = 0 cannot both hold for d₀ > 0
        return Swift.min(1, Swift.max(0, 2 * c / denominator))
    }

    /// log S′ = 2 log s + log M − 2 log D.
    @inlinable
    func logDerivative(xi: Double, s: Double, denominator: Double) -> Double {
        let oneMinus = 1 - xi
        let numerator = d1 * xi * xi + 2 * s * xi * oneMinus + d0 * oneMinus * oneMinus
        return 2 * Foundation.log(s) + Foundation.log(numerator) - 2 * Foundation.log(denominator)
    }

    /// Derivatives with respect to (x, x₀, w, y₀, h, d₀, d₁), in that order.
    @usableFromInline
    struct Gradient {
        @usableFromInline var x = 0.0, x0 = 0.0, width = 0.0, y0 = 0.0, height = 0.0, d0 = 0.0, d1 = 0.0
        @inlinable init() {}
    }

    /// S, log S′ and their gradients at x. By the chain rule through ξ (∂ξ/∂x = 1/w,
    /// ∂ξ/∂x₀ = −1/w, ∂ξ/∂w = −ξ/w) and s (∂s/∂h = 1/w, ∂s/∂w = −s/w), from
    ///
    ///     R_ξ = (N_ξ D − N D_ξ)/D², N_ξ = 2sξ + d₀(1 − 2ξ), D_ξ = c(1 − 2ξ)
    ///     R_s = (ξ² D − N (1 − 2t))/D²,  R_d₀ = t(D − N)/D²,  R_d₁ = −N t/D²
    ///     L_ξ = M_ξ/M − 2D_ξ/D, M_ξ = 2d₁ξ + 2s(1 − 2ξ) − 2d₀(1 − ξ)
    ///     L_s = 2/s + 2t/M − 2(1 − 2t)/D,  L_d₀ = (1 − ξ)²/M − 2t/D,  L_d₁ = ξ²/M − 2t/D
    ///
    /// (N = sξ² + d₀t, so S = y₀ + hR and S′ = hR_ξ/w).
    @inlinable
    func partials(at x: Double) -> (value: Double, logDerivative: Double, dValue: Gradient, dLog: Gradient) {
        let w = width, h = height
        let s = h / w
        let xi = (x - x0) / w
        let t = xi * (1 - xi)
        let c = d0 + d1 - 2 * s
        let n = s * xi * xi + d0 * t
        let dd = s + c * t
        let m = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi)
        let r = n / dd
        let oneMinus2xi = 1 - 2 * xi
        let nXi = 2 * s * xi + d0 * oneMinus2xi
        let dXi = c * oneMinus2xi
        let inverseD2 = 1 / (dd * dd)
        let rXi = (nXi * dd - n * dXi) * inverseD2
        let rS = (xi * xi * dd - n * (1 - 2 * t)) * inverseD2
        let rD0 = t * (dd - n) * inverseD2
        let rD1 = -n * t * inverseD2
        let mXi = 2 * d1 * xi + 2 * s * oneMinus2xi - 2 * d0 * (1 - xi)
        let lXi = mXi / m - 2 * dXi / dd
        let lS = 2 / s + 2 * t / m - 2 * (1 - 2 * t) / dd
        var gy = Gradient(), gl = Gradient()
        gy.x = h * rXi / w
        gy.x0 = -gy.x
        gy.width = -(h * rXi * xi + h * rS * s) / w
        gy.y0 = 1
        gy.height = r + s * rS
        gy.d0 = h * rD0
        gy.d1 = h * rD1
        gl.x = lXi / w
        gl.x0 = -gl.x
        gl.width = -(xi * lXi + s * lS) / w
        gl.y0 = 0
        gl.height = lS / w
        gl.d0 = (1 - xi) * (1 - xi) / m - 2 * t / dd
        gl.d1 = xi * xi / m - 2 * t / dd
        let logDerivative = 2 * Foundation.log(s) + Foundation.log(m) - 2 * Foundation.log(dd)
        return (y0 + h * r, logDerivative, gy, gl)
    }
}
