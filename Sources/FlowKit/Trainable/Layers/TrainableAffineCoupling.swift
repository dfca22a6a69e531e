import Foundation

/// The affine coupling layer [`coupling`] of RealNVP (Dinh et al. 2017; flows.md §5) with an
/// MLP conditioner, both directions cheap. With the kept coordinates x_a and the transformed
/// x_b (``CouplingSplit``, alternating with `parity`), the conditioner gives raw log-scales ŝ
/// and shifts t from x_a, and the log-scales are bounded, s = c·tanh(ŝ):
///
///     sampling: y_a = x_a,  y_b = x_b ⊙ eˢ + t,          log|det| = Σⱼ sⱼ
///     density:  x_a = y_a,  x_b = (y_b − t) ⊙ e^{−s},    log|det| = −Σⱼ sⱼ
///
/// Parameters: the conditioner's blocks `conditioner.layers[k].weights/bias` (``TrainableMLP``,
/// outputs: ŝ then t in increasing index order of the transformed coordinates, as
/// ``AffineCouplingParameters``). The last layer starts at zero (the identity).
///
/// Backward (sampling; g = ∂L/∂y, γ = ∂L/∂log|det|): ∂L/∂x_b = g_b ⊙ eˢ, ∂L/∂t = g_b,
/// ∂L/∂s = g_b ⊙ x_b ⊙ eˢ + γ; (density) ∂L/∂y_b = g_b ⊙ e^{−s}, ∂L/∂t = −g_b ⊙ e^{−s},
/// ∂L/∂s = −g_b ⊙ x_b − γ; then ∂L/∂ŝ = c(1 − tanh²ŝ)·∂L/∂s and the conditioner's backward
/// pass adds its ∂L/∂x_a to g_a.
///
/// Tape (n points, k kept, m transformed): x_a (k·n), the MLP tape, tanh ŝ (m·n), ∂L/∂x_a (k·n).
public struct TrainableAffineCoupling: TrainableLayer {
    public let name = "coupling"
    public let split: CouplingSplit
    public let conditioner: TrainableMLP
    /// The bound c of s = c·tanh(ŝ).
    public let scaleBound: Double
    public let layout: ParameterLayout

    public init(dimension: Int, parity: Int, hidden: [Int], activation: MLPActivation = .tanh, scaleBound: Double = 2) {
        split = CouplingSplit(dimension: dimension, parity: parity)
        conditioner = TrainableMLP(widths: [split.kept.count] + hidden + [2 * split.transformed.count],
                                   activation: activation, zeroLastLayer: true)
        self.scaleBound = scaleBound
        var builder = ParameterLayout.Builder()
        conditioner.addBlocks(to: &builder, prefix: "conditioner")
        layout = builder.layout
    }

    public var dimension: Int { split.dimension }
    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .density }

    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        conditioner.initialParameters(using: &stream)
    }

    /// The spec parameters (mask, conditioner, scale).
    public func parameters(from values: [Double]) -> AffineCouplingParameters {
        let mlp = values.withUnsafeBufferPointer { conditioner.parameters(from: $0.baseAddress!) }
        return AffineCouplingParameters(mask: split.mask, conditioner: mlp, scale: scaleBound)
    }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int {
        2 * split.kept.count * n + conditioner.tapeCount(count: n) + split.transformed.count * n
    }

    private func regions(_ tape: UnsafeMutablePointer<Double>, _ n: Int)
        -> (kept: UnsafeMutablePointer<Double>, mlp: UnsafeMutablePointer<Double>, tanh: UnsafeMutablePointer<Double>,
            keptGradient: UnsafeMutablePointer<Double>) {
        let k = split.kept.count, m = split.transformed.count
        let mlp = tape + k * n
        let tanh = mlp + conditioner.tapeCount(count: n)
        return (tape, mlp, tanh, tanh + m * n)
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let n = buffers.count, d = dimension, m = split.transformed.count, c = scaleBound
        let r = regions(buffers.tape, n)
        split.gatherKept(buffers.input, count: n, into: r.kept)
        let out = conditioner.forward(parameters: theta, input: r.kept, count: n, tape: r.mlp)
        let x = buffers.input, y = buffers.output
        for j in split.kept { for p in 0..<n { y[p * d + j] = x[p * d + j] } }
        let sign: Double = direction == .sampling ? 1 : -1
        for (jj, j) in split.transformed.enumerated() {
            let raw = out + jj * n, shift = out + (m + jj) * n, th = r.tanh + jj * n
            for p in 0..<n {
                let t = TrainableMath.tanhAndSech2(raw[p]).tanh
                th[p] = t
                let s = c * t
                if direction == .sampling {
                    y[p * d + j] = x[p * d + j] * exp(s) + shift[p]
                } else {
                    y[p * d + j] = (x[p * d + j] - shift[p]) * exp(-s)
                }
                buffers.logAbsDet[p] += sign * s
            }
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let n = buffers.count, d = dimension, m = split.transformed.count, c = scaleBound
        let r = regions(buffers.tape, n)
        let outGradient = conditioner.outputGradient(tape: r.mlp, count: n)
        let x = buffers.input, y = buffers.output
        let g = gradient.output, gx = gradient.input
        for (jj, j) in split.transformed.enumerated() {
            let th = r.tanh + jj * n
            let gRaw = outGradient + jj * n, gShift = outGradient + (m + jj) * n
            for p in 0..<n {
                let t = th[p], gb = g[p * d + j], gamma = gradient.logAbsDet[p]
                let gs: Double
                if direction == .sampling {
                    let e = exp(c * t)
                    gx[p * d + j] = gb * e
                    gShift[p] = gb
                    gs = gb * x[p * d + j] * e + gamma
                } else {
                    let e = exp(-c * t)
                    gx[p * d + j] = gb * e
                    gShift[p] = -gb * e
                    gs = -gb * y[p * d + j] - gamma
                }
                gRaw[p] = gs * c * (1 - t * t)
            }
        }
        conditioner.backward(parameters: theta, input: r.kept, count: n, tape: r.mlp, inputGradient: r.keptGradient,
                             parameterGradient: gradient.parameters)
        for (kk, j) in split.kept.enumerated() {
            let row = r.keptGradient + kk * n
            for p in 0..<n { gx[p * d + j] = g[p * d + j] + row[p] }
        }
    }
}
