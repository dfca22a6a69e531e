/// A normalizing flow: a base distribution p₀ on ℝᵈ pushed through a ``TransformChain`` in
/// the generative order, x_K = f_K ∘ … ∘ f_1(x_0) with x_0 ~ p₀.
///
/// Its density follows from the change of variables (flows.md §1), which this type offers
/// in all three forms so that they can be checked against each other:
///
/// - sampling (Rezende & Mohamed 2015, eq. 7): log p_K(x_K) = log p₀(x_0) − Σ_k log|det ∂f_k/∂x_{k−1}|
///   from the forward pass alone;
/// - "Eq. 5", ``logDensityByInverse(_:)``: log p(y) = log p₀(T⁻¹(y)) + Σ_k log|det J_{f_k⁻¹}(y_k)|,
///   the inverse pass with the inverse log-dets;
/// - "Eq. 4", ``logDensityByForward(_:)``: the preimages x_{k−1} = f_k⁻¹(x_k) from the inverse
///   pass, then log p(y) = log p₀(x_0) − Σ_k log|det J_{f_k}(x_{k−1})| with the forward log-dets.
///
/// Points outside the flow's support box (``support``, give or take 8 ulps, checked first so
/// that rounding on the way back cannot carry a point well outside into the base support),
/// or whose preimage would leave a map's codomain on the way back, get log density −∞, never
/// NaN.
public struct Flow: Sendable {
    public let base: any MultivariateDistribution
    public let chain: TransformChain
    /// A box containing the support of every stage x_0, …, x_K: the base support propagated
    /// through the chain (``TransformChain/stageSupports(from:)``).
    public let stageSupports: [[Interval]]
    /// A box containing the support of the output x_K (the last of ``stageSupports``).
    public var support: [Interval] { stageSupports[stageSupports.count - 1] }
    /// `support` widened by 8 ulps at each finite end: the first membership test of the density
    /// methods, lenient so that rounding in a map's image never excludes a valid point.
    private let supportCheck: [Interval]

    /// Throws ``FlowKitError/dimensionMismatch`` when the chain and the base disagree on the
    /// dimension, and ``FlowKitError/outsideDomain`` when the base support, propagated through
    /// the chain, leaves the domain of some map (``TransformChain/firstDomainViolation(startingFrom:)``),
    /// e.g. `log` after a normal.
    public init(base: any MultivariateDistribution, chain: TransformChain) throws(FlowKitError) {
        let d = base.dimension
        if chain.pointDimension != d {
            throw .dimensionMismatch(what: "transform chain of the flow", expected: d, found: chain.pointDimension)
        }
        if let violation = chain.firstDomainViolation(startingFrom: base.support) {
            throw .outsideDomain(transform: "transform \(violation.step + 1) (\(violation.name))",
                                 value: "support " + Self.describe(violation.support),
                                 domain: Self.describe(violation.domain))
        }
        self.base = base
        self.chain = chain
        let stageSupports = chain.stageSupports(from: base.support)
        self.stageSupports = stageSupports
        self.supportCheck = stageSupports[stageSupports.count - 1].map { $0.widened() }
    }

    public var dimension: Int { base.dimension }

    /// `count` independent draws x_K and their log densities from the forward pass alone
    /// (Rezende & Mohamed eq. 7), using only `stream`. For large runs, draw chunk i from
    /// stream i (``ChunkedReduction``), so that results do not depend on the thread count.
    public func sample(count: Int, using stream: inout RandomStream) -> (points: PointBatch, logDensity: [Double]) {
        var points = PointBatch(dimension: dimension, count: count)
        var logDensity = [Double](repeating: 0, count: count)
        sample(into: &points, logDensity: &logDensity, using: &stream)
        return (points, logDensity)
    }

    /// Overwrites `points` with `points.count` draws and `logDensity` (same count) with their
    /// log densities, log p₀(x₀) − Σ_k log|det ∂f_k/∂x_{k−1}|, reusing the caller's buffers.
    public func sample(into points: inout PointBatch, logDensity: inout [Double], using stream: inout RandomStream) {
        precondition(points.dimension == dimension && logDensity.count == points.count, "buffers must match the flow")
        base.sample(into: &points, using: &stream)
        let logBase = base.logDensity(points)
        for i in logDensity.indices { logDensity[i] = 0 }
        chain.forward(&points, logAbsDet: &logDensity)
        for i in logDensity.indices { logDensity[i] = logBase[i] - logDensity[i] }
    }

    /// log p(y) by "Eq. 5": the inverse pass f_K⁻¹, …, f_1⁻¹ with the inverse log-dets.
    public func logDensityByInverse(_ y: PointBatch) -> [Double] {
        precondition(y.dimension == dimension, "points must have the flow's dimension")
        var current = y
        var valid = [Bool](repeating: true, count: y.count)
        var logAbsDet = [Double](repeating: 0, count: y.count)
        Self.restrict(&current, to: supportCheck, valid: &valid)
        for map in chain.maps.reversed() {
            Self.restrict(&current, to: map.codomain(dimension: dimension), valid: &valid)
            map.inverse(&current, logAbsDet: &logAbsDet)
        }
        let logBase = base.logDensity(current)
        return (0..<y.count).map { i in Self.clean(valid[i] ? logBase[i] + logAbsDet[i] : -.infinity) }
    }

    /// log p(y) by "Eq. 4": the preimages from the inverse pass, then the forward log-dets
    /// log|det J_{f_k}(x_{k−1})| evaluated at them and subtracted from log p₀(x_0).
    public func logDensityByForward(_ y: PointBatch) -> [Double] {
        precondition(y.dimension == dimension, "points must have the flow's dimension")
        let maps = chain.maps
        var current = y
        var valid = [Bool](repeating: true, count: y.count)
        var scratch = [Double](repeating: 0, count: y.count)
        Self.restrict(&current, to: supportCheck, valid: &valid)
        var preimages = [PointBatch](repeating: y, count: maps.count)
        for k in maps.indices.reversed() {
            Self.restrict(&current, to: maps[k].codomain(dimension: dimension), valid: &valid)
            maps[k].inverse(&current, logAbsDet: &scratch)
            preimages[k] = current
        }
        var forwardLogAbsDet = [Double](repeating: 0, count: y.count)
        for k in maps.indices {
            var input = preimages[k]
            maps[k].forward(&input, logAbsDet: &forwardLogAbsDet)
        }
        let logBase = base.logDensity(current)
        return (0..<y.count).map { i in Self.clean(valid[i] ? logBase[i] - forwardLogAbsDet[i] : -.infinity) }
    }

    /// log p(y) (by the inverse pass, "Eq. 5").
    public func logDensity(_ y: PointBatch) -> [Double] { logDensityByInverse(y) }

    /// The K + 1 stages x_0, …, x_K of the forward pass from `x0`, for figures of the density
    /// after each map.
    public func stages(of x0: PointBatch) -> [PointBatch] { chain.stages(x0) }

    // MARK: - Helpers

    /// Marks points with a coordinate outside `box` invalid and moves those points to an
    /// interior point of `box`, so that no map ever sees an input outside its codomain
    /// (their values no longer matter; their log density will be −∞).
    private static func restrict(_ batch: inout PointBatch, to box: [Interval], valid: inout [Bool]) {
        let d = batch.dimension
        batch.values.withUnsafeMutableBufferPointer { values in
            for i in 0..<valid.count {
                var inside = true
                for j in 0..<d where !box[j].contains(values[i * d + j]) { inside = false }
                if !inside {
                    valid[i] = false
                    for j in 0..<d { values[i * d + j] = interiorPoint(of: box[j]) }
                }
            }
        }
    }

    /// A point strictly inside `interval` (a midpoint, or one unit in from a finite end).
    static func interiorPoint(of interval: Interval) -> Double {
        switch (interval.lower.isFinite, interval.upper.isFinite) {
        case (true, true): return interval.lower / 2 + interval.upper / 2
        case (true, false): return interval.lower + max(1, abs(interval.lower))
        case (false, true): return interval.upper - max(1, abs(interval.upper))
        case (false, false): return 0
        }
    }

    /// NaN (from an arithmetic accident at the edge of the support) becomes −∞.
    @inline(__always)
    private static func clean(_ value: Double) -> Double { value.isNaN ? -.infinity : value }

    static func describe(_ box: [Interval]) -> String {
        guard let first = box.first else { return "∅" }
        if box.allSatisfy({ $0 == first }) { return box.count == 1 ? first.description : first.description + "^\(box.count)" }
        return box.map(\.description).joined(separator: " × ")
    }
}
