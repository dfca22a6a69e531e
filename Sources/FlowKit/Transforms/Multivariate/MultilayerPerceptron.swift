import Foundation

/// A validated ``MLPParameters`` network stored flat for evaluation without allocation:
/// layer k's weights row-major at `weightOffsets[k]`, its biases at `biasOffsets[k]`.
/// Evaluation ping-pongs between the two halves of a caller-provided scratch buffer of
/// ``scratchCount`` doubles, so a batch allocates its scratch once.
public struct MultilayerPerceptron: Sendable {
    public let activation: MLPParameters.Activation
    /// Widths: inputs, then each layer's outputs.
    public let widths: [Int]
    let weights: [Double]
    let biases: [Double]
    let weightOffsets: [Int]
    let biasOffsets: [Int]

    /// Builds the network after ``MLPParameters/validate(inputs:outputs:key:)`` has passed.
    public init(_ parameters: MLPParameters, inputs: Int, outputs: Int, key: String = "conditioner") throws(FlowKitError) {
        try parameters.validate(inputs: inputs, outputs: outputs, key: key)
        activation = parameters.activation
        var widths = [inputs]
        var weights: [Double] = [], biases: [Double] = []
        var weightOffsets: [Int] = [], biasOffsets: [Int] = []
        for layer in parameters.layers {
            weightOffsets.append(weights.count)
            biasOffsets.append(biases.count)
            for row in layer.weights { weights.append(contentsOf: row) }
            biases.append(contentsOf: layer.bias)
            widths.append(layer.bias.count)
        }
        self.widths = widths
        self.weights = weights
        self.biases = biases
        self.weightOffsets = weightOffsets
        self.biasOffsets = biasOffsets
    }

    public var inputCount: Int { widths[0] }
    public var outputCount: Int { widths[widths.count - 1] }
    /// The scratch a call to ``evaluate(_:into:scratch:)`` needs: two hidden layers' worth.
    public var scratchCount: Int { 2 * (widths.dropFirst().dropLast().max() ?? 0) }

    /// output = network(input); `input` holds ``inputCount`` values, `output` ``outputCount``,
    /// `scratch` ``scratchCount``. Inputs and outputs must not overlap the scratch.
    @inline(__always)
    public func evaluate(_ input: UnsafePointer<Double>, into output: UnsafeMutablePointer<Double>,
                         scratch: UnsafeMutablePointer<Double>) {
        let layerCount = widths.count - 1
        let half = scratchCount / 2
        weights.withUnsafeBufferPointer { w in
            biases.withUnsafeBufferPointer { b in
                var source = input
                for k in 0..<layerCount {
                    let inWidth = widths[k], outWidth = widths[k + 1]
                    let isLast = k == layerCount - 1
                    let destination = isLast ? output : scratch + (k % 2) * half
                    let wk = w.baseAddress.map { $0 + weightOffsets[k] }
                    let bk = b.baseAddress.map { $0 + biasOffsets[k] }
                    guard let wk, let bk else { return }
                    for i in 0..<outWidth {
                        var s = bk[i]
                        let row = wk + i * inWidth
                        for j in 0..<inWidth { s += row[j] * source[j] }
                        if !isLast {
                            switch activation {
                            case .tanh: s = tanh(s)
                            case .relu: s = max(s, 0)
                            }
                        }
                        destination[i] = s
                    }
                    source = UnsafePointer(destination)
                }
            }
        }
    }

    /// Boxes containing the outputs for inputs in the box `inputs` (interval arithmetic layer
    /// by layer; both activations are monotone, so they map end to end).
    public func outputRanges(for inputs: [(Double, Double)]) -> [(Double, Double)] {
        var ranges = inputs
        let layerCount = widths.count - 1
        for k in 0..<layerCount {
            let inWidth = widths[k], outWidth = widths[k + 1]
            var next: [(Double, Double)] = []
            for i in 0..<outWidth {
                let bias = biases[biasOffsets[k] + i]
                var range = (bias, bias)
                for j in 0..<inWidth {
                    range = BoxArithmetic.sum(range, BoxArithmetic.scale(ranges[j], by: weights[weightOffsets[k] + i * inWidth + j]))
                }
                if k < layerCount - 1 {
                    switch activation {
                    case .tanh: range = BoxArithmetic.increasing(range, tanh, range: (-1, 1))
                    case .relu: range = (max(range.0, 0), max(range.1, 0))   // exact
                    }
                }
                next.append(range)
            }
            ranges = next
        }
        return ranges
    }
}
