import FlowKit

/// One trainable layer under test: the layer and the scale of its random unconstrained
/// parameters (normal with this standard deviation) for the gradient checks.
struct TrainableLayerCase {
    let label: String
    let layer: any TrainableLayer
    var parameterScale = 0.7
    /// The standard deviation of the "large entries" used for the invertibility check.
    var largeScale = 8.0
    /// The initial step of the finite-difference Jacobian in the log-det check (nil: its
    /// default 0.05·max(1, |x|)). Splines are only C¹ at their knots, so a step that straddles
    /// a knot loses Ridders' extrapolation; they use 1e-3.
    var jacobianStep: Double? = nil
}

/// THE list of every trainable layer. Each entry is checked in every direction it supports by
/// `TrainableLayerGradientTests` (∂L/∂input and ∂L/∂θ against central differences, log-det
/// against the finite-difference Jacobian, round trip, invertibility for large parameters).
/// Add new layers here.
enum TrainableLayerCases {
    static let all: [TrainableLayerCase] = [
        TrainableLayerCase(label: "planar d=2", layer: TrainablePlanar(dimension: 2)),
        TrainableLayerCase(label: "planar d=3", layer: TrainablePlanar(dimension: 3)),
        TrainableLayerCase(label: "spline_coupling d=2", layer: TrainableSplineCoupling(dimension: 2, hidden: [4], bins: 4, bound: 2.5, activation: .tanh), jacobianStep: 1e-3),
        TrainableLayerCase(label: "spline_coupling d=3 reversed", layer: TrainableSplineCoupling(dimension: 3, hidden: [3], bins: 3, bound: 1.5, reversed: true, activation: .tanh), jacobianStep: 1e-3),
        TrainableLayerCase(label: "maf d=2", layer: TrainableMAF(dimension: 2, hidden: [4], activation: .tanh)),
        TrainableLayerCase(label: "maf d=3 reversed", layer: TrainableMAF(dimension: 3, hidden: [5, 4], reversed: true, activation: .tanh)),
        TrainableLayerCase(label: "bnaf d=2", layer: TrainableBNAF(dimension: 2, hidden: 3, layers: 1)),
        TrainableLayerCase(label: "bnaf d=3 reversed, 2 hidden layers", layer: TrainableBNAF(dimension: 3, hidden: 2, layers: 2, reversed: true)),
        TrainableLayerCase(label: "bnaf d=2 no hidden layer", layer: TrainableBNAF(dimension: 2, hidden: 1, layers: 0)),
    ]
}
