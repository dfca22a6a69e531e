import Foundation

/// The block neural autoregressive flow [`bnaf`] (De Cao, Aziz & Titov 2020, "Block Neural
/// Autoregressive Flow", UAI, §3; `flows.md` §5 and §9) as a trainable layer: one BNAF flow
/// with its gated residual. The network is the *density* map (data → base), trained in one
/// pass; the sampling direction inverts it coordinate by coordinate by a safeguarded
/// Newton–bisection root search.
///
/// With widths u₀ = d, u_ℓ = d·H (0 < ℓ < L, H = `hidden` per dimension), u_L = d,
/// L = `layers` + 1 weight matrices and σ the logistic function:
///
///     a^ℓ = W^ℓ h^{ℓ−1} + b^ℓ,  h^ℓ = tanh(a^ℓ) (ℓ < L),  h⁰ = x,  f(x) = a^L
///     F(x) = σ(g)·f(x) + (1 − σ(g))·x                       (the gated residual)
///
/// W^ℓ is block lower-triangular with d × d blocks of size (u_ℓ/d) × (u_{ℓ−1}/d): the
/// diagonal blocks are exp(W̃) (positive), the strictly lower blocks W̃ (free), the upper ones 0,
/// and each row r is weight-normalised (Salimans & Kingma 2016), w_r = e^{s_r}·v_r/‖v_r‖ with
/// v_r the masked row. So output i depends only on x_{≤i} and increases in x_i: F is
/// autoregressive with a positive triangular Jacobian. (BNAF's last flow has no residual; here
/// every layer has it, because without it each F_i is bounded in x_i and F is not onto ℝ^d;
/// in the flow next to the base the gate is a constant with a small identity share
/// (``Residual``, `fixed`). 1 − σ(g) is evaluated as σ(−g), which stays positive where σ(g)
/// rounds to 1.)
///
/// log|det ∂F/∂x| = Σ_i [softplus(λ_i + g) − softplus(g)] = Σ_i log(σ(g)e^{λ_i} + 1 − σ(g)),
/// with λ_i = log ∂f_i/∂x_i computed in log space through the diagonal blocks
/// ("log-matrix multiplication"):
///
///     c¹_r = log W¹_{r,·}   (the diagonal-block entry, = s_r + W̃_r − ½ log‖v_r‖²)
///     e^ℓ = c^ℓ + log sech²(a^ℓ),   log sech² a = −2(|a| − log 2 + log1p(e^{−2|a|}))
///     c^{ℓ+1}_r = logsumexp_k (log W^{ℓ+1}_{r,k} + e^ℓ_k)   (k over r's diagonal block)
///     λ_i = c^L_i
///
/// The logsumexp is evaluated as a product in linear space after one shift per point and block
/// (``logJacobianProduct(_:tape:_:count:)``): every term is positive, so this is exact, and it
/// costs one exponential per hidden unit rather than one per weight (H² per row block).
///
/// `reversed` applies the layer to the coordinates in reverse order (x ↦ flip ∘ F ∘ flip),
/// BNAF's flip permutation between stacked flows.
///
/// Backward: the log-space recursion is differentiated with the softmax weights
/// P_{rk} = exp(log W_{rk} + e_k − c_r) = W_{rk}·u_k/S_r (∂c_r/∂e_k = ∂c_r/∂log W_{rk} = P_{rk}), and
/// ∂ log sech²(a)/∂a = −2 tanh a; those adjoints join ∂L/∂a^ℓ of the ordinary backward pass.
/// Weight normalisation: with G = ∂L/∂w (row r) and A = ∂L/∂(log diagonal entries of row r),
/// ∂L/∂s_r = Gᵀw_r + ΣA, ∂L/∂v_r = e^{s_r}/‖v_r‖·(G − (Gᵀv_r)v_r/‖v_r‖²) − (ΣA)·v_r/‖v_r‖²,
/// then ∂v/∂W̃ = v on the diagonal block (plus A there), 1 below it.
///
/// Parameters per weight matrix ℓ: `layers[ℓ].weights` (u_ℓ × u_{ℓ−1}, a plain matrix whose
/// upper-block entries are unused), `.scale` s (u_ℓ), `.bias` (u_ℓ); then the gate g.
public struct TrainableBNAF: TrainableLayer {
    public let name = "bnaf"
    public let dimension: Int
    public let hidden: Int
    public let reversed: Bool
    public let residual: Residual
    public let layout: ParameterLayout
    /// u₀ … u_L.
    public let widths: [Int]
    let weightOffsets: [Int]
    let scaleOffsets: [Int]
    let biasOffsets: [Int]
    let gateOffset: Int

    /// - Parameters:
    ///   - hidden: H, hidden units per dimension (BNAF's default 50).
    ///   - layers: hidden layers (L − 1; BNAF's toy experiments use 1–2).
    ///   - residual: a learned gate (BNAF's flows before the last) or a fixed one (its last flow).
    public init(dimension: Int, hidden: Int = 50, layers: Int = 1, reversed: Bool = false, residual: Residual = .gated) {
        precondition(dimension >= 1 && hidden >= 1 && layers >= 0, "bnaf: dimension, hidden ≥ 1, layers ≥ 0")
        self.dimension = dimension
        self.hidden = hidden
        self.reversed = reversed
        self.residual = residual
        widths = [dimension] + Array(repeating: dimension * hidden, count: layers) + [dimension]
        var builder = ParameterLayout.Builder()
        var w: [Int] = [], s: [Int] = [], b: [Int] = []
        for l in 1..<widths.count {
            w.append(builder.add("layers[\(l - 1)].weights", shape: [widths[l], widths[l - 1]]))
            s.append(builder.add("layers[\(l - 1)].scale", shape: [widths[l]]))
            b.append(builder.add("layers[\(l - 1)].bias", shape: [widths[l]]))
        }
        gateOffset = builder.add("gate", shape: [])
        weightOffsets = w
        scaleOffsets = s
        biasOffsets = b
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.density] }
    public var cheapDirection: TrainableDirection { .density }
    public func canEvaluate(_ direction: TrainableDirection) -> Bool { true }

    /// Weight matrices L.
    var matrixCount: Int { widths.count - 1 }
    /// Rows and columns per block of matrix l (1-based).
    @inline(__always) func blockRows(_ l: Int) -> Int { widths[l] / dimension }
    @inline(__always) func blockColumns(_ l: Int) -> Int { widths[l - 1] / dimension }

    /// BNAF's initialisation (its `MaskedWeight`): W̃ uniform with Glorot's bound for the used
    /// part of each block row, √(6/(rows + columns)) with the rows of one block and the columns
    /// of blocks 0…i (row block i sees (i + 1)·u_{ℓ−1}/d inputs); s = log U(0, 1); b uniform on
    /// ±1/√u_ℓ; gate g₀ of ``residual`` (``Residual/initialGate``: 0 for a learned gate, equal
    /// weight on network and identity, where the paper draws it from N(0, 1); 5 when fixed).
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        var theta = [Double](repeating: 0, count: layout.count)
        for l in 1...matrixCount {
            let columns = widths[l - 1]
            for j in 0..<(widths[l] * columns) {
                let bound = (6 / Double(blockRows(l) + columnLimit(l, row: j / columns))).squareRoot()
                theta[weightOffsets[l - 1] + j] = bound * (2 * stream.nextUniform() - 1)
            }
            for r in 0..<widths[l] {
                theta[scaleOffsets[l - 1] + r] = Foundation.log(stream.nextOpenUniform())
                theta[biasOffsets[l - 1] + r] = (2 * stream.nextUniform() - 1) / Double(widths[l]).squareRoot()
            }
        }
        theta[gateOffset] = residual.initialGate
        return theta
    }

    // MARK: - Tape

    /// Offsets of the tape regions for n points.
    struct Regions {
        var weights: [Int] = [], logDiagonal: [Int] = [], norms: [Int] = []
        var pre: [Int] = [], post: [Int] = [], logC: [Int] = [], logE: [Int] = [], adjointA: [Int] = []
        var diagonalAdjoint: [Int] = [], scaled: [Int] = [], shift: [Int] = [], inverseSum: [Int] = []
        var input = 0, lambda = 0, weightGradient = 0, deltaA = 0, deltaB = 0, stash = 0, total = 0
    }

    func regions(count n: Int) -> Regions {
        var r = Regions(), offset = 0
        func take(_ size: Int) -> Int { defer { offset += size }; return offset }
        let maxWidth = widths.max() ?? 1
        var maxMatrix = 1
        for l in 1...matrixCount {
            r.weights.append(take(widths[l] * widths[l - 1]))
            r.logDiagonal.append(take(widths[l] * blockColumns(l)))
            r.norms.append(take(widths[l]))
            r.diagonalAdjoint.append(take(widths[l] * blockColumns(l)))
            r.pre.append(take(widths[l] * n))
            r.post.append(l < matrixCount ? take(widths[l] * n) : -1)
            r.logC.append(take(widths[l] * n))
            r.logE.append(l < matrixCount ? take(widths[l] * n) : -1)
            r.adjointA.append(l < matrixCount ? take(widths[l] * n) : -1)
            // The log-Jacobian product of matrix l > 1 (see ``network``): u = exp(e^{l−1} − m),
            // the shifts m (one per point and block) and 1/S.
            r.scaled.append(l > 1 ? take(widths[l - 1] * n) : -1)
            r.shift.append(l > 1 ? take(dimension * n) : -1)
            r.inverseSum.append(l > 1 ? take(widths[l] * n) : -1)
            maxMatrix = max(maxMatrix, widths[l] * widths[l - 1])
        }
        r.input = take(dimension * n)
        r.lambda = take(dimension * n)
        r.weightGradient = take(maxMatrix)
        r.deltaA = take(maxWidth * n)
        r.deltaB = take(maxWidth * n)
        r.stash = take(maxWidth * n)
        r.total = offset
        return r
    }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int { regions(count: n).total }

    /// tanh a and log sech²(a) = −2(|a| − log 2 + log1p(e^{−2|a|})) (finite for every finite a)
    /// from one exponential: with E = e^{−2|a|} (expm1 near 0), tanh|a| = (1 − E)/(1 + E).
    @inline(__always)
    static func tanhAndLogSech2(_ a: Double) -> (tanh: Double, logSech2: Double) {
        let m = abs(a)
        let em = Foundation.expm1(-2 * m)
        let t = -em / (2 + em)
        return (a < 0 ? -t : t, -2 * (m - 0.6931471805599453 + Foundation.log1p(1 + em)))
    }

    /// The columns row r of matrix l may use: those of the blocks j ≤ i, i = r / rows.
    @inline(__always)
    func columnLimit(_ l: Int, row r: Int) -> Int { (r / blockRows(l) + 1) * blockColumns(l) }

    /// Effective weights, log diagonal-block entries and squared row norms of every matrix.
    func prepareWeights(_ theta: UnsafePointer<Double>, tape: UnsafeMutablePointer<Double>, _ g: Regions) {
        for l in 1...matrixCount {
            let rows = widths[l], columns = widths[l - 1], bc = blockColumns(l)
            let raw = theta + weightOffsets[l - 1], s = theta + scaleOffsets[l - 1]
            let w = tape + g.weights[l - 1], logDiagonal = tape + g.logDiagonal[l - 1], norms = tape + g.norms[l - 1]
            for r in 0..<rows {
                let limit = columnLimit(l, row: r), diagonalStart = limit - bc
                var n2 = 0.0
                for c in 0..<limit {
                    let v = c >= diagonalStart ? Foundation.exp(raw[r * columns + c]) : raw[r * columns + c]
                    w[r * columns + c] = v
                    n2 += v * v
                }
                for c in limit..<columns { w[r * columns + c] = 0 }
                norms[r] = n2
                let factor = Foundation.exp(s[r]) / n2.squareRoot()
                let logNorm = 0.5 * Foundation.log(n2)
                for c in 0..<limit { w[r * columns + c] *= factor }
                for k in 0..<bc { logDiagonal[r * bc + k] = s[r] + raw[r * columns + diagonalStart + k] - logNorm }
            }
        }
    }

    /// The network and its log-diagonal on `n` points already in `tape` at `g.input`
    /// (internal order, feature-major): fills a, h, c, e and λ.
    func network(_ theta: UnsafePointer<Double>, tape: UnsafeMutablePointer<Double>, _ g: Regions, count n: Int) {
        var previous = UnsafePointer(tape + g.input)
        for l in 1...matrixCount {
            let rows = widths[l], columns = widths[l - 1]
            let w = tape + g.weights[l - 1], bias = theta + biasOffsets[l - 1]
            let a = tape + g.pre[l - 1], c = tape + g.logC[l - 1]
            let logDiagonal = tape + g.logDiagonal[l - 1]
            // a = W·h + b, one block row at a time (row block i uses the columns of blocks ≤ i).
            let br = blockRows(l), bc = blockColumns(l)
            for i in 0..<dimension {
                FeatureMajorKernels.multiply(rows: br, inner: (i + 1) * bc, n: n, weights: w + i * br * columns, rowStride: columns,
                                             innerStride: 1, bias: bias + i * br, x: previous, y: a + i * br * n)
            }
            if l == 1 {
                for r in 0..<rows {
                    let cr = c + r * n
                    for p in 0..<n { cr[p] = logDiagonal[r] }
                }
            } else {
                logJacobianProduct(l, tape: tape, g, count: n)
            }
            if l < matrixCount {
                let h = tape + g.post[l - 1], e = tape + g.logE[l - 1]
                for q in 0..<(rows * n) {
                    let (t, logSech2) = Self.tanhAndLogSech2(a[q])
                    h[q] = t
                    e[q] = c[q] + logSech2
                }
                previous = UnsafePointer(h)
            }
        }
        let lambda = tape + g.lambda, cL = tape + g.logC[matrixCount - 1]
        for q in 0..<(dimension * n) { lambda[q] = cL[q] }
    }

    /// c^l_r = logsumexp_k(log W^l_{rk} + e^{l−1}_k) over r's diagonal block, for l > 1, as a
    /// product in linear space: with m = max_k e_k over the block (per point),
    ///
    ///     u_k = exp(e_k − m),   S_r = Σ_k W_{rk}·u_k,   c_r = m + log S_r,
    ///
    /// exact (every term is positive, so nothing cancels) and one exponential per entry of e
    /// instead of one per weight. S_r ≥ W_{r,k*} > 0 for the maximising k*, unless that weight
    /// underflows; such an entry falls back to the log-space sum and its 1/S is stored as NaN
    /// (the backward pass then takes the log-space path for it).
    func logJacobianProduct(_ l: Int, tape: UnsafeMutablePointer<Double>, _ g: Regions, count n: Int) {
        let columns = widths[l - 1], bc = blockColumns(l), br = blockRows(l)
        let w = UnsafePointer(tape + g.weights[l - 1]), logDiagonal = UnsafePointer(tape + g.logDiagonal[l - 1])
        let e = UnsafePointer(tape + g.logE[l - 2]), u = tape + g.scaled[l - 1], shift = tape + g.shift[l - 1]
        let c = tape + g.logC[l - 1], inverse = tape + g.inverseSum[l - 1]
        for i in 0..<dimension {
            let block = i * bc, m = shift + i * n
            for p in 0..<n { m[p] = e[block * n + p] }
            for k in 1..<Swift.max(1, bc) {
                let ek = e + (block + k) * n
                for p in 0..<n { m[p] = Swift.max(m[p], ek[p]) }
            }
            for k in 0..<bc {
                let ek = e + (block + k) * n, uk = u + (block + k) * n
                for p in 0..<n { uk[p] = Foundation.exp(ek[p] - m[p]) }
            }
            FeatureMajorKernels.multiply(rows: br, inner: bc, n: n, weights: w + i * br * columns + block, rowStride: columns,
                                         innerStride: 1, bias: nil, x: u + block * n, y: c + i * br * n)
            for r in (i * br)..<((i + 1) * br) {
                let cr = c + r * n, ir = inverse + r * n
                for p in 0..<n {
                    let total = cr[p]
                    if total > 0, total.isFinite {
                        ir[p] = 1 / total
                        cr[p] = m[p] + Foundation.log(total)
                    } else {
                        var top = -Double.infinity
                        for k in 0..<bc { top = Swift.max(top, logDiagonal[r * bc + k] + e[(block + k) * n + p]) }
                        var sum = 0.0
                        for k in 0..<bc { sum += Foundation.exp(logDiagonal[r * bc + k] + e[(block + k) * n + p] - top) }
                        cr[p] = top + Foundation.log(sum)
                        ir[p] = .nan
                    }
                }
            }
        }
    }

    @inline(__always)
    func internalIndex(_ j: Int) -> Int { reversed ? dimension - 1 - j : j }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        precondition(direction == .density, "bnaf: only the density direction has a recording pass")
        let n = buffers.count, d = dimension
        let g = regions(count: n), tape = buffers.tape
        prepareWeights(theta, tape: tape, g)
        let input = tape + g.input
        for j in 0..<d {
            let i = internalIndex(j)
            for p in 0..<n { input[i * n + p] = buffers.input[p * d + j] }
        }
        network(theta, tape: tape, g, count: n)
        let gate = theta[gateOffset], s = TrainableMath.logistic(gate), rest = TrainableMath.logistic(-gate)
        let spGate = TrainableMath.softplus(gate)
        let f = tape + g.pre[matrixCount - 1], lambda = tape + g.lambda
        for p in 0..<n {
            var logDet = 0.0
            for j in 0..<d {
                let i = internalIndex(j)
                buffers.output[p * d + j] = s * f[i * n + p] + rest * input[i * n + p]
                logDet += TrainableMath.softplus(lambda[i * n + p] + gate) - spGate
            }
            buffers.logAbsDet[p] += logDet
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        precondition(direction == .density, "bnaf: only the density direction has a vector–Jacobian product")
        let n = buffers.count, d = dimension, L = matrixCount
        let g = regions(count: n), tape = buffers.tape
        let gate = theta[gateOffset], s = TrainableMath.logistic(gate), rest = TrainableMath.logistic(-gate)
        let input = tape + g.input, f = tape + g.pre[L - 1], lambda = tape + g.lambda
        var delta = tape + g.deltaA, other = tape + g.deltaB
        for l in 1...L {
            let a = tape + g.diagonalAdjoint[l - 1]
            for q in 0..<(widths[l] * blockColumns(l)) { a[q] = 0 }
        }
        // Gate and the output: δ^L = σ(g)·∂L/∂F; ∂L/∂c^L = γ·σ(λ + g) (into the adjoint of c^L,
        // kept in `other`).
        var gateGradient = 0.0
        for p in 0..<n {
            let gamma = gradient.logAbsDet[p]
            for j in 0..<d {
                let i = internalIndex(j)
                let gy = gradient.output[p * d + j]
                delta[i * n + p] = s * gy
                gateGradient += gy * s * rest * (f[i * n + p] - input[i * n + p])
                let q = TrainableMath.logistic(lambda[i * n + p] + gate)
                gateGradient += gamma * (q - s)
                other[i * n + p] = gamma * q
            }
        }
        gradient.parameters[gateOffset] += gateGradient
        // Log-space backward: adjoints of c^ℓ (in `other`) → of the diagonal entries and of e^{ℓ−1},
        // hence of c^{ℓ−1} and (−2 tanh) of a^{ℓ−1}.
        for l in stride(from: L, through: 1, by: -1) {
            let rows = widths[l], bc = blockColumns(l), br = blockRows(l)
            let logDiagonal = tape + g.logDiagonal[l - 1], diagonalAdjoint = tape + g.diagonalAdjoint[l - 1]
            let adjointC = other
            if l == 1 {
                for r in 0..<rows {
                    var total = 0.0
                    for p in 0..<n { total += adjointC[r * n + p] }
                    diagonalAdjoint[r] += total
                }
                break
            }
            // With P_rk = W_rk·u_k/S_r (``logJacobianProduct``) and q_r = ∂L/∂c_r / S_r:
            // ∂L/∂e_k = u_k·Σ_r W_rk q_r and ∂L/∂log W_rk = W_rk·Σ_p q_r u_k.
            let c = tape + g.logC[l - 1], e = tape + g.logE[l - 2], adjointA = tape + g.adjointA[l - 2]
            let u = tape + g.scaled[l - 1], inverse = tape + g.inverseSum[l - 1]
            let w = tape + g.weights[l - 1], columns = widths[l - 1]
            let previousRows = widths[l - 1]
            var fallback = false
            for q in 0..<(rows * n) where inverse[q].isNaN { fallback = true }
            let stash = tape + g.stash
            if fallback { for q in 0..<(rows * n) { stash[q] = adjointC[q] } }
            // q_r = ∂L/∂c_r / S_r in place (adjointC is not read again; log-space entries: 0).
            for q in 0..<(rows * n) { adjointC[q] = inverse[q].isNaN ? 0 : adjointC[q] * inverse[q] }
            let sums = tape + g.weightGradient
            for i in 0..<d {
                let block = i * bc, diagonal = w + i * br * columns + block
                // ∂L/∂e_k = u_k·Σ_r W_rk q_r over the rows of block i.
                FeatureMajorKernels.multiply(rows: bc, inner: br, n: n, weights: diagonal, rowStride: 1, innerStride: columns,
                                             bias: nil, x: adjointC + i * br * n, y: adjointA + block * n)
                // ∂L/∂log W_rk = W_rk·Σ_p q_r u_k.
                for q in 0..<(br * bc) { sums[q] = 0 }
                FeatureMajorKernels.accumulateOuter(rows: br, columns: bc, n: n, a: adjointC + i * br * n, b: u + block * n,
                                                    gradient: sums, rowStride: bc, mask: nil, rowSums: nil)
                for r in 0..<br {
                    for k in 0..<bc { diagonalAdjoint[(i * br + r) * bc + k] += diagonal[r * columns + k] * sums[r * bc + k] }
                }
            }
            for q in 0..<(previousRows * n) { adjointA[q] *= u[q] }
            if fallback {
                // Entries whose sum underflowed: P_rk = exp(log W_rk + e_k − c_r).
                for r in 0..<rows {
                    let blockStart = (r / br) * bc
                    for p in 0..<n where inverse[r * n + p].isNaN {
                        for k in 0..<bc {
                            let weight = stash[r * n + p] * Foundation.exp(logDiagonal[r * bc + k] + e[(blockStart + k) * n + p] - c[r * n + p])
                            adjointA[(blockStart + k) * n + p] += weight
                            diagonalAdjoint[r * bc + k] += weight
                        }
                    }
                }
            }
            // adjointA now holds ∂L/∂e^{ℓ−1} = ∂L/∂c^{ℓ−1}; move it to `other` for the next round
            // and turn the stored copy into ∂L/∂a^{ℓ−1} = ∂L/∂e·(−2 tanh a).
            let h = tape + g.post[l - 2]
            for q in 0..<(previousRows * n) {
                other[q] = adjointA[q]
                adjointA[q] *= -2 * h[q]
            }
        }
        // Ordinary backward through the layers, with the log-det's ∂L/∂a added.
        for l in stride(from: L, through: 1, by: -1) {
            let columns = widths[l - 1]
            let w = tape + g.weights[l - 1]
            let previous: UnsafePointer<Double> = l == 1 ? UnsafePointer(input) : UnsafePointer(tape + g.post[l - 2])
            let weightGradient = tape + g.weightGradient
            let gb = gradient.parameters + biasOffsets[l - 1]
            let br = blockRows(l), bc = blockColumns(l)
            // G = δ·hᵀ on the used columns of each block row, and the bias gradient Σ_p δ.
            for i in 0..<d {
                let limit = (i + 1) * bc
                for r in (i * br)..<((i + 1) * br) { for k in 0..<limit { weightGradient[r * columns + k] = 0 } }
                FeatureMajorKernels.accumulateOuter(rows: br, columns: limit, n: n, a: delta + i * br * n, b: previous,
                                                    gradient: weightGradient + i * br * columns, rowStride: columns,
                                                    mask: nil, rowSums: gb + i * br)
            }
            weightNormBackward(l, theta: theta, tape: tape, g, weightGradient: UnsafePointer(weightGradient),
                               parameterGradient: gradient.parameters)
            // ∂L/∂h^{ℓ−1} = Wᵀδ (column block j gets the row blocks i ≥ j), then ·sech² + the
            // log-det part (or, for ℓ = 1, ∂L/∂x).
            for j in 0..<d {
                FeatureMajorKernels.multiply(rows: bc, inner: (d - j) * br, n: n, weights: w + j * br * columns + j * bc, rowStride: 1,
                                             innerStride: columns, bias: nil, x: delta + j * br * n, y: other + j * bc * n)
            }
            if l > 1 {
                let h = tape + g.post[l - 2], adjointA = tape + g.adjointA[l - 2]
                for q in 0..<(columns * n) { other[q] = other[q] * (1 - h[q] * h[q]) + adjointA[q] }
            }
            swap(&delta, &other)
        }
        // delta holds ∂L/∂x through the network (internal order); add the residual's (1 − σ)·∂L/∂F.
        for p in 0..<n {
            for j in 0..<d {
                let i = internalIndex(j)
                gradient.input[p * d + j] = delta[i * n + p] + rest * gradient.output[p * d + j]
            }
        }
    }

    /// ∂L/∂(W̃, s) of matrix l from G = ∂L/∂w and the diagonal entries' adjoints A.
    private func weightNormBackward(_ l: Int, theta: UnsafePointer<Double>, tape: UnsafeMutablePointer<Double>, _ g: Regions,
                                    weightGradient G: UnsafePointer<Double>, parameterGradient: UnsafeMutablePointer<Double>) {
        let rows = widths[l], columns = widths[l - 1], bc = blockColumns(l)
        let raw = theta + weightOffsets[l - 1], s = theta + scaleOffsets[l - 1]
        let w = tape + g.weights[l - 1], norms = tape + g.norms[l - 1], A = tape + g.diagonalAdjoint[l - 1]
        let gw = parameterGradient + weightOffsets[l - 1], gs = parameterGradient + scaleOffsets[l - 1]
        for r in 0..<rows {
            let limit = columnLimit(l, row: r), diagonalStart = limit - bc
            let n2 = norms[r], norm = n2.squareRoot(), es = Foundation.exp(s[r])
            var gDotW = 0.0, sumA = 0.0
            for c in 0..<limit { gDotW += G[r * columns + c] * w[r * columns + c] }
            for k in 0..<bc { sumA += A[r * bc + k] }
            gs[r] += gDotW + sumA
            // Gᵀv = (Gᵀw)·‖v‖/e^s; v recomputed from W̃ (exp on the diagonal block).
            let gDotV = gDotW * norm / es
            for c in 0..<limit {
                let v = c >= diagonalStart ? Foundation.exp(raw[r * columns + c]) : raw[r * columns + c]
                let dv = es / norm * (G[r * columns + c] - gDotV * v / n2) - sumA * v / n2
                if c >= diagonalStart {
                    gw[r * columns + c] += dv * v + A[r * bc + (c - diagonalStart)]
                } else {
                    gw[r * columns + c] += dv
                }
            }
        }
    }

    // MARK: - Sampling by root search

    /// Points inverted together: one network evaluation serves every point of a block.
    static let rootBlock = 64

    /// The density direction by the recording pass; the sampling direction by inverting F
    /// coordinate by coordinate (internal order): F_i is continuous and strictly increasing in
    /// x_i (slope σ(g)e^{λ_i} + 1 − σ(g) > 0) and onto ℝ (the residual), so the root of
    /// F_i(x_{<i}, t) = z_i is bracketed by doubling steps from t = z_i and then found by Newton
    /// steps that fall back to bisection whenever they leave the bracket or do not halve
    /// |F − z| (Press et al., Numerical Recipes §9.4, `rtsafe`), to |F − z| ≤ 4ε·max(1, |z|) or
    /// a bracket of relative width 4ε.
    ///
    /// Blocks of up to ``rootBlock`` points run the search in lockstep (``RootSearch``, one state
    /// per point): each round evaluates the network once on the whole block, feature-major, and
    /// advances every unfinished point by one step. A point's arithmetic does not depend on its
    /// block, so its result is the same as when inverted alone.
    public func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                         logAbsDet: inout [Double]) throws(FlowKitError) {
        if direction == .density {
            try recordingEvaluate(direction, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
            return
        }
        try checkEvaluation(parameters: parameters, batch: batch, logAbsDet: logAbsDet)
        let n = batch.count, d = dimension
        if let bad = batch.values.first(where: { !$0.isFinite }) {
            throw .outsideDomain(transform: name, value: "\(bad)", domain: "(−∞, ∞)")
        }
        var tape = [Double](repeating: 0, count: regions(count: Swift.min(n, Self.rootBlock)).total)
        var failure: FlowKitError?
        parameters.withUnsafeBufferPointer { thetaBuffer in
            tape.withUnsafeMutableBufferPointer { tapeBuffer in
                guard let theta = thetaBuffer.baseAddress, let t = tapeBuffer.baseAddress else { return }
                let gate = theta[gateOffset], s = TrainableMath.logistic(gate), rest = TrainableMath.logistic(-gate)
                let spGate = TrainableMath.softplus(gate)
                var start = 0
                while start < n, failure == nil {
                    let m = Swift.min(Self.rootBlock, n - start)
                    let g = regions(count: m)
                    prepareWeights(theta, tape: t, g)
                    let x = t + g.input, f = t + g.pre[matrixCount - 1], lambda = t + g.lambda
                    for q in 0..<(d * m) { x[q] = 0 }
                    for i in 0..<d where failure == nil {
                        var states = (0..<m).map { p in
                            RootSearch(target: batch.values[(start + p) * d + (reversed ? d - 1 - i : i)])
                        }
                        while failure == nil, states.contains(where: { !$0.finished }) {
                            for p in 0..<m { x[i * m + p] = states[p].t }
                            network(theta, tape: t, g, count: m)
                            for p in 0..<m where !states[p].finished {
                                let value = s * f[i * m + p] + rest * x[i * m + p]
                                let slope = s * Foundation.exp(lambda[i * m + p]) + rest
                                if let problem = states[p].advance(value: value, slope: slope) {
                                    failure = .noConvergence(method: problem, detail: "coordinate \(i), z = \(states[p].target)")
                                }
                            }
                        }
                        for p in 0..<m { x[i * m + p] = states[p].t }
                    }
                    guard failure == nil else { return }
                    network(theta, tape: t, g, count: m)
                    for p in 0..<m {
                        var logDet = 0.0
                        for j in 0..<d {
                            let i = internalIndex(j)
                            batch.values[(start + p) * d + j] = x[i * m + p]
                            logDet -= TrainableMath.softplus(lambda[i * m + p] + gate) - spGate
                        }
                        logAbsDet[start + p] += logDet
                    }
                    start += m
                }
            }
        }
        if let failure { throw failure }
    }
}

/// The safeguarded Newton–bisection root search of one coordinate of one point
/// (``TrainableBNAF/evaluate(_:parameters:batch:logAbsDet:)``) as a state machine: the caller
/// evaluates F and ∂F/∂t at ``t`` and passes them to ``advance(value:slope:)``, which moves to
/// the next point to evaluate, until ``finished`` (the root is then ``t``).
struct RootSearch {
    enum Phase { case start, down, up, newton, finished }

    let target: Double
    let tolerance: Double
    /// The point to evaluate next (the root once finished).
    private(set) var t: Double
    private var phase = Phase.start
    private var lo: Double, hi: Double
    private var step = 1.0
    private var previousStep = 0.0
    private var newtonSteps = 0

    init(target z: Double) {
        target = z
        tolerance = 4 * Double.ulpOfOne * Swift.max(1, abs(z))
        t = z
        lo = z
        hi = z
    }

    var finished: Bool { phase == .finished }

    /// Takes F(t) and ∂F/∂t; returns the name of the failed method if the search fails.
    mutating func advance(value: Double, slope: Double) -> String? {
        let z = target
        switch phase {
        case .start:
            if value == z { phase = .finished; return nil }
            if value > z {
                // Bracket downwards: lo = z − 1, z − 2, z − 4, … until F(lo) ≤ z (hi stays at z).
                hi = t
                phase = .down
                lo = hi - step
                step *= 2
                t = lo
            } else {
                // Upwards: hi = lo + 1, + 2, … with lo following until F(hi) ≥ z.
                lo = t
                phase = .up
                hi = lo + step
                step *= 2
                t = hi
            }
            return nil
        case .down:
            if value <= z { return startNewton() }
            if !lo.isFinite || step > 1e300 { return "bnaf inverse bracket" }
            lo = hi - step
            step *= 2
            t = lo
            return nil
        case .up:
            if value >= z { return startNewton() }
            lo = hi
            if !hi.isFinite || step > 1e300 { return "bnaf inverse bracket" }
            hi = lo + step
            step *= 2
            t = hi
            return nil
        case .newton:
            let residual = value - z
            if abs(residual) <= tolerance { phase = .finished; return nil }
            if residual < 0 { lo = t } else { hi = t }
            if hi - lo <= 4 * Double.ulpOfOne * Swift.max(1, abs(t)) { phase = .finished; return nil }
            newtonSteps += 1
            if newtonSteps > 300 { return "bnaf inverse (Newton–bisection)" }
            var next = t - residual / slope
            if !(next > lo && next < hi) || abs(next - t) > 0.5 * previousStep {
                next = 0.5 * (lo + hi)
            }
            previousStep = abs(next - t)
            t = next
            return nil
        case .finished:
            return nil
        }
    }

    /// The bracket [lo, hi] is found: evaluate its midpoint next.
    private mutating func startNewton() -> String? {
        phase = .newton
        t = 0.5 * (lo + hi)
        previousStep = hi - lo
        return nil
    }
}
