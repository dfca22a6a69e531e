import Foundation

/// The planar flow of Rezende & Mohamed 2015 (§4.1, appendix A.1), `planar` in specs:
///
///     f(z) = z + û·h(wᵀz + b),   h = tanh,   ψ(z) = h'(wᵀz + b)·w,
///     log|det ∂f/∂z| = log|1 + ûᵀψ(z)| = log(1 + (wᵀû)·sech²(wᵀz + b)).
///
/// **Invertibility.** f is invertible iff wᵀû ≥ −1. The correction of appendix A.1 is *always*
/// applied to the given `u` (also when wᵀu ≥ −1 already, as in the paper):
///
///     û = u + [m(wᵀu) − wᵀu]·w/‖w‖²,   m(x) = −1 + softplus(x) = −1 + log(1 + eˣ),
///
/// so wᵀû = m(wᵀu) > −1 and every finite u gives a bijection of ℝᵈ. (When wᵀu < −36.7,
/// softplus(wᵀu) is below ε and the Jacobian can vanish on the hyperplane wᵀz + b = 0 in
/// double precision; the map is still strictly increasing along w and the inverse still works.)
///
/// **Inverse** (no closed form; flows.md §3). With a = wᵀz, applying wᵀ to y = f(z) gives the
/// scalar equation g(a) = a + c·tanh(a + b) − wᵀy = 0, c = wᵀû > −1, with g' = 1 + c·sech² > 0:
/// one root, inside the bracket [wᵀy − |c|, wᵀy + |c|] (as |tanh| < 1). It is found by Newton's
/// method safeguarded by bisection (a Newton step not strictly inside the current bracket is
/// replaced by a bisection; the bracket shrinks with the sign of g) until the Newton step is
/// within 2 ulps of a, or small enough that quadratic convergence puts the error after it
/// below a quarter ulp, or the bracket is 2 ulps wide (2–3 iterations on a typical grid), then
/// z = y − û·tanh(a + b). The inverse log-det is −log(1 + c·sech²(a + b)) at the recovered a.
public struct PlanarTransform: Bijection {
    public let name = "planar"
    public let parameters: PlanarParameters
    public let size: Int
    /// û, the reparametrised u.
    public let uHat: [Double]
    public let w: [Double]
    public let b: Double
    /// c = wᵀû = m(wᵀu) > −1 (taken from m exactly, not from a rounded dot product).
    public let wDotUHat: Double
    /// 1 + c = softplus(wᵀu) > 0, kept separately for an accurate 1 + c·sech² when c ≈ −1.
    let onePlusWDotUHat: Double

    public init(_ parameters: PlanarParameters, dimension: Int? = nil) throws(FlowKitError) {
        let d = try parameters.validate(dimension: dimension)
        self.parameters = parameters
        self.size = d
        let u = parameters.u, w = parameters.w
        var wu = 0.0, ww = 0.0
        for i in 0..<d {
            wu += w[i] * u[i]
            ww += w[i] * w[i]
        }
        let softplus = Self.softplus(wu)
        let m = softplus - 1
        let factor = (m - wu) / ww
        self.uHat = (0..<d).map { u[$0] + factor * w[$0] }
        self.w = w
        self.b = parameters.b
        self.wDotUHat = m
        self.onePlusWDotUHat = softplus
    }

    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^{−|x|}), without overflow.
    static func softplus(_ x: Double) -> Double {
        max(x, 0) + log1p(exp(-abs(x)))
    }

    /// tanh(x) and sech²(x) = 1 − tanh²(x) from one exponential, both to a few ulps: with
    /// e = e^{−2|x|}, tanh|x| = (1 − e)/(1 + e) and sech² x = 4e/(1 + e)²; for |x| < 0.35 the
    /// difference 1 − e is taken from expm1 instead.
    @inline(__always)
    static func tanhAndSech2(_ x: Double) -> (tanh: Double, sech2: Double) {
        let ax = abs(x)
        let t: Double, s: Double
        if ax > 0.35 {
            let e = exp(-2 * ax)
            let q = 1 / (1 + e)
            t = (1 - e) * q
            s = 4 * e * q * q
        } else {
            let em = expm1(-2 * ax)       // e − 1
            let q = 1 / (2 + em)          // 1/(1 + e)
            t = -em * q
            s = 4 * (1 + em) * q * q
        }
        return (x < 0 ? -t : t, s)
    }

    /// log(1 + c·sech²), accurate also when c ≈ −1 and sech² ≈ 1: there 1 + c·s is computed
    /// as tanh² + (1 + c)·s (as 1 − s = tanh²).
    @inline(__always)
    func logOnePlusCSech2(tanh t: Double, sech2 s: Double) -> Double {
        let cs = wDotUHat * s
        if cs > -0.5 { return log1p(cs) }
        return log(t * t + onePlusWDotUHat * s)
    }

    /// The root a of a + c·tanh(a + b) = target (see the type's documentation).
    func solveProjection(target: Double) -> Double {
        let c = wDotUHat
        if c == 0 { return target }
        var lower = target - abs(c), upper = target + abs(c)
        var a = target - c * Self.tanhAndSech2(target + b).tanh
        a = min(max(a, lower), upper)
        // rtsafe (Press et al., Numerical Recipes §9.4): Newton while it stays strictly inside
        // the bracket and at least halves the step before last; bisection otherwise. Newton
        // alone can cycle inside the bracket when c = wᵀû is large (c ≳ 5), never shrinking it.
        var stepBeforeLast = upper - lower, lastStep = stepBeforeLast
        for _ in 0..<400 {
            let (t, s) = Self.tanhAndSech2(a + b)
            let g = (a - target) + c * t
            if g == 0 { return a }
            if g > 0 { upper = a } else { lower = a }
            let slope = 1 + c * s
            let step = g / slope
            // Converged when the step is within 2 ulps, or when Newton's quadratic convergence,
            // error after the step ≈ (|g''|/2g')·step² = |c·s·t|/g'·step², puts the next error
            // below a quarter ulp (safety factor 4 on the curvature). The curvature is local, so
            // the second test needs |step| ≤ 10⁻⁶, on the unit length scale of tanh: over such a
            // step sech² changes by a factor e^{±4·10⁻⁶} at most.
            if abs(step) <= 2 * a.ulp { return a - step }
            if abs(step) <= 1e-6 {
                let curvature = abs(c * s * t) / slope
                if 4 * curvature * step * step <= 0.25 * (a - step).ulp { return a - step }
            }
            let next = a - step
            if next > lower && next < upper && abs(2 * step) <= abs(stepBeforeLast) {
                stepBeforeLast = lastStep
                lastStep = step
                a = next
            } else {
                if upper - lower <= 2 * max(abs(lower), abs(upper)).ulp { return lower + 0.5 * (upper - lower) }
                stepBeforeLast = lastStep
                lastStep = 0.5 * (upper - lower)
                a = lower + lastStep
            }
        }
        return a
    }

    // MARK: - Bijection

    public var dimension: Int? { size }
    public var hasClosedFormInverse: Bool { false }
    public var hasConstantJacobian: Bool { false }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }

    /// A box containing f(box): wᵀz + b ranges over b + Σⱼ wⱼ·[lⱼ, uⱼ], tanh maps it monotonically
    /// to [τ₁, τ₂], and coordinate i of f(z) lies in [lᵢ, uᵢ] + ûᵢ·[τ₁, τ₂].
    public func image(of box: [Interval]) -> [Interval] {
        precondition(box.count == size, "planar: box has \(box.count) coordinates, expected \(size)")
        var projection = (b, b)
        for j in 0..<size {
            projection = BoxArithmetic.sum(projection, BoxArithmetic.scale(BoxArithmetic.ends(box[j]), by: w[j]))
        }
        let range = BoxArithmetic.increasing(projection, tanh, range: (-1, 1))
        return (0..<size).map { i in
            BoxArithmetic.interval(BoxArithmetic.sum(BoxArithmetic.ends(box[i]), BoxArithmetic.scale(range, by: uHat[i])))
        }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        w.withUnsafeBufferPointer { w in
            uHat.withUnsafeBufferPointer { uHat in
                batch.updateEachPoint(logAbsDet: &logAbsDet, transform: "planar", dimension: d) { z, logDet in
                    var a = b
                    for j in 0..<d { a += w[j] * z[j] }
                    let (t, s) = Self.tanhAndSech2(a)
                    for j in 0..<d { z[j] += uHat[j] * t }
                    logDet += logOnePlusCSech2(tanh: t, sech2: s)
                }
            }
        }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        w.withUnsafeBufferPointer { w in
            uHat.withUnsafeBufferPointer { uHat in
                batch.updateEachPoint(logAbsDet: &logAbsDet, transform: "planar", dimension: d) { y, logDet in
                    var target = 0.0
                    for j in 0..<d { target += w[j] * y[j] }
                    let a = solveProjection(target: target)
                    let (t, s) = Self.tanhAndSech2(a + b)
                    for j in 0..<d { y[j] -= uHat[j] * t }
                    logDet -= logOnePlusCSech2(tanh: t, sech2: s)
                }
            }
        }
    }
}
