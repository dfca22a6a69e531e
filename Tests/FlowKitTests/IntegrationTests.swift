import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class IntegrationTests: XCTestCase {
    /// Each case: the integral, its exact value; all must reach 1e-10 relative error (the
    /// default tolerance) and report convergence with an error estimate that covers the
    /// true error.
    func testKnownIntegralsToDefaultTolerance() {
        let cases: [(String, (Double) -> Double, Double, Double, Double)] = [
            ("x^3 on [0,2]", { $0 * $0 * $0 }, 0, 2, 4),
            ("exp on [-1,3]", { Foundation.exp($0) }, -1, 3, Foundation.exp(3) - Foundation.exp(-1)),
            ("normal pdf on R", { Foundation.exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot() }, -.infinity, .infinity, 1),
            ("x^-1/2 on [0,1]", { 1 / $0.squareRoot() }, 0, 1, 2),
            ("log x on [0,1]", { Foundation.log($0) }, 0, 1, -1),
            ("exp(-x) on [0,inf)", { Foundation.exp(-$0) }, 0, .infinity, 1),
            ("exp(x) on (-inf,0]", { Foundation.exp($0) }, -.infinity, 0, 1),
            ("1/(1+x^2) on R", { 1 / (1 + $0 * $0) }, -.infinity, .infinity, Double.pi),
            ("cos(50x) on [0,1]", { Foundation.cos(50 * $0) }, 0, 1, Foundation.sin(50) / 50),
            ("x sin(30x) on [0,2pi]", { $0 * Foundation.sin(30 * $0) }, 0, 2 * Double.pi, -2 * Double.pi / 30),
            ("exp(-x)cos(x) on [0,inf)", { Foundation.exp(-$0) * Foundation.cos($0) }, 0, .infinity, 0.5),
            ("|x - 1/3| on [0,1]", { abs($0 - 1.0 / 3.0) }, 0, 1, 5.0 / 18.0),
            ("reversed x^2 on [1,0]", { $0 * $0 }, 1, 0, -1.0 / 3.0),
        ]
        for (name, f, a, b, exact) in cases {
            let r = AdaptiveIntegrator.integrate(f, from: a, to: b)
            let tolerance = max(1e-12, 1e-10 * abs(r.value))
            XCTAssertTrue(r.converged, "\(name): \(r)")
            XCTAssertLessThanOrEqual(abs(r.value - exact), max(tolerance, 2 * r.errorEstimate), "\(name): \(r), exact \(exact)")
            XCTAssertLessThanOrEqual(relativeError(r.value, exact), 1e-10, "\(name): \(r)")
            XCTAssertGreaterThanOrEqual(r.errorEstimate + 4 * Double.ulpOfOne * abs(exact), abs(r.value - exact), "\(name): estimate must cover the error")
        }
    }

    /// K15 is exact for polynomials up to degree 22 and G7 up to degree 13: x^12 + x^13
    /// costs one rule (K15 = G7), x^22 is exact at the first level too (to rounding) though
    /// the K15 − G7 estimate makes it bisect.
    func testRulesAreExactForTheirDegrees() {
        let p13 = AdaptiveIntegrator.integrate({ Foundation.pow($0, 12) + Foundation.pow($0, 13) }, from: -1, to: 2)
        XCTAssertEqual(p13.evaluations, 15)
        XCTAssertLessThanOrEqual(relativeError(p13.value, (8192.0 + 1) / 13 + (16384.0 - 1) / 14), 1e-14)
        let p22 = AdaptiveIntegrator.integrate({ Foundation.pow($0, 22) }, from: -1, to: 1)
        XCTAssertLessThanOrEqual(relativeError(p22.value, 2.0 / 23.0), 1e-14)
        XCTAssertEqual(AdaptiveIntegrator.rule({ Foundation.pow($0, 22) }, -1, 1).value, 2.0 / 23.0, accuracy: 4e-16)
    }

    func testHeavyTailsAndScale() {
        // A normal with std 0.05 centred at 5 on [0, 10]: the first K15 nodes are 0.2-0.6
        // apart, so the peak is found only by refinement. (A peak narrower than the node
        // spacing of the first rule can be missed: see the type's documentation.)
        let s = 0.05
        let pdf = { (x: Double) in Foundation.exp(-0.5 * ((x - 5) / s) * ((x - 5) / s)) / (s * (2 * Double.pi).squareRoot()) }
        let r = AdaptiveIntegrator.integrate(pdf, from: 0, to: 10)
        XCTAssertLessThanOrEqual(relativeError(r.value, 1), 1e-10, "\(r)")
        // Cauchy density over R.
        let c = AdaptiveIntegrator.integrate({ 1 / (Double.pi * (1 + $0 * $0)) }, from: -.infinity, to: .infinity)
        XCTAssertLessThanOrEqual(relativeError(c.value, 1), 1e-10, "\(c)")
        // Lognormal pdf on (0, inf): singular-looking at 0, heavy right tail.
        let ln = AdaptiveIntegrator.integrate({ x in
            x <= 0 ? 0 : Foundation.exp(-0.5 * Foundation.log(x) * Foundation.log(x)) / (x * (2 * Double.pi).squareRoot())
        }, from: 0, to: .infinity)
        XCTAssertLessThanOrEqual(relativeError(ln.value, 1), 1e-10, "\(ln)")
    }

    func testBudgetExhaustionIsReported() {
        // sin(1/x) on (0,1] oscillates infinitely often near 0: a budget of 300 evaluations
        // cannot reach 1e-14.
        let r = AdaptiveIntegrator.integrate({ Foundation.sin(1 / $0) }, from: 0, to: 1,
                                             relativeTolerance: 1e-14, absoluteTolerance: 0, maxEvaluations: 300)
        XCTAssertFalse(r.converged)
        XCTAssertLessThanOrEqual(r.evaluations, 300)
    }

    func testNonFiniteIntegrandIsNotConverged() {
        let r = AdaptiveIntegrator.integrate({ _ in Double.nan }, from: 0, to: 1)
        XCTAssertFalse(r.converged)
        let d = AdaptiveIntegrator.integrate({ 1 / $0 }, from: 0, to: 1, maxEvaluations: 20_000)
        XCTAssertFalse(d.converged, "1/x on [0,1] diverges: \(d)")
    }
}
