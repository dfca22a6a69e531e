import Foundation

/// The masked autoregressive affine flow [`maf`] (Papamakarios, Pavlakou & Murray 2017, "Masked
/// Autoregressive Flow for Density Estimation", §3) with a MADE conditioner (Germain, Gregor,
/// Murray & Larochelle 2015, §4), as a trainable layer.
///
/// In the order given by the input degrees m(j) = j + 1 (or d − j with `reversed`, so that
/// stacked layers alternate), the generative map and its inverse are
///
///     x_i = z_i·exp(α_i) + μ_i                    (sampling: coordinate by coordinate)
///     z_i = (x_i − μ_i)·exp(−α_i),  log|det ∂f⁻¹/∂x| = −Σ_i α_i     (density: one pass)
///
/// where (μ_i, α̃_i) are outputs of one masked MLP of x whose output i depends only on the
/// coordinates of lower degree, and α_i = c·tanh(α̃_i / c), c = ``logScaleBound`` = 3 (a
/// bounded log-scale: any parameters give a finite, invertible map; slope 1 at 0). MADE's
/// masks: hidden unit k of every hidden layer has degree 1 + (k mod max(1, d − 1)); a weight
/// into a hidden unit of degree m′ from a unit of degree m is kept when m′ ≥ m, a weight into
/// output i (μ_i at row i, α̃_i at row d + i, degree m(i)) when m(i) > m. The last layer starts
/// at zero, so the layer starts as the identity.
///
/// Only the density direction is trainable (the sampling direction is d sequential
/// conditioner calls; ``evaluate(_:parameters:batch:logAbsDet:)`` runs it). Backward, with
/// g = ∂L/∂z and γ = ∂L/∂log|det|:
///
///     ∂L/∂μ_i = −g_i e^{−α_i},  ∂L/∂α_i = −g_i z_i − γ,  ∂L/∂α̃_i = ∂L/∂α_i·sech²(α̃_i/c),
///     ∂L/∂x_i = g_i e^{−α_i} + (the conditioner's input gradient)_i.
///
/// Tape (n points): x (d × n, feature-major), the MLP tape, the conditioner's input gradient
/// (d × n), the raw log-scales α̃ (d × n, kept by the pass for the vector–Jacobian product).
public struct TrainableMAF: TrainableLayer {
    public let name = "maf"
    public let dimension: Int
    public let reversed: Bool
    public let conditioner: TrainableMLP
    public let layout: ParameterLayout
    /// Input degrees m(j).
    public let degrees: [Int]

    /// c in α = c·tanh(α̃/c).
    public static let logScaleBound = 3.0

    public init(dimension: Int, hidden: [Int] = [64, 64], reversed: Bool = false, activation: MLPActivation = .relu) {
        precondition(dimension >= 1, "maf: dimension ≥ 1")
        self.dimension = dimension
        self.reversed = reversed
        let d = dimension
        let inputDegrees = (0..<d).map { reversed ? d - $0 : $0 + 1 }
        degrees = inputDegrees
        var masks: [[Double]] = []
        var previous = inputDegrees
        for width in hidden {
            let current = (0..<width).map { 1 + $0 % max(1, d - 1) }
            masks.append(current.flatMap { m in previous.map { m >= $0 ? 1.0 : 0.0 } })
            previous = current
        }
        let outputDegrees = inputDegrees + inputDegrees
        masks.append(outputDegrees.flatMap { m in previous.map { m > $0 ? 1.0 : 0.0 } })
        conditioner = TrainableMLP(widths: [d] + hidden + [2 * d], activation: activation, masks: masks, zeroLastLayer: true)
        var builder = ParameterLayout.Builder()
        conditioner.addBlocks(to: &builder, prefix: "made")
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.density] }
    public var cheapDirection: TrainableDirection { .density }
    public func canEvaluate(_ direction: TrainableDirection) -> Bool { true }

    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        var theta = [Double](repeating: 0, count: layout.count)
        theta.withUnsafeMutableBufferPointer { conditioner.initialize($0.baseAddress!, using: &stream) }
        return theta
    }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int {
        3 * dimension * n + conditioner.tapeCount(count: n)
    }

    /// α = c·tanh(α̃/c) and dα/dα̃ = sech²(α̃/c).
    @inline(__always)
    static func logScale(_ raw: Double) -> (value: Double, derivative: Double) {
        let (t, s) = TrainableMath.tanhAndSech2(raw / logScaleBound)
        return (logScaleBound * t, s)
    }

    /// Transposes x into the tape and runs MADE; returns its output (2d × n, feature-major).
    private func condition(_ theta: UnsafePointer<Double>, _ points: UnsafePointer<Double>, count n: Int,
                           tape: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        let d = dimension
        for j in 0..<d {
            for p in 0..<n { tape[j * n + p] = points[p * d + j] }
        }
        return conditioner.forward(parameters: theta, input: tape, count: n, tape: tape + d * n)
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        precondition(direction == .density, "maf: only the density direction has a recording pass")
        let n = buffers.count, d = dimension
        let out = condition(theta, buffers.input, count: n, tape: buffers.tape)
        let rawLogScales = buffers.tape + 2 * d * n + conditioner.tapeCount(count: n)
        for q in 0..<(d * n) { rawLogScales[q] = out[d * n + q] }
        for p in 0..<n {
            var logDet = 0.0
            for i in 0..<d {
                let alpha = Self.logScale(out[(d + i) * n + p]).value
                buffers.output[p * d + i] = (buffers.input[p * d + i] - out[i * n + p]) * Foundation.exp(-alpha)
                logDet -= alpha
            }
            buffers.logAbsDet[p] += logDet
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        precondition(direction == .density, "maf: only the density direction has a vector–Jacobian product")
        let n = buffers.count, d = dimension
        let mlpTape = buffers.tape + d * n
        let inputGradient = mlpTape + conditioner.tapeCount(count: n)
        let rawLogScales = UnsafePointer(inputGradient + d * n)
        let rawGradient = conditioner.outputGradient(tape: mlpTape, count: n)
        for p in 0..<n {
            let gamma = gradient.logAbsDet[p]
            for i in 0..<d {
                let (alpha, slope) = Self.logScale(rawLogScales[i * n + p])
                let scale = Foundation.exp(-alpha)
                let g = gradient.output[p * d + i]
                let z = buffers.output[p * d + i]
                rawGradient[i * n + p] = -g * scale
                rawGradient[(d + i) * n + p] = (-g * z - gamma) * slope
                gradient.input[p * d + i] = g * scale
            }
        }
        conditioner.backward(parameters: theta, input: buffers.tape, count: n, tape: mlpTape, inputGradient: inputGradient,
                             parameterGradient: gradient.parameters)
        for j in 0..<d {
            for p in 0..<n { gradient.input[p * d + j] += inputGradient[j * n + p] }
        }
    }

    /// The density direction by the recording pass; the sampling direction coordinate by
    /// coordinate in the order of the degrees: pass t computes the coordinate of degree t from
    /// the ones already computed (d conditioner calls on the whole batch).
    public func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                         logAbsDet: inout [Double]) throws(FlowKitError) {
        if direction == .density {
            try recordingEvaluate(direction, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
            return
        }
        guard batch.dimension == dimension else {
            throw .dimensionMismatch(what: "maf input", expected: dimension, found: batch.dimension)
        }
        guard parameters.count == parameterCount else {
            throw .dimensionMismatch(what: "maf parameter vector", expected: parameterCount, found: parameters.count)
        }
        let n = batch.count, d = dimension
        precondition(logAbsDet.count == n, "maf: one log-det entry per point")
        guard n > 0 else { return }
        let z = batch.values
        var x = [Double](repeating: 0, count: n * d)
        var tape = [Double](repeating: 0, count: tapeCount(.density, count: n))
        let order = (0..<d).sorted { degrees[$0] < degrees[$1] }
        parameters.withUnsafeBufferPointer { theta in
            x.withUnsafeMutableBufferPointer { xb in
                tape.withUnsafeMutableBufferPointer { tb in
                    guard let xp = xb.baseAddress, let tp = tb.baseAddress, let th = theta.baseAddress else { return }
                    for i in order {
                        let out = condition(th, xp, count: n, tape: tp)
                        for p in 0..<n {
                            let alpha = Self.logScale(out[(d + i) * n + p]).value
                            xp[p * d + i] = z[p * d + i] * Foundation.exp(alpha) + out[i * n + p]
                        }
                    }
                    let out = condition(th, xp, count: n, tape: tp)
                    for p in 0..<n {
                        for i in 0..<d { logAbsDet[p] += Self.logScale(out[(d + i) * n + p]).value }
                    }
                }
            }
        }
        batch.values = x
    }
}
