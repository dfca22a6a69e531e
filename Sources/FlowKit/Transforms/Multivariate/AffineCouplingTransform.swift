import Foundation

/// The affine coupling layer of RealNVP (Dinh, Sohl-Dickstein & Bengio 2017, "Density
/// estimation using Real NVP", eq. 6-7), `coupling` in specs. With x split by the mask into
/// the kept coordinates x_a (mask 1) and the transformed ones x_b (mask 0):
///
///     y_a = x_a,   y_b = x_b ⊙ exp(s(x_a)) + t(x_a),   log|det J| = Σⱼ sⱼ(x_a),
///     x_b = (y_b − t(y_a)) ⊙ exp(−s(y_a)),             log|det J⁻¹| = −Σⱼ sⱼ(y_a),
///
/// where (s, t) is the output of the conditioner network (``MLPParameters``). When `scale` is
/// given the log-scale is bounded, s = scale·tanh(raw s), a common stabiliser (flows.md §5);
/// otherwise s is the raw output. The Jacobian is triangular after reordering, so its
/// log-determinant is exactly Σ s. The inverse is closed-form because x_a = y_a is known.
///
/// Batches allocate one scratch buffer (the conditioner's input, output and hidden layers)
/// per call, none per point.
public struct AffineCouplingTransform: Bijection {
    public let name = "coupling"
    public let parameters: AffineCouplingParameters
    public let size: Int
    /// Indices with mask 1, increasing.
    public let keptIndices: [Int]
    /// Indices with mask 0, increasing.
    public let transformedIndices: [Int]
    public let conditioner: MultilayerPerceptron
    public let scale: Double?

    public init(_ parameters: AffineCouplingParameters, dimension: Int? = nil) throws(FlowKitError) {
        let d = try parameters.validate(dimension: dimension)
        self.parameters = parameters
        self.size = d
        self.keptIndices = (0..<d).filter { parameters.mask[$0] == 1 }
        self.transformedIndices = (0..<d).filter { parameters.mask[$0] == 0 }
        self.conditioner = try MultilayerPerceptron(parameters.conditioner, inputs: keptIndices.count,
                                                    outputs: 2 * transformedIndices.count)
        self.scale = parameters.scale
    }

    /// The log-scale s from the raw conditioner output.
    @inline(__always)
    func logScale(_ raw: Double) -> Double {
        if let scale { return scale * tanh(raw) }
        return raw
    }

    // MARK: - Bijection

    public var dimension: Int? { size }
    public var hasClosedFormInverse: Bool { true }
    public var hasConstantJacobian: Bool { false }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }

    /// A box containing f(box): kept coordinates are unchanged; the conditioner's outputs are
    /// bounded by interval arithmetic through its layers, and yⱼ ∈ [lⱼ, uⱼ]·exp([s₁, s₂]) + [t₁, t₂].
    public func image(of box: [Interval]) -> [Interval] {
        precondition(box.count == size, "coupling: box has \(box.count) coordinates, expected \(size)")
        let outputs = conditioner.outputRanges(for: keptIndices.map { BoxArithmetic.ends(box[$0]) })
        var result = box
        let m = transformedIndices.count
        for (k, j) in transformedIndices.enumerated() {
            let raw = outputs[k]
            let s = scale.map { c in BoxArithmetic.scale(BoxArithmetic.increasing(raw, tanh, range: (-1, 1)), by: c) } ?? raw
            let product = BoxArithmetic.product(BoxArithmetic.ends(box[j]), BoxArithmetic.increasing(s, exp, range: (0, .infinity)))
            result[j] = BoxArithmetic.interval(BoxArithmetic.sum(product, outputs[m + k]))
        }
        return result
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        apply(&batch, logAbsDet: &logAbsDet, inverse: false)
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        apply(&batch, logAbsDet: &logAbsDet, inverse: true)
    }

    /// Both directions: the conditioner sees the kept coordinates, which both directions share.
    private func apply(_ batch: inout PointBatch, logAbsDet: inout [Double], inverse: Bool) {
        let d = size
        precondition(batch.dimension == d, "coupling: batch dimension \(batch.dimension), expected \(d)")
        precondition(logAbsDet.count == batch.count, "coupling: one log-det entry per point")
        let n = batch.count
        let kept = keptIndices.count, m = transformedIndices.count
        // Scratch: conditioner input (kept), output (2m), hidden layers.
        var scratch = [Double](repeating: 0, count: kept + 2 * m + conditioner.scratchCount)
        keptIndices.withUnsafeBufferPointer { keptIndex in
            transformedIndices.withUnsafeBufferPointer { transformedIndex in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    logAbsDet.withUnsafeMutableBufferPointer { logDet in
                        batch.values.withUnsafeMutableBufferPointer { values in
                            guard let base = values.baseAddress, let input = scratch.baseAddress else { return }
                            let output = input + kept
                            let hidden = output + 2 * m
                            for p in 0..<n {
                                let x = base + p * d
                                for k in 0..<kept { input[k] = x[keptIndex[k]] }
                                conditioner.evaluate(input, into: output, scratch: hidden)
                                var sum = 0.0
                                for k in 0..<m {
                                    let s = logScale(output[k])
                                    let t = output[m + k]
                                    let j = transformedIndex[k]
                                    x[j] = inverse ? (x[j] - t) * exp(-s) : x[j] * exp(s) + t
                                    sum += s
                                }
                                logDet[p] += inverse ? -sum : sum
                            }
                        }
                    }
                }
            }
        }
    }
}
