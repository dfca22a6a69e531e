/// An invertible, differentiable map T: ℝᵈ ⊇ domain → codomain, with the log absolute
/// Jacobian determinant fused into each direction (Bijectors.jl's
/// `with_logabsdet_jacobian`, zuko's `call_and_ladj`).
///
/// The batch methods transform the points of `batch` in place and *add* log|det J| of that
/// direction to `logAbsDet[i]` (one entry per point). Callers guarantee that the points are
/// inside the domain (for `forward`) or codomain (for `inverse`); use the checked single-point
/// methods or ``isInDomain(_:)`` to test first.
///
/// Where a closed form exists, `inverse` computes log|det J_{T⁻¹}(y)| from its own formula
/// (for exp: −log y), not as the negation of the forward one, so that comparing Eq. 4 with
/// Eq. 5 is a real check of both.
public protocol Bijection: Sendable {
    /// The catalog name (`"exp"`, `"planar"`, …).
    var name: String { get }
    /// The number of dimensions, or nil for an elementwise map that applies per coordinate in
    /// any dimension.
    var dimension: Int? { get }
    /// Whether the inverse has a closed form (false for planar and radial: root finding).
    var hasClosedFormInverse: Bool { get }
    /// Whether log|det J| does not depend on the point (affine, linear, permutations).
    var hasConstantJacobian: Bool { get }
    /// The domain per coordinate, as a box (ℝ for most multivariate maps).
    func domain(dimension: Int) -> [Interval]
    /// The smallest box known to contain T(box) for inputs in `box` (support propagation
    /// through a chain before anything runs).
    func image(of box: [Interval]) -> [Interval]
    /// x ↦ T(x) in place; adds log|det J_T(x)| to `logAbsDet`.
    func forward(_ batch: inout PointBatch, logAbsDet: inout [Double])
    /// y ↦ T⁻¹(y) in place; adds log|det J_{T⁻¹}(y)| to `logAbsDet`.
    func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double])
}
