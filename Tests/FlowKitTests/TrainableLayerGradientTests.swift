import XCTest
import FlowKit
import TestSupport

/// Checks every entry of ``TrainableLayerCases/all`` in every trainable direction, with the
/// loss L = Σ r·output + Σ q·log|det| for fixed random r, q.
final class TrainableLayerGradientTests: XCTestCase {
    static let points = 3

    func testInputAndParameterGradientsMatchCentralDifferences() throws {
        for (index, testCase) in TrainableLayerCases.all.enumerated() {
            for direction in testCase.layer.trainableDirections {
                try checkGradients(testCase, direction: direction, seed: UInt64(100 + index))
            }
        }
    }

    func testLogDeterminantMatchesFiniteDifferenceJacobian() throws {
        for (index, testCase) in TrainableLayerCases.all.enumerated() {
            let layer = testCase.layer
            var stream = RandomStream(seed: UInt64(200 + index))
            let theta = randomVector(layer.parameterCount, scale: testCase.parameterScale, &stream)
            for direction in TrainableDirection.allCases where layer.canEvaluate(direction) {
                for _ in 0..<2 {
                    let x = testCase.inputs(direction, randomVector(layer.dimension, scale: 1, &stream))
                    let (_, logDet) = try apply(layer, direction, theta, x)
                    let expected = FiniteDifference.logAbsDeterminantOfJacobian(of: { point in
                        (try? apply(layer, direction, theta, point).output) ?? [Double](repeating: .nan, count: point.count)
                    }, at: x, step: testCase.jacobianStep)
                    XCTAssertTrue(isClose(logDet[0], expected, relative: 1e-7, absolute: 1e-8),
                                  "\(testCase.label) \(direction): log|det| \(logDet[0]) vs finite-difference \(expected)")
                }
            }
        }
    }

    func testRoundTripAndInvertibilityForLargeParameters() throws {
        for (index, testCase) in TrainableLayerCases.all.enumerated() {
            let layer = testCase.layer
            var stream = RandomStream(seed: UInt64(300 + index))
            for scale in [testCase.parameterScale, testCase.largeScale] {
                for _ in 0..<3 {
                    let theta = randomVector(layer.parameterCount, scale: scale, &stream)
                    for direction in TrainableDirection.allCases where layer.canEvaluate(direction) && layer.canEvaluate(direction.reversed) {
                        let x = testCase.inputs(direction, randomVector(layer.dimension * 4, scale: 2, &stream))
                        var batch = PointBatch(dimension: layer.dimension, values: x)
                        var logDet = [Double](repeating: 0, count: 4)
                        try layer.evaluate(direction, parameters: theta, batch: &batch, logAbsDet: &logDet)
                        XCTAssertTrue(batch.values.allSatisfy(\.isFinite) && logDet.allSatisfy(\.isFinite),
                                      "\(testCase.label) \(direction) scale \(scale): non-finite output \(batch.values) \(logDet)")
                        try layer.evaluate(direction.reversed, parameters: theta, batch: &batch, logAbsDet: &logDet)
                        for (a, b) in zip(batch.values, x) {
                            XCTAssertTrue(isClose(a, b, relative: 1e-8, absolute: 1e-8),
                                          "\(testCase.label) \(direction) scale \(scale): round trip \(a) vs \(b)")
                        }
                        for l in logDet { XCTAssertEqual(l, 0, accuracy: 1e-8, "\(testCase.label) \(direction): log-dets cancel") }
                    }
                }
            }
        }
    }

    // MARK: - Helpers

    private func checkGradients(_ testCase: TrainableLayerCase, direction: TrainableDirection, seed: UInt64) throws {
        let layer = testCase.layer
        let n = Self.points, d = layer.dimension
        var stream = RandomStream(seed: seed)
        let theta = randomVector(layer.parameterCount, scale: testCase.parameterScale, &stream)
        let x = testCase.inputs(direction, randomVector(n * d, scale: 1, &stream))
        let r = randomVector(n * d, scale: 1, &stream)
        let q = randomVector(n, scale: 1, &stream)
        func loss(_ x: [Double], _ theta: [Double]) -> Double {
            guard let (y, l) = try? apply(layer, direction, theta, x, count: n) else { return .nan }
            var total = 0.0
            for i in 0..<(n * d) { total += r[i] * y[i] }
            for p in 0..<n { total += q[p] * l[p] }
            return total
        }
        let (gx, gtheta) = analyticGradients(layer, direction, theta, x, r, q, count: n)
        for i in 0..<(n * d) {
            let fd = FiniteDifference.derivative(of: { t in var v = x; v[i] = t; return loss(v, theta) }, at: x[i], step: 0.01).value
            XCTAssertLessThanOrEqual(abs(gx[i] - fd) / max(abs(fd), 1e-2), 1e-6,
                                     "\(testCase.label) \(direction): ∂L/∂x[\(i)] \(gx[i]) vs \(fd)")
        }
        for i in 0..<theta.count {
            let fd = FiniteDifference.derivative(of: { t in var v = theta; v[i] = t; return loss(x, v) }, at: theta[i], step: 0.01).value
            let name = layer.layout.block(containing: i)?.name ?? "?"
            XCTAssertLessThanOrEqual(abs(gtheta[i] - fd) / max(abs(fd), 1e-2), 1e-6,
                                     "\(testCase.label) \(direction): ∂L/∂θ[\(i)] (\(name)) \(gtheta[i]) vs \(fd)")
        }
    }

    /// Runs the recording pass (tape filled with NaN first: the pass may not read it
    /// uninitialised) and the vjp.
    private func analyticGradients(_ layer: any TrainableLayer, _ direction: TrainableDirection, _ theta: [Double],
                                   _ x: [Double], _ r: [Double], _ q: [Double], count n: Int) -> ([Double], [Double]) {
        var y = [Double](repeating: 0, count: x.count)
        var logDet = [Double](repeating: 0, count: n)
        var tape = [Double](repeating: .nan, count: max(1, layer.tapeCount(direction, count: n)))
        var gx = [Double](repeating: .nan, count: x.count)
        var gtheta = [Double](repeating: 0, count: max(1, theta.count))
        theta.withUnsafeBufferPointer { t in
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { yb in
                    logDet.withUnsafeMutableBufferPointer { lb in
                        tape.withUnsafeMutableBufferPointer { tb in
                            r.withUnsafeBufferPointer { rb in
                                q.withUnsafeBufferPointer { qb in
                                    gx.withUnsafeMutableBufferPointer { gxb in
                                        gtheta.withUnsafeMutableBufferPointer { gtb in
                                            let pass = TrainablePass(count: n, input: xb.baseAddress!, output: yb.baseAddress!,
                                                                     logAbsDet: lb.baseAddress!, tape: tb.baseAddress!)
                                            let params = t.baseAddress ?? UnsafePointer(gtb.baseAddress!)
                                            layer.pass(direction, parameters: params, pass)
                                            layer.vjp(direction, parameters: params, pass,
                                                      TrainableGradient(output: rb.baseAddress!, logAbsDet: qb.baseAddress!,
                                                                        input: gxb.baseAddress!, parameters: gtb.baseAddress!))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gx, Array(gtheta.prefix(theta.count)))
    }
}

/// `count` normal values with standard deviation `scale`.
func randomVector(_ count: Int, scale: Double, _ stream: inout RandomStream) -> [Double] {
    (0..<count).map { _ in scale * stream.nextStandardNormal() }
}

/// Applies `layer` in `direction` to `count` points (row-major) by ``TrainableLayer/evaluate``.
func apply(_ layer: any TrainableLayer, _ direction: TrainableDirection, _ theta: [Double], _ x: [Double],
           count: Int = 1) throws -> (output: [Double], logDet: [Double]) {
    var batch = PointBatch(dimension: layer.dimension, values: x)
    var logDet = [Double](repeating: 0, count: count)
    try layer.evaluate(direction, parameters: theta, batch: &batch, logAbsDet: &logDet)
    return (batch.values, logDet)
}
