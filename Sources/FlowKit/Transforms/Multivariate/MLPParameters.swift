/// The weights of a small fully connected network (a conditioner of ``AffineCouplingTransform``):
/// `layers`, each with `weights` (out rows of in entries) and `bias` (out entries), and the
/// hidden `activation` (`tanh`, the default, or `relu`), applied after every layer but the
/// last (the output layer is linear):
///
///     h₀ = x,   hₖ = σ(Wₖ·hₖ₋₁ + bₖ) for k < L,   output = W_L·h_{L−1} + b_L.
///
/// Kept apart from the math (zuko's lazy modules): training will change these values, never
/// the transform types.
public struct MLPParameters: Codable, Sendable, Equatable {
    /// The hidden activation.
    public enum Activation: String, Codable, Sendable, CaseIterable {
        case tanh, relu

        /// Decodes a name; an unknown one fails with the allowed names in the message.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            guard let value = Activation(rawValue: name) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "must be one of " + Self.allCases.map(\.rawValue).joined(separator: ", ") + ", found '\(name)'")
            }
            self = value
        }
    }

    /// One affine layer: `weights` is out×in (row i gives output i), `bias` has out entries.
    public struct Layer: Codable, Sendable, Equatable {
        public var weights: [[Double]]
        public var bias: [Double]

        public init(weights: [[Double]], bias: [Double]) {
            self.weights = weights
            self.bias = bias
        }
    }

    public var layers: [Layer]
    public var activation: Activation

    public init(layers: [Layer], activation: Activation = .tanh) {
        self.layers = layers
        self.activation = activation
    }

    enum CodingKeys: String, CodingKey { case layers, activation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        layers = try container.decode([Layer].self, forKey: .layers)
        activation = try container.decodeIfPresent(Activation.self, forKey: .activation) ?? .tanh
    }

    /// Checks that the layers chain from `inputs` to `outputs` values, that every weight row
    /// has the layer's input width and every bias the layer's output width, and that all
    /// values are finite. `key` prefixes the parameter names in errors
    /// (`conditioner.layers[1].bias`).
    public func validate(inputs: Int, outputs: Int, key: String) throws(FlowKitError) {
        guard !layers.isEmpty else {
            throw .invalidParameter(parameter: "\(key).layers", value: "[]", requirement: "must have at least one layer")
        }
        var width = inputs
        for (k, layer) in layers.enumerated() {
            let name = "\(key).layers[\(k)]"
            let out = layer.weights.count
            guard out > 0 else {
                throw .invalidParameter(parameter: "\(name).weights", value: "[]", requirement: "must have at least one row (one per output)")
            }
            for row in layer.weights {
                if row.count != width {
                    throw .dimensionMismatch(what: "\(name).weights (columns = the layer's inputs\(k == 0 ? ", the kept coordinates" : ""))", expected: width, found: row.count, parameter: key)
                }
                try ParameterValidation.requireFinite(row, key: "\(name).weights")
            }
            if layer.bias.count != out {
                throw .dimensionMismatch(what: "\(name).bias (one entry per weight row)", expected: out, found: layer.bias.count, parameter: key)
            }
            try ParameterValidation.requireFinite(layer.bias, key: "\(name).bias")
            width = out
        }
        if width != outputs {
            throw .dimensionMismatch(what: "\(key) output width (the last layer's rows: s then t for the transformed coordinates)", expected: outputs, found: width, parameter: key)
        }
    }
}
