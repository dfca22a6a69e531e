/// The additive coupling layer [`additive_coupling`] of NICE (Dinh et al. 2015; flows.md §5):
/// volume preserving, both directions cheap. With the kept x_a and transformed x_b
/// (``CouplingSplit``, alternating with `parity`) and an MLP m from x_a to the shifts of x_b:
///
///     sampling: y_b = x_b + m(x_a),   density: x_b = y_b − m(y_a),   log|det| = 0.
///
/// Parameters: the conditioner's blocks `conditioner.layers[k].weights/bias`; the last layer
/// starts at zero (the identity). Backward: ∂L/∂x_b = g_b, ∂L/∂m = ±g_b, and the conditioner's
/// ∂L/∂x_a is added to g_a. Tape: x_a (k·n), the MLP tape, ∂L/∂x_a (k·n).
public struct TrainableAdditiveCoupling: TrainableLayer {
    public let name = "additive_coupling"
    public let split: CouplingSplit
    public let conditioner: TrainableMLP
    public let layout: ParameterLayout

    public init(dimension: Int, parity: Int, hidden: [Int], activation: MLPActivation = .tanh) {
        split = CouplingSplit(dimension: dimension, parity: parity)
        conditioner = TrainableMLP(widths: [split.kept.count] + hidden + [split.transformed.count],
                                   activation: activation, zeroLastLayer: true)
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

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int {
        2 * split.kept.count * n + conditioner.tapeCount(count: n)
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let n = buffers.count, d = dimension
        let kept = buffers.tape, mlpTape = kept + split.kept.count * n
        split.gatherKept(buffers.input, count: n, into: kept)
        let out = conditioner.forward(parameters: theta, input: kept, count: n, tape: mlpTape)
        let x = buffers.input, y = buffers.output
        for j in split.kept { for p in 0..<n { y[p * d + j] = x[p * d + j] } }
        let sign: Double = direction == .sampling ? 1 : -1
        for (jj, j) in split.transformed.enumerated() {
            let shift = out + jj * n
            for p in 0..<n { y[p * d + j] = x[p * d + j] + sign * shift[p] }
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let n = buffers.count, d = dimension
        let kept = buffers.tape, mlpTape = kept + split.kept.count * n
        let keptGradient = mlpTape + conditioner.tapeCount(count: n)
        let outGradient = conditioner.outputGradient(tape: mlpTape, count: n)
        let g = gradient.output, gx = gradient.input
        let sign: Double = direction == .sampling ? 1 : -1
        for (jj, j) in split.transformed.enumerated() {
            let row = outGradient + jj * n
            for p in 0..<n {
                gx[p * d + j] = g[p * d + j]
                row[p] = sign * g[p * d + j]
            }
        }
        conditioner.backward(parameters: theta, input: kept, count: n, tape: mlpTape, inputGradient: keptGradient,
                             parameterGradient: gradient.parameters)
        for (kk, j) in split.kept.enumerated() {
            let row = keptGradient + kk * n
            for p in 0..<n { gx[p * d + j] = g[p * d + j] + row[p] }
        }
    }
}
