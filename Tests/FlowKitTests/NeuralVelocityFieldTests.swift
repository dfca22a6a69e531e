import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The flow-matching field: parameter and point gradients, Jacobian columns and the exact
/// divergence, all against Ridders central differences.
final class NeuralVelocityFieldTests: XCTestCase {
    private let field = NeuralVelocityField(dimension: 3, hidden: [5, 4], activation: .selu)
    private let count = 4

    private func setUp(seed: UInt64) -> (theta: [Double], points: [Double], times: [Double], weights: [Double]) {
        var stream = RandomStream(seed: seed)
        var theta = field.initialParameters(using: &stream)
        for i in theta.indices { theta[i] *= 1.5 }
        let points = (0..<(count * 3)).map { _ in 1.5 * stream.nextStandardNormal() }
        let times = (0..<count).map { _ in stream.nextUniform() }
        let weights = (0..<(count * 3)).map { _ in stream.nextStandardNormal() }
        return (theta, points, times, weights)
    }

    /// v at (points, times) for parameters theta (row-major count × d).
    private func velocity(_ theta: [Double], _ points: [Double], _ times: [Double]) -> [Double] {
        let w = field.makeWorkspace(capacity: count)
        var v = [Double](repeating: 0, count: count * 3)
        theta.withUnsafeBufferPointer { th in
            points.withUnsafeBufferPointer { x in
                times.withUnsafeBufferPointer { t in
                    v.withUnsafeMutableBufferPointer { out in
                        field.forward(parameters: th.baseAddress!, points: x.baseAddress!, time: .perPoint(t.baseAddress!),
                                      count: count, workspace: w, velocity: out.baseAddress!)
                    }
                }
            }
        }
        return v
    }

    private func loss(_ theta: [Double], _ points: [Double], _ times: [Double], _ weights: [Double]) -> Double {
        zip(velocity(theta, points, times), weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    func testParameterAndPointGradientsMatchFiniteDifferences() {
        for seed: UInt64 in [1, 2] {
            let (theta, points, times, weights) = setUp(seed: seed)
            let w = field.makeWorkspace(capacity: count)
            var v = [Double](repeating: 0, count: count * 3)
            var parameterGradient = [Double](repeating: 0, count: field.parameterCount)
            var pointGradient = [Double](repeating: .nan, count: count * 3)
            theta.withUnsafeBufferPointer { th in
                points.withUnsafeBufferPointer { x in
                    times.withUnsafeBufferPointer { t in
                        v.withUnsafeMutableBufferPointer { out in
                            field.forward(parameters: th.baseAddress!, points: x.baseAddress!, time: .perPoint(t.baseAddress!),
                                          count: count, workspace: w, velocity: out.baseAddress!)
                        }
                    }
                }
                weights.withUnsafeBufferPointer { g in
                    field.backward(parameters: th.baseAddress!, count: count, workspace: w, velocityGradient: g.baseAddress!,
                                   parameterGradient: &parameterGradient, pointGradient: &pointGradient)
                }
            }
            XCTAssertEqual(field.parameterCount, 4 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3)
            var worst = 0.0
            for i in theta.indices {
                let estimate = FiniteDifference.derivative(of: { value in
                    var moved = theta
                    moved[i] = value
                    return self.loss(moved, points, times, weights)
                }, at: theta[i], step: 0.01)
                let error = abs(parameterGradient[i] - estimate.value) / max(abs(estimate.value), 1e-2)
                worst = max(worst, error)
            }
            XCTAssertLessThan(worst, 1e-6, "parameter gradient, seed \(seed)")
            worst = 0
            for i in points.indices {
                let estimate = FiniteDifference.derivative(of: { value in
                    var moved = points
                    moved[i] = value
                    return self.loss(theta, moved, times, weights)
                }, at: points[i], step: 0.01)
                worst = max(worst, abs(pointGradient[i] - estimate.value) / max(abs(estimate.value), 1e-2))
            }
            XCTAssertLessThan(worst, 1e-6, "point gradient, seed \(seed)")
        }
    }

    func testJacobianColumnsAndDivergenceMatchFiniteDifferences() {
        for seed: UInt64 in [3, 4] {
            let (theta, points, _, _) = setUp(seed: seed)
            let time = 0.37
            let times = [Double](repeating: time, count: count)
            let w = field.makeWorkspace(capacity: count)
            var v = [Double](repeating: 0, count: count * 3)
            var columns = [[Double]](repeating: [Double](repeating: 0, count: count * 3), count: 3)
            var divergence = [Double](repeating: .nan, count: count)
            theta.withUnsafeBufferPointer { th in
                points.withUnsafeBufferPointer { x in
                    v.withUnsafeMutableBufferPointer { out in
                        field.forward(parameters: th.baseAddress!, points: x.baseAddress!, time: .shared(time),
                                      count: count, workspace: w, velocity: out.baseAddress!)
                    }
                }
                for j in 0..<3 {
                    columns[j].withUnsafeMutableBufferPointer {
                        field.jacobianColumn(parameters: th.baseAddress!, input: j, count: count, workspace: w, into: $0.baseAddress!)
                    }
                }
                divergence.withUnsafeMutableBufferPointer {
                    field.divergence(parameters: th.baseAddress!, count: count, workspace: w, into: $0.baseAddress!)
                }
            }
            XCTAssertEqual(v, velocity(theta, points, times))
            var worst = 0.0
            for p in 0..<count {
                var trace = 0.0
                for j in 0..<3 {
                    let column = FiniteDifference.vectorDerivative(of: { value in
                        var moved = points
                        moved[p * 3 + j] = value
                        return Array(self.velocity(theta, moved, times)[(p * 3)..<(p * 3 + 3)])
                    }, at: points[p * 3 + j], step: 0.01).values
                    trace += column[j]
                    for i in 0..<3 {
                        worst = max(worst, abs(columns[j][p * 3 + i] - column[i]) / max(abs(column[i]), 1e-2))
                    }
                }
                XCTAssertEqual(divergence[p], trace, accuracy: 1e-7 * max(1, abs(trace)), "divergence, point \(p)")
            }
            XCTAssertLessThan(worst, 1e-6, "Jacobian columns, seed \(seed)")
        }
    }

    func testTimeIsTheLastInputFeature() {
        // A shared time and the same time per point give identical velocities, and changing
        // the time changes them.
        let (theta, points, _, _) = setUp(seed: 5)
        let a = velocity(theta, points, [Double](repeating: 0.2, count: count))
        let b = velocity(theta, points, [Double](repeating: 0.8, count: count))
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(field.mlp.widths, [4, 5, 4, 3])
    }
}
