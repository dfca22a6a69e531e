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
/// Add new layers here. (lu_linear uses largeScale 3: with exp(±8·N) on the diagonal the
/// matrix is so ill-conditioned that the round trip loses more than 1e-8, though it stays
/// invertible. bnaf likewise: its weight-norm scales e^{s} multiply across layers, so at
/// s ∼ 8·N the map's slope reaches 1e10 or more and F(F⁻¹(z)) can only match z to slope × ulp
/// of the root, although the root search returns the best double.)
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
        TrainableLayerCase(label: "spline_coupling d=2", layer: TrainableSplineCoupling(dimension: 2, hidden: [4], bins: 4, bound: 2.5, activation: .tanh), jacobianStep: 1e-3),
        TrainableLayerCase(label: "spline_coupling d=3 parity 1", layer: TrainableSplineCoupling(dimension: 3, parity: 1, hidden: [3], bins: 3, bound: 1.5, activation: .tanh), jacobianStep: 1e-3),
        TrainableLayerCase(label: "maf d=2", layer: TrainableMAF(dimension: 2, hidden: [4], activation: .tanh)),
        TrainableLayerCase(label: "maf d=3 reversed", layer: TrainableMAF(dimension: 3, hidden: [5, 4], reversed: true, activation: .tanh)),
        TrainableLayerCase(label: "bnaf d=2", layer: TrainableBNAF(dimension: 2, hidden: 3, layers: 1), largeScale: 3),
        TrainableLayerCase(label: "bnaf d=3 reversed, 2 hidden layers", layer: TrainableBNAF(dimension: 3, hidden: 2, layers: 2, reversed: true), largeScale: 3),
        TrainableLayerCase(label: "bnaf d=2 no hidden layer", layer: TrainableBNAF(dimension: 2, hidden: 1, layers: 0), largeScale: 3),
        // Fixed catalog maps among fitted layers (no parameters; ℝ → ℝ maps, so both directions run on any point).
        TrainableLayerCase(label: "fixed affine d=2 (negative scale)", layer: TrainableFixedElementwise(try! AffineMap(scale: -1.5, shift: 0.25), dimension: 2)),
        TrainableLayerCase(label: "fixed sinh d=2", layer: TrainableFixedElementwise(SinhMap(), dimension: 2)),
        TrainableLayerCase(label: "fixed linear d=3 (general, shifted)", layer: TrainableFixedAffine(
            try! LinearTransform(LinearParameters(matrix: [[1.5, -0.4, 0.2], [0.3, 0.8, -0.6], [-0.2, 0.5, 1.1]], shift: [0.1, -0.3, 0.7])),
            dimension: 3)),
        TrainableLayerCase(label: "fixed reverse d=3", layer: TrainableFixedAffine(try! PermutationTransform.reverse(dimension: 3), dimension: 3)),
        TrainableLayerCase(label: "fixed asinh d=3", layer: TrainableFixedElementwise(AsinhMap(), dimension: 3)),
    ]
}
