import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// A fixed-dimension test map, (x₁, x₂) ↦ (x₂, x₁): volume preserving, ℝ² → ℝ².
private struct SwapPair: Bijection {
    var name: String { "swap" }
    var dimension: Int? { 2 }
    var hasClosedFormInverse: Bool { true }
    var hasConstantJacobian: Bool { true }
    func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }
    func image(of box: [Interval]) -> [Interval] { [box[1], box[0]] }
    func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for i in 0..<batch.count { batch.values.swapAt(2 * i, 2 * i + 1) }
    }
    func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) { forward(&batch, logAbsDet: &logAbsDet) }
}

final class TransformChainTests: XCTestCase {
    private func affine(_ a: Double, _ b: Double) throws -> any Bijection { Elementwise(try AffineMap(scale: a, shift: b)) }

    func testStagesFollowTheGenerativeOrder() throws {
        let chain = try TransformChain(maps: [affine(2, 1), Elementwise(ExpMap()), affine(-1, 0.5)], dimension: 1)
        let x0 = PointBatch(scalars: [-1, 0, 0.3])
        let stages = chain.stages(x0)
        XCTAssertEqual(stages.count, 4)
        XCTAssertEqual(stages[0], x0)
        XCTAssertEqual(stages[1].values, x0.values.map { 2 * $0 + 1 })
        // The exp map's own eˣ (the four-lane kernel, within 4 ulp of libm: PassKernelTests).
        XCTAssertEqual(stages[2].values, stages[1].values.map { ExpMap.exponential($0) })
        XCTAssertEqual(stages[3].values, stages[2].values.map { -$0 + 0.5 })
        XCTAssertEqual(chain.name, "affine ∘ exp ∘ affine")
    }

    func testLogDetsAddUpAndMatchTheCompositeDerivative() throws {
        let maps: [any Bijection] = [try affine(2, 1), Elementwise(SinhMap()), Elementwise(SigmoidMap())]
        let chain = try TransformChain(maps: maps, dimension: 1)
        for x in [-1.2, -0.1, 0.4] {
            var batch = PointBatch(scalars: [x])
            var total = [0.0]
            chain.forward(&batch, logAbsDet: &total)
            // The sum of the individual log-dets, stage by stage.
            var point = PointBatch(scalars: [x])
            var sum = 0.0
            for map in maps {
                var single = [0.0]
                map.forward(&point, logAbsDet: &single)
                sum += single[0]
            }
            XCTAssertEqual(total[0], sum)
            XCTAssertEqual(batch.values, point.values)
            // d/dx σ(sinh(2x + 1)) by finite differences: relative error ≤ 1e-9.
            let estimate = FiniteDifference.derivative(of: { t in
                var b = PointBatch(scalars: [t]); var l = [0.0]
                chain.forward(&b, logAbsDet: &l)
                return b.values[0]
            }, at: x, step: 0.01)
            XCTAssertLessThan(relativeError(exp(total[0]), estimate.value), 1e-9, "at \(x)")
        }
    }

    func testInversionReversesTheOrder() throws {
        // exp(2x + 1) is not 2eˣ + 1: the order is observable.
        let chain = try TransformChain(maps: [affine(2, 1), Elementwise(ExpMap())], dimension: 1)
        var batch = PointBatch(scalars: [0.3])
        var logDet = [0.0]
        chain.forward(&batch, logAbsDet: &logDet)
        XCTAssertEqual(batch.values[0], exp(2 * 0.3 + 1))
        XCTAssertEqual(logDet[0], log(2) + (2 * 0.3 + 1))

        var inverseLogDet = [0.0]
        chain.inverse(&batch, logAbsDet: &inverseLogDet)
        XCTAssertLessThanOrEqual(ulpDistance(batch.values[0], 0.3), 4)
        XCTAssertLessThanOrEqual(abs(inverseLogDet[0] + logDet[0]), 4 * Double.ulpOfOne * abs(logDet[0]))

        // The inverted chain's forward pass is the chain's inverse pass, bit for bit.
        let inverted = chain.inverted
        XCTAssertEqual(inverted.name, "inverse(affine) ∘ inverse(exp)")
        let y = PointBatch(scalars: [0.5, 3, 40])
        var viaInverse = y, viaInverted = y
        var l1 = [Double](repeating: 0, count: 3), l2 = l1
        chain.inverse(&viaInverse, logAbsDet: &l1)
        inverted.forward(&viaInverted, logAbsDet: &l2)
        XCTAssertEqual(viaInverse, viaInverted)
        XCTAssertEqual(l1, l2)
        XCTAssertEqual(inverted.domain(dimension: 1), [.positive])
    }

    func testInverseBijectionSwapsDirectionsAndDomains() throws {
        let expInverse = Elementwise(ExpMap()).inverted
        let log = Elementwise(LogMap())
        XCTAssertEqual(expInverse.domain(dimension: 2), log.domain(dimension: 2))
        XCTAssertEqual(expInverse.codomain(dimension: 2), log.codomain(dimension: 2))
        XCTAssertEqual(expInverse.image(of: [Interval(lower: 1, upper: .infinity)]), [Interval(lower: 0, upper: .infinity)])
        var a = PointBatch(scalars: [1e-3, 2, 1e10]), b = a
        var la = [0.0, 0, 0], lb = la
        expInverse.forward(&a, logAbsDet: &la)
        log.forward(&b, logAbsDet: &lb)
        XCTAssertEqual(a, b)
        XCTAssertEqual(la, lb)
        XCTAssertEqual(expInverse.inverted.name, "exp")
        XCTAssertThrowsError(try expInverse.forwardChecked([-1]))
    }

    func testSupportPropagationAndDomainViolations() throws {
        let exp: any Bijection = Elementwise(ExpMap())
        let log: any Bijection = Elementwise(LogMap())
        let negate = try affine(-1, 0)

        // log after uniform(0, 1) is fine: (0, 1) ⊆ (0, ∞).
        XCTAssertNil(try TransformChain(maps: [log, negate], dimension: 1).firstDomainViolation(startingFrom: [.unit]))
        XCTAssertEqual(try TransformChain(maps: [log, negate], dimension: 1).image(of: [.unit]), [.positive])
        // log after a normal is not.
        let bad = try XCTUnwrap(TransformChain(maps: [log], dimension: 1).firstDomainViolation(startingFrom: [.real]))
        XCTAssertEqual(bad.step, 0)
        XCTAssertEqual(bad.name, "log")
        XCTAssertEqual(bad.support, [.real])
        XCTAssertEqual(bad.domain, [.positive])
        // exp then log is fine; exp, negate, log leaves the domain at step 2 with support (−∞, 0).
        XCTAssertNil(try TransformChain(maps: [exp, log], dimension: 1).firstDomainViolation(startingFrom: [.real]))
        let late = try XCTUnwrap(TransformChain(maps: [exp, negate, log], dimension: 1).firstDomainViolation(startingFrom: [.real]))
        XCTAssertEqual(late.step, 2)
        XCTAssertEqual(late.support, [Interval(lower: -.infinity, upper: 0)])
        // Closed ends are kept: [0, 1] through affine(2, 1) is [1, 3]; through exp then log, back.
        let closed = Interval(lower: 0, upper: 1, lowerClosed: true, upperClosed: true)
        XCTAssertEqual(try TransformChain(maps: [affine(2, 1)], dimension: 1).image(of: [closed]),
                       [Interval(lower: 1, upper: 3, lowerClosed: true, upperClosed: true)])
        XCTAssertEqual(try TransformChain(maps: [negate], dimension: 1).image(of: [Interval(lower: 0, upper: 1, lowerClosed: true)]),
                       [Interval(lower: -1, upper: 0, upperClosed: true)])
        // A sigmoid of a normal stays in (0, 1): atanh ∘ (2y − 1) then fits.
        XCTAssertNil(try TransformChain(maps: [Elementwise(SigmoidMap()), affine(2, -1), Elementwise(AtanhMap())], dimension: 1)
            .firstDomainViolation(startingFrom: [.real]))
        // Outward-rounded boxes (multivariate images) one ulp below 0 still fit log; 1e-300 does not.
        let logChain = try TransformChain(maps: [log], dimension: 1)
        XCTAssertNil(logChain.firstDomainViolation(startingFrom: [Interval(lower: -0x1p-1074, upper: 2, lowerClosed: true, upperClosed: true)]))
        XCTAssertNotNil(logChain.firstDomainViolation(startingFrom: [Interval(lower: -1e-300, upper: 2, lowerClosed: true, upperClosed: true)]))
        // Per coordinate in two dimensions: only the second coordinate leaves the domain.
        let v = try XCTUnwrap(TransformChain(maps: [log], dimension: 2).firstDomainViolation(startingFrom: [.unit, .real]))
        XCTAssertEqual(v.support, [.unit, .real])
    }

    func testDimensionsAreCheckedAcrossTheChain() throws {
        XCTAssertNoThrow(try TransformChain(maps: [SwapPair(), Elementwise(ExpMap())], dimension: 2))
        XCTAssertThrowsError(try TransformChain(maps: [Elementwise(ExpMap()), SwapPair()], dimension: 3)) { error in
            XCTAssertEqual(error as? FlowKitError, .dimensionMismatch(what: "transform 2 (swap)", expected: 3, found: 2))
        }
        XCTAssertThrowsError(try TransformChain(maps: [], dimension: 0))
        let chain = try TransformChain(maps: [Elementwise(ExpMap()), SwapPair()], dimension: 2)
        let out = try chain.forwardChecked([0, 1])
        XCTAssertEqual(out.value, [ExpMap.exponential(1), exp(0)])   // the map's eˣ, within 4 ulp of libm's
        XCTAssertLessThanOrEqual(ulpDistance(out.value[0], exp(1)), 4)
        XCTAssertEqual(out.logAbsDet, 1)
        XCTAssertThrowsError(try chain.forwardChecked([0, 1, 2]))
    }

    func testCheckedChainNamesTheMapWhoseDomainIsLeft() throws {
        let chain = try TransformChain(maps: [Elementwise(ExpMap()), affine(-1, 0), Elementwise(LogMap())], dimension: 1)
        XCTAssertThrowsError(try chain.forwardChecked([0])) { error in
            guard case let FlowKitError.outsideDomain(transform, value, domain) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(transform, "log")
            XCTAssertEqual(value, "-1.0")
            XCTAssertEqual(domain, "(0, ∞)")
        }
        let ok = try TransformChain(maps: [Elementwise(ExpMap()), Elementwise(LogMap())], dimension: 1)
        // log ∘ exp is the identity up to rounding: a few ulps, and log-dets x + (−x) ≈ 0.
        XCTAssertLessThanOrEqual(ulpDistance(try ok.forwardChecked([0.25]).value[0], 0.25), 4)
        XCTAssertThrowsError(try ok.inverseChecked([.nan]))
        let back = try ok.inverseChecked([0.25])
        XCTAssertLessThanOrEqual(ulpDistance(back.value[0], 0.25), 4)
        XCTAssertLessThanOrEqual(abs(back.logAbsDet), 4 * Double.ulpOfOne * 0.25)
    }

    func testIdentityChainAndCapabilities() throws {
        let identity = try TransformChain.identity(dimension: 2)
        var batch = PointBatch(dimension: 2, values: [1, 2, 3, 4])
        var logDet = [0.0, 0]
        identity.forward(&batch, logAbsDet: &logDet)
        XCTAssertEqual(batch.values, [1, 2, 3, 4])
        XCTAssertEqual(logDet, [0, 0])
        XCTAssertEqual(identity.name, "identity")
        XCTAssertEqual(identity.stages(batch).count, 1)
        XCTAssertTrue(try TransformChain(maps: [affine(2, 0), affine(3, 1)], dimension: 1).hasConstantJacobian)
        XCTAssertFalse(try TransformChain(maps: [affine(2, 0), Elementwise(ExpMap())], dimension: 1).hasConstantJacobian)
        XCTAssertTrue(try TransformChain(maps: [affine(2, 0), Elementwise(ExpMap())], dimension: 1).hasClosedFormInverse)
    }
}
