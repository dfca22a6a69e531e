import Foundation

/// The rational-quadratic spline coupling [`spline_coupling`] (Durkan, Bekasov, Murray &
/// Papamakarios 2019, "Neural Spline Flows", §3; the coupling of Dinh et al. 2017) as a
/// trainable layer, both directions closed form.
///
/// The coordinates split into a kept part x_A and a transformed part x_B by ``CouplingSplit``
/// (`parity` 0 keeps the first ⌊d/2⌋, parity 1 the others, so that stacked layers alternate). A conditioner MLP
/// `hidden` maps x_A to 3K − 1 raw values per transformed coordinate (K = `bins`): θʷ (K),
/// θʰ (K), θᵈ (K − 1), from which, on [−B, B] (B = `bound`), with minimum bin size m = 1e-3
/// and minimum derivative δ = 1e-3 (nflows' defaults),
///
///     w_k = 2B·(m + (1 − Km)·softmax(θʷ)_k),   x_0 = −B,  x_k = −B + Σ_{j<k} w_j
///     h_k = 2B·(m + (1 − Km)·softmax(θʰ)_k),   y_0 = −B,  y_k likewise
///     d_k = δ + softplus(θᵈ_k + c), k = 1 … K − 1,  c = log(e^{1−δ} − 1) (so θ = 0 gives 1)
///     d_0 = d_K = 1                                       (linear tails: identity outside)
///
/// and each transformed coordinate goes through the monotone RQ spline S with these knots
/// (``RationalQuadraticBin``) inside [−B, B) and through the identity outside. The
/// conditioner's last layer starts at zero, so the layer starts as the identity (uniform
/// bins, unit derivatives). As in nflows and zuko, the *density* direction (data → base)
/// applies S (eq. 4) and the sampling direction its inverse (the quadratic root, appendix A);
/// both cost one conditioner call, and both are trainable:
///
///     density,  z = S(x):   ∂L/∂x = g·S′ + γ·L_x,        ∂L/∂θ = g·S_θ + γ·L_θ
///     sampling, x = S⁻¹(y): G = (g − γ·L_x)/S′,  ∂L/∂y = G,  ∂L/∂θ = −G·S_θ − γ·L_θ
///
/// with g = ∂L/∂output, γ = ∂L/∂log|det|, L = log S′ (the sampling log-det is −L at the
/// preimage) and θ the six bin quantities; from there through the cumulative sums and the
/// softmax (∂/∂θ_i = 2B(1 − Km)·u_i·(g_i − Σ_j u_j g_j), u = softmax θ), the softplus, the
/// MLP, and into x_A.
///
/// Tape (n points, d_A kept, d_B transformed, P = 3K − 1): the conditioner input (d_A × n,
/// feature-major), the MLP tape, the conditioner's input gradient (d_A × n), and the knots of
/// every point and transformed coordinate (6K + 2 doubles each: built once in the pass, read
/// by the vector–Jacobian product; of the knot derivatives only the two of the point's bin
/// are filled).
public struct TrainableSplineCoupling: TrainableLayer {
    public let name = "spline_coupling"
    public let dimension: Int
    public let bins: Int
    public let bound: Double
    public let parity: Int
    public let conditioner: TrainableMLP
    public let layout: ParameterLayout
    /// Indices of the kept and the transformed coordinates.
    public let kept: [Int]
    public let transformed: [Int]

    public static let minimumBinSize = 1e-3
    public static let minimumDerivative = 1e-3
    /// c = log(e^{1−δ} − 1): softplus(c) + δ = 1.
    static let derivativeShift = Foundation.log(Foundation.expm1(1 - minimumDerivative))

    public init(dimension: Int, parity: Int = 0, hidden: [Int] = [64, 64], bins: Int = 8, bound: Double = 3,
                activation: MLPActivation = .relu) {
        precondition(dimension >= 2, "a coupling needs at least two coordinates")
        precondition(bins >= 1 && bound > 0 && bound.isFinite, "spline_coupling: bins ≥ 1 and a finite bound > 0")
        self.dimension = dimension
        self.bins = bins
        self.bound = bound
        self.parity = parity
        let split = CouplingSplit(dimension: dimension, parity: parity)
        kept = split.kept
        transformed = split.transformed
        conditioner = TrainableMLP(widths: [kept.count] + hidden + [transformed.count * (3 * bins - 1)],
                                   activation: activation, zeroLastLayer: true)
        var builder = ParameterLayout.Builder()
        conditioner.addBlocks(to: &builder, prefix: "conditioner")
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.density, .sampling] }
    public var cheapDirection: TrainableDirection { .density }

    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        var theta = [Double](repeating: 0, count: layout.count)
        theta.withUnsafeMutableBufferPointer { conditioner.initialize($0.baseAddress!, using: &stream) }
        return theta
    }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int {
        2 * kept.count * n + conditioner.tapeCount(count: n) + n * transformed.count * knotStride
    }

    /// Doubles of knot data per point and transformed coordinate (see ``buildKnots``).
    private var knotStride: Int { 6 * bins + 2 }

    // MARK: - Tape regions

    private func regions(_ tape: UnsafeMutablePointer<Double>, count n: Int)
        -> (input: UnsafeMutablePointer<Double>, mlp: UnsafeMutablePointer<Double>,
            inputGradient: UnsafeMutablePointer<Double>, knots: UnsafeMutablePointer<Double>) {
        let a = kept.count * n
        let mlp = tape + a
        let inputGradient = mlp + conditioner.tapeCount(count: n)
        return (tape, mlp, inputGradient, inputGradient + a)
    }

    // MARK: - Knots

    /// Fills the widths and heights of the knot records of `count` points (at most four) from
    /// the conditioner output of transformed coordinate `t` (raw values `raw[m·n + p]`): for
    /// each point x_0…x_K, y_0…y_K, softmax(θʷ), softmax(θʰ). The softmax runs on four points
    /// at once (max, eᶻ by ``VectorExponential/exp(_:)``, the sum in increasing k, each lane
    /// exactly the scalar formula); the knot derivatives are left to ``fillDerivatives``,
    /// which needs only the two of the point's bin.
    @inline(__always)
    private func fillWidthsAndHeights(raw: UnsafePointer<Double>, n: Int, firstPoint p: Int, count lanes: Int,
                                      records: (Int) -> UnsafeMutablePointer<Double>) {
        typealias V = SIMD4<Double>
        let kk = bins
        let scale = 2 * bound * (1 - Double(kk) * Self.minimumBinSize)
        let floor = 2 * bound * Self.minimumBinSize
        @inline(__always) func value(_ m: Int) -> V {
            let row = raw + m * n + p
            if lanes == 4 { return UnsafeRawPointer(row).loadUnaligned(as: V.self) }
            var v = V(repeating: 0)
            for l in 0..<lanes { v[l] = row[l] }
            return v
        }
        for half in 0..<2 {
            let offset = half * kk
            let knotsOffset = half == 0 ? 0 : kk + 1, uOffset = 3 * (kk + 1) + half * kk
            var m = V(repeating: -.infinity)
            for j in 0..<kk { m = pointwiseMax(m, value(offset + j)) }
            var total = V(repeating: 0)
            for j in 0..<kk {
                let e = VectorExponential.exp(value(offset + j) - m)
                for l in 0..<lanes { records(l)[uOffset + j] = e[l] }
                total += e
            }
            for l in 0..<lanes {
                let k = records(l), u = k + uOffset, knots = k + knotsOffset
                let sum = total[l]
                knots[0] = -bound
                var position = -bound
                for j in 0..<kk {
                    u[j] /= sum
                    position += floor + scale * u[j]
                    knots[j + 1] = position
                }
                knots[kk] = bound
            }
        }
    }

    /// The knot derivatives d_j (and σ(θᵈ_j + c), their softplus derivative, for the
    /// vector–Jacobian product) of the bin `b` of one point: d_b and d_{b+1}, the only two the
    /// bin's rational quadratic reads (d_0 = d_K = 1).
    @inline(__always)
    private func fillDerivatives(bin b: Int, raw: UnsafePointer<Double>, stride: Int, into k: UnsafeMutablePointer<Double>) {
        let kk = bins
        let ds = k + 2 * (kk + 1), sig = k + 3 * (kk + 1) + 2 * kk
        for j in b...(b + 1) {
            if j == 0 || j == kk {
                ds[j] = 1
                continue
            }
            let v = raw[(2 * kk + j - 1) * stride] + Self.derivativeShift
            let (softplus, logistic) = TrainableMath.softplusAndLogistic(v)
            ds[j] = Self.minimumDerivative + softplus
            sig[j - 1] = logistic
        }
    }

    /// The bin of `v` among `knots[0…K]` (knots[0] ≤ v < knots[K]).
    @inline(__always)
    private func bin(of v: Double, in knots: UnsafePointer<Double>) -> Int {
        var low = 0, high = bins
        while high - low > 1 {
            let middle = (low + high) / 2
            if knots[middle] <= v { low = middle } else { high = middle }
        }
        return low
    }

    @inline(__always)
    private func rqBin(_ b: Int, knots k: UnsafePointer<Double>) -> RationalQuadraticBin {
        let xs = k, ys = k + (bins + 1), ds = k + 2 * (bins + 1)
        return RationalQuadraticBin(x0: xs[b], width: xs[b + 1] - xs[b], y0: ys[b], height: ys[b + 1] - ys[b],
                                    d0: ds[b], d1: ds[b + 1])
    }

    // MARK: - Passes

    /// Gathers x_A (feature-major) and runs the conditioner; returns its output (P·d_B × n).
    private func condition(parameters theta: UnsafePointer<Double>, points: UnsafePointer<Double>, count n: Int,
                           tape: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        let r = regions(tape, count: n)
        let d = dimension
        for (i, j) in kept.enumerated() {
            for p in 0..<n { r.input[i * n + p] = points[p * d + j] }
        }
        return conditioner.forward(parameters: theta, input: r.input, count: n, tape: r.mlp)
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let n = buffers.count, d = dimension, perCoordinate = 3 * bins - 1
        let raw = condition(parameters: theta, points: buffers.input, count: n, tape: buffers.tape)
        let knotBase = regions(buffers.tape, count: n).knots
        let coordinates = transformed.count, stride = knotStride
        for t in 0..<coordinates {
            var p = 0
            while p < n {
                let lanes = Swift.min(4, n - p)
                fillWidthsAndHeights(raw: raw + (t * perCoordinate) * n, n: n, firstPoint: p, count: lanes) { l in
                    knotBase + ((p + l) * coordinates + t) * stride
                }
                p += 4
            }
        }
        for p in 0..<n {
            for j in kept { buffers.output[p * d + j] = buffers.input[p * d + j] }
            var logDet = 0.0
            for (t, j) in transformed.enumerated() {
                let v = buffers.input[p * d + j]
                guard v >= -bound, v < bound else {
                    buffers.output[p * d + j] = v
                    continue
                }
                let knots = knotBase + (p * coordinates + t) * stride
                let rawPoint = raw + (t * perCoordinate) * n + p
                if direction == .density {
                    let index = bin(of: v, in: knots)
                    fillDerivatives(bin: index, raw: rawPoint, stride: n, into: knots)
                    let (y, l) = rqBin(index, knots: knots).forward(v)
                    buffers.output[p * d + j] = y
                    logDet += l
                } else {
                    let index = bin(of: v, in: knots + (bins + 1))
                    fillDerivatives(bin: index, raw: rawPoint, stride: n, into: knots)
                    let b = rqBin(index, knots: knots)
                    let xi = b.inverseXi(v)
                    buffers.output[p * d + j] = b.x0 + xi * b.width
                    logDet -= b.forward(xi: xi).logDerivative
                }
            }
            buffers.logAbsDet[p] += logDet
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let n = buffers.count, d = dimension, kk = bins, perCoordinate = 3 * bins - 1
        let r = regions(buffers.tape, count: n)
        let rawGradient = conditioner.outputGradient(tape: r.mlp, count: n)
        let scale = 2 * bound * (1 - Double(kk) * Self.minimumBinSize)
        for p in 0..<n {
            let gamma = gradient.logAbsDet[p]
            for j in kept { gradient.input[p * d + j] = gradient.output[p * d + j] }
            for (t, j) in transformed.enumerated() {
                let base = (t * perCoordinate) * n + p
                for m in 0..<perCoordinate { rawGradient[base + m * n] = 0 }
                let v = buffers.input[p * d + j], g = gradient.output[p * d + j]
                guard v >= -bound, v < bound else {
                    gradient.input[p * d + j] = g
                    continue
                }
                let knots = r.knots + (p * transformed.count + t) * knotStride
                let uw = knots + 3 * (kk + 1), uh = uw + kk, sig = uh + kk
                let binIndex: Int, bin: RationalQuadraticBin
                var gBin = RationalQuadraticBin.Gradient()
                if direction == .density {
                    binIndex = self.bin(of: v, in: knots)
                    bin = rqBin(binIndex, knots: knots)
                    let (_, _, dy, dl) = bin.partials(at: v)
                    gradient.input[p * d + j] = g * dy.x + gamma * dl.x
                    gBin = Self.combine(dy, g, dl, gamma)
                } else {
                    binIndex = self.bin(of: v, in: knots + (kk + 1))
                    bin = rqBin(binIndex, knots: knots)
                    let x = bin.x0 + bin.inverseXi(v) * bin.width
                    let (_, _, dy, dl) = bin.partials(at: x)
                    let big = (g - gamma * dl.x) / dy.x
                    gradient.input[p * d + j] = big
                    gBin = Self.combine(dy, -big, dl, -gamma)
                }
                // Widths and heights: w_j gets ∂/∂x_0 for j < k and ∂/∂w for j = k; softmax.
                for half in 0..<2 {
                    let offset = half * kk, u = half == 0 ? uw : uh
                    let gStart = half == 0 ? gBin.x0 : gBin.y0, gSize = half == 0 ? gBin.width : gBin.height
                    var dot = 0.0
                    for m in 0..<kk {
                        let gm = m < binIndex ? gStart : (m == binIndex ? gSize : 0)
                        dot += u[m] * gm
                    }
                    for m in 0..<kk {
                        let gm = m < binIndex ? gStart : (m == binIndex ? gSize : 0)
                        rawGradient[base + (offset + m) * n] = scale * u[m] * (gm - dot)
                    }
                }
                if binIndex >= 1 { rawGradient[base + (2 * kk + binIndex - 1) * n] += gBin.d0 * sig[binIndex - 1] }
                if binIndex + 1 <= kk - 1 { rawGradient[base + (2 * kk + binIndex) * n] += gBin.d1 * sig[binIndex] }
            }
        }
        conditioner.backward(parameters: theta, input: r.input, count: n, tape: r.mlp, inputGradient: r.inputGradient,
                             parameterGradient: gradient.parameters)
        for (i, j) in kept.enumerated() {
            for p in 0..<n { gradient.input[p * d + j] += r.inputGradient[i * n + p] }
        }
    }

    /// a·∂S/∂θ + b·∂L/∂θ over the six bin quantities.
    @inline(__always)
    private static func combine(_ dy: RationalQuadraticBin.Gradient, _ a: Double,
                                _ dl: RationalQuadraticBin.Gradient, _ b: Double) -> RationalQuadraticBin.Gradient {
        var g = RationalQuadraticBin.Gradient()
        g.x0 = a * dy.x0 + b * dl.x0
        g.width = a * dy.width + b * dl.width
        g.y0 = a * dy.y0 + b * dl.y0
        g.height = a * dy.height + b * dl.height
        g.d0 = a * dy.d0 + b * dl.d0
        g.d1 = a * dy.d1 + b * dl.d1
        return g
    }
}
