import FlowKit

/// One trainable layer under test: the layer and the scale of its random unconstrained
/// parameters (normal with this standard deviation) for the gradient checks.
struct TrainableLayerCase {
    let label: String
    let layer: any TrainableLayer
    var parameterScale = 0.7
    /// The standard deviation of the "large entries" used for the invertibility check.
    var largeScale = 8.0
}

/// THE list of every trainable layer. Each entry is checked in every direction it supports by
/// `TrainableLayerGradientTests` (∂L/∂input and ∂L/∂θ against central differences, log-det
/// against the finite-difference Jacobian, round trip, invertibility for large parameters).
/// Add new layers here.
enum TrainableLayerCases {
    static let all: [TrainableLayerCase] = [
        TrainableLayerCase(label: "planar d=2", layer: TrainablePlanar(dimension: 2)),
        TrainableLayerCase(label: "planar d=3", layer: TrainablePlanar(dimension: 3)),
    ]
}
