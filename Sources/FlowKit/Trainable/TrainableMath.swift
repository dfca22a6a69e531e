import Foundation

/// Scalar helpers of the trainable layers' reparametrisations.
public enum TrainableMath {
    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), without overflow.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }

    /// The logistic σ(x) = 1/(1 + e^{−x}) = softplus'(x), without overflow.
    @inline(__always)
    public static func logistic(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : { let e = exp(x); return e / (1 + e) }()
    }

    /// softplus(x) and σ(x) from one exponential e = e^{−|x|}: the same values as
    /// ``softplus(_:)`` and ``logistic(_:)``, bit for bit.
    @inline(__always)
    public static func softplusAndLogistic(_ x: Double) -> (softplus: Double, logistic: Double) {
        let e = exp(-abs(x))
        return (max(x, 0) + log1p(e), x >= 0 ? 1 / (1 + e) : e / (1 + e))
    }

    /// tanh(x) and sech²(x) = 1 − tanh²(x) from one exponential: e = e^{−2|x|},
    /// tanh|x| = (1 − e)/(1 + e), sech² = 4e/(1 + e)² (expm1 for 1 − e when |x| < 0.35).
    @inline(__always)
    public static func tanhAndSech2(_ x: Double) -> (tanh: Double, sech2: Double) {
        let ax = abs(x)
        let t: Double, s: Double
        if ax > 0.35 {
            let e = exp(-2 * ax)
            let q = 1 / (1 + e)
            t = (1 - e) * q
            s = 4 * e * q * q
        } else {
            let em = expm1(-2 * ax)
            let q = 1 / (2 + em)
            t = -em * q
            s = 4 * (1 + em) * q * q
        }
        return (x < 0 ? -t : t, s)
    }

    /// Standard normal noise for `count` values (row-major points) from `stream`.
    public static func fillStandardNormal(_ buffer: UnsafeMutablePointer<Double>, count: Int, using stream: inout RandomStream) {
        for i in 0..<count { buffer[i] = stream.nextStandardNormal() }
    }
}
