import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class EnergyTests: XCTestCase {
    /// flows.md §4: normalisers over [−4, 4]² (trapezoid, 4001² grid), to 1e-4 relative.
    /// Simpson on 801 points per axis is converged far below that (checked against 1601).
    func testNormalizersMatchReference() throws {
        let reference: [Energy: Double] = [.u1: 6.53715, .u2: 8.02121, .u3: 14.0371, .u4: 14.6519]
        for energy in Energy.allCases {
            let z = try energy.normalizer(gridPoints: 801, jobs: 2)
            XCTAssertLessThanOrEqual(relativeError(z, try XCTUnwrap(reference[energy])), 1e-4, "\(energy): \(z)")
        }
        let fine = try Energy.u3.normalizer(gridPoints: 1601, jobs: 2)
        XCTAssertLessThanOrEqual(relativeError(try Energy.u3.normalizer(gridPoints: 801, jobs: 2), fine), 1e-9)
    }

    /// Z2 has a closed form to 1e-13: ∫∫ exp(−½((z2 − w1)/0.4)²) = 8 · 0.4 · √(2π) (the
    /// Gaussian tails beyond the box, at ≥ 7.5σ, are below 1e-13).
    func testU2NormalizerClosedForm() throws {
        let exact = 8 * 0.4 * (2 * Double.pi).squareRoot()
        XCTAssertLessThanOrEqual(relativeError(try Energy.u2.normalizer(gridPoints: 801), exact), 1e-9)
        // The trapezoid rule converges as h²: 401 points are within 1e-4 but not 1e-9.
        let trapezoid = try Energy.u2.normalizer(gridPoints: 401, rule: .trapezoid)
        XCTAssertLessThanOrEqual(relativeError(trapezoid, exact), 1e-4)
        // The result does not depend on the number of threads.
        XCTAssertEqual(try Energy.u1.normalizer(gridPoints: 201, jobs: 1), try Energy.u1.normalizer(gridPoints: 201, jobs: 2))
    }

    /// Potentials at hand-computed points (the formulas of flows.md §4).
    func testPotentialsAtKnownPoints() {
        // U1 at (2, 0): ring term 0; −ln(1 + e^{−½(4/0.6)²}).
        XCTAssertLessThanOrEqual(relativeError(Energy.u1.potential(2, 0), -Foundation.log1p(Foundation.exp(-0.5 * (4 / 0.6) * (4 / 0.6)))), 1e-15)
        // U1 at the origin: ½(2/0.4)² − ln(2e^{−½(2/0.6)²}) = 12.5 + ½(10/3)² − ln 2.
        let tenThirds: Double = 10.0 / 3
        let atOrigin: Double = 12.5 + 0.5 * tenThirds * tenThirds - Foundation.log(2.0)
        XCTAssertLessThanOrEqual(relativeError(Energy.u1.potential(0, 0), atOrigin), 1e-14)
        // U2 at (1, 1): w1 = sin(π/2) = 1 → 0.
        XCTAssertEqual(Energy.u2.potential(1, 1), 0, accuracy: 1e-30)
        // U3 at (1, 1): w1 = 1, w2 = 3 → −ln(1 + e^{−½(3/0.35)²}).
        XCTAssertLessThanOrEqual(relativeError(Energy.u3.potential(1, 1), -Foundation.log1p(Foundation.exp(-0.5 * (3 / 0.35) * (3 / 0.35)))), 1e-13)
        // U4 at (1, 1): w3 = 3σ(0) = 1.5 → −ln(1 + e^{−½(1.5/0.35)²}).
        XCTAssertLessThanOrEqual(relativeError(Energy.u4.potential(1, 1), -Foundation.log1p(Foundation.exp(-0.5 * (1.5 / 0.35) * (1.5 / 0.35)))), 1e-13)
    }

    /// Far from the modes the naive ln(eᵃ + eᵇ) gives +∞ (both exponentials underflow); the
    /// stable form stays finite and equals the larger exponent's quadratic.
    func testLogSumExpStaysFiniteFarAway() {
        let u3 = Energy.u3.potential(0, 40)  // w1 = 0, w2 = 3e^{-½(1/0.6)²}
        XCTAssertTrue(u3.isFinite)
        let w2 = 3 * Foundation.exp(-0.5 * (1 / 0.6) * (1 / 0.6))
        let a = -0.5 * (40 / 0.35) * (40 / 0.35), b = -0.5 * ((40 + w2) / 0.35) * ((40 + w2) / 0.35)
        XCTAssertLessThanOrEqual(relativeError(u3, -a), 1e-14)
        XCTAssertLessThan(b, -745)  // e^b underflows: the naive form would fail
        XCTAssertTrue(Energy.u1.potential(300, 0).isFinite)
    }

    /// Symmetries: U1 is even in z1 and in z2; U2 is odd-symmetric, U2(−z) = U2(z).
    func testSymmetries() {
        for (z1, z2) in [(0.3, 1.7), (-2.2, 0.4), (3.9, -3.1)] {
            XCTAssertLessThanOrEqual(relativeError(Energy.u1.potential(-z1, z2), Energy.u1.potential(z1, z2)), 1e-15)
            XCTAssertLessThanOrEqual(relativeError(Energy.u1.potential(z1, -z2), Energy.u1.potential(z1, z2)), 1e-15)
            XCTAssertLessThanOrEqual(relativeError(Energy.u2.potential(-z1, -z2), Energy.u2.potential(z1, z2)), 1e-14)
            XCTAssertEqual(Energy.u3.logUnnormalizedDensity(z1, z2), -Energy.u3.potential(z1, z2))
        }
    }

    func testBatchAndErrors() throws {
        let batch = PointBatch(dimension: 2, values: [0, 0, 1, 1, -2, 0.5])
        let values = try Energy.u4.logUnnormalizedDensity(batch)
        XCTAssertEqual(values, [-Energy.u4.potential(0, 0), -Energy.u4.potential(1, 1), -Energy.u4.potential(-2, 0.5)])
        XCTAssertThrowsError(try Energy.u1.logUnnormalizedDensity(PointBatch(dimension: 3, count: 1)))
        XCTAssertThrowsError(try Energy.u1.normalizer(gridPoints: 100))  // Simpson needs odd
        XCTAssertThrowsError(try Energy.u1.normalizer(x: 1...1))
    }
}
