import Foundation

/// The ODE solver of a ``ContinuousFlowMap`` (the spec's `ode:` section).
public enum ODEMethod: Sendable, Equatable, CustomStringConvertible {
    /// Classical Runge–Kutta with `steps` equal steps over [0, 1] (``RungeKutta4``).
    case rk4(steps: Int)
    /// Dormand–Prince 5(4) with a step size per point (``PointwiseDormandPrince``).
    case dopri5(relativeTolerance: Double, absoluteTolerance: Double)

    public var description: String {
        switch self {
        case let .rk4(steps): return "rk4 with \(steps) steps"
        case let .dopri5(rtol, atol): return "dopri5 with rtol \(rtol), atol \(atol)"
        }
    }
}

/// Work of the solves behind one call of a ``ContinuousFlowMap``.
public struct ContinuousFlowWork: Sendable, Equatable {
    /// Points solved.
    public var points = 0
    /// Field evaluations summed over the points (a batched evaluation of k points counts k).
    public var evaluations = 0
    /// The most evaluations any one point needed.
    public var maximumEvaluations = 0
    /// Points whose solve failed (their value and log-det are NaN).
    public var failures = 0

    public init() {}

    /// Mean field evaluations per point ("NFE").
    public var meanEvaluations: Double { points > 0 ? Double(evaluations) / Double(points) : 0 }

    public static func + (a: ContinuousFlowWork, b: ContinuousFlowWork) -> ContinuousFlowWork {
        var sum = ContinuousFlowWork()
        sum.points = a.points + b.points
        sum.evaluations = a.evaluations + b.evaluations
        sum.maximumEvaluations = max(a.maximumEvaluations, b.maximumEvaluations)
        sum.failures = a.failures + b.failures
        return sum
    }
}

/// A continuous flow as one map of a chain: T(x₀) = x(1) for dx/dt = v_θ(t, x), x(0) = x₀
/// (Chen et al. 2018; Lipman et al. 2023; flows.md §7), with the instantaneous change of
/// variables giving its log-determinant,
///
///     log|det J_T(x₀)| = ∫₀¹ ∇·v_θ(t, x_t) dt,
///
/// integrated jointly with the state (augmented state [x, a], da/dt = ∇·v, a(start) = 0) by
/// the configured solver, with the exact divergence of ``NeuralVelocityField``. `forward` solves
/// t: 0 → 1 and adds a(1) = ∫₀¹ ∇·v dt; `inverse` solves t: 1 → 0 and adds a(0) = −∫₀¹ ∇·v dt
/// = log|det J_{T⁻¹}(x₁)|. So a chain holding this map gets Eq. 4, Eq. 5, the round trip and
/// the finite-difference log-det check like any other, each now measuring the solver's error.
///
/// Batches are solved in blocks of ``blockSize`` points (bounded scratch). With `dopri5` every
/// point has its own step size (``PointwiseDormandPrince``: each meets the tolerances on its own,
/// the accumulator a included in the error norm); `rk4` takes the same equal steps for every
/// point. Either way a point's result does not depend on the batch it is solved in, so the
/// values are the same for any number of threads. The blocks run on up to ``jobs`` threads
/// (a run passes its `--jobs`, ``solving(jobs:)``), and on the calling thread alone when it is
/// already a worker of a parallel reduction (``ChunkedReduction/isParallelWorker``).
public struct ContinuousFlowMap: Bijection {
    public let network: NeuralVelocityField
    public let parameters: [Double]
    public let method: ODEMethod
    /// Threads for the blocks of one solve (at least 1).
    public var jobs: Int { threads }
    private var threads: Int
    public var name: String { "flow_matching" }
    public var dimension: Int? { network.dimension }
    public var hasClosedFormInverse: Bool { false }
    public var hasConstantJacobian: Bool { false }

    /// Points per block of a solve.
    public static let blockSize = 256

    /// Throws when the parameter count does not fit the network or the method's settings are
    /// invalid (rk4: steps ≥ 1; dopri5: tolerances ≥ 0 with a positive sum).
    /// `jobs` caps the threads of a solve (default: the machine's cores).
    public init(network: NeuralVelocityField, parameters: [Double], method: ODEMethod,
                jobs: Int = ChunkedReduction.availableCores) throws(FlowKitError) {
        guard parameters.count == network.parameterCount else {
            throw .dimensionMismatch(what: "flow_matching parameters", expected: network.parameterCount, found: parameters.count)
        }
        switch method {
        case let .rk4(steps): _ = try RungeKutta4(steps: steps)
        case let .dopri5(rtol, atol): _ = try PointwiseDormandPrince(relativeTolerance: rtol, absoluteTolerance: atol)
        }
        self.network = network
        self.parameters = parameters
        self.method = method
        self.threads = max(1, jobs)
    }

    /// The same map solving on at most `jobs` threads (the values do not change).
    public func solving(jobs: Int) -> ContinuousFlowMap {
        var copy = self
        copy.threads = max(1, jobs)
        return copy
    }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }
    public func image(of box: [Interval]) -> [Interval] { [Interval](repeating: .real, count: box.count) }
    public func preimage(of box: [Interval]) -> [Interval] { [Interval](repeating: .real, count: box.count) }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        _ = solve(&batch, from: 0, to: 1, logAbsDet: &logAbsDet)
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        _ = solve(&batch, from: 1, to: 0, logAbsDet: &logAbsDet)
    }

    /// Carries `batch` from time `start` to `end` in place, adds a(end) = ∫_start^end ∇·v dt to
    /// `logAbsDet` and returns the work done. With `divergence: false` only the points are
    /// integrated (a third of the work per evaluation in 2-D; with dopri5 the steps then differ
    /// from the joint solve's within the tolerance): for drawing paths, never for densities.
    @discardableResult
    public func solve(_ batch: inout PointBatch, from start: Double, to end: Double,
                      logAbsDet: inout [Double], divergence withDivergence: Bool = true) -> ContinuousFlowWork {
        precondition(batch.dimension == network.dimension && logAbsDet.count == batch.count, "batch must fit the map")
        let d = network.dimension, n = batch.count
        guard n > 0 else { return ContinuousFlowWork() }
        let blocks = (n + Self.blockSize - 1) / Self.blockSize
        let input = batch
        // Blocks on up to `jobs` threads (a point's result does not depend on its block, so the
        // values are the same for any number of threads), merged in block order; on this
        // thread alone inside another reduction's worker.
        let jobs = blocks > 1 && !ChunkedReduction.isParallelWorker ? self.jobs : 1
        let solved = ChunkedReduction(jobs: jobs, wave: max(1, blocks)).run(
            chunkCount: blocks, into: [(values: [Double], logDet: [Double], work: ContinuousFlowWork)](),
            work: { b in
                let first = b * Self.blockSize, count = min(Self.blockSize, n - first)
                return solveBlock(Array(input.values[(first * d)..<((first + count) * d)]), count: count, from: start, to: end,
                                  divergence: withDivergence)
            },
            merge: { $0.append($1) })
        var work = ContinuousFlowWork()
        for (b, block) in solved.enumerated() {
            let first = b * Self.blockSize
            for (k, value) in block.values.enumerated() { batch.values[first * d + k] = value }
            if withDivergence {
                for (p, value) in block.logDet.enumerated() { logAbsDet[first + p] += value }
            }
            work = work + block.work
        }
        return work
    }

    /// One block of up to ``blockSize`` points (row-major `values`): the solved points, a(end)
    /// per point (NaN where the solve failed) and the work.
    private func solveBlock(_ values: [Double], count: Int, from start: Double, to end: Double,
                            divergence withDivergence: Bool) -> (values: [Double], logDet: [Double], work: ContinuousFlowWork) {
        let d = network.dimension, m = withDivergence ? d + 1 : d
        var work = ContinuousFlowWork()
        let workspace = network.makeWorkspace(capacity: count)
        var points = [Double](repeating: 0, count: count * d)
        var velocity = points
        var divergence = [Double](repeating: 0, count: count)
        // f(t, [x, a]) = [v(t, x), ∇·v(t, x)] for rows of width d + 1, each at its own time.
        let rightHandSide: PointwiseRightHandSide = { times, states, count, derivatives in
            for p in 0..<count {
                for j in 0..<d { points[p * d + j] = states[p * m + j] }
            }
            parameters.withUnsafeBufferPointer { theta in
                points.withUnsafeBufferPointer { x in
                    velocity.withUnsafeMutableBufferPointer { v in
                        divergence.withUnsafeMutableBufferPointer { div in
                            network.forward(parameters: theta.baseAddress!, points: x.baseAddress!, time: .perPoint(times),
                                            count: count, workspace: workspace, velocity: v.baseAddress!)
                            if withDivergence {
                                network.divergence(parameters: theta.baseAddress!, count: count, workspace: workspace, into: div.baseAddress!)
                            }
                        }
                    }
                }
            }
            for p in 0..<count {
                for j in 0..<d { derivatives[p * m + j] = velocity[p * d + j] }
                if withDivergence { derivatives[p * m + d] = divergence[p] }
            }
        }
        var state = [Double](repeating: 0, count: count * m)
        for p in 0..<count {
            for j in 0..<d { state[p * m + j] = values[p * d + j] }
        }
        var outcomes: [PointwiseOutcome]
        switch method {
        case let .dopri5(rtol, atol):
            // The tolerances were checked by init.
            let solver = try? PointwiseDormandPrince(relativeTolerance: rtol, absoluteTolerance: atol)
            outcomes = solver?.integrate(&state, width: m, count: count, from: start, to: end, rightHandSide: rightHandSide)
                ?? [PointwiseOutcome](repeating: PointwiseOutcome(), count: count)
        case let .rk4(steps):
            var times = [Double](repeating: 0, count: count)
            var statistics = ODEStatistics()
            if let solver = try? RungeKutta4(steps: steps) {
                statistics = (try? solver.integrate(&state, from: start, to: end) { t, s, ds in
                    for p in 0..<count { times[p] = t }
                    times.withUnsafeBufferPointer { rightHandSide($0.baseAddress!, s, count, ds) }
                }) ?? ODEStatistics()
            }
            var one = PointwiseOutcome()
            one.statistics = statistics
            outcomes = [PointwiseOutcome](repeating: one, count: count)
        }
        var out = [Double](repeating: 0, count: count * d)
        var logDet = [Double](repeating: 0, count: count)
        for p in 0..<count {
            var failed = outcomes[p].failed
            for c in 0..<m where !state[p * m + c].isFinite { failed = true }
            for j in 0..<d { out[p * d + j] = failed ? .nan : state[p * m + j] }
            logDet[p] = failed || !withDivergence ? (failed ? .nan : 0) : state[p * m + d]
            let evaluations = outcomes[p].statistics.evaluations
            work.evaluations += evaluations
            work.maximumEvaluations = max(work.maximumEvaluations, evaluations)
            if failed { work.failures += 1 }
        }
        work.points = count
        return (out, logDet, work)
    }

    /// The positions of `points` at each of `times` (increasing from `times[0]`, the time of
    /// `points`), integrating the points only (``solve(_:from:to:logAbsDet:divergence:)``), one
    /// solve per interval.
    public func trajectories(_ points: PointBatch, times: [Double]) -> (positions: [PointBatch], work: ContinuousFlowWork) {
        guard let first = times.first else { return ([], ContinuousFlowWork()) }
        var positions = [points], work = ContinuousFlowWork(), previous = first
        var current = points
        for t in times.dropFirst() {
            var ignored = [Double](repeating: 0, count: points.count)
            work = work + solve(&current, from: previous, to: t, logAbsDet: &ignored, divergence: false)
            positions.append(current)
            previous = t
        }
        return (positions, work)
    }
}
