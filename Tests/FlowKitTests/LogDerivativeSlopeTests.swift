import XCTest
import FlowKit

/// s(x) = d/dx log|t'(x)| of every map with a ``LogDerivativeSlope`` against a central
/// difference of the log-derivative its own forward pass returns, at points across its domain.
final class LogDerivativeSlopeTests: XCTestCase {
    func check<Map: LogDerivativeSlope>(_ map: Map, at points: [Double], file: StaticString = #filePath, line: UInt = #line) {
        for x in points {
            let h = 1e-5 * max(1, abs(x))
            let numeric = (map.forward(x + h).logAbsDet - map.forward(x - h).logAbsDet) / (2 * h)
            let analytic = map.logDerivativeSlope(x)
            XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(map.name) at \(x)", file: file, line: line)
        }
    }

    func testSlopesMatchFiniteDifferences() throws {
        let real = [-3.2, -1.1, -0.3, 0.0, 0.4, 1.7, 4.5]
        let unit = [0.03, 0.2, 0.5, 0.81, 0.97]
        check(try AffineMap(scale: -2.5, shift: 1), at: real)
        check(ExpMap(), at: real)
        check(LogMap(), at: [0.05, 0.5, 1, 3, 40])
        check(TanhMap(), at: real)
        check(SinhMap(), at: real)
        check(AsinhMap(), at: real)
        check(AtanhMap(), at: unit.map { 2 * $0 - 1 })
        check(SigmoidMap(), at: real)
        check(SoftplusMap(), at: real)
        check(LogitMap(), at: unit)
        check(NormalCDFMap(), at: real)
    }

    /// The fixed layer's VJP through a decreasing map (affine with a negative scale) and a
    /// curved one: ∂L/∂x for L = Σ c·y + γ·log|det| against central differences, both directions.
    func testFixedLayerVJPThroughTanh() throws {
        let layer = TrainableFixedElementwise(TanhMap(), dimension: 2)
        let xs = [0.3, -1.2, 0.9, 0.05]
        let c = [0.7, -1.3], gamma = 0.45
        func loss(_ x: [Double], _ direction: TrainableDirection) throws -> Double {
            var batch = PointBatch(dimension: 2, values: x)
            var logDet = [Double](repeating: 0, count: batch.count)
            try layer.evaluate(direction, parameters: [], batch: &batch, logAbsDet: &logDet)
            var sum = 0.0
            for p in 0..<batch.count { sum += c[0] * batch[p, 0] + c[1] * batch[p, 1] + gamma * logDet[p] }
            return sum
        }
        for (direction, inputs) in [(TrainableDirection.sampling, xs), (.density, xs.map { tanh($0) })] {
            var output = [Double](repeating: 0, count: 4), logDet = [0.0, 0.0]
            var gIn = [Double](repeating: 0, count: 4), gTheta = [0.0]
            let gOut = [c[0], c[1], c[0], c[1]], gLog = [gamma, gamma]
            var tape = [0.0]
            inputs.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    logDet.withUnsafeMutableBufferPointer { l in
                        tape.withUnsafeMutableBufferPointer { t in
                            gIn.withUnsafeMutableBufferPointer { gi in
                                gTheta.withUnsafeMutableBufferPointer { gt in
                                    gOut.withUnsafeBufferPointer { go in
                                        gLog.withUnsafeBufferPointer { gl in
                                            let pass = TrainablePass(count: 2, input: x.baseAddress!, output: y.baseAddress!, logAbsDet: l.baseAddress!, tape: t.baseAddress!)
                                            layer.pass(direction, parameters: UnsafePointer(gt.baseAddress!), pass)
                                            layer.vjp(direction, parameters: UnsafePointer(gt.baseAddress!), pass,
                                                      TrainableGradient(output: go.baseAddress!, logAbsDet: gl.baseAddress!, input: gi.baseAddress!, parameters: gt.baseAddress!))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for i in 0..<4 {
                var plus = inputs, minus = inputs
                let h = 1e-6
                plus[i] += h
                minus[i] -= h
                let numeric = (try loss(plus, direction) - loss(minus, direction)) / (2 * h)
                XCTAssertEqual(gIn[i], numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(direction) coordinate \(i)")
            }
        }
    }
}
