import Foundation

/// The right-hand side of `count` independent systems dyᵢ/dt = f(tᵢ, yᵢ), each at its own
/// time: `states` and `derivatives` are row-major count × width, `times` has count entries.
public typealias PointwiseRightHandSide = (_ times: UnsafePointer<Double>, _ states: UnsafePointer<Double>, _ count: Int,
                                           _ derivatives: UnsafeMutablePointer<Double>) -> Void

/// Work and outcome of one system of a ``PointwiseDormandPrince`` solve.
public struct PointwiseOutcome: Sendable, Equatable {
    public var statistics = ODEStatistics()
    /// True when the solve of this system gave up (step size underflow, too many steps, a
    /// non-finite field); its state is then NaN.
    public var failed = false

    public init() {}
}

/// Dormand–Prince 5(4) ("dopri5", the tableau and step control of ``DormandPrince54``) with a
/// step size per system: a batch of n points is n independent ODE systems integrated in
/// lockstep, each with its own time, step, error estimate and accept/reject decision
/// (Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.4), the field being evaluated for all the
/// systems still running at once (one batched call per stage, with per-point times).
///
/// Unlike one solve of the whole batch as one system (whose RMS error norm lets one point's
/// error hide among the others'), every point meets `rtol`/`atol` on its own, and its result
/// depends only on its own state: a point gives the same value alone as in any batch (when the
/// field evaluates each point independently of the others), so densities from `eval`, from a
/// grid and from a sample agree to the last bit for any chunking or thread count.
public struct PointwiseDormandPrince: Sendable {
    public let relativeTolerance: Double
    public let absoluteTolerance: Double
    public let maximumSteps: Int

    public init(relativeTolerance: Double, absoluteTolerance: Double, maximumSteps: Int = 10_000) throws(FlowKitError) {
        // The same parameter rules as the batch solver.
        let checked = try DormandPrince54(relativeTolerance: relativeTolerance, absoluteTolerance: absoluteTolerance,
                                          maximumSteps: maximumSteps)
        self.relativeTolerance = checked.relativeTolerance
        self.absoluteTolerance = checked.absoluteTolerance
        self.maximumSteps = checked.maximumSteps
    }

    private typealias T = DormandPrince54

    /// Integrates the `count` systems of `width` values each in `states` (row-major) from
    /// `start` to `end` (either direction) and returns each system's work and outcome.
    public func integrate(_ states: inout [Double], width m: Int, count n: Int, from start: Double, to end: Double,
                          rightHandSide f: PointwiseRightHandSide) -> [PointwiseOutcome] {
        precondition(states.count == m * n && m > 0, "states must hold count × width values")
        var outcomes = [PointwiseOutcome](repeating: PointwiseOutcome(), count: n)
        guard n > 0, start != end else { return outcomes }
        let direction: Double = end > start ? 1 : -1
        let span = abs(end - start)
        let q = 5.0
        var k = [[Double]](repeating: [Double](repeating: 0, count: n * m), count: 7)
        var y1 = [Double](repeating: 0, count: n * m)
        var stage = [Double](repeating: 0, count: n * m), slope = stage
        var times = [Double](repeating: start, count: n)
        var t = [Double](repeating: start, count: n), h = [Double](repeating: 0, count: n), newTime = t
        var last = [Bool](repeating: false, count: n), rejected = [Bool](repeating: false, count: n)
        var active = Array(0..<n)

        /// Evaluates f at the stage rows built by `row(a, i, into:)` for every active system
        /// and stores the derivatives in k[target].
        func evaluate(_ target: Int, time: (Int) -> Double, row: (Int, UnsafeMutablePointer<Double>) -> Void) {
            let count = active.count
            stage.withUnsafeMutableBufferPointer { s in
                for (a, i) in active.enumerated() {
                    times[a] = time(i)
                    row(i, s.baseAddress! + a * m)
                }
            }
            times.withUnsafeBufferPointer { tb in
                stage.withUnsafeBufferPointer { sb in
                    slope.withUnsafeMutableBufferPointer { kb in f(tb.baseAddress!, sb.baseAddress!, count, kb.baseAddress!) }
                }
            }
            for (a, i) in active.enumerated() {
                for c in 0..<m { k[target][i * m + c] = slope[a * m + c] }
            }
            for i in active { outcomes[i].statistics.evaluations += 1 }
        }

        func norm(_ x: (Int) -> Double, _ i: Int, _ a: [Double], _ b: [Double]) -> Double {
            var sum = 0.0
            for c in 0..<m {
                let scale = absoluteTolerance + relativeTolerance * max(abs(a[i * m + c]), abs(b[i * m + c]))
                let r = x(c) / scale
                sum += r * r
            }
            return (sum / Double(m)).squareRoot()
        }

        // k1 at the start, then the starting step of Hairer et al. §II.4 per system.
        evaluate(0, time: { _ in start }) { i, row in for c in 0..<m { row[c] = states[i * m + c] } }
        var h0 = [Double](repeating: 0, count: n), d1 = h0
        for i in 0..<n {
            let d0 = norm({ states[i * m + $0] }, i, states, states)
            d1[i] = norm({ k[0][i * m + $0] }, i, states, states)
            h0[i] = min(d0 < 1e-5 || d1[i] < 1e-5 ? 1e-6 : 0.01 * d0 / d1[i], span)
        }
        evaluate(1, time: { start + direction * h0[$0] }) { i, row in
            for c in 0..<m { row[c] = states[i * m + c] + direction * h0[i] * k[0][i * m + c] }
        }
        for i in 0..<n {
            let d2 = norm({ k[1][i * m + $0] - k[0][i * m + $0] }, i, states, states) / h0[i]
            let h1 = max(d1[i], d2) <= 1e-15 ? max(1e-6, h0[i] * 1e-3) : pow(0.01 / max(d1[i], d2), 1 / q)
            h[i] = min(100 * h0[i], h1, span)
        }

        while !active.isEmpty {
            // Give up on systems out of steps or with an underflowing step.
            active = active.filter { i in
                let remaining = abs(end - t[i])
                last[i] = h[i] >= remaining
                if last[i] { h[i] = remaining }
                let steps = outcomes[i].statistics.acceptedSteps + outcomes[i].statistics.rejectedSteps
                guard steps < maximumSteps, h[i] > 4 * Double.ulpOfOne * max(abs(t[i]), 1e-300), h[i].isFinite else {
                    outcomes[i].failed = true
                    for c in 0..<m { states[i * m + c] = .nan }
                    return false
                }
                return true
            }
            if active.isEmpty { break }
            let hs = h.map { direction * $0 }
            evaluate(1, time: { t[$0] + T.c2 * hs[$0] }) { i, row in
                for c in 0..<m { row[c] = states[i * m + c] + hs[i] * T.a21 * k[0][i * m + c] }
            }
            evaluate(2, time: { t[$0] + T.c3 * hs[$0] }) { i, row in
                for c in 0..<m { let j = i * m + c; row[c] = states[j] + hs[i] * (T.a31 * k[0][j] + T.a32 * k[1][j]) }
            }
            evaluate(3, time: { t[$0] + T.c4 * hs[$0] }) { i, row in
                for c in 0..<m { let j = i * m + c; row[c] = states[j] + hs[i] * (T.a41 * k[0][j] + T.a42 * k[1][j] + T.a43 * k[2][j]) }
            }
            evaluate(4, time: { t[$0] + T.c5 * hs[$0] }) { i, row in
                for c in 0..<m {
                    let j = i * m + c
                    row[c] = states[j] + hs[i] * (T.a51 * k[0][j] + T.a52 * k[1][j] + T.a53 * k[2][j] + T.a54 * k[3][j])
                }
            }
            for i in active { newTime[i] = last[i] ? end : t[i] + hs[i] }
            evaluate(5, time: { newTime[$0] }) { i, row in
                for c in 0..<m {
                    let j = i * m + c
                    row[c] = states[j] + hs[i] * (T.a61 * k[0][j] + T.a62 * k[1][j] + T.a63 * k[2][j] + T.a64 * k[3][j] + T.a65 * k[4][j])
                }
            }
            for i in active {
                for c in 0..<m {
                    let j = i * m + c
                    y1[j] = states[j] + hs[i] * (T.b1 * k[0][j] + T.b3 * k[2][j] + T.b4 * k[3][j] + T.b5 * k[4][j] + T.b6 * k[5][j])
                }
            }
            evaluate(6, time: { newTime[$0] }) { i, row in for c in 0..<m { row[c] = y1[i * m + c] } }
            active = active.filter { i in
                let error = norm({ c in
                    let j = i * m + c
                    return hs[i] * (T.e1 * k[0][j] + T.e3 * k[2][j] + T.e4 * k[3][j] + T.e5 * k[4][j] + T.e6 * k[5][j] + T.e7 * k[6][j])
                }, i, states, y1)
                if error <= 1 {
                    outcomes[i].statistics.acceptedSteps += 1
                    for c in 0..<m { states[i * m + c] = y1[i * m + c]; k[0][i * m + c] = k[6][i * m + c] }
                    t[i] = newTime[i]
                    if last[i] { return false }
                    let growth = error == 0 ? 5 : min(5, max(0.2, 0.9 * pow(error, -1 / q)))
                    h[i] *= rejected[i] ? min(1, growth) : growth
                    rejected[i] = false
                } else {
                    outcomes[i].statistics.rejectedSteps += 1
                    h[i] *= error.isFinite ? max(0.2, 0.9 * pow(error, -1 / q)) : 0.2
                    rejected[i] = true
                }
                return true
            }
        }
        return outcomes
    }
}
