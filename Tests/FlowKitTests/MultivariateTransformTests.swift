import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Property tests over the one list of every multivariate transform (MultivariateTestCases),
/// in 2, 3 and 5 dimensions.
///
/// Log-dets are compared by their absolute difference: an absolute error δ in log|det J| is a
/// relative error of about δ in |det J|, the scale-free measure of a Jacobian determinant.
final class MultivariateTransformTests: XCTestCase {
    let dimensions = [2, 3, 5]
    typealias Cases = MultivariateTestCases
    /// The initial finite-difference step. The default 0.05 is too coarse for the inverse of
    /// "planar wᵀu<−1": with c = wᵀû ≈ −0.92 the forward Jacobian nearly vanishes on a band of
    /// width ~√(1 + c)/‖w‖ ≈ 0.16, and Ridders' tableau, started at 0.05, stops with an error
    /// of 0.018 in the log-det there (at 0.01 it agrees to 1e-13).
    static let step = 0.01

    func testListCoversEveryCatalogEntry() throws {
        let names = Set(try Cases.all(dimension: 3).map(\.transform.name))
        XCTAssertEqual(names, Set(TransformCatalog.multivariate.map(\.name)))
    }

    func testInverseOfForwardRoundTrips() throws {
        for d in dimensions {
            for testCase in try Cases.all(dimension: d) {
                for x in Cases.points(dimension: d, count: 40) {
                    let y = Cases.apply(testCase.transform, x).value
                    let back = Cases.apply(testCase.transform, y, inverse: true).value
                    XCTAssertLessThan(Cases.relativeDistance(back, x), 1e-13, "\(testCase.label) d=\(d) x=\(x)")
                    let forwardAgain = Cases.apply(testCase.transform, back).value
                    XCTAssertLessThan(Cases.relativeDistance(forwardAgain, y), 1e-13, "\(testCase.label) d=\(d) forward(inverse(y))")
                }
            }
        }
    }

    func testForwardLogDetMatchesFiniteDifferenceJacobian() throws {
        for d in dimensions {
            for testCase in try Cases.all(dimension: d) {
                for x in Cases.points(dimension: d, count: 12, seed: 5) {
                    let analytic = Cases.apply(testCase.transform, x).logAbsDet
                    let numeric = FiniteDifference.logAbsDeterminantOfJacobian(of: { Cases.apply(testCase.transform, $0).value }, at: x, step: Self.step)
                    XCTAssertLessThan(abs(analytic - numeric), 1e-9, "\(testCase.label) d=\(d) x=\(x): \(analytic) vs \(numeric)")
                }
            }
        }
    }

    func testInverseLogDetMatchesFiniteDifferenceJacobianOfInverse() throws {
        for d in dimensions {
            for testCase in try Cases.all(dimension: d) {
                for y in Cases.points(dimension: d, count: 8, seed: 6) {
                    let analytic = Cases.apply(testCase.transform, y, inverse: true).logAbsDet
                    let numeric = FiniteDifference.logAbsDeterminantOfJacobian(of: { Cases.apply(testCase.transform, $0, inverse: true).value }, at: y, step: Self.step)
                    XCTAssertLessThan(abs(analytic - numeric), 1e-8, "\(testCase.label) d=\(d) y=\(y): \(analytic) vs \(numeric)")
                }
            }
        }
    }

    func testInverseLogDetIsMinusForwardLogDetAtTheMatchingPoint() throws {
        for d in dimensions {
            for testCase in try Cases.all(dimension: d) {
                for x in Cases.points(dimension: d, count: 40, seed: 9) {
                    let (y, forwardLogDet) = Cases.apply(testCase.transform, x)
                    let inverseLogDet = Cases.apply(testCase.transform, y, inverse: true).logAbsDet
                    XCTAssertLessThan(abs(inverseLogDet + forwardLogDet), 1e-13 * max(1, abs(forwardLogDet)), "\(testCase.label) d=\(d)")
                }
            }
        }
    }

    /// The batch kernels reuse scratch across points: a batch must give exactly the values and
    /// log-dets of the points taken one at a time, and must add to (not overwrite) log-dets.
    func testBatchEqualsPointByPointAndAccumulatesLogDets() throws {
        for d in dimensions {
            for testCase in try Cases.all(dimension: d) {
                let points = Cases.points(dimension: d, count: 33, seed: 11)
                for inverse in [false, true] {
                    var batch = PointBatch(dimension: d, values: points.flatMap { $0 })
                    var logDet = (0..<points.count).map { Double($0) }
                    if inverse { testCase.transform.inverse(&batch, logAbsDet: &logDet) } else { testCase.transform.forward(&batch, logAbsDet: &logDet) }
                    for (i, x) in points.enumerated() {
                        let single = Cases.apply(testCase.transform, x, inverse: inverse)
                        XCTAssertEqual(batch.point(i), single.value, "\(testCase.label) d=\(d)")
                        XCTAssertEqual(logDet[i], Double(i) + single.logAbsDet, "\(testCase.label) d=\(d)")
                    }
                }
            }
        }
    }

    /// image(of:) must contain the image of every point of the box (sampled, plus the corners).
    func testImageOfBoxContainsTheImages() throws {
        for d in dimensions {
            let box = (0..<d).map { Interval(lower: -1.5 + 0.2 * Double($0), upper: 0.8 + 0.3 * Double($0), lowerClosed: true, upperClosed: true) }
            var numbers = Cases.Numbers(seed: 3, stream: UInt64(d))
            var samples = (0..<300).map { _ in box.map { numbers.next($0.lower, $0.upper) } }
            for corner in 0..<(1 << d) {
                samples.append((0..<d).map { corner & (1 << $0) != 0 ? box[$0].upper : box[$0].lower })
            }
            for testCase in try Cases.all(dimension: d) {
                let image = testCase.transform.image(of: box)
                for x in samples {
                    let y = Cases.apply(testCase.transform, x).value
                    for i in 0..<d {
                        XCTAssertTrue(image[i].contains(y[i]), "\(testCase.label) d=\(d): y[\(i)] = \(y[i]) ∉ \(image[i])")
                    }
                }
                // An unbounded box maps into ℝᵈ without NaN ends.
                let whole = testCase.transform.image(of: testCase.transform.domain(dimension: d))
                XCTAssertTrue(whole.allSatisfy { !$0.lower.isNaN && !$0.upper.isNaN }, testCase.label)
            }
        }
    }

    func testDeclaredCapabilities() throws {
        for testCase in try Cases.all(dimension: 3) {
            let t = testCase.transform
            XCTAssertEqual(t.dimension, 3, testCase.label)
            XCTAssertEqual(t.domain(dimension: 3), [Interval](repeating: .real, count: 3), testCase.label)
            let numerical = t.name == "planar"
            XCTAssertEqual(t.hasClosedFormInverse, !numerical, testCase.label)
            let constant = ["linear", "permute", "reverse"].contains(t.name)
            XCTAssertEqual(t.hasConstantJacobian, constant, testCase.label)
        }
    }
}
