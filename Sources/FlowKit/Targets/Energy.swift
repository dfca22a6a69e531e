import Foundation

/// The four two-dimensional energies of Rezende & Mohamed (2015, "Variational inference with
/// normalizing flows", ICML, Table 1), unnormalised densities p(z) ∝ exp(−U(z)) on ℝ²:
///
///     U1 = ½((‖z‖ − 2)/0.4)² − ln(exp(−½((z1 − 2)/0.6)²) + exp(−½((z1 + 2)/0.6)²))
///     U2 = ½((z2 − w1)/0.4)²
///     U3 = −ln(exp(−½((z2 − w1)/0.35)²) + exp(−½((z2 − w1 + w2)/0.35)²))
///     U4 = −ln(exp(−½((z2 − w1)/0.4)²)  + exp(−½((z2 − w1 + w3)/0.35)²))
///
/// with w1 = sin(2πz1/4), w2 = 3·exp(−½((z1 − 1)/0.6)²), w3 = 3·σ((z1 − 1)/0.3) and σ the
/// logistic function (`flows.md` §4). Every −ln(eᵃ + eᵇ) is evaluated as
/// −(max(a, b) + log1p(e^{−|a − b|})), so that it stays finite where both exponentials
/// underflow.
public enum Energy: String, CaseIterable, Sendable, Codable {
    case u1, u2, u3, u4

    /// Spec name ("u1" … "u4").
    public var name: String { rawValue }

    /// A one-line description for catalogs.
    public var summary: String {
        switch self {
        case .u1: return "ring of radius 2 split into two halves (Rezende & Mohamed Table 1, U1)"
        case .u2: return "sine-shaped band z2 ≈ sin(πz1/2) (U2)"
        case .u3: return "sine band and a second band bent by a Gaussian bump (U3)"
        case .u4: return "sine band and a second band shifted by a sigmoid step (U4)"
        }
    }

    /// log(eᵃ + eᵇ) without overflow or underflow.
    @inlinable
    static func logSumExp(_ a: Double, _ b: Double) -> Double {
        let m = Swift.max(a, b)
        if m == -.infinity { return -.infinity }
        return m + Foundation.log1p(Foundation.exp(-abs(a - b)))
    }

    /// U(z1, z2).
    @inlinable
    public func potential(_ z1: Double, _ z2: Double) -> Double {
        switch self {
        case .u1:
            let r = (z1 * z1 + z2 * z2).squareRoot()
            let ring = (r - 2) / 0.4
            let a = (z1 - 2) / 0.6, b = (z1 + 2) / 0.6
            return 0.5 * ring * ring - Self.logSumExp(-0.5 * a * a, -0.5 * b * b)
        case .u2:
            let t = (z2 - Self.w1(z1)) / 0.4
            return 0.5 * t * t
        case .u3:
            let d = z2 - Self.w1(z1)
            let a = d / 0.35, b = (d + Self.w2(z1)) / 0.35
            return -Self.logSumExp(-0.5 * a * a, -0.5 * b * b)
        case .u4:
            let d = z2 - Self.w1(z1)
            let a = d / 0.4, b = (d + Self.w3(z1)) / 0.35
            return -Self.logSumExp(-0.5 * a * a, -0.5 * b * b)
        }
    }

    /// log p̃(z) = −U(z).
    @inlinable
    public func logUnnormalizedDensity(_ z1: Double, _ z2: Double) -> Double { -potential(z1, z2) }

    /// −U at every point of a two-dimensional batch.
    public func logUnnormalizedDensity(_ batch: PointBatch) throws -> [Double] {
        guard batch.dimension == 2 else {
            throw FlowKitError.dimensionMismatch(what: "energy \(name)", expected: 2, found: batch.dimension)
        }
        var out = [Double](repeating: 0, count: batch.count)
        for i in 0..<batch.count { out[i] = -potential(batch.values[2 * i], batch.values[2 * i + 1]) }
        return out
    }

    /// U(z1, z2) and its exact gradient ∇U = (∂U/∂z1, ∂U/∂z2), from the formulas above by the
    /// chain rule. With p_a, p_b = the softmax weights of the two exponents of a −ln(eᵃ + eᵇ)
    /// term (p_a = 1/(1 + e^{b−a})), ∂[−ln(eᵃ + eᵇ)] = −(p_a ∂a + p_b ∂b), and
    ///
    ///     U1: ∂/∂z = ((r − 2)/0.4²)·z/r + ((p_a(z1 − 2) + p_b(z1 + 2))/0.6², 0)
    ///         (the ring term's gradient is taken as 0 at r = 0, the apex of its cone)
    ///     U2: t = (z2 − w1)/0.4,  ∂/∂z1 = −t·w1′/0.4,  ∂/∂z2 = t/0.4
    ///     U3: a = d/0.35, b = (d + w2)/0.35, d = z2 − w1:
    ///         ∂/∂z2 = (p_a a + p_b b)/0.35,  ∂/∂z1 = (−p_a a w1′ + p_b b (w2′ − w1′))/0.35
    ///     U4: a = d/0.4, b = (d + w3)/0.35:
    ///         ∂/∂z2 = p_a a/0.4 + p_b b/0.35,  ∂/∂z1 = −p_a a w1′/0.4 + p_b b (w3′ − w1′)/0.35
    ///
    /// with w1′ = (π/2)cos(πz1/2), w2′ = −w2·(z1 − 1)/0.6², w3′ = 3σ(1 − σ)/0.3.
    @inlinable
    public func potentialAndGradient(_ z1: Double, _ z2: Double) -> (value: Double, d1: Double, d2: Double) {
        switch self {
        case .u1:
            let r = (z1 * z1 + z2 * z2).squareRoot()
            let ring = (r - 2) / 0.4
            let a = (z1 - 2) / 0.6, b = (z1 + 2) / 0.6
            let ea = -0.5 * a * a, eb = -0.5 * b * b
            let (lse, pa, pb) = Self.logSumExpWeights(ea, eb)
            let radial = r > 0 ? ring / (0.4 * r) : 0
            let d1 = radial * z1 + (pa * (z1 - 2) + pb * (z1 + 2)) / 0.36
            return (0.5 * ring * ring - lse, d1, radial * z2)
        case .u2:
            let t = (z2 - Self.w1(z1)) / 0.4
            return (0.5 * t * t, -t * Self.w1Derivative(z1) / 0.4, t / 0.4)
        case .u3:
            let d = z2 - Self.w1(z1), w1p = Self.w1Derivative(z1)
            let w2 = Self.w2(z1), w2p = -w2 * (z1 - 1) / 0.36
            let a = d / 0.35, b = (d + w2) / 0.35
            let (lse, pa, pb) = Self.logSumExpWeights(-0.5 * a * a, -0.5 * b * b)
            return (-lse, (-pa * a * w1p + pb * b * (w2p - w1p)) / 0.35, (pa * a + pb * b) / 0.35)
        case .u4:
            let d = z2 - Self.w1(z1), w1p = Self.w1Derivative(z1)
            let s = 1 / (1 + Foundation.exp(-(z1 - 1) / 0.3))
            let w3 = 3 * s, w3p = 3 * s * (1 - s) / 0.3
            let a = d / 0.4, b = (d + w3) / 0.35
            let (lse, pa, pb) = Self.logSumExpWeights(-0.5 * a * a, -0.5 * b * b)
            return (-lse, -pa * a * w1p / 0.4 + pb * b * (w3p - w1p) / 0.35, pa * a / 0.4 + pb * b / 0.35)
        }
    }

    /// U and ∇U at `count` points stored row-major in `points` (z1, z2, z1, z2, …):
    /// `potentials[i]` = U(z_i), `gradients[2i], gradients[2i + 1]` = ∇U(z_i). No allocation.
    @inlinable
    public func potentialsAndGradients(points: UnsafeBufferPointer<Double>, count: Int,
                                       potentials: UnsafeMutableBufferPointer<Double>,
                                       gradients: UnsafeMutableBufferPointer<Double>) {
        precondition(points.count >= 2 * count && potentials.count >= count && gradients.count >= 2 * count,
                     "energy \(name): buffers too small for \(count) points")
        for i in 0..<count {
            let (u, d1, d2) = potentialAndGradient(points[2 * i], points[2 * i + 1])
            potentials[i] = u
            gradients[2 * i] = d1
            gradients[2 * i + 1] = d2
        }
    }

    /// log(eᵃ + eᵇ) with the softmax weights p_a = eᵃ/(eᵃ + eᵇ), p_b = 1 − p_a (both finite
    /// whatever a and b; p_a = p_b = ½ when both are −∞).
    @inlinable
    static func logSumExpWeights(_ a: Double, _ b: Double) -> (value: Double, pa: Double, pb: Double) {
        let m = Swift.max(a, b)
        if m == -.infinity { return (-.infinity, 0.5, 0.5) }
        let e = Foundation.exp(-abs(a - b))
        let small = e / (1 + e), large = 1 / (1 + e)
        return (m + Foundation.log1p(e), a >= b ? large : small, a >= b ? small : large)
    }

    /// w1′ = (π/2) cos(πz1/2).
    @inlinable static func w1Derivative(_ z1: Double) -> Double { 0.5 * Double.pi * Foundation.cos(0.5 * Double.pi * z1) }

    /// w1 = sin(2π z1 / 4).
    @inlinable static func w1(_ z1: Double) -> Double { Foundation.sin(0.5 * Double.pi * z1) }
    /// w2 = 3 exp(−½((z1 − 1)/0.6)²).
    @inlinable static func w2(_ z1: Double) -> Double {
        let t = (z1 - 1) / 0.6
        return 3 * Foundation.exp(-0.5 * t * t)
    }
    /// w3 = 3 σ((z1 − 1)/0.3), σ(x) = 1/(1 + e⁻ˣ).
    @inlinable static func w3(_ z1: Double) -> Double { 3 / (1 + Foundation.exp(-(z1 - 1) / 0.3)) }

    /// The quadrature rule of ``normalizer(x:y:gridPoints:rule:jobs:)``.
    public enum QuadratureRule: String, Sendable {
        /// Weights h·(½, 1, …, 1, ½) per axis; error O(h²). `flows.md`'s reference values
        /// use it with 4001 points per axis on [−4, 4]².
        case trapezoid
        /// Composite Simpson, weights h/3·(1, 4, 2, 4, …, 4, 1) per axis (needs an odd
        /// number of points); error O(h⁴).
        case simpson
    }

    /// Z = ∫∫_box exp(−U) by a tensor-product rule on an n × n grid of equally spaced points
    /// (end points included), n = `gridPoints`. Rows are summed in parallel (`jobs`
    /// threads) and combined in row order, so the result does not depend on `jobs`.
    /// The reference values over [−4, 4]² (trapezoid, n = 4001) are Z1 ≈ 6.53715,
    /// Z2 ≈ 8.02121 (= 8·0.4·√(2π) to 1e−13, the band's Gaussian tails beyond the box being
    /// below 1e−13), Z3 ≈ 14.0371, Z4 ≈ 14.6519.
    public func normalizer(x: ClosedRange<Double> = -4...4, y: ClosedRange<Double> = -4...4,
                           gridPoints: Int = 1001, rule: QuadratureRule = .simpson,
                           jobs: Int = ChunkedReduction.availableCores) throws -> Double {
        guard gridPoints >= 3 else {
            throw FlowKitError.invalidParameter(parameter: "gridPoints", value: "\(gridPoints)", requirement: "≥ 3")
        }
        guard rule == .trapezoid || gridPoints % 2 == 1 else {
            throw FlowKitError.invalidParameter(parameter: "gridPoints", value: "\(gridPoints)", requirement: "odd for Simpson's rule")
        }
        guard x.lowerBound.isFinite, x.upperBound.isFinite, y.lowerBound.isFinite, y.upperBound.isFinite,
              x.lowerBound < x.upperBound, y.lowerBound < y.upperBound else {
            throw FlowKitError.invalidParameter(parameter: "box", value: "\(x) × \(y)", requirement: "finite with low < high")
        }
        let n = gridPoints
        let hx = (x.upperBound - x.lowerBound) / Double(n - 1)
        let hy = (y.upperBound - y.lowerBound) / Double(n - 1)
        let weights: [Double] = (0..<n).map { i in
            switch rule {
            case .trapezoid: return (i == 0 || i == n - 1) ? 0.5 : 1
            case .simpson: return (i == 0 || i == n - 1) ? 1.0 / 3 : (i % 2 == 1 ? 4.0 / 3 : 2.0 / 3)
            }
        }
        let xs: [Double] = (0..<n).map { i in i == n - 1 ? x.upperBound : x.lowerBound + Double(i) * hx }
        let ys: [Double] = (0..<n).map { i in i == n - 1 ? y.upperBound : y.lowerBound + Double(i) * hy }
        let energy = self
        let total = ChunkedReduction(jobs: jobs).run(chunkCount: n, into: 0.0, work: { row in
            var s = 0.0
            let z2 = ys[row]
            for column in 0..<n {
                s += weights[column] * Foundation.exp(-energy.potential(xs[column], z2))
            }
            return s * weights[row]
        }, merge: { $0 += $1 })
        return total * hx * hy
    }
}
