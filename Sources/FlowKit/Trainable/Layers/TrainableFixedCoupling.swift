import Foundation

/// A fixed RealNVP affine coupling of the transform catalog (`coupling` with its `mask`,
/// `conditioner` and optional `scale`: ``AffineCouplingTransform``, Dinh et al. 2017, eq. 6–7)
/// as a trainable layer without parameters, so that a spec can put a given coupling before,
/// between or after fitted layers. With the kept coordinates x_a, the transformed x_b and the
/// conditioner's raw outputs (ŝ, t) = m(x_a), s = c·tanh(ŝ) when `scale` c is given, else ŝ:
///
///     sampling: y_b = x_b ⊙ eˢ + t,          log|det| = Σⱼ sⱼ
///     density:  x_b = (y_b − t) ⊙ e^{−s},    log|det| = −Σⱼ sⱼ
///
/// The vector–Jacobian product (g = ∂L/∂output, γ = ∂L/∂log|det|) is that of the trainable
/// coupling: ∂L/∂x_b = g_b ⊙ e^{±s}, ∂L/∂t = g_b (sampling) or −g_b ⊙ e^{−s} (density),
/// ∂L/∂s = g_b ⊙ x_b ⊙ eˢ + γ (sampling) or −g_b ⊙ x_b − γ (density, x_b the output), then
/// ∂L/∂ŝ = ∂L/∂s·ds/dŝ and the conditioner's backward pass adds its ∂L/∂x_a to g_a. The
/// conditioner runs as a ``TrainableMLP`` on the catalog's weights, which stay fixed (their
/// gradient lands in the tape and is dropped).
///
/// Tape (n points, k kept, m transformed): x_a (k·n), the MLP tape, s and ds/dŝ (2·m·n),
/// ∂L/∂x_a (k·n), and the conditioner's dropped parameter gradient.
public struct TrainableFixedCoupling: TrainableLayer {
    public let name = "coupling"
    public let split: CouplingSplit
    public let conditioner: TrainableMLP
    /// The conditioner's weights in ``TrainableMLP``'s layout (per layer: weights row-major, bias).
    let weights: [Double]
    /// The bound c of s = c·tanh(ŝ), or nil for s = ŝ.
    public let scale: Double?
    public let layout = ParameterLayout.Builder().layout

    public init(_ coupling: AffineCouplingTransform) {
        let parameters = coupling.parameters
        split = CouplingSplit(mask: parameters.mask)
        let layers = parameters.conditioner.layers
        let widths = [split.kept.count] + layers.map(\.bias.count)
        conditioner = TrainableMLP(widths: widths, activation: parameters.conditioner.activation == .relu ? .relu : .tanh,
                                   zeroLastLayer: false)
        weights = layers.flatMap { $0.weights.flatMap { $0 } + $0.bias }
        scale = coupling.scale
    }

    public var dimension: Int { split.dimension }
    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .density }

    public func initialParameters(using stream: inout RandomStream) -> [Double] { [] }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int {
        2 * split.kept.count * n + conditioner.tapeCount(count: n) + 2 * split.transformed.count * n + conditioner.parameterCount
    }

    private func regions(_ tape: UnsafeMutablePointer<Double>, _ n: Int)
        -> (kept: UnsafeMutablePointer<Double>, mlp: UnsafeMutablePointer<Double>, logScale: UnsafeMutablePointer<Double>,
            slope: UnsafeMutablePointer<Double>, keptGradient: UnsafeMutablePointer<Double>, dropped: UnsafeMutablePointer<Double>) {
        let k = split.kept.count, m = split.transformed.count
        let mlp = tape + k * n
        let logScale = mlp + conditioner.tapeCount(count: n)
        let keptGradient = logScale + 2 * m * n
        return (tape, mlp, logScale, logScale + m * n, keptGradient, keptGradient + k * n)
    }

    public func pass(_ direction: TrainableDirection, parameters _: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let n = buffers.count, d = dimension, m = split.transformed.count
        let r = regions(buffers.tape, n)
        split.gatherKept(buffers.input, count: n, into: r.kept)
        weights.withUnsafeBufferPointer { w in
            guard let theta = w.baseAddress else { return }
            let out = conditioner.forward(parameters: theta, input: r.kept, count: n, tape: r.mlp)
            let x = buffers.input, y = buffers.output
            for j in split.kept { for p in 0..<n { y[p * d + j] = x[p * d + j] } }
            let sign: Double = direction == .sampling ? 1 : -1
            for (jj, j) in split.transformed.enumerated() {
                let raw = out + jj * n, shift = out + (m + jj) * n
                let logScale = r.logScale + jj * n, slope = r.slope + jj * n
                for p in 0..<n {
                    var s = raw[p]
                    slope[p] = 1
                    if let c = scale {
                        let t = tanh(raw[p])
                        s = c * t
                        slope[p] = c * (1 - t * t)
                    }
                    logScale[p] = s
                    if direction == .sampling {
                        y[p * d + j] = x[p * d + j] * exp(s) + shift[p]
                    } else {
                        y[p * d + j] = (x[p * d + j] - shift[p]) * exp(-s)
                    }
                    buffers.logAbsDet[p] += sign * s
                }
            }
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters _: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let n = buffers.count, d = dimension, m = split.transformed.count
        let r = regions(buffers.tape, n)
        let outGradient = conditioner.outputGradient(tape: r.mlp, count: n)
        let x = buffers.input, y = buffers.output
        let g = gradient.output, gx = gradient.input
        for (jj, j) in split.transformed.enumerated() {
            let logScale = r.logScale + jj * n, slope = r.slope + jj * n
            let gRaw = outGradient + jj * n, gShift = outGradient + (m + jj) * n
            for p in 0..<n {
                let gb = g[p * d + j], gamma = gradient.logAbsDet[p]
                let gs: Double
                if direction == .sampling {
                    let e = exp(logScale[p])
                    gx[p * d + j] = gb * e
                    gShift[p] = gb
                    gs = gb * x[p * d + j] * e + gamma
                } else {
                    let e = exp(-logScale[p])
                    gx[p * d + j] = gb * e
                    gShift[p] = -gb * e
                    gs = -gb * y[p * d + j] - gamma
                }
                gRaw[p] = gs * slope[p]
            }
        }
        for q in 0..<conditioner.parameterCount { r.dropped[q] = 0 }
        weights.withUnsafeBufferPointer { w in
            guard let theta = w.baseAddress else { return }
            conditioner.backward(parameters: theta, input: r.kept, count: n, tape: r.mlp, inputGradient: r.keptGradient,
                                 parameterGradient: r.dropped)
        }
        for (kk, j) in split.kept.enumerated() {
            let row = r.keptGradient + kk * n
            for p in 0..<n { gx[p * d + j] = g[p * d + j] + row[p] }
        }
    }
}

extension AffineCouplingTransform: FixedTrainableMap {
    public func trainableLayer(dimension: Int) -> any TrainableLayer { TrainableFixedCoupling(self) }
}
