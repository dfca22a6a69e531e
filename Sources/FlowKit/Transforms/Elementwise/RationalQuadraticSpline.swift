import Foundation

/// spline: a monotone rational-quadratic spline ℝ → ℝ (Durkan, Bekasov, Murray & Papamakarios
/// 2019, "Neural Spline Flows", NeurIPS, §3.1 and appendix A; Gregory & Delbourgo 1982) through
/// the knots (xₖ, yₖ), k = 0…K, both strictly increasing, with derivatives dₖ > 0 at the knots,
/// and linear tails outside [x₀, x_K] whose slopes are the end derivatives d₀ and d_K.
///
/// In bin k, with w = xₖ₊₁ − xₖ, h = yₖ₊₁ − yₖ, s = h/w, ξ = (x − xₖ)/w ∈ [0, 1] and
/// D = s + (dₖ₊₁ + dₖ − 2s)·ξ(1 − ξ):
///
///     y     = yₖ + h·[s ξ² + dₖ ξ(1 − ξ)] / D                                  (eq. 4)
///     dy/dx = s²·[dₖ₊₁ ξ² + 2s ξ(1 − ξ) + dₖ (1 − ξ)²] / D²                    (eq. 5)
///
/// Inverse (appendix A): with Δ = y − yₖ and c₂ = dₖ₊₁ + dₖ − 2s, ξ solves aξ² + bξ + c = 0 with
/// a = h(s − dₖ) + Δ c₂, b = h dₖ − Δ c₂, c = −sΔ, taken in the cancellation-free form
/// ξ = 2c / (−b − √(b² − 4ac)); then x = xₖ + ξw and log|(T⁻¹)'(y)| = −log(dy/dx at ξ),
/// the derivative of the inverse being the reciprocal of eq. 5 at the preimage. The per-bin
/// formulas are ``RationalQuadraticBin``'s (shared with the trainable spline coupling).
public struct RationalQuadraticSpline: ScalarBijection {
    public let knotsX: [Double]
    public let knotsY: [Double]
    public let derivatives: [Double]
    @usableFromInline let logFirstDerivative: Double
    @usableFromInline let logLastDerivative: Double

    /// Throws ``FlowKitError/invalidParameter`` (keys `x`, `y`, `derivatives`) unless there
    /// are at least two knots, `x` and `y` are finite and strictly increasing with the same
    /// count, and every derivative is finite and > 0.
    public init(x: [Double], y: [Double], derivatives: [Double]) throws(FlowKitError) {
        try ParameterValidation.strictlyIncreasing(x, "x", minimumCount: 2)
        try ParameterValidation.strictlyIncreasing(y, "y", minimumCount: 2)
        guard y.count == x.count else {
            throw .invalidParameter(parameter: "y", value: "\(y.count) values",
                                    requirement: "needs as many values as x (\(x.count))")
        }
        guard derivatives.count == x.count else {
            throw .invalidParameter(parameter: "derivatives", value: "\(derivatives.count) values",
                                    requirement: "needs one value per knot (\(x.count))")
        }
        for d in derivatives { try ParameterValidation.positive(d, "derivatives") }
        self.knotsX = x
        self.knotsY = y
        self.derivatives = derivatives
        self.logFirstDerivative = log(derivatives[0])
        self.logLastDerivative = log(derivatives[derivatives.count - 1])
    }

    public var name: String { "spline" }
    public var domain: Interval { .real }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        let last = knotsX.count - 1
        if x < knotsX[0] {
            return (knotsY[0] + derivatives[0] * (x - knotsX[0]), logFirstDerivative)
        }
        if x >= knotsX[last] {
            return (knotsY[last] + derivatives[last] * (x - knotsX[last]), logLastDerivative)
        }
        guard !x.isNaN else { return (.nan, .nan) }
        let piece = bin(containing: x)
        let (y, logDerivative) = piece.forward(xi: (x - piece.x0) / piece.width)
        return (y, logDerivative)
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let last = knotsY.count - 1
        if y < knotsY[0] {
            return (knotsX[0] + (y - knotsY[0]) / derivatives[0], -logFirstDerivative)
        }
        if y >= knotsY[last] {
            return (knotsX[last] + (y - knotsY[last]) / derivatives[last], -logLastDerivative)
        }
        guard !y.isNaN else { return (.nan, .nan) }
        let bin = self.bin(Self.bin(of: y, in: knotsY))
        let xi = bin.inverseXi(y)
        return (bin.x0 + xi * bin.width, -bin.forward(xi: xi).logDerivative)
    }

    /// The bin with x_k ≤ x < x_{k+1}, for x₀ ≤ x < x_K.
    @inline(__always)
    func bin(containing x: Double) -> RationalQuadraticBin { bin(Self.bin(of: x, in: knotsX)) }

    /// Bin k as a ``RationalQuadraticBin`` (the formulas live there).
    @inline(__always)
    private func bin(_ k: Int) -> RationalQuadraticBin {
        RationalQuadraticBin(x0: knotsX[k], width: knotsX[k + 1] - knotsX[k], y0: knotsY[k],
                             height: knotsY[k + 1] - knotsY[k], d0: derivatives[k], d1: derivatives[k + 1])
    }

    /// The k with knots[k] ≤ v < knots[k + 1], for knots[0] ≤ v < knots[last] (binary search).
    @inline(__always)
    private static func bin(of v: Double, in knots: [Double]) -> Int {
        var low = 0, high = knots.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if knots[middle] <= v { low = middle } else { high = middle }
        }
        return low
    }
}
