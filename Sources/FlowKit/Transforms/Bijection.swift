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
    /// Whether the inverse has a closed form (false for planar: root finding; radial has one,
    /// the root of a quadratic, flows.md §3).
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
    /// T(domain) per coordinate (default: `image(of: domain(dimension:))`).
    func codomain(dimension: Int) -> [Interval]
    /// A box containing T⁻¹(box): the inputs that can reach `box` (default: the domain).
    func preimage(of box: [Interval]) -> [Interval]
    /// Checked single-point forward pass: throws ``FlowKitError/outsideDomain`` (or
    /// ``FlowKitError/dimensionMismatch``) instead of returning NaN (default: checks the
    /// domain box; a chain checks every step).
    func forwardChecked(_ x: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double)
    /// Checked single-point inverse pass (default: checks the codomain box).
    func inverseChecked(_ y: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double)
}

// MARK: - Default implementations
extension Bijection {
    /// T(domain), as a box (the image of the domain box by default).
    public func codomain(dimension: Int) -> [Interval] {
        image(of: domain(dimension: dimension))
    }

    /// A box known to contain T⁻¹(box ∩ codomain); by default the whole domain (elementwise
    /// maps return the exact preimage).
    public func preimage(of box: [Interval]) -> [Interval] {
        domain(dimension: box.count)
    }

    /// x ↦ (T(x), log|det J_T(x)|) for one point, after checking that x has the right dimension
    /// and lies in the domain.
    public func forwardChecked(_ x: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        try checkMembership(x, in: domain(dimension: x.count))
        var batch = PointBatch(dimension: x.count, values: x)
        var logAbsDet = [0.0]
        forward(&batch, logAbsDet: &logAbsDet)
        return (batch.values, logAbsDet[0])
    }

    /// y ↦ (T⁻¹(y), log|det J_{T⁻¹}(y)|) for one point, after checking that y has the right
    /// dimension and lies in the codomain.
    public func inverseChecked(_ y: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        try checkMembership(y, in: codomain(dimension: y.count))
        var batch = PointBatch(dimension: y.count, values: y)
        var logAbsDet = [0.0]
        inverse(&batch, logAbsDet: &logAbsDet)
        return (batch.values, logAbsDet[0])
    }

    /// Whether inputs whose support is `box` lie in the domain almost everywhere: the rule of
    /// support propagation through a chain, used by the spec check and by ``Flow``.
    ///
    /// End points have measure zero (``Interval/containsAlmostEverywhere(_:)``: `log` after
    /// uniform(0, 1) is fine), and ends of `box` within 8 ulps outside the domain count as
    /// inside: images of maps are rounded outward (the image of [0, 1] under x ↦ 2x may start
    /// at −5e−324), and such a box is not a real violation.
    public func admits(support box: [Interval]) -> Bool {
        zip(domain(dimension: box.count), box).allSatisfy { $0.widened().containsAlmostEverywhere($1) }
    }

    /// Whether every coordinate of `x` lies in the domain (and the dimension fits).
    public func isInDomain(_ x: [Double]) -> Bool {
        (try? checkMembership(x, in: domain(dimension: x.count))) != nil
    }

    /// Throws unless `point` has this map's dimension, is non-empty and lies in `box`.
    func checkMembership(_ point: [Double], in box: [Interval]) throws(FlowKitError) {
        if let d = dimension, d != point.count {
            throw .dimensionMismatch(what: "input of \(name)", expected: d, found: point.count)
        }
        if point.isEmpty { throw .dimensionMismatch(what: "input of \(name)", expected: 1, found: 0) }
        for (x, interval) in zip(point, box) where !interval.contains(x) {
            throw .outsideDomain(transform: name, value: Self.describe(point), domain: Self.describe(box))
        }
    }

    static func describe(_ point: [Double]) -> String {
        point.count == 1 ? "\(point[0])" : "(" + point.map { "\($0)" }.joined(separator: ", ") + ")"
    }

    static func describe(_ box: [Interval]) -> String {
        guard let first = box.first else { return "∅" }
        if box.allSatisfy({ $0 == first }) {
            return box.count == 1 ? first.description : first.description + "^\(box.count)"
        }
        return box.map(\.description).joined(separator: " × ")
    }
}
