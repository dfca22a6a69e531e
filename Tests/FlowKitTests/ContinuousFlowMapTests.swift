import XCTest
import TestSupport
@testable import FlowKit

/// The ODE map of a continuous flow in a chain and its per-point Dormand–Prince solver.
final class ContinuousFlowMapTests: XCTestCase {
    func field(seed: UInt64 = 7) -> (NeuralVelocityField, [Double]) {
        let network = NeuralVelocityField(dimension: 2, hidden: [8, 8])
        var stream = RandomStream(seed: seed, stream: 1)
        return (network, network.initialParameters(using: &stream))
    }

    /// dyᵢ/dt = λᵢ·yᵢ with a different λ per system (carried in the state, dλ/dt = 0: the
    /// right-hand side sees only the systems still running): yᵢ(1) = yᵢ(0)·e^{λᵢ} within the
    /// tolerance, and each system takes its own number of steps (a stiffer one more).
    func testPointwiseDopri5SolvesEachSystemOnItsOwn() throws {
        let lambdas = [-0.5, 1.0, 3.0, -6.0]
        let start = [1.0, 2.0, -1.0, 0.5]
        let solver = try PointwiseDormandPrince(relativeTolerance: 1e-9, absoluteTolerance: 1e-12)
        let exponential: PointwiseRightHandSide = { _, states, count, derivatives in
            for p in 0..<count {
                derivatives[2 * p] = states[2 * p + 1] * states[2 * p]
                derivatives[2 * p + 1] = 0
            }
        }
        var state = (0..<4).flatMap { [start[$0], lambdas[$0]] }
        let outcomes = solver.integrate(&state, width: 2, count: 4, from: 0, to: 1, rightHandSide: exponential)
        for p in 0..<4 {
            XCTAssertFalse(outcomes[p].failed)
            let exact = start[p] * exp(lambdas[p])
            XCTAssertEqual(state[2 * p], exact, accuracy: 1e-8 * abs(exact), "system \(p)")
        }
        XCTAssertGreaterThan(outcomes[3].statistics.evaluations, outcomes[0].statistics.evaluations, "λ = −6 needs more steps than λ = −0.5")
        // Backward in time from the solution returns to the start.
        var back = state
        _ = solver.integrate(&back, width: 2, count: 4, from: 1, to: 0, rightHandSide: exponential)
        for p in 0..<4 { XCTAssertEqual(back[2 * p], start[p], accuracy: 1e-7 * abs(start[p])) }
        // Time-dependent: dy/dt = t at each system's own time gives y(1) = y(0) + 1/2.
        var ramp = [0.0, 3.0]
        _ = solver.integrate(&ramp, width: 1, count: 2, from: 0, to: 1) { times, _, count, derivatives in
            for p in 0..<count { derivatives[p] = times[p] }
        }
        XCTAssertEqual(ramp[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(ramp[1], 3.5, accuracy: 1e-12)
    }

    /// A point gives the same value and log-det alone as in a batch (of more than one block).
    func testAPointsResultDoesNotDependOnItsBatch() throws {
        let (network, theta) = field()
        let map = try ContinuousFlowMap(network: network, parameters: theta, method: .dopri5(relativeTolerance: 1e-6, absoluteTolerance: 1e-6))
        var stream = RandomStream(seed: 3, stream: 0)
        var batch = PointBatch(dimension: 2, count: 300)
        for i in 0..<batch.values.count { batch.values[i] = 2 * stream.nextStandardNormal() }
        var all = batch
        var logDet = [Double](repeating: 0, count: 300)
        let work = map.solve(&all, from: 0, to: 1, logAbsDet: &logDet)
        XCTAssertEqual(work.points, 300)
        XCTAssertEqual(work.failures, 0)
        for i in [0, 5, 255, 256, 299] {
            var one = PointBatch(dimension: 2, values: batch.point(i))
            var oneDet = [0.0]
            map.forward(&one, logAbsDet: &oneDet)
            XCTAssertEqual(one.values[0], all[i, 0], accuracy: 1e-14, "point \(i)")
            XCTAssertEqual(one.values[1], all[i, 1], accuracy: 1e-14, "point \(i)")
            XCTAssertEqual(oneDet[0], logDet[i], accuracy: 1e-13, "point \(i)")
        }
    }

    /// Inverse after forward returns the point and the inverse log-det is minus the forward one
    /// (to the solver's tolerance); the forward log-det is log|det| of the central-difference
    /// Jacobian of the solution map.
    func testRoundTripAndLogDetAgainstFiniteDifferences() throws {
        let (network, theta) = field(seed: 11)
        let tolerance = 1e-10
        let map = try ContinuousFlowMap(network: network, parameters: theta, method: .dopri5(relativeTolerance: tolerance, absoluteTolerance: tolerance))
        let points = PointBatch(dimension: 2, values: [0.3, -0.7, -1.5, 1.2, 2.0, 0.1])
        var y = points
        var forward = [Double](repeating: 0, count: 3)
        map.forward(&y, logAbsDet: &forward)
        var x = y
        var inverse = [Double](repeating: 0, count: 3)
        map.inverse(&x, logAbsDet: &inverse)
        for i in 0..<3 {
            XCTAssertEqual(x[i, 0], points[i, 0], accuracy: 1e-8)
            XCTAssertEqual(x[i, 1], points[i, 1], accuracy: 1e-8)
            // SELU's derivative jumps at 0, so the divergence jumps in t wherever a hidden unit
            // changes sign and dopri5's error estimate is optimistic across the jump: the two
            // log-dets agree to ~3e-8 at a 1e-10 tolerance (measured 2.7e-8 with fused kernels).
            XCTAssertEqual(inverse[i], -forward[i], accuracy: 1e-7)
            let h = 1e-4
            var columns: [[Double]] = []
            for j in 0..<2 {
                var plus = PointBatch(dimension: 2, values: points.point(i)), minus = plus
                plus.values[j] += h
                minus.values[j] -= h
                var ignored = [0.0]
                map.forward(&plus, logAbsDet: &ignored)
                map.forward(&minus, logAbsDet: &ignored)
                columns.append([(plus.values[0] - minus.values[0]) / (2 * h), (plus.values[1] - minus.values[1]) / (2 * h)])
            }
            let determinant = columns[0][0] * columns[1][1] - columns[1][0] * columns[0][1]
            XCTAssertEqual(forward[i], log(abs(determinant)), accuracy: 1e-6, "point \(i)")
        }
    }

    /// rk4 with many steps and dopri5 at a tight tolerance agree, and rk4 costs 4·steps
    /// evaluations. SELU's derivative jumps at 0, so the divergence (first derivatives of the
    /// network) is discontinuous along a path and rk4's log-det error is O(h) there, not O(h⁴)
    /// (measured 5e-6 at 200 steps); dopri5 resolves the kink by rejecting steps.
    func testRK4AgreesWithDopri5() throws {
        let (network, theta) = field(seed: 5)
        let rk4 = try ContinuousFlowMap(network: network, parameters: theta, method: .rk4(steps: 200))
        let dopri5 = try ContinuousFlowMap(network: network, parameters: theta, method: .dopri5(relativeTolerance: 1e-11, absoluteTolerance: 1e-11))
        let points = PointBatch(dimension: 2, values: [0.5, 0.5, -1, 2])
        var a = points, b = points
        var la = [0.0, 0.0], lb = [0.0, 0.0]
        let work = rk4.solve(&a, from: 1, to: 0, logAbsDet: &la)
        dopri5.inverse(&b, logAbsDet: &lb)
        XCTAssertEqual(work.evaluations, 2 * 800)
        for k in 0..<4 { XCTAssertEqual(a.values[k], b.values[k], accuracy: 1e-7) }
        for k in 0..<2 { XCTAssertEqual(la[k], lb[k], accuracy: 2e-5) }
        XCTAssertThrowsError(try ContinuousFlowMap(network: network, parameters: theta, method: .rk4(steps: 0)))
        XCTAssertThrowsError(try ContinuousFlowMap(network: network, parameters: [1, 2], method: .rk4(steps: 1)))
    }

    /// Paths (points only, one solve per interval) end where the joint solve ends and start at
    /// the points. At a tight tolerance: SELU's kinked derivative makes dopri5's error estimate
    /// optimistic where a path crosses a kink (at 1e-8 the two solves differed by 5e-6).
    func testTrajectoriesEndWhereTheMapSends() throws {
        let (network, theta) = field(seed: 2)
        let map = try ContinuousFlowMap(network: network, parameters: theta, method: .dopri5(relativeTolerance: 1e-12, absoluteTolerance: 1e-12))
        let points = PointBatch(dimension: 2, values: [0.2, 0.1, -1, 1.5])
        let paths = map.trajectories(points, times: [0, 0.25, 0.5, 1])
        XCTAssertEqual(paths.positions.count, 4)
        XCTAssertEqual(paths.positions[0], points)
        var y = points
        var logDet = [0.0, 0.0]
        map.forward(&y, logAbsDet: &logDet)
        for k in 0..<4 { XCTAssertEqual(paths.positions[3].values[k], y.values[k], accuracy: 1e-6) }
        XCTAssertGreaterThan(paths.work.evaluations, 0)
    }
}

/// The threads of a solve: any cap gives the same bits, and inside another reduction's worker
/// the solve stays on that thread.
final class ContinuousFlowMapJobsTests: XCTestCase {
    func testJobsOneAndTwoGiveBitIdenticalSolves() throws {
        let network = NeuralVelocityField(dimension: 2, hidden: [8], activation: .tanh)
        var stream = RandomStream(seed: 8, stream: 0)
        let theta = network.initialParameters(using: &stream)
        var batch = PointBatch(dimension: 2, count: 3 * ContinuousFlowMap.blockSize + 7)
        for i in 0..<batch.values.count { batch.values[i] = 2 * stream.nextStandardNormal() }
        for method in [ODEMethod.dopri5(relativeTolerance: 1e-5, absoluteTolerance: 1e-5), .rk4(steps: 8)] {
            let serial = try ContinuousFlowMap(network: network, parameters: theta, method: method, jobs: 1)
            XCTAssertEqual(serial.jobs, 1)
            XCTAssertEqual(serial.solving(jobs: 2).jobs, 2)
            XCTAssertEqual(serial.solving(jobs: 0).jobs, 1)
            var results: [[Double]] = []
            var works: [ContinuousFlowWork] = []
            for map in [serial, serial.solving(jobs: 2)] {
                var points = batch
                var logDet = [Double](repeating: 0, count: batch.count)
                works.append(map.solve(&points, from: 0, to: 1, logAbsDet: &logDet))
                results.append(points.values + logDet)
            }
            // The same solve run inside the workers of a two-thread reduction.
            let input = batch
            let nested = ChunkedReduction(jobs: 2, wave: 2).run(chunkCount: 2, into: [[Double]](), work: { _ -> [Double] in
                XCTAssertTrue(ChunkedReduction.isParallelWorker)
                var points = input
                var logDet = [Double](repeating: 0, count: input.count)
                serial.solving(jobs: 2).solve(&points, from: 0, to: 1, logAbsDet: &logDet)
                return points.values + logDet
            }, merge: { $0.append($1) })
            XCTAssertFalse(ChunkedReduction.isParallelWorker)
            XCTAssertEqual(results[0], results[1], "\(method)")
            XCTAssertEqual(nested, [results[0], results[0]], "\(method)")
            XCTAssertEqual(works[0], works[1])
            XCTAssertTrue(results[0].allSatisfy(\.isFinite))
        }
    }
}
