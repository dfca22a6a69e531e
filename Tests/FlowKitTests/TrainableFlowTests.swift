import XCTest
import FlowKit
import TestSupport

/// The flow-level passes (base + chain wiring) against central differences, and the density
/// and sampling directions against each other.
final class TrainableFlowTests: XCTestCase {
    static let samplingLayers: [any TrainableLayer] = [
        TrainablePlanar(dimension: 2), TrainableRadial(dimension: 2),
        TrainableAffineCoupling(dimension: 2, parity: 0, hidden: [3]), TrainableActNorm(dimension: 2),
        TrainableLULinear(dimension: 2), TrainableAdditiveCoupling(dimension: 2, parity: 1, hidden: [3]),
    ]
    static let densityLayers: [any TrainableLayer] = [
        TrainableAffineCoupling(dimension: 2, parity: 0, hidden: [3]), TrainableActNorm(dimension: 2),
        TrainableLULinear(dimension: 2), TrainableAdditiveCoupling(dimension: 2, parity: 1, hidden: [3]),
        TrainableAffineCoupling(dimension: 2, parity: 1, hidden: [3, 2], activation: .elu),
    ]

    func testSamplingBackwardMatchesCentralDifferences() {
        let flow = TrainableFlow(dimension: 2, layers: Self.samplingLayers)
        var stream = RandomStream(seed: 5)
        let theta = randomVector(flow.parameterCount, scale: 0.6, &stream)
        let n = 3
        let noise = randomVector(2 * n, scale: 1, &stream)
        let r = randomVector(2 * n, scale: 1, &stream), q = randomVector(n, scale: 1, &stream)
        let w = flow.makeWorkspace(.sampling, capacity: n)
        func loss(_ theta: [Double]) -> Double {
            theta.withUnsafeBufferPointer { t in noise.withUnsafeBufferPointer { e in
                flow.samplingPass(parameters: t.baseAddress!, noise: e.baseAddress!, count: n, workspace: w)
            } }
            var total = 0.0
            for i in 0..<(2 * n) { total += r[i] * w.finalState[i] }
            for p in 0..<n { total += q[p] * w.logDensity[p] }
            return total
        }
        _ = loss(theta)
        var gradient = [Double](repeating: 0, count: theta.count)
        theta.withUnsafeBufferPointer { t in r.withUnsafeBufferPointer { rb in q.withUnsafeBufferPointer { qb in
            gradient.withUnsafeMutableBufferPointer { g in
                flow.samplingBackward(parameters: t.baseAddress!, count: n, workspace: w, pointGradient: rb.baseAddress!,
                                      logDensityGradient: qb.baseAddress!, parameterGradient: g.baseAddress!)
            }
        } } }
        for i in theta.indices {
            let fd = FiniteDifference.derivative(of: { v in var x = theta; x[i] = v; return loss(x) }, at: theta[i], step: 0.01).value
            XCTAssertLessThanOrEqual(abs(gradient[i] - fd) / max(abs(fd), 1e-2), 1e-6,
                                     "∂L/∂\(flow.layout.block(containing: i)?.name ?? "?"): \(gradient[i]) vs \(fd)")
        }
    }

    func testDensityBackwardMatchesCentralDifferences() {
        let flow = TrainableFlow(dimension: 2, layers: Self.densityLayers)
        var stream = RandomStream(seed: 6)
        let theta = randomVector(flow.parameterCount, scale: 0.6, &stream)
        let n = 3
        let x = randomVector(2 * n, scale: 1.5, &stream)
        let q = randomVector(n, scale: 1, &stream)
        let w = flow.makeWorkspace(.density, capacity: n)
        func loss(_ theta: [Double]) -> Double {
            theta.withUnsafeBufferPointer { t in x.withUnsafeBufferPointer { xb in
                flow.densityPass(parameters: t.baseAddress!, points: xb.baseAddress!, count: n, workspace: w)
            } }
            return (0..<n).reduce(0) { $0 + q[$1] * w.logDensity[$1] }
        }
        _ = loss(theta)
        var gradient = [Double](repeating: 0, count: theta.count)
        theta.withUnsafeBufferPointer { t in q.withUnsafeBufferPointer { qb in
            gradient.withUnsafeMutableBufferPointer { g in
                flow.densityBackward(parameters: t.baseAddress!, count: n, workspace: w, logDensityGradient: qb.baseAddress!,
                                     parameterGradient: g.baseAddress!)
            }
        } }
        for i in theta.indices {
            let fd = FiniteDifference.derivative(of: { v in var t = theta; t[i] = v; return loss(t) }, at: theta[i], step: 0.01).value
            XCTAssertLessThanOrEqual(abs(gradient[i] - fd) / max(abs(fd), 1e-2), 1e-6,
                                     "∂L/∂\(flow.layout.block(containing: i)?.name ?? "?"): \(gradient[i]) vs \(fd)")
        }
    }

    /// log q of sampled points equals log q by the density direction at those points.
    func testSamplingAndDensityDirectionsAgree() {
        let flow = TrainableFlow(dimension: 2, layers: Self.densityLayers)
        var stream = RandomStream(seed: 8)
        let theta = randomVector(flow.parameterCount, scale: 0.6, &stream)
        let (points, logQ) = flow.sample(parameters: theta, count: 20, using: &stream)
        let density = flow.logDensity(parameters: theta, of: points)
        for (a, b) in zip(logQ, density) { XCTAssertEqual(a, b, accuracy: 1e-10 * max(1, abs(b))) }
    }

    /// The base's log-density is the normal's, and its data-dependent ActNorm initialisation
    /// standardises the batch.
    func testBaseAndActNormInitialisation() throws {
        let flow = TrainableFlow(dimension: 2, layers: [TrainableActNorm(dimension: 2)])
        var stream = RandomStream(seed: 9)
        let data = PointBatch(dimension: 2, values: (0..<400).map { i in i % 2 == 0 ? 3 + 2 * stream.nextStandardNormal() : -1 + 0.5 * stream.nextStandardNormal() })
        var theta = flow.initialParameters(seed: 1)
        try flow.initializeFromData(&theta, points: data)
        let shift = flow.layout.values("layers[0].shift", in: theta)
        var batch = data
        var logDet = [Double](repeating: 0, count: 200)
        try flow.layers[0].evaluate(.density, parameters: flow.parameters(ofLayer: 0, in: theta), batch: &batch, logAbsDet: &logDet)
        for j in 0..<2 {
            let column = (0..<200).map { batch[$0, j] }
            let mean = column.reduce(0, +) / 200
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 199
            XCTAssertEqual(mean, 0, accuracy: 1e-12)
            XCTAssertEqual(variance, 1, accuracy: 1e-12)
        }
        XCTAssertEqual(shift[0], 3, accuracy: 0.3)
        let logQ = flow.logDensity(parameters: flow.base.initialParameters() + [0, 0, 0, 0], of: PointBatch(dimension: 2, values: [0.5, -1]))
        XCTAssertEqual(logQ[0], -log(2 * Double.pi) - 0.5 * (0.25 + 1), accuracy: 1e-14)
    }
}
