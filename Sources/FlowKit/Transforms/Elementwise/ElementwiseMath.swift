import Foundation

/// Numerically careful building blocks of the elementwise maps (internal).
///
/// References: Mächler (2012), "Accurately computing log(1 − exp(−|a|))", Rmpfr vignette, for
/// `softplus` and `logOneMinusExp`; the others are exact rewritings chosen to avoid overflow
/// and cancellation, noted at each function.
enum ElementwiseMath {
    static let logTwo = 0.6931471805599453

    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}): no overflow, full relative
    /// accuracy for x → −∞ (where it is ≈ eˣ).
    @inline(__always)
    static func softplus(_ x: Double) -> Double {
        if x.isInfinite { return x > 0 ? x : 0 }
        return max(x, 0) + log1p(exp(-abs(x)))
    }

    /// σ(x) = 1/(1 + e^{−x}), computed as eˣ/(1 + eˣ) for x < 0 so that no term overflows and
    /// the small values keep full relative accuracy.
    @inline(__always)
    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }

    /// log σ'(x) = log σ(x) + log(1 − σ(x)) = −softplus(−x) − softplus(x).
    @inline(__always)
    static func logSigmoidDerivative(_ x: Double) -> Double {
        -softplus(-x) - softplus(x)
    }

    /// logit(y) = log y − log(1 − y) = log y − log1p(−y).
    @inline(__always)
    static func logit(_ y: Double) -> Double { log(y) - log1p(-y) }

    /// log|logit'(y)| = −log(y(1 − y)) = −log y − log1p(−y).
    @inline(__always)
    static func logLogitDerivative(_ y: Double) -> Double { -log(y) - log1p(-y) }

    /// log(1 − e^{−a}) for a > 0 (Mächler 2012): log(−expm1(−a)) for a ≤ log 2,
    /// log1p(−e^{−a}) above.
    @inline(__always)
    static func logOneMinusExp(_ a: Double) -> Double {
        a <= logTwo ? log(-expm1(-a)) : log1p(-exp(-a))
    }

    /// log(1 − tanh² x) = log sech² x = 2(log 2 − |x| − softplus(−2|x|)): even in x, no
    /// overflow and no cancellation for large |x|.
    @inline(__always)
    static func logTanhDerivative(_ x: Double) -> Double {
        let a = abs(x)
        return 2 * (logTwo - a - softplus(-2 * a))
    }

    /// log cosh x = |x| + softplus(−2|x|) − log 2 (finite for |x| up to the largest double).
    @inline(__always)
    static func logCosh(_ x: Double) -> Double {
        let a = abs(x)
        return a + softplus(-2 * a) - logTwo
    }

    /// ½ log(1 + x²) = log √(1 + x²): ½ log1p(x²) for |x| < 1 (accurate for tiny x);
    /// log|x| + ½ log1p(1/x²) above (no overflow of x²).
    @inline(__always)
    static func halfLogOnePlusSquare(_ x: Double) -> Double {
        let a = abs(x)
        if a < 1 { return 0.5 * log1p(a * a) }
        if a.isInfinite { return a }
        return log(a) + 0.5 * log1p(1 / (a * a))
    }
}
