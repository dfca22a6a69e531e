/// A trainable layer with one parameter vector, frozen into a fixed map of ℝᵈ: the bridge
/// from a fit to everything that runs fixed flows (sampling, Eq. 4 and Eq. 5, figures, checks).
///
///     forward  T(z)  = the layer's `.sampling` evaluation,  adds log|det ∂f/∂z|
///     inverse T⁻¹(x) = the layer's `.density` evaluation,   adds log|det ∂f⁻¹/∂x|
///
/// Every finite parameter vector of a ``TrainableLayer`` gives an invertible map of ℝᵈ, so the
/// domain and image are ℝᵈ. A direction the layer cannot evaluate (planar's inverse has no
/// trainable pass but is evaluated by root finding; see ``TrainableLayer/canEvaluate(_:)``)
/// yields NaN points, which the run counts as numerical trouble.
public struct TrainedLayerMap: Bijection {
    public let layer: any TrainableLayer
    public let parameters: [Double]

    /// Throws ``FlowKitError/dimensionMismatch(what:expected:found:)`` when `parameters` does not
    /// have the layer's parameter count, and ``FlowKitError/invalidParameter(parameter:value:requirement:)``
    /// for a non-finite value.
    public init(layer: any TrainableLayer, parameters: [Double]) throws(FlowKitError) {
        guard parameters.count == layer.parameterCount else {
            throw .dimensionMismatch(what: "\(layer.name) parameters", expected: layer.parameterCount, found: parameters.count)
        }
        if let bad = parameters.first(where: { !$0.isFinite }) {
            throw .invalidParameter(parameter: "parameters", value: "\(bad)", requirement: "finite numbers")
        }
        self.layer = layer
        self.parameters = parameters
    }

    public var name: String { layer.name }
    public var dimension: Int? { layer.dimension }
    /// True when the density direction costs one evaluation (couplings, MAF, BNAF).
    public var hasClosedFormInverse: Bool { layer.cheapDirection == .density || layer.trainableDirections.count == 2 }
    public var hasConstantJacobian: Bool { false }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }
    public func image(of box: [Interval]) -> [Interval] { [Interval](repeating: .real, count: box.count) }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        apply(.sampling, &batch, &logAbsDet)
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        apply(.density, &batch, &logAbsDet)
    }

    private func apply(_ direction: TrainableDirection, _ batch: inout PointBatch, _ logAbsDet: inout [Double]) {
        do {
            try layer.evaluate(direction, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
        } catch {
            for i in batch.values.indices { batch.values[i] = .nan }
            for i in logAbsDet.indices { logAbsDet[i] = .nan }
        }
    }
}
