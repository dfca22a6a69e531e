import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// ∇U against Ridders' finite differences, the envelope of the training target, and the
/// normaliser of the enveloped target over ℝ² (EnvelopedEnergy's documentation).
final class EnvelopedEnergyTests: XCTestCase {
    /// Points in (−6.5, 6.5)², inside and outside the box, away from the envelope's kinks
    /// at ±4 (where its second derivative jumps) and from U1's apex at the origin.
    func testPoints(count: Int = 60, seed: UInt64 = 7) -> [(Double, Double)] {
        var stream = RandomStream(seed: seed, stream: 3)
        var points: [(Double, Double)] = [(1, 1), (2, 0), (-2, 0.3), (0.5, -3.9), (4.5, 1), (-5, -6)]
        while points.count < count {
            let z1 = 13 * stream.nextUniform() - 6.5, z2 = 13 * stream.nextUniform() - 6.5
            if abs(abs(z1) - 4) < 0.02 || abs(abs(z2) - 4) < 0.02 || z1 * z1 + z2 * z2 < 0.01 { continue }
            points.append((z1, z2))
        }
        return points
    }

    /// Relative error with a floor of 1 on the scale (gradients pass through 0).
    func gradientError(_ analytic: Double, _ numeric: Double) -> Double {
        abs(analytic - numeric) / max(1, abs(numeric))
    }

    func testGradientsAgainstFiniteDifferences() {
        for energy in Energy.allCases {
            let target = EnvelopedEnergy(energy)
            for (z1, z2) in testPoints() {
                for (name, f, check) in [("U", { (a: Double, b: Double) in energy.potential(a, b) }, energy.potentialAndGradient(z1, z2)),
                                         ("U+E", { target.potential($0, $1) }, target.potentialAndGradient(z1, z2))] {
                    XCTAssertLessThanOrEqual(relativeError(check.value, f(z1, z2)), 1e-14, "\(energy) \(name)")
                    let d1 = FiniteDifference.derivative(of: { f($0, z2) }, at: z1, step: 1e-2)
                    let d2 = FiniteDifference.derivative(of: { f(z1, $0) }, at: z2, step: 1e-2)
                    XCTAssertLessThanOrEqual(gradientError(check.d1, d1.value), 1e-7, "\(energy) \(name) ∂1 at (\(z1), \(z2)): \(check.d1) vs \(d1.value)")
                    XCTAssertLessThanOrEqual(gradientError(check.d2, d2.value), 1e-7, "\(energy) \(name) ∂2 at (\(z1), \(z2)): \(check.d2) vs \(d2.value)")
                }
            }
        }
    }

    /// Far out, where both exponentials of a log-sum-exp underflow, the gradient stays finite
    /// and equals that of the surviving quadratic.
    func testGradientFarAway() {
        let (u, d1, d2) = Energy.u3.potentialAndGradient(0, 40)
        XCTAssertTrue(u.isFinite && d1.isFinite && d2.isFinite)
        let w2 = 3 * Foundation.exp(-0.5 * (1 / 0.6) * (1 / 0.6))
        XCTAssertLessThanOrEqual(relativeError(d2, 40 / (0.35 * 0.35)), 1e-12)  // p_a = 1: a/0.35
        XCTAssertLessThan(-0.5 * ((40 + w2) / 0.35) * ((40 + w2) / 0.35), -745)
        let far = EnvelopedEnergy(.u4).potentialAndGradient(300, -300)
        XCTAssertTrue(far.value.isFinite && far.d1.isFinite && far.d2.isFinite)
        XCTAssertEqual(Energy.u1.potentialAndGradient(0, 0).d2, 0)  // apex: ring term's gradient 0
    }

    /// The batch form over flat buffers equals the pointwise one.
    func testBatchForm() {
        let target = EnvelopedEnergy(.u4)
        let points = testPoints(count: 17)
        let flat = points.flatMap { [$0.0, $0.1] }
        var u = [Double](repeating: 0, count: points.count), g = [Double](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { p in
            u.withUnsafeMutableBufferPointer { u in
                g.withUnsafeMutableBufferPointer { g in target.potentialsAndGradients(points: p, count: points.count, potentials: u, gradients: g) }
            }
        }
        for (i, (z1, z2)) in points.enumerated() {
            let (v, d1, d2) = target.potentialAndGradient(z1, z2)
            XCTAssertEqual([u[i], g[2 * i], g[2 * i + 1]], [v, d1, d2])
        }
        var plainU = u, plainG = g
        flat.withUnsafeBufferPointer { p in
            plainU.withUnsafeMutableBufferPointer { u in
                plainG.withUnsafeMutableBufferPointer { g in Energy.u4.potentialsAndGradients(points: p, count: points.count, potentials: u, gradients: g) }
            }
        }
        XCTAssertEqual(plainU[0], Energy.u4.potential(points[0].0, points[0].1))
    }

    /// The envelope: zero on the box, ½((|t| − 4)/0.25)² outside, continuous derivative.
    func testEnvelope() throws {
        XCTAssertEqual(EnvelopedEnergy.envelope(3.99).value, 0)
        XCTAssertEqual(EnvelopedEnergy.envelope(-4).derivative, 0)
        XCTAssertEqual(EnvelopedEnergy.envelope(5).value, 8, accuracy: 1e-14)  // ½ (1/0.25)²
        XCTAssertEqual(EnvelopedEnergy.envelope(-5).derivative, -16, accuracy: 1e-14)
        XCTAssertEqual(EnvelopedEnergy(.u2).potential(1, 1), Energy.u2.potential(1, 1))
        XCTAssertEqual(EnvelopedEnergy(.u2).potential(5, 1), Energy.u2.potential(5, 1) + 8, accuracy: 1e-12)
        XCTAssertEqual(try EnvelopedEnergy(.u3).logUnnormalizedDensity(PointBatch(dimension: 2, values: [5, 1])),
                       [-EnvelopedEnergy(.u3).potential(5, 1)])
        XCTAssertThrowsError(try EnvelopedEnergy(.u1).logUnnormalizedDensity(PointBatch(dimension: 3, count: 1)))
        XCTAssertThrowsError(try EnvelopedEnergy(.u1).normalizer(intervalsPerUnit: 6))
    }

    /// The inside part matches flows.md §4 (the envelope is zero there); the total over ℝ² is
    /// finite, and the stored log Z (computed at h = 0.005) is reproduced at coarser grids
    /// within their own Richardson error estimates (grid refinement: U1–U3 at h = 0.025, U4,
    /// the hardest, at h = 1/60).
    func testNormalizers() throws {
        let reference: [Energy: Double] = [.u1: 6.53715, .u2: 8.02121, .u3: 14.0371, .u4: 14.6519]
        for energy in Energy.allCases {
            let target = EnvelopedEnergy(energy)
            let z = try target.normalizer(intervalsPerUnit: energy == .u4 ? 60 : 40, jobs: 2)
            XCTAssertLessThanOrEqual(relativeError(z.insideBox, try XCTUnwrap(reference[energy])), 1e-4, "\(energy)")
            XCTAssertTrue(z.value.isFinite && z.outsideBox > 0)
            XCTAssertLessThan(z.tailBound, 1e-30)
            XCTAssertLessThanOrEqual(z.quadratureError, 1e-8 * z.value, "\(energy)")
            XCTAssertLessThanOrEqual(abs(z.value - target.normalizerValue), 2 * z.quadratureError, "\(energy): \(z.value)")
            XCTAssertLessThanOrEqual(abs(z.logValue - target.logNormalizer), 2 * z.quadratureError / z.value, "\(energy)")
        }
        XCTAssertLessThanOrEqual(relativeError(try EnvelopedEnergy(.u3).normalizer(intervalsPerUnit: 40, jobs: 2).insideBox,
                                               try Energy.u3.normalizer(gridPoints: 801, jobs: 2)), 1e-9)
        // U2's box mass has a closed form; its whole-plane mass nearly so (the band's std 0.4 is
        // small against the box, so the z2 envelope is negligible): 2 · 0.4√(2π) · s√(π/2) more.
        let u2 = try EnvelopedEnergy(.u2).normalizer(intervalsPerUnit: 40, jobs: 2)
        let band = 0.4 * (2 * Double.pi).squareRoot()
        XCTAssertLessThanOrEqual(relativeError(u2.outsideBox, 2 * band * 0.25 * (Double.pi / 2).squareRoot()), 1e-9)
        XCTAssertEqual(try EnvelopedEnergy(.u1).normalizer(intervalsPerUnit: 8, jobs: 1),
                       try EnvelopedEnergy(.u1).normalizer(intervalsPerUnit: 8, jobs: 2))
    }
}
