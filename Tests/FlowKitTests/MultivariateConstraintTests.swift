import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Parameters outside the invertibility constraints are rejected with the spec key named.
final class MultivariateConstraintTests: XCTestCase {
    /// Asserts that `build` throws invalidParameter naming `key`, and returns the requirement.
    @discardableResult
    func assertRejects(_ key: String, file: StaticString = #filePath, line: UInt = #line, _ build: () throws -> Any) -> String {
        do {
            _ = try build()
            XCTFail("expected '\(key)' to be rejected", file: file, line: line)
        } catch let FlowKitError.invalidParameter(parameter, _, requirement) {
            XCTAssertEqual(parameter, key, file: file, line: line)
            return requirement
        } catch {
            XCTFail("expected invalidParameter for '\(key)', got \(error)", file: file, line: line)
        }
        return ""
    }

    /// `build` throws a dimension mismatch whose text starts with `prefix` and that blames the
    /// spec key `parameter`.
    func assertMismatch(_ prefix: String, parameter: String, expected: Int, found: Int, file: StaticString = #filePath, line: UInt = #line, _ build: () throws -> Any) {
        do {
            _ = try build()
            XCTFail("expected a dimension mismatch", file: file, line: line)
        } catch let FlowKitError.dimensionMismatch(what, e, f, blamed) {
            XCTAssertTrue(what.hasPrefix(prefix), what, file: file, line: line)
            XCTAssertEqual(blamed, parameter, file: file, line: line)
            XCTAssertEqual(e, expected, file: file, line: line)
            XCTAssertEqual(f, found, file: file, line: line)
        } catch {
            XCTFail("expected dimensionMismatch, got \(error)", file: file, line: line)
        }
    }

    func testRadialConstraints() {
        let requirement = assertRejects("beta") { try RadialTransform(RadialParameters(z0: [0, 0], alpha: 1, beta: -1.0000001)) }
        XCTAssertTrue(requirement.contains("≥ −alpha") && requirement.contains("invertible"), requirement)
        assertRejects("alpha") { try RadialTransform(RadialParameters(z0: [0, 0], alpha: 0, beta: 1)) }
        assertRejects("alpha") { try RadialTransform(RadialParameters(z0: [0, 0], alpha: -2, beta: 3)) }
        assertRejects("alpha") { try RadialTransform(RadialParameters(z0: [0, 0], alpha: .infinity, beta: 1)) }
        assertRejects("z0") { try RadialTransform(RadialParameters(z0: [0, .nan], alpha: 1, beta: 1)) }
        assertMismatch("radial parameter 'z0'", parameter: "z0", expected: 3, found: 2) { try RadialTransform(RadialParameters(z0: [0, 0], alpha: 1, beta: 1), dimension: 3) }
        // β = −α exactly is allowed (invertible; the Jacobian vanishes at z0 only).
        XCTAssertNoThrow(try RadialTransform(RadialParameters(z0: [0, 0], alpha: 1, beta: -1)))
    }

    func testPlanarConstraints() {
        assertRejects("w") { try PlanarTransform(PlanarParameters(u: [1, 2], w: [0, 0])) }
        assertRejects("w") { try PlanarTransform(PlanarParameters(u: [1, 2], w: [1e-200, 0])) }
        assertRejects("u") { try PlanarTransform(PlanarParameters(u: [1, .infinity], w: [1, 0])) }
        assertRejects("b") { try PlanarTransform(PlanarParameters(u: [1, 2], w: [1, 0], b: .nan)) }
        assertMismatch("planar parameter 'w'", parameter: "w", expected: 2, found: 3) { try PlanarTransform(PlanarParameters(u: [1, 2], w: [1, 0, 1])) }
        assertMismatch("planar parameter 'u'", parameter: "u", expected: 5, found: 2) { try PlanarTransform(PlanarParameters(u: [1, 2], w: [1, 0]), dimension: 5) }
    }

    func testLinearConstraints() {
        let requirement = assertRejects("matrix") { try LinearTransform(LinearParameters(matrix: [[1, 2], [2, 4]])) }
        XCTAssertTrue(requirement.contains("invertible"), requirement)
        assertRejects("matrix") { try LinearTransform(LinearParameters(matrix: [[1, 0], [3, 0]])) }       // triangular, zero pivot
        assertRejects("matrix") { try LinearTransform(LinearParameters(matrix: [[1e20, 0], [0, 1]])) }   // pivot below d·ε·largest
        assertRejects("matrix") { try LinearTransform(LinearParameters(matrix: [[1, .nan], [0, 1]])) }
        assertRejects("shift") { try LinearTransform(LinearParameters(matrix: [[1, 0], [0, 1]], shift: [0, .infinity])) }
        assertMismatch("linear parameter 'matrix' (a row", parameter: "matrix", expected: 2, found: 3) { try LinearTransform(LinearParameters(matrix: [[1, 0], [0, 1, 2]])) }
        assertMismatch("linear parameter 'shift'", parameter: "shift", expected: 2, found: 1) { try LinearTransform(LinearParameters(matrix: [[1, 0], [0, 1]], shift: [1])) }
        assertRejects("matrix") { try LinearTransform(LinearParameters(matrix: [])) }
    }

    func testCouplingConstraints() {
        let conditioner = MLPParameters(layers: [.init(weights: [[1], [2]], bias: [0, 0])])   // 1 kept → 2 outputs (s, t)
        XCTAssertNoThrow(try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: conditioner)))
        assertRejects("mask") { try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 2], conditioner: conditioner)) }
        assertRejects("mask") { try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 1], conditioner: conditioner)) }
        assertRejects("mask") { try AffineCouplingTransform(AffineCouplingParameters(mask: [0, 0], conditioner: conditioner)) }
        assertRejects("scale") { try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: conditioner, scale: 0)) }
        assertRejects("scale") { try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: conditioner, scale: -1)) }
        assertRejects("conditioner.layers") { try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: MLPParameters(layers: []))) }
        assertRejects("conditioner.layers[0].bias") {
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: MLPParameters(layers: [.init(weights: [[1], [2]], bias: [0, .nan])])))
        }
        // Wrong output width: 1 transformed coordinate needs 2 outputs.
        assertMismatch("conditioner output width", parameter: "conditioner", expected: 2, found: 3) {
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: MLPParameters(layers: [.init(weights: [[1], [2], [3]], bias: [0, 0, 0])])))
        }
        // Wrong input width: 2 kept coordinates.
        assertMismatch("conditioner.layers[0].weights", parameter: "conditioner", expected: 2, found: 1) {
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 1, 0], conditioner: conditioner))
        }
        assertMismatch("conditioner.layers[1].bias", parameter: "conditioner", expected: 2, found: 1) {
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: MLPParameters(layers: [
                .init(weights: [[1], [2], [3]], bias: [0, 0, 0]), .init(weights: [[1, 0, 0], [0, 1, 0]], bias: [0]),
            ])))
        }
        assertMismatch("coupling parameter 'mask'", parameter: "mask", expected: 3, found: 2) {
            try AffineCouplingTransform(AffineCouplingParameters(mask: [1, 0], conditioner: conditioner), dimension: 3)
        }
    }

    func testPermutationConstraints() {
        assertRejects("order") { try PermutationTransform(PermutationParameters(order: [0, 0, 1])) }
        assertRejects("order") { try PermutationTransform(PermutationParameters(order: [0, 3, 1])) }
        assertRejects("order") { try PermutationTransform(PermutationParameters(order: [-1, 0])) }
        assertRejects("order") { try PermutationTransform(PermutationParameters(order: [])) }
        assertRejects("dimension") { try PermutationTransform.reverse(dimension: 0) }
        assertMismatch("permute parameter 'order'", parameter: "order", expected: 4, found: 3) { try PermutationTransform(PermutationParameters(order: [2, 0, 1]), dimension: 4) }
    }
}
