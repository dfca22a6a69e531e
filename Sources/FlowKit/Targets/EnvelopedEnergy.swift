import Foundation

/// The target a reverse-KL fit actually uses for an ``Energy``: p(z) = exp(−U(z) − E(z)) / Z
/// on all of ℝ², where E is an envelope that is zero on the box (−4, 4)² the papers plot and
/// grows quadratically outside it:
///
///     E(z) = Σ_i ½ ((|z_i| − 4)₊ / s)²,   s = 0.25        (= 8 Σ_i relu(|z_i| − 4)²)
///     ∂E/∂z_i = sign(z_i) (|z_i| − 4)₊ / s²
///
/// Why: U2–U4 do not grow along z1 (their bands repeat with sin(πz1/2)), so exp(−U) is not
/// integrable over ℝ² and KL(q ‖ p) is undefined; Rezende & Mohamed (2015) and every plot
/// restrict them to (−4, 4)². The envelope is BNAF's per-coordinate relu² penalty (De Cao et
/// al. 2020) moved to the plotted box; it is applied to all four energies so that there is one
/// definition (for U1, whose ring is 5 std inside the box, it changes log Z by < 1e-6).
/// The scale s = 0.25 makes the envelope a Gaussian half-profile as narrow as the energies'
/// own bands (std 0.35–0.4): mass leaks only a fraction of a band width past the box, yet its
/// gradient (|z_i| − 4)/s² = 16 per unit stays of the order of the bands' own (≈ 8 per
/// unit), so pathwise gradients are not dominated by it. normflows' alternative, a quartic
/// in ‖z‖₄ at scale 20, leaves the bands of U2–U4 extending to |z1| ≈ 20 and the target
/// far from the plotted one. Inside the box the target is exactly exp(−U).
///
/// The normaliser Z over ℝ² is ``normalizer(intervalsPerUnit:jobs:)``; its values at the
/// default resolution are stored as ``logNormalizer`` (recomputed in the tests), so that
/// KL(q ‖ p) = log Z − ELBO is exact up to a quadrature error below 2e-11 nats.
public struct EnvelopedEnergy: Sendable, Equatable, Hashable {
    public let energy: Energy

    /// Half-width of the box (−4, 4)² inside which the target is exp(−U).
    public static let boxHalfWidth = 4.0
    /// The envelope's length scale s.
    public static let envelopeScale = 0.25
    /// The quadrature box is (−L, L)², L = 4 + 12 s = 7: outside it the envelope factor is
    /// below e^{−72} and the neglected mass below ``Normalizer/tailBound``.
    public static let quadratureHalfWidth = boxHalfWidth + 12 * envelopeScale

    public init(_ energy: Energy) { self.energy = energy }

    /// One coordinate's envelope term e(t) = ½((|t| − 4)₊/s)² and its derivative.
    @inlinable
    public static func envelope(_ t: Double) -> (value: Double, derivative: Double) {
        let excess = abs(t) - boxHalfWidth
        guard excess > 0 else { return (0, 0) }
        let scaled = excess / envelopeScale
        let slope = scaled / envelopeScale
        return (0.5 * scaled * scaled, t < 0 ? -slope : slope)
    }

    /// U(z) + E(z).
    @inlinable
    public func potential(_ z1: Double, _ z2: Double) -> Double {
        energy.potential(z1, z2) + Self.envelope(z1).value + Self.envelope(z2).value
    }

    /// log p̃(z) = −U(z) − E(z).
    @inlinable
    public func logUnnormalizedDensity(_ z1: Double, _ z2: Double) -> Double { -potential(z1, z2) }

    /// U + E and its exact gradient ∇U + ∇E (``Energy/potentialAndGradient(_:_:)``).
    @inlinable
    public func potentialAndGradient(_ z1: Double, _ z2: Double) -> (value: Double, d1: Double, d2: Double) {
        let (u, d1, d2) = energy.potentialAndGradient(z1, z2)
        let e1 = Self.envelope(z1), e2 = Self.envelope(z2)
        return (u + e1.value + e2.value, d1 + e1.derivative, d2 + e2.derivative)
    }

    /// U + E and ∇(U + E) at `count` points stored row-major in `points` (z1, z2, …):
    /// `potentials[i]`, and `gradients[2i]`, `gradients[2i + 1]`. No allocation.
    @inlinable
    public func potentialsAndGradients(points: UnsafeBufferPointer<Double>, count: Int,
                                       potentials: UnsafeMutableBufferPointer<Double>,
                                       gradients: UnsafeMutableBufferPointer<Double>) {
        precondition(points.count >= 2 * count && potentials.count >= count && gradients.count >= 2 * count,
                     "enveloped energy \(energy.name): buffers too small for \(count) points")
        for i in 0..<count {
            let (u, d1, d2) = potentialAndGradient(points[2 * i], points[2 * i + 1])
            potentials[i] = u
            gradients[2 * i] = d1
            gradients[2 * i + 1] = d2
        }
    }

    /// −U − E at every point of a two-dimensional batch.
    public func logUnnormalizedDensity(_ batch: PointBatch) throws -> [Double] {
        guard batch.dimension == 2 else {
            throw FlowKitError.dimensionMismatch(what: "energy \(energy.name)", expected: 2, found: batch.dimension)
        }
        return (0..<batch.count).map { -potential(batch.values[2 * $0], batch.values[2 * $0 + 1]) }
    }

    /// log Z over ℝ², as computed by ``normalizer(intervalsPerUnit:jobs:)`` at its default
    /// resolution (200 intervals per unit, h = 0.005) and stored, so that training needs no
    /// quadrature. Estimated quadrature error ≤ 3e-10 absolute in Z (U4, whose second band is
    /// steep where the sigmoid w3 switches; ≤ 2e-12 for U1–U3), i.e. ≤ 2e-11 in log Z; the tail
    /// beyond (−7, 7)² is below 8e-32. The tests recompute them at coarser resolutions.
    public var logNormalizer: Double {
        switch energy {
        case .u1: return 1.8775016254809385
        case .u2: return 2.1575048696968553
        case .u3: return 2.7171206576286209
        case .u4: return 2.7775082945230412
        }
    }

    /// Z over ℝ² (``logNormalizer`` exponentiated): U1 6.537152188690, U2 8.649529009537,
    /// U3 15.13667576663, U4 16.07890709196; of which outside the box (−4, 4)²: 5.68e-8,
    /// 0.6283185307 (= π/5 = 2 · 0.4√(2π) · s√(π/2), the band's two half-Gaussian ends),
    /// 1.09955743, 1.42704152.
    public var normalizerValue: Double { Foundation.exp(logNormalizer) }

    /// The normaliser of the enveloped target, in parts.
    public struct Normalizer: Sendable, Equatable {
        /// ∫∫ over the box (−4, 4)², where the target is exp(−U): `flows.md` §4's values.
        public var insideBox: Double
        /// ∫∫ over (−7, 7)² minus the box: the mass the envelope lets past the box.
        public var outsideBox: Double
        /// An estimate of the quadrature error of `value` (Richardson: |I_h − I_2h| / 15 for
        /// composite Simpson, whose error is O(h⁴)).
        public var quadratureError: Double
        /// A rigorous bound on the mass outside (−7, 7)², not included in `value`:
        /// exp(−U) ≤ 2 for every energy, so the neglected mass is at most
        /// 2 ∫∫_{ℝ² ∖ (−L, L)²} e^{−E} = 2 (A² − B²), A = 8 + s√(2π),
        /// B = 8 + s√(2π)(1 − 2Q(12)), Q the normal survival function (≈ 8e−32).
        public var tailBound: Double

        /// Z = insideBox + outsideBox.
        public var value: Double { insideBox + outsideBox }
        /// log Z.
        public var logValue: Double { Foundation.log(value) }
    }

    /// Z = ∫∫_{ℝ²} exp(−U − E) by composite Simpson on the tensor grid of the pieces
    /// [−7, −4], [−4, 4], [4, 7] of each axis (the envelope's second derivative jumps at ±4,
    /// so ±4 are piece ends and each piece's integrand is smooth), with `intervalsPerUnit`
    /// intervals per unit length (a multiple of 4, so that the half-resolution grid used for
    /// the error estimate is a Simpson grid too). Rows are summed on `jobs` threads and
    /// combined in order: the result does not depend on `jobs`.
    public func normalizer(intervalsPerUnit: Int = 200, jobs: Int = ChunkedReduction.availableCores) throws -> Normalizer {
        guard intervalsPerUnit >= 4, intervalsPerUnit % 4 == 0 else {
            throw FlowKitError.invalidParameter(parameter: "intervalsPerUnit", value: "\(intervalsPerUnit)",
                                                requirement: "a positive multiple of 4")
        }
        let fine = blocks(intervalsPerUnit: intervalsPerUnit, jobs: jobs)
        let coarse = blocks(intervalsPerUnit: intervalsPerUnit / 2, jobs: jobs)
        let s = Self.envelopeScale, root2pi = (2 * Double.pi).squareRoot()
        let q = Special.normalSurvival((Self.quadratureHalfWidth - Self.boxHalfWidth) / s)
        let a = 2 * Self.boxHalfWidth + s * root2pi
        let b = 2 * Self.boxHalfWidth + s * root2pi * (1 - 2 * q)
        let tail = 2 * (2 * s * root2pi * q) * (a + b)
        let total = fine.inside + fine.outside, totalCoarse = coarse.inside + coarse.outside
        let rounding = 1e-15 * total * Double(intervalsPerUnit)
        return Normalizer(insideBox: fine.inside, outsideBox: fine.outside,
                          quadratureError: abs(total - totalCoarse) / 15 + rounding, tailBound: tail)
    }

    /// The Simpson sums over the box and over the eight pieces around it.
    private func blocks(intervalsPerUnit n: Int, jobs: Int) -> (inside: Double, outside: Double) {
        let l = Self.quadratureHalfWidth, w = Self.boxHalfWidth
        let pieces = [Self.simpsonRule(from: -l, to: -w, intervals: Int((l - w).rounded()) * n),
                      Self.simpsonRule(from: -w, to: w, intervals: Int((2 * w).rounded()) * n),
                      Self.simpsonRule(from: w, to: l, intervals: Int((l - w).rounded()) * n)]
        var inside = 0.0, outside = 0.0
        for py in 0..<3 {
            for px in 0..<3 {
                let value = Self.tensorSum(x: pieces[px], y: pieces[py], jobs: jobs) { potential($0, $1) }
                if px == 1 && py == 1 { inside = value } else { outside += value }
            }
        }
        return (inside, outside)
    }

    /// Nodes and weights of composite Simpson with `intervals` (even) intervals on [a, b].
    static func simpsonRule(from a: Double, to b: Double, intervals: Int) -> (nodes: [Double], weights: [Double]) {
        let h = (b - a) / Double(intervals)
        let nodes = (0...intervals).map { i in i == intervals ? b : a + Double(i) * h }
        let weights = (0...intervals).map { i -> Double in
            if i == 0 || i == intervals { return h / 3 }
            return i % 2 == 1 ? 4 * h / 3 : 2 * h / 3
        }
        return (nodes, weights)
    }

    /// Σ_ij w_i w_j exp(−V(x_i, y_j)), rows in parallel, merged in row order.
    static func tensorSum(x: (nodes: [Double], weights: [Double]), y: (nodes: [Double], weights: [Double]),
                          jobs: Int, potential: @escaping @Sendable (Double, Double) -> Double) -> Double {
        ChunkedReduction(jobs: jobs).run(chunkCount: y.nodes.count, into: 0.0, work: { row in
            let z2 = y.nodes[row]
            var s = 0.0
            for column in 0..<x.nodes.count { s += x.weights[column] * Foundation.exp(-potential(x.nodes[column], z2)) }
            return s * y.weights[row]
        }, merge: { $0 += $1 })
    }
}
