import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// RK4 and Dopri5 on ODEs with closed-form solutions: exact counts of evaluations, measured
/// orders of convergence, error against tolerance, backward integration.
final class ODESolverTests: XCTestCase {
    /// y′ = y·cos t, y(0) = 1 ⇒ y = exp(sin t); a batch of three independent copies with
    /// y(0) = 1, 2, −0.5 (the solution scales).
    private static func growth(_ t: Double, _ y: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        for i in 0..<3 { dy[i] = y[i] * cos(t) }
    }
    private static let growthStart: [Double] = [1, 2, -0.5]
    private static func growthExact(_ t: Double) -> [Double] { growthStart.map { $0 * exp(sin(t)) } }

    private func maxError(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? .nan
    }

    func testRungeKutta4CountsEvaluationsAndConvergesAtOrderFour() throws {
        var errors: [Double] = []
        for steps in [8, 16, 32, 64] {
            var y = Self.growthStart
            var calls = 0
            let solver = try RungeKutta4(steps: steps)
            let stats = try solver.integrate(&y, from: 0, to: 2) { t, y, dy in calls += 1; Self.growth(t, y, dy) }
            XCTAssertEqual(stats.evaluations, 4 * steps)
            XCTAssertEqual(calls, stats.evaluations)
            errors.append(maxError(y, Self.growthExact(2)))
        }
        let orders = (1..<errors.count).map { log2(errors[$0 - 1] / errors[$0]) }
        print("RK4 errors \(errors), measured orders \(orders)")
        for order in orders { XCTAssertEqual(order, 4, accuracy: 0.25) }
    }

    func testRungeKutta4IntegratesBackwardToTheStart() throws {
        var y = Self.growthExact(2)
        _ = try RungeKutta4(steps: 200).integrate(&y, from: 2, to: 0, rightHandSide: Self.growth)
        XCTAssertLessThan(maxError(y, Self.growthStart), 1e-8)
    }

    func testDormandPrinceErrorFollowsTheTolerance() throws {
        var errors: [Double] = [], evaluations: [Int] = []
        let tolerances = [1e-3, 1e-5, 1e-7, 1e-9]
        for tol in tolerances {
            var y = Self.growthStart
            var calls = 0
            let solver = try DormandPrince54(relativeTolerance: tol, absoluteTolerance: tol)
            let stats = try solver.integrate(&y, from: 0, to: 5) { t, y, dy in calls += 1; Self.growth(t, y, dy) }
            XCTAssertEqual(calls, stats.evaluations)
            // 2 for the start (k₁ and the starting-step probe), then 6 per attempted step (FSAL).
            XCTAssertEqual(stats.evaluations, 2 + 6 * (stats.acceptedSteps + stats.rejectedSteps))
            let error = maxError(y, Self.growthExact(5))
            errors.append(error)
            evaluations.append(stats.evaluations)
            // The global error stays within a small multiple of the tolerance (times |y| ≤ 2e).
            XCTAssertLessThan(error, 20 * tol * 2 * exp(1))
        }
        // Error against tolerance: log-log slope near 1 (each 100× tighter tolerance gives about
        // 100× less error), and the work grows like tol^(−1/5).
        let slopes = (1..<errors.count).map { log(errors[$0 - 1] / errors[$0]) / log(tolerances[$0 - 1] / tolerances[$0]) }
        print("dopri5 errors \(errors) at tolerances \(tolerances), slopes \(slopes), evaluations \(evaluations)")
        for slope in slopes { XCTAssertEqual(slope, 1, accuracy: 0.35) }
        for i in 1..<evaluations.count { XCTAssertGreaterThan(evaluations[i], evaluations[i - 1]) }
    }

    func testDormandPrinceIsFifthOrderAtAFixedStepSequence() throws {
        // One forced step of size h (error control off by a huge tolerance): y′ = y·cos t.
        var errors: [Double] = []
        for h in [0.4, 0.2, 0.1, 0.05] {
            var y = Self.growthStart
            let solver = try DormandPrince54(relativeTolerance: 1e6, absoluteTolerance: 1e6, maximumSteps: 1, initialStep: h)
            let stats = try solver.integrate(&y, from: 0, to: h, rightHandSide: Self.growth)
            XCTAssertEqual(stats.acceptedSteps, 1)
            XCTAssertEqual(stats.evaluations, 7)
            errors.append(maxError(y, Self.growthExact(h)))
        }
        // Local error O(h⁶).
        let orders = (1..<errors.count).map { log2(errors[$0 - 1] / errors[$0]) }
        print("dopri5 one-step errors \(errors), measured local orders \(orders)")
        for order in orders { XCTAssertEqual(order, 6, accuracy: 0.4) }
    }

    func testDormandPrinceRotationForwardAndBackward() throws {
        // x′ = −y, y′ = x: rotation by t. Integrate 0 → 2π (one turn) and back.
        let rotation: ODERightHandSide = { _, s, ds in ds[0] = -s[1]; ds[1] = s[0] }
        let solver = try DormandPrince54(relativeTolerance: 1e-10, absoluteTolerance: 1e-10)
        var state: [Double] = [1, 0.5]
        _ = try solver.integrate(&state, from: 0, to: 1, rightHandSide: rotation)
        XCTAssertEqual(state[0], cos(1) - 0.5 * sin(1), accuracy: 1e-8)
        XCTAssertEqual(state[1], sin(1) + 0.5 * cos(1), accuracy: 1e-8)
        _ = try solver.integrate(&state, from: 1, to: 0, rightHandSide: rotation)
        XCTAssertEqual(state[0], 1, accuracy: 1e-8)
        XCTAssertEqual(state[1], 0.5, accuracy: 1e-8)
    }

    func testDormandPrinceReportsANonFiniteField() throws {
        let solver = try DormandPrince54(relativeTolerance: 1e-6, absoluteTolerance: 1e-6, maximumSteps: 50)
        var state: [Double] = [1]
        XCTAssertThrowsError(try solver.integrate(&state, from: 0, to: 1) { _, _, ds in ds[0] = .nan })
        XCTAssertThrowsError(try RungeKutta4(steps: 0))
        XCTAssertThrowsError(try DormandPrince54(relativeTolerance: 0, absoluteTolerance: 0))
    }
}
