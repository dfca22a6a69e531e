import XCTest
import FlowKit

/// s(x) = d/dx log|t'(x)| of every map with a ``LogDerivativeSlope`` against a central
/// difference of the log-derivative its own forward pass returns, at points across its domain.
final class LogDerivativeSlopeTests: XCTestCase {
    func check<Map: LogDerivativeSlope>(_ map: Map, at points: [Double], step: (Double) -> Double = { 1e-5 * max(1, abs($0)) },
                                        file: StaticString = #filePath, line: UInt = #line) {
        for x in points {
            let h = step(x)
            let numeric = (map.forward(x + h).logAbsDet - map.forward(x - h).logAbsDet) / (2 * h)
            let analytic = map.logDerivativeSlope(x)
            XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(map.name) at \(x)", file: file, line: line)
        }
    }

    /// r(y) = d/dy log|(t⁻¹)'(y)| against a central difference of the inverse pass's log-derivative.
    func checkInverse<Map: LogDerivativeSlope>(_ map: Map, at points: [Double], step: (Double) -> Double = { 1e-5 * max(1, abs($0)) },
                                               file: StaticString = #filePath, line: UInt = #line) {
        for y in points {
            let h = step(y)
            let numeric = (map.inverse(y + h).logAbsDet - map.inverse(y - h).logAbsDet) / (2 * h)
            let analytic = map.inverseLogDerivativeSlope(y)
            XCTAssertEqual(analytic, numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(map.name) inverse at \(y)", file: file, line: line)
        }
    }

    static let spline = try! RationalQuadraticSpline(x: [-2, -0.5, 0.2, 1, 2.5], y: [-1.5, -1, 0.4, 0.9, 3],
                                                     derivatives: [0.6, 2, 0.5, 1.7, 1.2])

    func testSlopesOfTheRemainingCatalogMaps() throws {
        let real = [-3.2, -1.1, -0.3, 0.0, 0.4, 1.7, 4.5]
        let positive = [0.05, 0.5, 1, 3, 40]
        let unit = [1e-4, 0.03, 0.2, 0.5, 0.81, 0.97, 1 - 1e-4]
        check(try PowerMap(exponent: 2.5), at: positive)
        check(try PowerMap(exponent: -0.7), at: positive)
        check(try SinhArcsinhMap(skew: 0.4, tailweight: 1.3), at: real)
        check(try SinhArcsinhMap(skew: -1.2, tailweight: 0.6), at: real)
        // Near the ends of (0, 1) the step shrinks with the distance to them.
        let inUnit: (Double) -> Double = { 1e-4 * min($0, 1 - $0) }
        check(NormalQuantileMap(), at: unit, step: inUnit)
        // Inside the bins (away from the knots, where S″ jumps) and on both tails.
        check(Self.spline, at: [-4, -2.5, -1.3, -0.2, 0.05, 0.6, 1.8, 2.4, 3.1])
        checkInverse(try PowerMap(exponent: 2.5), at: positive)
        checkInverse(try PowerMap(exponent: -0.7), at: positive)
        checkInverse(try SinhArcsinhMap(skew: 0.4, tailweight: 1.3), at: real)
        checkInverse(NormalQuantileMap(), at: real + [-9, 9, 30])
        checkInverse(Self.spline, at: [-3, -1.2, -0.8, 0, 0.7, 2, 3.5])
        checkInverse(try AffineMap(scale: -2.5, shift: 1), at: real)
        checkInverse(ExpMap(), at: positive)
        checkInverse(LogMap(), at: real)
        checkInverse(TanhMap(), at: unit.map { 2 * $0 - 1 }, step: { 1e-4 * (1 - abs($0)) })
        checkInverse(SigmoidMap(), at: unit, step: inUnit)
        checkInverse(LogitMap(), at: real)
        checkInverse(NormalCDFMap(), at: unit, step: inUnit)
        // Far in the tail Φ(y) is 1 in double precision while r(y) = −y stays exact.
        XCTAssertEqual(NormalQuantileMap().inverse(9).value, 1)
        XCTAssertEqual(NormalQuantileMap().inverseLogDerivativeSlope(9), -9)
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
