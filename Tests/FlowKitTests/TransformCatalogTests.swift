import Foundation
import XCTest
@testable import FlowKit
import TestSupport

final class TransformCatalogTests: XCTestCase {
    /// The names of issue 2, in order; they are the spec vocabulary.
    func testElementwiseNamesAreTheSpecVocabulary() {
        XCTAssertEqual(TransformCatalog.elementwise.map(\.name),
                       ["exp", "log", "affine", "power", "sigmoid", "logit", "tanh", "atanh", "softplus", "sinh", "asinh",
                        "sinh_arcsinh", "normal_cdf", "normal_quantile", "spline"])
        for entry in TransformCatalog.elementwise {
            XCTAssertFalse(entry.summary.isEmpty, entry.name)
            XCTAssertFalse(entry.domainSummary.isEmpty, entry.name)
            XCTAssertEqual(TransformCatalog.entry(named: entry.name)?.name, entry.name)
        }
        XCTAssertNil(TransformCatalog.entry(named: "lognormal"))
    }

    func testParameterDocsNameTheSpecKeys() {
        func keys(_ name: String) -> [String] { TransformCatalog.entry(named: name)?.parameters.map(\.name) ?? [] }
        XCTAssertEqual(keys("affine"), ["scale", "shift"])
        XCTAssertEqual(keys("power"), ["exponent"])
        XCTAssertEqual(keys("sinh_arcsinh"), ["skew", "tailweight"])
        XCTAssertEqual(keys("spline"), ["x", "y", "derivatives"])
        XCTAssertEqual(keys("exp"), [])
        XCTAssertEqual(TransformCatalog.entry(named: "affine")?.parameters.map(\.defaultValue), [nil, "0"])
        XCTAssertEqual(TransformCatalog.entry(named: "sinh_arcsinh")?.parameters.map(\.defaultValue), ["0", "1"])
    }

    /// Entries without parameters build from an empty mapping or from nothing (null).
    func testEntriesWithoutParametersBuildFromNothing() throws {
        for entry in TransformCatalog.elementwise where entry.parameters.isEmpty {
            for text in ["{}", "null"] {
                let built = try CatalogBuilder.build(entry.name, parameters: text)
                XCTAssertEqual(built.name, entry.name)
                XCTAssertNil(built.dimension)
            }
        }
    }

    func testParametersDecodeWithDefaults() throws {
        let affine = try CatalogBuilder.build("affine", parameters: #"{"scale": 2}"#)
        XCTAssertEqual(try affine.forwardChecked([1.5]).value, [3])
        let sas = try CatalogBuilder.build("sinh_arcsinh", parameters: "{}")
        XCTAssertEqual(try sas.forwardChecked([0.7]).value[0], 0.7, accuracy: 4 * Double.ulpOfOne)
        let spline = try CatalogBuilder.build("spline", parameters: #"{"x": [0, 1], "y": [0, 2], "derivatives": [2, 2]}"#)
        // Equal end slopes s = h/w = 2: the spline is the line y = 2x, tails included.
        for x in [-1.0, 0.25, 0.5, 3] {
            XCTAssertLessThanOrEqual(ulpDistance(try spline.forwardChecked([x]).value[0], 2 * x), 2)
        }
        XCTAssertEqual(try AffineParameters(scale: 3).make().shift, 0)
        let data = try JSONEncoder().encode(SinhArcsinhParameters(skew: 1, tailweight: 2))
        XCTAssertEqual(try JSONDecoder().decode(SinhArcsinhParameters.self, from: data), SinhArcsinhParameters(skew: 1, tailweight: 2))
    }

    /// Out-of-range values throw invalidParameter naming the key; NaN and ±∞ are rejected.
    func testInvalidParametersNameTheKey() {
        let bad: [(String, String, String)] = [
            ("affine", #"{"scale": 0}"#, "scale"),
            ("affine", #"{"scale": "nan"}"#, "scale"),
            ("affine", #"{"scale": 1, "shift": "inf"}"#, "shift"),
            ("power", #"{"exponent": 0}"#, "exponent"),
            ("power", #"{"exponent": "-inf"}"#, "exponent"),
            ("sinh_arcsinh", #"{"tailweight": 0}"#, "tailweight"),
            ("sinh_arcsinh", #"{"tailweight": -1}"#, "tailweight"),
            ("sinh_arcsinh", #"{"skew": "nan"}"#, "skew"),
            ("spline", #"{"x": [0, 1, 1], "y": [0, 1, 2], "derivatives": [1, 1, 1]}"#, "x"),
            ("spline", #"{"x": [0, 1, 2], "y": [0, 3, 2], "derivatives": [1, 1, 1]}"#, "y"),
            ("spline", #"{"x": [0, 1, 2], "y": [0, 1], "derivatives": [1, 1, 1]}"#, "y"),
            ("spline", #"{"x": [0], "y": [0], "derivatives": [1]}"#, "x"),
            ("spline", #"{"x": [0, 1], "y": [0, 1], "derivatives": [1, 0]}"#, "derivatives"),
            ("spline", #"{"x": [0, 1], "y": [0, 1], "derivatives": [1]}"#, "derivatives"),
            ("spline", #"{"x": [0, "nan"], "y": [0, 1], "derivatives": [1, 1]}"#, "x"),
        ]
        for (name, parameters, key) in bad {
            XCTAssertThrowsError(try CatalogBuilder.build(name, parameters: parameters), "\(name) \(parameters)") { error in
                guard case let FlowKitError.invalidParameter(parameter, _, _) = error else {
                    return XCTFail("\(name) \(parameters): expected invalidParameter, got \(error)")
                }
                XCTAssertEqual(parameter, key, "\(name) \(parameters)")
            }
        }
        // A missing required key is a decoding error, left to the spec validator.
        XCTAssertThrowsError(try CatalogBuilder.build("affine", parameters: "{}"))
    }

    /// Direct construction validates like the catalog.
    func testMapInitialisersValidate() {
        XCTAssertThrowsError(try AffineMap(scale: .infinity))
        XCTAssertThrowsError(try PowerMap(exponent: .nan))
        XCTAssertThrowsError(try SinhArcsinhMap(skew: 0, tailweight: .infinity))
        XCTAssertThrowsError(try RationalQuadraticSpline(x: [0, 1], y: [0, 1], derivatives: [1, -1]))
        XCTAssertNoThrow(try RationalQuadraticSpline(x: [0, 1], y: [0, 1], derivatives: [1, 1]))
    }
}
