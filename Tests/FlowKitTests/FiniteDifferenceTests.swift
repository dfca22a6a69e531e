import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class FiniteDifferenceTests: XCTestCase {
    func testDerivativeOfSmoothFunctionsIsAccurate() {
        let cases: [(String, (Double) -> Double, (Double) -> Double, Double)] = [
            ("exp", { exp($0) }, { exp($0) }, 1.3),
            ("sin", { sin($0) }, { cos($0) }, 0.7),
            ("log", { log($0) }, { 1 / $0 }, 2.5),
            ("x^5", { pow($0, 5) }, { 5 * pow($0, 4) }, -1.7),
        ]
        for (name, f, df, x) in cases {
            let estimate = FiniteDifference.derivative(of: f, at: x)
            XCTAssertLessThan(relativeError(estimate.value, df(x)), 1e-10, name)
            XCTAssertLessThan(estimate.error, 1e-8, name)
        }
    }

    func testStepShrinksNearDomainBoundary() {
        // log at 1e-3 with the default step 0.05 would step to negative x; the step must shrink.
        let estimate = FiniteDifference.derivative(of: { log($0) }, at: 1e-3)
        XCTAssertLessThan(relativeError(estimate.value, 1e3), 1e-8)
    }

    func testJacobianAndLogDeterminantOfALinearMap() throws {
        let a: [[Double]] = [[2, 1, 0], [0.5, 3, -1], [1, 0, 4]]
        let f: ([Double]) -> [Double] = { x in a.map { row in zip(row, x).map(*).reduce(0, +) } }
        let j = FiniteDifference.jacobian(of: f, at: [0.3, -1.2, 2])
        for i in 0..<3 {
            for k in 0..<3 { XCTAssertEqual(j[i][k], a[i][k], accuracy: 1e-12 * 4) }
        }
        // det = 2(12 − 0) − 1(2 + 1) + 0 = 21
        let logDet = FiniteDifference.logAbsDeterminantOfJacobian(of: f, at: [0.3, -1.2, 2])
        XCTAssertLessThan(relativeError(logDet, log(21)), 1e-12)
    }

    func testJacobianOfANonlinearMap() {
        // f(x, y) = (x²y, sin x + y³): J = [[2xy, x²], [cos x, 3y²]]
        let f: ([Double]) -> [Double] = { v in [v[0] * v[0] * v[1], sin(v[0]) + pow(v[1], 3)] }
        let (x, y) = (0.8, -1.3)
        let j = FiniteDifference.jacobian(of: f, at: [x, y])
        let exact = [[2 * x * y, x * x], [cos(x), 3 * y * y]]
        for i in 0..<2 {
            for k in 0..<2 { XCTAssertLessThan(relativeError(j[i][k], exact[i][k]), 1e-10) }
        }
    }
}

final class LUDecompositionTests: XCTestCase {
    func testDeterminantSignAndSolve() throws {
        let a: [[Double]] = [[0, 2, 1], [1, -1, 3], [4, 1, 0]]
        // det = 0(0 − 3) − 2(0 − 12) + 1(1 + 4) = 29
        let lu = try LUDecomposition(a)
        XCTAssertLessThan(relativeError(lu.logAbsDeterminant, log(29)), 1e-14)
        XCTAssertEqual(lu.determinantSign, 1)
        XCTAssertFalse(lu.isSingular)
        let b: [Double] = [1, 2, 3]
        let x = lu.solve(b)
        for i in 0..<3 {
            let ax = zip(a[i], x).map(*).reduce(0, +)
            XCTAssertLessThan(abs(ax - b[i]), 1e-14 * 8)
        }
        let negative = try LUDecomposition([[0, 1], [1, 0]])
        XCTAssertEqual(negative.determinantSign, -1)
    }

    func testSingularAndMalformedMatrices() throws {
        XCTAssertTrue(try LUDecomposition([[1, 2], [2, 4]]).isSingular)
        XCTAssertThrowsError(try LUDecomposition([[1, 2], [3]]))
        XCTAssertThrowsError(try LUDecomposition([]))
    }
}
