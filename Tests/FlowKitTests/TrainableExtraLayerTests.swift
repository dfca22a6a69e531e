import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Properties of the spline coupling, MAF and BNAF beyond the shared gradient checks of
/// `TrainableLayerGradientTests`: identity at the initial parameters (zero last layer), the
/// autoregressive structure of the Jacobian, the spline's linear tails.
final class TrainableExtraLayerTests: XCTestCase {
    func testInitialParametersGiveTheIdentity() throws {
        let layers: [any TrainableLayer] = [
            TrainableSplineCoupling(dimension: 2, hidden: [8], bins: 5, bound: 3),
            TrainableSplineCoupling(dimension: 3, parity: 1, hidden: [8], bins: 5, bound: 3),
            TrainableMAF(dimension: 3, hidden: [8]),
        ]
        for layer in layers {
            var stream = RandomStream(seed: 9)
            let theta = layer.initialParameters(using: &stream)
            XCTAssertTrue(theta.contains { $0 != 0 }, layer.name)
            let x = randomVector(4 * layer.dimension, scale: 2, &stream)
            for direction in TrainableDirection.allCases where layer.canEvaluate(direction) {
                let (y, logDet) = try apply(layer, direction, theta, x, count: 4)
                for (a, b) in zip(y, x) { XCTAssertEqual(a, b, accuracy: 1e-12, "\(layer.name) \(direction)") }
                for l in logDet { XCTAssertEqual(l, 0, accuracy: 1e-12) }
            }
        }
    }

    /// Outside [−B, B) the spline is the identity with log|det| 0, whatever the parameters;
    /// the kept coordinates never change.
    func testSplineTailsAndKeptCoordinates() throws {
        let layer = TrainableSplineCoupling(dimension: 2, hidden: [4], bins: 6, bound: 1)
        var stream = RandomStream(seed: 10)
        let theta = randomVector(layer.parameterCount, scale: 2, &stream)
        for direction in TrainableDirection.allCases {
            let (y, logDet) = try apply(layer, direction, theta, [0.3, 1.5, -0.2, -1.0001, 0.7, 0.2], count: 3)
            XCTAssertEqual(Array(y[0..<4]), [0.3, 1.5, -0.2, -1.0001])
            XCTAssertEqual(Array(logDet[0..<2]), [0, 0])
            XCTAssertEqual(y[4], 0.7)
            XCTAssertNotEqual(y[5], 0.2)
        }
    }

    /// MAF's density map is autoregressive: ∂z_i/∂x_j = 0 for m(j) ≥ m(i), j ≠ i, and the
    /// diagonal is e^{−α_i} (so log|det| is the sum of the diagonal's logs).
    func testMAFJacobianIsTriangularInDegreeOrder() throws {
        for reversed in [false, true] {
            let layer = TrainableMAF(dimension: 4, hidden: [6, 6], reversed: reversed, activation: .tanh)
            var stream = RandomStream(seed: 11)
            let theta = randomVector(layer.parameterCount, scale: 1, &stream)
            let x = randomVector(4, scale: 1, &stream)
            let jacobian = FiniteDifference.jacobian(of: { (try? apply(layer, .density, theta, $0).output) ?? [] }, at: x)
            var logDiagonal = 0.0
            for i in 0..<4 {
                for j in 0..<4 where j != i && layer.degrees[j] >= layer.degrees[i] {
                    XCTAssertEqual(jacobian[i][j], 0, accuracy: 1e-12, "reversed \(reversed): ∂z\(i)/∂x\(j)")
                }
                logDiagonal += Foundation.log(abs(jacobian[i][i]))
            }
            XCTAssertEqual(try apply(layer, .density, theta, x).logDet[0], logDiagonal, accuracy: 1e-8)
            // Some dependence is present below the diagonal (the masks are not all zero).
            XCTAssertTrue((0..<4).contains { i in (0..<4).contains { j in layer.degrees[j] < layer.degrees[i] && abs(jacobian[i][j]) > 1e-6 } })
        }
    }

    /// BNAF's density map is autoregressive (lower triangular Jacobian in its order, reversed
    /// with `reversed`) with a positive diagonal; the log-det is the sum of the diagonal's logs.
    func testBNAFJacobianIsTriangularWithPositiveDiagonal() throws {
        for reversed in [false, true] {
            let layer = TrainableBNAF(dimension: 3, hidden: 4, layers: 2, reversed: reversed)
            var stream = RandomStream(seed: 12)
            let theta = layer.initialParameters(using: &stream)
            let x = randomVector(3, scale: 1.5, &stream)
            let jacobian = FiniteDifference.jacobian(of: { (try? apply(layer, .density, theta, $0).output) ?? [] }, at: x)
            var logDiagonal = 0.0
            for i in 0..<3 {
                for j in 0..<3 where reversed ? j < i : j > i {
                    XCTAssertEqual(jacobian[i][j], 0, accuracy: 1e-12, "reversed \(reversed): ∂F\(i)/∂x\(j)")
                }
                XCTAssertGreaterThan(jacobian[i][i], 0)
                logDiagonal += Foundation.log(jacobian[i][i])
            }
            XCTAssertEqual(try apply(layer, .density, theta, x).logDet[0], logDiagonal, accuracy: 1e-8)
        }
    }

    /// BNAF's residual: a learned gate starts at 0 and is trained; a fixed one starts at 5
    /// (identity share σ(−5)) and is the layer's only untrained parameter. The map is
    /// σ(g)·f + σ(−g)·x either way: two gates g, g′ on the same network give outputs whose
    /// difference is (σ(g) − σ(g′))·(f − x), so a third gate's output follows from them.
    func testBNAFResidualKinds() throws {
        var stream = RandomStream(seed: 18)
        let gated = TrainableBNAF(dimension: 2, hidden: 4, layers: 2)
        let fixed = TrainableBNAF(dimension: 2, hidden: 4, layers: 2, residual: .fixed)
        XCTAssertEqual(gated.untrainedParameters, [])
        XCTAssertEqual(fixed.untrainedParameters, [fixed.parameterCount - 1])
        XCTAssertEqual(gated.initialParameters(using: &stream).last, 0)
        let theta = fixed.initialParameters(using: &stream)
        XCTAssertEqual(theta.last, 5)
        let x = randomVector(2, scale: 2, &stream)
        func output(gate: Double) throws -> [Double] {
            var t = theta
            t[t.count - 1] = gate
            return try apply(fixed, .density, t, x).output
        }
        let (y0, y1, y5) = (try output(gate: 0), try output(gate: 1), try output(gate: 5))
        func sigma(_ g: Double) -> Double { 1 / (1 + exp(-g)) }
        for j in 0..<2 {
            let fMinusX = (y1[j] - y0[j]) / (sigma(1) - sigma(0))
            let f = fMinusX + x[j]
            XCTAssertEqual(y5[j], sigma(5) * f + sigma(-5) * x[j], accuracy: 1e-12)
        }
    }

    /// Sampling inverts the density map by root search for points far in the tails too (the
    /// gated residual makes F onto ℝ^d); a non-finite point is an error, not a hang.
    func testBNAFSamplingInvertsFarOut() throws {
        let layer = TrainableBNAF(dimension: 2, hidden: 5, layers: 1)
        var stream = RandomStream(seed: 13)
        let theta = layer.initialParameters(using: &stream)
        let z: [Double] = [0, 0, 50, -80, -1e6, 3, 0.5, 1e-9]
        let (x, logDet) = try apply(layer, .sampling, theta, z, count: 4)
        let (back, backLogDet) = try apply(layer, .density, theta, x, count: 4)
        for (a, b) in zip(back, z) { XCTAssertTrue(isClose(a, b, relative: 1e-10, absolute: 1e-10), "\(a) vs \(b)") }
        for (a, b) in zip(logDet, backLogDet) { XCTAssertEqual(a, -b, accuracy: 1e-9) }
        XCTAssertThrowsError(try apply(layer, .sampling, theta, [.nan, 0]))
    }

    /// Sampling inverts blocks of points in lockstep; a point's result (value and log-det) is
    /// the same, bit for bit, as when it is inverted alone, and the batch round-trips.
    func testBNAFBlockInversionMatchesPointByPoint() throws {
        let layer = TrainableBNAF(dimension: 3, hidden: 4, layers: 2, reversed: true)
        var stream = RandomStream(seed: 17)
        let theta = layer.initialParameters(using: &stream)
        let count = TrainableBNAF.rootBlock + 9
        let z = randomVector(3 * count, scale: 2, &stream)
        let (x, logDet) = try apply(layer, .sampling, theta, z, count: count)
        for p in [0, 1, 40, TrainableBNAF.rootBlock, count - 1] {
            let (alone, aloneLogDet) = try apply(layer, .sampling, theta, Array(z[(3 * p)..<(3 * p + 3)]))
            XCTAssertEqual(alone.map(\.bitPattern), x[(3 * p)..<(3 * p + 3)].map(\.bitPattern), "point \(p)")
            XCTAssertEqual(aloneLogDet[0].bitPattern, logDet[p].bitPattern, "point \(p)")
        }
        let (back, _) = try apply(layer, .density, theta, x, count: count)
        for (a, b) in zip(back, z) { XCTAssertTrue(isClose(a, b, relative: 1e-10, absolute: 1e-10), "\(a) vs \(b)") }
    }
}
