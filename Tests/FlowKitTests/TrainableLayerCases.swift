import Foundation
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
    /// Maps the normal draws of the checks into the layer's inputs in a direction (its domain
    /// for `.sampling`, its image for `.density`): the identity for maps of ℝᵈ; e.g. x ↦ eˣ for
    /// a fixed `power`, which lives on (0, ∞).
    var inputs: @Sendable (_ direction: TrainableDirection, _ draws: [Double]) -> [Double] = { _, draws in draws }
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
    /// Inputs on (0, ∞) in both directions (power).
    @Sendable static func positiveInputs(_ direction: TrainableDirection, _ draws: [Double]) -> [Double] {
        draws.map { exp(0.5 * $0) }
    }

    /// normal_quantile: (0, 1) for sampling; for density, ℝ within about ±4, where Φ(y) keeps
    /// ~12 digits of its distance to 1 (the round trip through Φ⁻¹ can keep no more).
    @Sendable static func quantileInputs(_ direction: TrainableDirection, _ draws: [Double]) -> [Double] {
        direction == .sampling ? draws.map { 1 / (1 + exp(-$0)) } : draws.map { 0.6 * $0 }
    }

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
        // H = 5: blocks of five rows and columns take the kernels' four-row register blocks.
        TrainableLayerCase(label: "bnaf d=2 H=5, 2 hidden layers, fixed residual",
                           layer: TrainableBNAF(dimension: 2, hidden: 5, layers: 2, residual: .fixed), largeScale: 3),
        // Fixed catalog maps among fitted layers (no parameters; ℝ → ℝ maps, so both directions run on any point).
        TrainableLayerCase(label: "fixed affine d=2 (negative scale)", layer: TrainableFixedElementwise(try! AffineMap(scale: -1.5, shift: 0.25), dimension: 2)),
        TrainableLayerCase(label: "fixed sinh d=2", layer: TrainableFixedElementwise(SinhMap(), dimension: 2)),
        TrainableLayerCase(label: "fixed linear d=3 (general, shifted)", layer: TrainableFixedAffine(
            try! LinearTransform(LinearParameters(matrix: [[1.5, -0.4, 0.2], [0.3, 0.8, -0.6], [-0.2, 0.5, 1.1]], shift: [0.1, -0.3, 0.7])),
            dimension: 3)),
        TrainableLayerCase(label: "fixed reverse d=3", layer: TrainableFixedAffine(try! PermutationTransform.reverse(dimension: 3), dimension: 3)),
        TrainableLayerCase(label: "fixed asinh d=3", layer: TrainableFixedElementwise(AsinhMap(), dimension: 3)),
        TrainableLayerCase(label: "fixed sinh_arcsinh d=2", layer: TrainableFixedElementwise(try! SinhArcsinhMap(skew: 0.4, tailweight: 1.3), dimension: 2)),
        TrainableLayerCase(label: "fixed power d=2 (p = 2.5, on (0, ∞))", layer: TrainableFixedElementwise(try! PowerMap(exponent: 2.5), dimension: 2),
                           inputs: positiveInputs),
        TrainableLayerCase(label: "fixed power d=2 (p = −0.7, decreasing)", layer: TrainableFixedElementwise(try! PowerMap(exponent: -0.7), dimension: 2),
                           inputs: positiveInputs),
        TrainableLayerCase(label: "fixed normal_quantile d=2", layer: TrainableFixedElementwise(NormalQuantileMap(), dimension: 2),
                           inputs: quantileInputs),
        TrainableLayerCase(label: "fixed spline d=2 (4 bins, tails)", layer: TrainableFixedElementwise(
            try! RationalQuadraticSpline(x: [-2, -0.5, 0.2, 1, 2.5], y: [-1.5, -1, 0.4, 0.9, 3], derivatives: [0.6, 2, 0.5, 1.7, 1.2]), dimension: 2),
                           jacobianStep: 1e-3),
        TrainableLayerCase(label: "fixed coupling d=3 (mask [1, 0, 1], tanh conditioner, bounded scale)", layer: TrainableFixedCoupling(
            try! AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0, 1], conditioner: MLPParameters(layers: [
                .init(weights: [[0.8, -0.5], [0.3, 1.1], [-0.9, 0.2]], bias: [0.1, -0.2, 0.3]),
                .init(weights: [[0.7, -0.4, 0.9], [-0.6, 0.5, 0.3]], bias: [0.2, -0.1]),
            ]), scale: 1.5)))),
        TrainableLayerCase(label: "fixed coupling d=2 (mask [0, 1], relu conditioner, raw scale)", layer: TrainableFixedCoupling(
            try! AffineCouplingTransform(AffineCouplingParameters(mask: [0, 1], conditioner: MLPParameters(layers: [
                .init(weights: [[1.2], [-0.7], [0.4]], bias: [0.3, 0.5, -0.2]),
                .init(weights: [[0.5, -0.3, 0.8], [0.9, 0.2, -0.6]], bias: [-0.1, 0.4]),
            ], activation: .relu))))),
    ]
}
