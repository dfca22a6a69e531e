/// A fully connected network over whole batches, for conditioners (couplings, MADE/MAF,
/// splines) and BNAF-style masked layers:
///
///     h₀ = x,   aₖ = (Mₖ ⊙ Wₖ)·hₖ₋₁ + bₖ,   hₖ = σ(aₖ) for k < L,   output = a_L
///
/// with `widths` = [inputs, hidden…, outputs], weight matrices Wₖ (out × in, row-major, the
/// order of ``MLPParameters``), optional fixed 0/1 masks Mₖ (MADE degrees, Germain et al.
/// 2015; block structure for BNAF) and the activation σ of ``MLPActivation``. A zero last layer
/// (``zeroLastLayer``) makes a coupling start as the identity (Dinh et al. 2017; Glow's zero
/// initialisation).
///
/// ## Layout and conventions
/// Parameters (relative to the network's own offset in a layer's vector): for k = 1…L, the
/// weights Wₖ (wₖ × wₖ₋₁) then the bias bₖ (wₖ). Activations are *feature-major*: a buffer
/// for width w and n points holds `buffer[i * n + p]` (feature i of point p), so every inner
/// loop runs over the batch (``FeatureMajorKernels``: SIMD4 over points, blocks of four rows;
/// sums in a fixed order, so results are deterministic).
/// The caller transposes its points in and out (a coupling gathers the kept coordinates).
///
/// Tape (``tapeCount(count:)`` doubles for n points): with masks, the products M ⊙ W first; then
/// aₖ and hₖ for k < L, a_L (the output),
/// then two scratch buffers of (max width × n) for the backward pass. Activations whose
/// derivative follows from hₖ alone (tanh; relu, elu and selu, where hₖ > 0 exactly when
/// aₖ > 0) overwrite aₖ with hₖ in place, which halves the hidden layers' tape (a smaller
/// working set per chunk); silu keeps both.
/// ``forward(parameters:input:count:tape:)`` returns the output (w_L × n, inside the tape);
/// the caller writes ∂L/∂output into ``outputGradient(tape:count:)`` and calls
/// ``backward(parameters:input:count:tape:inputGradient:parameterGradient:)``.
public struct TrainableMLP: Sendable {
    public let widths: [Int]
    public let activation: MLPActivation
    /// One mask per weight matrix (wₖ × wₖ₋₁, entries 0 or 1), or nil for dense layers.
    public let masks: [[Double]]?
    public let zeroLastLayer: Bool
    /// Offsets of Wₖ and bₖ (index k − 1) inside the network's parameters.
    public let weightOffsets: [Int]
    public let biasOffsets: [Int]
    public let parameterCount: Int
    /// Who computes the products (OpenBLAS when it is available, see ``MatrixProducts``).
    public var products: MatrixProducts

    public init(widths: [Int], activation: MLPActivation = .tanh, masks: [[Double]]? = nil, zeroLastLayer: Bool = true,
                products: MatrixProducts = .preferred) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "an MLP needs positive input and output widths")
        if let masks {
            precondition(masks.count == widths.count - 1, "one mask per weight matrix")
            for k in 1..<widths.count { precondition(masks[k - 1].count == widths[k] * widths[k - 1], "mask \(k) shape") }
        }
        self.widths = widths
        self.activation = activation
        self.masks = masks
        self.zeroLastLayer = zeroLastLayer
        self.products = products
        var w: [Int] = [], b: [Int] = [], offset = 0
        for k in 1..<widths.count {
            w.append(offset)
            offset += widths[k] * widths[k - 1]
            b.append(offset)
            offset += widths[k]
        }
        weightOffsets = w
        biasOffsets = b
        parameterCount = offset
    }

    /// Layers L (weight matrices).
    public var layerCount: Int { widths.count - 1 }
    public var inputs: Int { widths[0] }
    public var outputs: Int { widths[widths.count - 1] }
    private var maxWidth: Int { widths.max() ?? 1 }

    /// Adds the blocks `\(prefix).layers[k].weights` and `.bias` to `builder`; returns the
    /// network's offset.
    @discardableResult
    public func addBlocks(to builder: inout ParameterLayout.Builder, prefix: String) -> Int {
        let start = builder.count
        for k in 1..<widths.count {
            builder.add("\(prefix).layers[\(k - 1)].weights", shape: [widths[k], widths[k - 1]])
            builder.add("\(prefix).layers[\(k - 1)].bias", shape: [widths[k]])
        }
        return start
    }

    /// Writes starting parameters at `parameters`: weights and biases uniform on
    /// (−1/√fan-in, 1/√fan-in) (PyTorch's default), masked entries zero, and the last layer
    /// zero when ``zeroLastLayer``.
    /// A new parameter vector of this MLP alone, initialised by ``initialize(_:using:)``.
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        var values = [Double](repeating: 0, count: parameterCount)
        values.withUnsafeMutableBufferPointer { if let b = $0.baseAddress { initialize(b, using: &stream) } }
        return values
    }

    public func initialize(_ parameters: UnsafeMutablePointer<Double>, using stream: inout RandomStream) {
        for k in 1..<widths.count {
            let fanIn = widths[k - 1], out = widths[k]
            let zero = zeroLastLayer && k == widths.count - 1
            let bound = 1 / Double(fanIn).squareRoot()
            for j in 0..<(out * fanIn) {
                var v = zero ? 0 : bound * (2 * stream.nextUniform() - 1)
                if let masks, masks[k - 1][j] == 0 { v = 0 }
                parameters[weightOffsets[k - 1] + j] = v
            }
            for j in 0..<out { parameters[biasOffsets[k - 1] + j] = zero ? 0 : bound * (2 * stream.nextUniform() - 1) }
        }
    }

    /// The parameters as the spec's ``MLPParameters`` (only tanh and relu exist there).
    public func parameters(from values: UnsafePointer<Double>) -> MLPParameters {
        var layers: [MLPParameters.Layer] = []
        for k in 1..<widths.count {
            let out = widths[k], fanIn = widths[k - 1]
            let rows = (0..<out).map { o in
                (0..<fanIn).map { i in
                    let j = o * fanIn + i
                    return values[weightOffsets[k - 1] + j] * (masks?[k - 1][j] ?? 1)
                }
            }
            layers.append(.init(weights: rows, bias: (0..<out).map { values[biasOffsets[k - 1] + $0] }))
        }
        return MLPParameters(layers: layers, activation: activation == .relu ? .relu : .tanh)
    }

    // MARK: - Tape

    /// Doubles of masked weights M ⊙ W kept at the start of the tape (0 without masks).
    private var maskedWeightCount: Int {
        masks == nil ? 0 : (1..<widths.count).reduce(0) { $0 + widths[$1] * widths[$1 - 1] }
    }

    /// Hidden activations stored per hidden layer: 1 when hₖ overwrites aₖ, 2 for silu.
    private var hiddenCopies: Int { activation.derivativeNeedsPreActivation ? 2 : 1 }

    /// Doubles of tape for `count` points.
    public func tapeCount(count n: Int) -> Int {
        var total = maskedWeightCount
        for k in 1..<widths.count { total += (k < widths.count - 1 ? hiddenCopies : 1) * widths[k] * n }
        return total + 2 * maxWidth * n
    }

    /// Offsets (in the tape) of aₖ and hₖ, k = 1…L (hₗ = aₗ; hₖ = aₖ's place when the
    /// activation is applied in place).
    @inline(__always)
    func activationOffsets(_ k: Int, count n: Int) -> (pre: Int, post: Int) {
        let copies = hiddenCopies
        var offset = maskedWeightCount
        for j in 1..<k { offset += (j < widths.count - 1 ? copies : 1) * widths[j] * n }
        let pre = offset
        return (pre, k < widths.count - 1 && copies == 2 ? pre + widths[k] * n : pre)
    }

    private func scratchOffset(count n: Int) -> Int {
        tapeCount(count: n) - 2 * maxWidth * n
    }

    /// Where the caller writes ∂L/∂output (outputs × n, feature-major) before ``backward``.
    public func outputGradient(tape: UnsafeMutablePointer<Double>, count n: Int) -> UnsafeMutablePointer<Double> {
        tape + scratchOffset(count: n)
    }

    /// Where ``forward(parameters:input:count:tape:)`` leaves the output (outputs × n,
    /// feature-major), for a backward pass that needs it again.
    public func output(tape: UnsafeMutablePointer<Double>, count n: Int) -> UnsafeMutablePointer<Double> {
        tape + activationOffsets(widths.count - 1, count: n).pre
    }

    /// The weights the products use: Wₖ itself, or M ⊙ W in the tape (written by ``forward``).
    @inline(__always)
    func effectiveWeights(_ k: Int, parameters: UnsafePointer<Double>, tape: UnsafePointer<Double>) -> UnsafePointer<Double> {
        guard masks != nil else { return parameters + weightOffsets[k - 1] }
        var offset = 0
        for j in 1..<k { offset += widths[j] * widths[j - 1] }
        return tape + offset
    }

    // MARK: - Passes

    /// Runs the network on `input` (inputs × n, feature-major) and returns the output
    /// (outputs × n, feature-major, inside `tape`).
    @discardableResult
    public func forward(parameters: UnsafePointer<Double>, input: UnsafePointer<Double>, count n: Int,
                        tape: UnsafeMutablePointer<Double>) -> UnsafeMutablePointer<Double> {
        if let masks {
            var offset = 0
            for k in 1..<widths.count {
                let w = parameters + weightOffsets[k - 1]
                let m = masks[k - 1]
                for j in 0..<(widths[k] * widths[k - 1]) { tape[offset + j] = w[j] * m[j] }
                offset += widths[k] * widths[k - 1]
            }
        }
        var previous = input
        var output = tape
        for k in 1..<widths.count {
            let out = widths[k], fanIn = widths[k - 1]
            let offsets = activationOffsets(k, count: n)
            let a = tape + offsets.pre
            products.multiply(rows: out, inner: fanIn, n: n, weights: effectiveWeights(k, parameters: parameters, tape: tape),
                              bias: parameters + biasOffsets[k - 1], x: previous, y: a)
            if k < widths.count - 1 {
                let h = tape + offsets.post
                activation.apply(a, into: h, count: out * n)
                previous = UnsafePointer(h)
            }
            output = a
        }
        return output
    }

    /// Backward pass: reads ∂L/∂output from ``outputGradient(tape:count:)`` (destroyed), adds
    /// ∂L/∂parameters to `parameterGradient` (the network's block) and, if `inputGradient` is
    /// given, overwrites it with ∂L/∂input (inputs × n, feature-major).
    public func backward(parameters: UnsafePointer<Double>, input: UnsafePointer<Double>, count n: Int,
                         tape: UnsafeMutablePointer<Double>, inputGradient: UnsafeMutablePointer<Double>?,
                         parameterGradient: UnsafeMutablePointer<Double>) {
        let scratch = tape + scratchOffset(count: n)
        var delta = scratch                       // ∂L/∂aₖ
        var other = scratch + maxWidth * n
        for k in stride(from: widths.count - 1, through: 1, by: -1) {
            let out = widths[k], fanIn = widths[k - 1]
            let previous: UnsafePointer<Double> = k == 1 ? input : UnsafePointer(tape + activationOffsets(k - 1, count: n).post)
            // ∂W_oi = Σ_p δ[o,p]·h[i,p] (masked), ∂b_o = Σ_p δ[o,p]; `other` is free scratch
            // until the input gradient below is written there.
            func accumulate(_ mask: UnsafePointer<Double>?) {
                products.accumulateWeightGradient(rows: out, columns: fanIn, n: n, delta: delta, h: previous, mask: mask,
                                                  weightGradient: parameterGradient + weightOffsets[k - 1],
                                                  biasGradient: parameterGradient + biasOffsets[k - 1], scratch: other)
            }
            if let masks {
                masks[k - 1].withUnsafeBufferPointer { accumulate($0.baseAddress) }
            } else {
                accumulate(nil)
            }
            // ∂L/∂hₖ₋₁[i,:] = Σ_o W_oi δ[o,:], then through σ' unless k = 1.
            let target: UnsafeMutablePointer<Double>
            if k == 1 {
                guard let inputGradient else { return }
                target = inputGradient
            } else {
                target = other
            }
            products.multiplyTransposed(rows: out, inner: fanIn, n: n, weights: effectiveWeights(k, parameters: parameters, tape: tape),
                                        delta: delta, into: target)
            if k > 1 {
                let offsets = activationOffsets(k - 1, count: n)
                activation.multiplyByDerivative(target, pre: tape + offsets.pre, post: tape + offsets.post, count: fanIn * n)
                swap(&delta, &other)
            }
        }
    }

    /// Σ x[p] with four partial sums in fixed order (used by the BNAF layer).
    @inline(__always)
    static func sum(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var p = 0
        while p + 4 <= n {
            s0 += x[p]; s1 += x[p + 1]; s2 += x[p + 2]; s3 += x[p + 3]
            p += 4
        }
        while p < n { s0 += x[p]; p += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ x[p]·y[p] with four partial sums in fixed order (used by the BNAF layer).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var p = 0
        while p + 4 <= n {
            s0 += x[p] * y[p]; s1 += x[p + 1] * y[p + 1]; s2 += x[p + 2] * y[p + 2]; s3 += x[p + 3] * y[p + 3]
            p += 4
        }
        while p < n { s0 += x[p] * y[p]; p += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}
