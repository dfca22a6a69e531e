/// A continuous normalizing flow: the base distribution p₀ at t = 0 carried to t = 1 by
/// dx/dt = v(t, x) (Chen et al. 2018; flows.md §7). Its density follows the instantaneous
/// change of variables,
///
///     log p₁(x₁) = log p₀(x₀) − ∫₀¹ ∇·v(t, x_t) dt,
///
/// computed by integrating the state and the divergence jointly, with the exact divergence
/// of the field. As for every other flow, by two routes (flows.md §1):
/// - "Eq. 5" (inverse): from x₁ backward to t = 0 with a(1) = 0, da/dt = ∇·v, so that
///   a(0) = −∫₀¹ ∇·v dt and log p₁(x₁) = log p₀(x₀) + a(0);
/// - "Eq. 4" (forward): from the recovered x₀ forward with a(0) = 0 to t = 1, giving x̂₁ and
///   log p₁(x̂₁) = log p₀(x₀) − a(1).
/// Their difference and the round-trip error ‖x̂₁ − x₁‖ measure the solver's error at the
/// tolerances used. A whole batch is one ODE system (one step sequence for all its points).
public struct ContinuousFlow: Sendable {
    public let base: any MultivariateDistribution
    public let field: any VelocityField

    public init(base: any MultivariateDistribution, field: any VelocityField) throws(FlowKitError) {
        guard base.dimension == field.dimension else {
            throw .dimensionMismatch(what: "continuous flow: base and field", expected: field.dimension, found: base.dimension)
        }
        self.base = base
        self.field = field
    }

    public var dimension: Int { field.dimension }

    /// The points carried by the flow from time `start` to time `end` (sampling: 0 → 1).
    public func transport(_ points: PointBatch, from start: Double, to end: Double,
                          solver: any ODESolver) throws(FlowKitError) -> (points: PointBatch, statistics: ODEStatistics) {
        try checkDimension(points)
        let n = points.count
        guard n > 0 else { return (points, ODEStatistics()) }
        let evaluator = field.makeEvaluator(capacity: n)
        var state = points.values
        let statistics = try solver.integrate(&state, from: start, to: end) { t, x, v in
            evaluator.evaluate(time: t, points: x, count: n, velocity: v, divergence: nil)
        }
        return (PointBatch(dimension: dimension, values: state), statistics)
    }

    /// `count` base draws carried to t = 1.
    public func sample(count: Int, using stream: inout RandomStream,
                       solver: any ODESolver) throws(FlowKitError) -> (points: PointBatch, statistics: ODEStatistics) {
        var batch = PointBatch(dimension: dimension, count: max(0, count))
        base.sample(into: &batch, using: &stream)
        return try transport(batch, from: 0, to: 1, solver: solver)
    }

    /// The positions at each of `times` (increasing from `times[0]`, the time of `points`).
    public func trajectories(_ points: PointBatch, times: [Double],
                             solver: any ODESolver) throws(FlowKitError) -> (positions: [PointBatch], statistics: ODEStatistics) {
        guard let first = times.first else { return ([], ODEStatistics()) }
        var positions = [points], statistics = ODEStatistics(), previous = first
        for t in times.dropFirst() {
            guard let current = positions.last else { break }
            let step = try transport(current, from: previous, to: t, solver: solver)
            positions.append(step.points)
            statistics = statistics + step.statistics
            previous = t
        }
        return (positions, statistics)
    }

    /// The log-density at `points` by both routes (see the type's documentation).
    public func logDensity(of points: PointBatch, solver: any ODESolver) throws(FlowKitError) -> ContinuousDensity {
        try checkDimension(points)
        let n = points.count, d = dimension
        let evaluator = field.makeEvaluator(capacity: max(1, n))
        // Augmented state [x (n × d), a (n)].
        let rightHandSide: ODERightHandSide = { t, s, ds in
            evaluator.evaluate(time: t, points: s, count: n, velocity: ds, divergence: ds + n * d)
        }
        var state = points.values + [Double](repeating: 0, count: n)
        let backward = n == 0 ? ODEStatistics() : try solver.integrate(&state, from: 1, to: 0, rightHandSide: rightHandSide)
        let basePoints = PointBatch(dimension: d, values: Array(state[0..<(n * d)]))
        let baseLogDensity = base.logDensity(basePoints)
        let logDensity = (0..<n).map { baseLogDensity[$0] + state[n * d + $0] }

        var forwardState = basePoints.values + [Double](repeating: 0, count: n)
        let forward = n == 0 ? ODEStatistics() : try solver.integrate(&forwardState, from: 0, to: 1, rightHandSide: rightHandSide)
        let forwardLogDensity = (0..<n).map { baseLogDensity[$0] - forwardState[n * d + $0] }
        let roundTrip = (0..<n).map { p in
            (0..<d).reduce(0.0) { sum, j in
                let e = forwardState[p * d + j] - points.values[p * d + j]
                return sum + e * e
            }.squareRoot()
        }
        return ContinuousDensity(logDensity: logDensity, forwardLogDensity: forwardLogDensity, basePoints: basePoints,
                                 roundTripError: roundTrip, backwardStatistics: backward, forwardStatistics: forward)
    }

    private func checkDimension(_ points: PointBatch) throws(FlowKitError) {
        guard points.dimension == dimension else {
            throw .dimensionMismatch(what: "continuous flow: points", expected: dimension, found: points.dimension)
        }
    }
}

/// The log-density of a ``ContinuousFlow`` by both routes, with the solver's checks.
public struct ContinuousDensity: Sendable {
    /// "Eq. 5": log p₀(x₀) + a(0) from the backward solve.
    public var logDensity: [Double]
    /// "Eq. 4": log p₀(x₀) − a(1) from the forward solve of the recovered x₀.
    public var forwardLogDensity: [Double]
    /// The recovered x₀ (the backward solve's end points).
    public var basePoints: PointBatch
    /// ‖x̂₁ − x₁‖ per point.
    public var roundTripError: [Double]
    public var backwardStatistics: ODEStatistics
    public var forwardStatistics: ODEStatistics

    /// max |Eq. 5 − Eq. 4| over the points.
    public var maximumRouteDifference: Double {
        zip(logDensity, forwardLogDensity).map { abs($0 - $1) }.max() ?? 0
    }

    public var maximumRoundTripError: Double { roundTripError.max() ?? 0 }
}
