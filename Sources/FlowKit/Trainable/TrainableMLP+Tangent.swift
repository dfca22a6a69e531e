extension TrainableMLP {
    /// Scratch doubles ``inputTangent(parameters:input:count:tape:scratch:into:)`` needs for
    /// `count` points: two buffers of (largest width × n).
    public func tangentScratchCount(count n: Int) -> Int { 2 * (widths.max() ?? 1) * n }

    /// Forward-mode differentiation of the recorded pass (after
    /// ``forward(parameters:input:count:tape:)``, tape unchanged): writes ∂output/∂input_j, the
    /// column j of the network's Jacobian at every point, into `output` (outputs × n,
    /// feature-major). The tangent of input feature j propagates as
    ///
    ///     ȧ₁ = (M₁ ⊙ W₁)[:, j],   ȧₖ₊₁ = (Mₖ₊₁ ⊙ Wₖ₊₁)·(σ′(aₖ) ⊙ ȧₖ),   output tangent = ȧ_L,
    ///
    /// one matrix product per layer after the first, about the cost of a forward pass.
    /// `scratch` holds ``tangentScratchCount(count:)`` doubles and overlaps neither the tape
    /// nor `output`.
    public func inputTangent(parameters: UnsafePointer<Double>, input j: Int, count n: Int,
                             tape: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>,
                             into output: UnsafeMutablePointer<Double>) {
        precondition(j >= 0 && j < inputs, "input feature out of range")
        let layers = widths.count - 1
        var current = layers == 1 ? output : scratch
        var spare = scratch + (widths.max() ?? 1) * n
        // ȧ₁ is the same for every point: column j of the first weight matrix.
        let fanIn0 = widths[0]
        for o in 0..<widths[1] {
            var w = parameters[weightOffsets[0] + o * fanIn0 + j]
            if let masks { w *= masks[0][o * fanIn0 + j] }
            let row = current + o * n
            for p in 0..<n { row[p] = w }
        }
        guard layers > 1 else { return }
        for k in 1..<layers {
            let width = widths[k], out = widths[k + 1]
            let offsets = activationOffsets(k, count: n)
            activation.multiplyByDerivative(current, pre: tape + offsets.pre, post: tape + offsets.post, count: width * n)
            let next = k == layers - 1 ? output : spare
            products.multiply(rows: out, inner: width, n: n, weights: effectiveWeights(k + 1, parameters: parameters, tape: tape),
                              bias: nil, x: current, y: next)
            spare = current
            current = next
        }
    }
}
