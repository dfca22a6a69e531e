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
/// Add new layers here. (lu_linear uses largeScale 3: with exp(±8·N) on the diagonal the
/// matrix is so ill-conditioned that the round trip loses more than 1e-8, though it stays
/// invertible.)
enum TrainableLayerCases {
    static let all: [TrainableLayerCase] = [
        TrainableLayerCase(label: "planar d=2", layer: TrainablePlanar(dimension: 2)),
        TrainableLayerCase(label: "planar d=3", layer: TrainablePlanar(dimension: 3)),
        TrainableLayerCase(label: "radial d=2", layer: TrainableRadial(dimension: 2)),
        TrainableLayerCase(label: "radial d=3", layer: TrainableRadial(dimension: 3)),
        TrainableLayerCase(label: "coupling d=2 parity 0", layer: TrainableAffineCoupling(dimension: 2, parity: 0, hidden: [4])),
        TrainableLayerCase(label: "coupling d=3 parity 1 silu", layer: TrainableAffineCoupling(dimension: 3, parity: 1, hidden: [4, 3], activation: .silu)),
        TrainableLayerCase(label: "additive_coupling d=2 parity 1", layer: TrainableAdditiveCoupling(dimension: 2, parity: 1, hidden: [4])),
        TrainableLayerCase(label: "additive_coupling d=3 parity 0", layer: TrainableAdditiveCoupling(dimension: 3, parity: 0, hidden: [3, 3])),
        TrainableLayerCase(label: "actnorm d=3", layer: TrainableActNorm(dimension: 3)),
        TrainableLayerCase(label: "lu_linear d=2", layer: TrainableLULinear(dimension: 2), largeScale: 3),
        TrainableLayerCase(label: "lu_linear d=4 permutation", layer: TrainableLULinear(dimension: 4, permutation: [2, 0, 3, 1]), largeScale: 3),
    ]
}
