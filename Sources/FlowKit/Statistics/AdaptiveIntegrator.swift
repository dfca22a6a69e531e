import Foundation

/// The result of a numerical integration: the value, an estimate of its absolute error, how
/// many times the integrand was evaluated, and whether the requested tolerance was met.
public struct Integral: Sendable, Equatable, CustomStringConvertible {
    /// The estimate of ∫ f.
    public var value: Double
    /// An estimate of |value − ∫ f| (QUADPACK's scaled Kronrod-minus-Gauss estimate, summed
    /// over the subintervals).
    public var errorEstimate: Double
    /// Number of evaluations of the integrand.
    public var evaluations: Int
    /// Whether errorEstimate ≤ max(absoluteTolerance, relativeTolerance · |value|) was reached
    /// within the evaluation budget (false also when the integrand returned NaN or ±∞).
    public var converged: Bool

    public init(value: Double, errorEstimate: Double, evaluations: Int, converged: Bool) {
        self.value = value
        self.errorEstimate = errorEstimate
        self.evaluations = evaluations
        self.converged = converged
    }

    public var description: String {
        "\(value) ± \(errorEstimate) (\(evaluations) evaluations\(converged ? "" : ", not converged"))"
    }
}

/// Globally adaptive Gauss–Kronrod quadrature (the method of QUADPACK's QAGS/QAGI without
/// the ε-algorithm extrapolation; Piessens, de Doncker-Kapenga, Überhuber & Kahaner 1983).
///
/// Each subinterval [a, b] is integrated with the 15-point Kronrod rule K15 and its embedded
/// 7-point Gauss rule G7 (nodes and weights from QUADPACK's `qk15`). The error estimate of a
/// subinterval is QUADPACK's
///
///     e = I_asc · min(1, (200 · |K15 − G7| / I_asc)^{3/2}),   I_asc = ∫ |f − K15/(b − a)|
///
/// floored at 50 · ε · ∫|f| (rounding). The subinterval with the largest error is bisected
/// (a max-heap keyed by error) until Σ e ≤ max(absoluteTolerance, relativeTolerance · |Σ K15|)
/// or the evaluation budget is spent.
///
/// Infinite ranges are mapped onto finite ones (the nodes are interior, so the end points,
/// where the maps blow up, are never evaluated; integrable end-point singularities such as
/// x^{-1/2} at 0 are handled by bisecting towards them):
///
///     (−∞, ∞):  x = t / (1 − t²),      dx = (1 + t²) / (1 − t²)² dt,  t ∈ (−1, 1)
///     [a, ∞):   x = a + t / (1 − t),   dx = 1 / (1 − t)² dt,          t ∈ (0, 1)
///     (−∞, b]:  x = b − (1 − t) / t,   dx = 1 / t² dt,                t ∈ (0, 1)
///
/// A term f(x) · dx with f(x) = 0 counts as 0 even where dx overflows.
///
/// Limitation (shared by every adaptive rule): a feature much narrower than the node spacing
/// of the first rule (e.g. a normal of std 10⁻³ on [0, 10]) can fall between all 15 nodes
/// and be missed with a small error estimate. Integrate such functions piecewise around
/// the feature.
public enum AdaptiveIntegrator {
    /// ∫_a^b f(x) dx. `a` and `b` may be infinite; b < a gives −∫_b^a.
    public static func integrate(_ f: (Double) -> Double, from a: Double, to b: Double,
                                 relativeTolerance: Double = 1e-10, absoluteTolerance: Double = 1e-12,
                                 maxEvaluations: Int = 200_000) -> Integral {
        if a.isNaN || b.isNaN {
            return Integral(value: .nan, errorEstimate: .infinity, evaluations: 0, converged: false)
        }
        if a == b { return Integral(value: 0, errorEstimate: 0, evaluations: 0, converged: true) }
        if b < a {
            var r = integrate(f, from: b, to: a, relativeTolerance: relativeTolerance,
                              absoluteTolerance: absoluteTolerance, maxEvaluations: maxEvaluations)
            r.value = -r.value
            return r
        }
        func product(_ fx: Double, _ jacobian: Double) -> Double { fx == 0 ? 0 : fx * jacobian }
        switch (a.isFinite, b.isFinite) {
        case (true, true):
            return adapt(f, a, b, relativeTolerance, absoluteTolerance, maxEvaluations)
        case (false, false):
            return adapt({ t in
                let s = 1 - t * t
                return product(f(t / s), (1 + t * t) / (s * s))
            }, -1, 1, relativeTolerance, absoluteTolerance, maxEvaluations)
        case (true, false):
            return adapt({ t in
                let s = 1 - t
                return product(f(a + t / s), 1 / (s * s))
            }, 0, 1, relativeTolerance, absoluteTolerance, maxEvaluations)
        case (false, true):
            return adapt({ t in product(f(b - (1 - t) / t), 1 / (t * t)) },
                         0, 1, relativeTolerance, absoluteTolerance, maxEvaluations)
        }
    }

    // MARK: - Gauss–Kronrod 7/15 (QUADPACK qk15)

    /// Kronrod abscissae on [−1, 1] (non-negative half, decreasing); odd indices are the
    /// 7-point Gauss nodes.
    static let kronrodNodes: [Double] = [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
    ]
    static let kronrodWeights: [Double] = [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ]
    /// Gauss weights for the nodes kronrodNodes[1], [3], [5], [7].
    static let gaussWeights: [Double] = [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ]

    struct Piece {
        var a: Double, b: Double, value: Double, error: Double
    }

    /// K15 on [a, b]: the Kronrod value and QUADPACK's error estimate.
    static func rule(_ f: (Double) -> Double, _ a: Double, _ b: Double) -> Piece {
        let center = 0.5 * (a + b)
        let half = 0.5 * (b - a)
        let fc = f(center)
        var kronrod = fc * kronrodWeights[7]
        var gauss = fc * gaussWeights[3]
        var absolute = abs(kronrod)
        var values = [Double](repeating: 0, count: 14)
        for j in 0..<7 {
            let dx = half * kronrodNodes[j]
            let f1 = f(center - dx), f2 = f(center + dx)
            values[2 * j] = f1
            values[2 * j + 1] = f2
            kronrod += kronrodWeights[j] * (f1 + f2)
            absolute += kronrodWeights[j] * (abs(f1) + abs(f2))
            if j % 2 == 1 { gauss += gaussWeights[j / 2] * (f1 + f2) }
        }
        let mean = kronrod * 0.5
        var asc = kronrodWeights[7] * abs(fc - mean)
        for j in 0..<7 {
            asc += kronrodWeights[j] * (abs(values[2 * j] - mean) + abs(values[2 * j + 1] - mean))
        }
        let width = abs(half)
        let value = kronrod * half
        absolute *= width
        asc *= width
        var error = abs((kronrod - gauss) * half)
        if asc != 0 && error != 0 {
            error = asc * min(1, pow(200 * error / asc, 1.5))
        }
        if absolute > Double.leastNormalMagnitude / (50 * Double.ulpOfOne) {
            error = max(50 * Double.ulpOfOne * absolute, error)
        }
        if !value.isFinite { error = .infinity }
        return Piece(a: a, b: b, value: value, error: error)
    }

    static func adapt(_ f: (Double) -> Double, _ a: Double, _ b: Double,
                      _ relativeTolerance: Double, _ absoluteTolerance: Double,
                      _ maxEvaluations: Int) -> Integral {
        var heap = PieceHeap()
        heap.push(rule(f, a, b))
        var evaluations = 15
        var value = heap.pieces[0].value
        var error = heap.pieces[0].error
        func tolerance() -> Double { max(absoluteTolerance, relativeTolerance * abs(value)) }
        var converged = error <= tolerance()
        while !converged && value.isFinite && evaluations + 30 <= maxEvaluations {
            guard let worst = heap.pop() else { break }
            let middle = 0.5 * (worst.a + worst.b)
            // Stop when the interval can no longer be split in doubles.
            if !(middle > worst.a && middle < worst.b) {
                heap.push(worst)
                break
            }
            let left = rule(f, worst.a, middle), right = rule(f, middle, worst.b)
            evaluations += 30
            heap.push(left)
            heap.push(right)
            value += left.value + right.value - worst.value
            error += left.error + right.error - worst.error
            // Re-sum every few steps so rounding in the running sums does not build up.
            if heap.pieces.count % 64 == 0 { (value, error) = heap.sums() }
            converged = error <= tolerance()
        }
        (value, error) = heap.sums()
        converged = value.isFinite && error <= tolerance()
        return Integral(value: value, errorEstimate: error, evaluations: evaluations, converged: converged)
    }

    /// A binary max-heap of subintervals keyed by their error estimates.
    struct PieceHeap {
        var pieces: [Piece] = []

        mutating func push(_ p: Piece) {
            pieces.append(p)
            var i = pieces.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                if !(pieces[parent].error < pieces[i].error) { break }
                pieces.swapAt(parent, i)
                i = parent
            }
        }

        mutating func pop() -> Piece? {
            guard !pieces.isEmpty else { return nil }
            pieces.swapAt(0, pieces.count - 1)
            let top = pieces.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var largest = i
                if l < pieces.count && pieces[l].error > pieces[largest].error { largest = l }
                if r < pieces.count && pieces[r].error > pieces[largest].error { largest = r }
                if largest == i { break }
                pieces.swapAt(i, largest)
                i = largest
            }
            return top
        }

        /// Compensated (Kahan–Neumaier) sums of the values and errors.
        func sums() -> (Double, Double) {
            var s = 0.0, c = 0.0, e = 0.0
            for p in pieces {
                let t = s + p.value
                c += abs(s) >= abs(p.value) ? (s - t) + p.value : (p.value - t) + s
                s = t
                e += p.error
            }
            return (s + c, e)
        }
    }
}
