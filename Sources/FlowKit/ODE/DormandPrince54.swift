import Foundation

/// The adaptive explicit Runge–Kutta pair of Dormand & Prince (1980), "dopri5": seven stages
/// (the last one evaluated at the new point, reused as the first of the next step, "FSAL"),
/// a fifth-order solution y₁ = y₀ + h·Σ bⱼkⱼ and the embedded fourth-order error estimate
/// err = h·Σ eⱼkⱼ (e = b − b̂), with the coefficients of Hairer, Nørsett & Wanner,
/// *Solving ODEs I*, Table II.5.2.
///
/// Step control (ibid. §II.4): the error is the root mean square over the state of
/// errᵢ / (atol + rtol·max(|y₀ᵢ|, |y₁ᵢ|)); a step is accepted when it is ≤ 1, and the next step
/// is h·min(5, max(0.2, 0.9·err^(−1/5))) (no growth right after a rejection). The first step
/// comes from the starting-step algorithm of §II.4 (two evaluations, one reused as k₁) unless
/// given. The
/// last step is shortened to land on the end time exactly.
public struct DormandPrince54: ODESolver {
    public let relativeTolerance: Double
    public let absoluteTolerance: Double
    /// Attempted steps (accepted + rejected) before the solve gives up.
    public let maximumSteps: Int
    /// The first step size; nil chooses it automatically (starting-step algorithm).
    public let initialStep: Double?
    public var name: String { "dopri5" }

    public init(relativeTolerance: Double, absoluteTolerance: Double, maximumSteps: Int = 100_000,
                initialStep: Double? = nil) throws(FlowKitError) {
        guard relativeTolerance >= 0, relativeTolerance.isFinite else {
            throw .invalidParameter(parameter: "rtol", value: "\(relativeTolerance)", requirement: "finite and ≥ 0")
        }
        guard absoluteTolerance >= 0, absoluteTolerance.isFinite, absoluteTolerance + relativeTolerance > 0 else {
            throw .invalidParameter(parameter: "atol", value: "\(absoluteTolerance)", requirement: "finite, ≥ 0, and rtol + atol > 0")
        }
        guard maximumSteps >= 1 else {
            throw .invalidParameter(parameter: "maximum_steps", value: "\(maximumSteps)", requirement: "at least 1")
        }
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        if let initialStep, !(initialStep > 0 && initialStep.isFinite) {
            throw .invalidParameter(parameter: "first_step", value: "\(initialStep)", requirement: "finite and > 0")
        }
        self.maximumSteps = maximumSteps
        self.initialStep = initialStep
    }

    // Tableau (c, a, b, e = b − b̂).
    static let c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9
    static let a21 = 1.0 / 5
    static let a31 = 3.0 / 40, a32 = 9.0 / 40
    static let a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9
    static let a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729
    static let a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176, a65 = -5103.0 / 18656
    static let b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84
    static let e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40

    public func integrate(_ state: inout [Double], from start: Double, to end: Double,
                          rightHandSide f: ODERightHandSide) throws(FlowKitError) -> ODEStatistics {
        let m = state.count
        guard m > 0, start != end else { return ODEStatistics() }
        // k1…k7, the stage point, the new solution: 9 buffers of m.
        var work = [Double](repeating: 0, count: 9 * m)
        var statistics = ODEStatistics()
        let failure: FlowKitError? = state.withUnsafeMutableBufferPointer { yb in
            work.withUnsafeMutableBufferPointer { wb in
                solve(y: yb.baseAddress!, m: m, work: wb.baseAddress!, start: start, end: end, f: f, statistics: &statistics)
            }
        }
        if let failure { throw failure }
        return statistics
    }

    /// RMS of x/(atol + rtol·max(|a|, |b|)).
    @inline(__always)
    private func scaledNorm(_ x: UnsafePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ m: Int) -> Double {
        var sum = 0.0
        for i in 0..<m {
            let scale = absoluteTolerance + relativeTolerance * max(abs(a[i]), abs(b[i]))
            let r = x[i] / scale
            sum += r * r
        }
        return (sum / Double(m)).squareRoot()
    }

    private func solve(y: UnsafeMutablePointer<Double>, m: Int, work: UnsafeMutablePointer<Double>, start: Double, end: Double,
                       f: ODERightHandSide, statistics: inout ODEStatistics) -> FlowKitError? {
        let k1 = work, k2 = work + m, k3 = work + 2 * m, k4 = work + 3 * m, k5 = work + 4 * m
        let k6 = work + 5 * m, k7 = work + 6 * m, s = work + 7 * m, y1 = work + 8 * m
        let direction: Double = end > start ? 1 : -1
        let span = abs(end - start)
        let q = 5.0  // order used in the step-size exponent: min(p, p̂) + 1

        f(start, y, k1)
        statistics.evaluations += 1
        // Starting step (Hairer et al. §II.4, "Automatic selection of the initial step size").
        var h: Double
        if let initialStep {
            h = min(initialStep, span)
        } else {
            let d0 = scaledNorm(y, y, y, m), d1 = scaledNorm(k1, y, y, m)
            var h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1
            h0 = min(h0, span)
            for i in 0..<m { s[i] = y[i] + direction * h0 * k1[i] }
            f(start + direction * h0, s, k2)
            statistics.evaluations += 1
            for i in 0..<m { k3[i] = k2[i] - k1[i] }
            let d2 = scaledNorm(k3, y, y, m) / h0
            let h1 = max(d1, d2) <= 1e-15 ? max(1e-6, h0 * 1e-3) : pow(0.01 / max(d1, d2), 1 / q)
            h = min(100 * h0, h1, span)
        }
        var t = start
        var previousRejected = false
        while true {
            let remaining = abs(end - t)
            let last = h >= remaining
            if last { h = remaining }
            guard statistics.acceptedSteps + statistics.rejectedSteps < maximumSteps else {
                return .noConvergence(method: "dopri5", detail: "more than \(maximumSteps) steps between t = \(start) and \(end) (stopped at t = \(t))")
            }
            guard h > 4 * Double.ulpOfOne * max(abs(t), 1e-300), h.isFinite else {
                return .noConvergence(method: "dopri5", detail: "step size underflow at t = \(t) (h = \(h)); the field is stiff or not finite")
            }
            let hs = direction * h
            for i in 0..<m { s[i] = y[i] + hs * Self.a21 * k1[i] }
            f(t + Self.c2 * hs, s, k2)
            for i in 0..<m { s[i] = y[i] + hs * (Self.a31 * k1[i] + Self.a32 * k2[i]) }
            f(t + Self.c3 * hs, s, k3)
            for i in 0..<m { s[i] = y[i] + hs * (Self.a41 * k1[i] + Self.a42 * k2[i] + Self.a43 * k3[i]) }
            f(t + Self.c4 * hs, s, k4)
            for i in 0..<m { s[i] = y[i] + hs * (Self.a51 * k1[i] + Self.a52 * k2[i] + Self.a53 * k3[i] + Self.a54 * k4[i]) }
            f(t + Self.c5 * hs, s, k5)
            for i in 0..<m {
                s[i] = y[i] + hs * (Self.a61 * k1[i] + Self.a62 * k2[i] + Self.a63 * k3[i] + Self.a64 * k4[i] + Self.a65 * k5[i])
            }
            let tNew = last ? end : t + hs
            f(tNew, s, k6)
            for i in 0..<m {
                y1[i] = y[i] + hs * (Self.b1 * k1[i] + Self.b3 * k3[i] + Self.b4 * k4[i] + Self.b5 * k5[i] + Self.b6 * k6[i])
            }
            f(tNew, y1, k7)
            statistics.evaluations += 6
            // Error estimate into s.
            for i in 0..<m {
                s[i] = hs * (Self.e1 * k1[i] + Self.e3 * k3[i] + Self.e4 * k4[i] + Self.e5 * k5[i] + Self.e6 * k6[i] + Self.e7 * k7[i])
            }
            let error = scaledNorm(s, y, y1, m)
            if error <= 1 {
                statistics.acceptedSteps += 1
                for i in 0..<m { y[i] = y1[i]; k1[i] = k7[i] }
                t = tNew
                if last { return nil }
                let growth = error == 0 ? 5 : min(5, max(0.2, 0.9 * pow(error, -1 / q)))
                h *= previousRejected ? min(1, growth) : growth
                previousRejected = false
            } else {
                statistics.rejectedSteps += 1
                if !error.isFinite {
                    h *= 0.2
                } else {
                    h *= max(0.2, 0.9 * pow(error, -1 / q))
                }
                previousRejected = true
            }
        }
    }
}
