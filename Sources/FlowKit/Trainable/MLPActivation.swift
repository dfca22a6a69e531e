import Foundation

/// The hidden activations of ``TrainableMLP``, applied elementwise to a pre-activation a:
/// - `tanh`; `relu` max(a, 0); `elu` a for a > 0 else eᵃ − 1 (Clevert et al. 2016);
/// - `selu` λ·a for a > 0 else λα(eᵃ − 1), λ = 1.0507009873554805, α = 1.6732632423543772
///   (Klambauer et al. 2017); `silu` a·σ(a) (Hendrycks & Gimpel 2016, "swish").
/// The derivative is computed from both a and the activation h = σ(a) (tanh: 1 − h²), so the
/// backward pass needs no extra transcendental where the value gives it.
public enum MLPActivation: String, Sendable, CaseIterable, Codable {
    case tanh, relu, elu, selu, silu

    public static let seluLambda = 1.0507009873554805
    public static let seluAlpha = 1.6732632423543772

    /// Whether σ′ needs a besides h = σ(a): only silu. For the others h gives it (tanh 1 − h²;
    /// relu, elu, selu branch on h > 0, which holds exactly when a > 0), so ``TrainableMLP``
    /// applies them in place and ``multiplyByDerivative(_:pre:post:count:)`` reads `post` only.
    public var derivativeNeedsPreActivation: Bool { self == .silu }

    /// h[i] = σ(a[i]) for i < count (`h` may be `a` itself: each value is read before it is
    /// written). One switch per call, a plain loop inside.
    public func apply(_ a: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .tanh:
            // From one exponential (about twice as fast as the C library's tanh here).
            for i in 0..<count { h[i] = TrainableMath.tanhAndSech2(a[i]).tanh }
        case .relu:
            for i in 0..<count { h[i] = Swift.max(a[i], 0) }
        case .elu:
            // eᵃ − 1 four at a time (``VectorExponential``), kept where a ≤ 0.
            VectorExponential.exponentialLinear(a, into: h, count: count, positiveSlope: 1, negativeScale: 1)
        case .selu:
            VectorExponential.exponentialLinear(a, into: h, count: count, positiveSlope: Self.seluLambda,
                                                negativeScale: Self.seluLambda * Self.seluAlpha)
        case .silu:
            for i in 0..<count { let x = a[i]; h[i] = x / (1 + exp(-x)) }
        }
    }

    /// g[i] *= σ'(a[i]) given h[i] = σ(a[i]); `a` is read only by silu (for the others it may
    /// be h itself).
    public func multiplyByDerivative(_ g: UnsafeMutablePointer<Double>, pre a: UnsafePointer<Double>,
                                     post h: UnsafePointer<Double>, count: Int) {
        switch self {
        case .tanh:
            for i in 0..<count { g[i] *= 1 - h[i] * h[i] }
        case .relu:
            for i in 0..<count { g[i] = h[i] > 0 ? g[i] : 0 }
        case .elu:
            for i in 0..<count { g[i] *= h[i] > 0 ? 1 : h[i] + 1 }
        case .selu:
            let l = Self.seluLambda, la = Self.seluLambda * Self.seluAlpha
            for i in 0..<count { g[i] *= h[i] > 0 ? l : h[i] + la }
        case .silu:
            for i in 0..<count {
                let s = 1 / (1 + exp(-a[i]))
                g[i] *= s * (1 + a[i] * (1 - s))
            }
        }
    }
}
