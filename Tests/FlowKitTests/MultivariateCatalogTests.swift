import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Builds multivariate transforms through TransformCatalog.multivariate from JSON parameter
/// text (the report layer does the same from YAML).
final class MultivariateCatalogTests: XCTestCase {
    /// Hands the decoder positioned at the parameters to the entry's `make`.
    final class Context: @unchecked Sendable {
        let entry: CatalogEntry<any Bijection>
        let dimension: Int?
        init(entry: CatalogEntry<any Bijection>, dimension: Int?) {
            self.entry = entry
            self.dimension = dimension
        }
    }

    struct Probe: Decodable {
        static let key = CodingUserInfoKey(rawValue: "multivariateCatalogContext")!
        let transform: any Bijection
        init(from decoder: any Decoder) throws {
            guard let context = decoder.userInfo[Self.key] as? Context else { throw FlowKitError.noConvergence(method: "probe", detail: "no context") }
            transform = try context.entry.make(decoder, context.dimension)
        }
    }

    func make(_ name: String, _ json: String, dimension: Int?) throws -> any Bijection {
        let entry = try XCTUnwrap(TransformCatalog.entry(named: name), name)
        let decoder = JSONDecoder()
        decoder.userInfo[Probe.key] = Context(entry: entry, dimension: dimension)
        return try decoder.decode(Probe.self, from: Data(json.utf8)).transform
    }

    static let specs: [(name: String, json: String, dimension: Int)] = [
        ("linear", #"{"matrix": [[2, 1], [0.5, -3]], "shift": [1, -1]}"#, 2),
        ("linear", #"{"matrix": [[2, 0, 0], [1, 3, 0], [0, 4, 5]]}"#, 3),
        ("planar", #"{"u": [1, -0.5], "w": [0.8, 1.2], "b": 0.2}"#, 2),
        ("planar", #"{"u": [1, -0.5, 2], "w": [0.8, 1.2, 0]}"#, 3),
        ("radial", #"{"z0": [0, 1], "alpha": 0.5, "beta": 1.5}"#, 2),
        ("coupling", #"{"mask": [1, 0, 0], "scale": 2, "conditioner": {"activation": "relu", "layers": [{"weights": [[1], [-1]], "bias": [0, 0.5]}, {"weights": [[0.3, 0.1], [0.2, -0.4], [1, 0], [0, 1]], "bias": [0, 0, 0.1, -0.1]}]}}"#, 3),
        ("permute", #"{"order": [2, 0, 1]}"#, 3),
    ]

    func testEveryEntryBuildsWithAndWithoutAnEstablishedDimension() throws {
        for spec in Self.specs {
            let inferred = try make(spec.name, spec.json, dimension: nil)
            XCTAssertEqual(inferred.name, spec.name)
            XCTAssertEqual(inferred.dimension, spec.dimension, spec.json)
            let given = try make(spec.name, spec.json, dimension: spec.dimension)
            XCTAssertEqual(given.dimension, spec.dimension, spec.json)
            // The built transform works: a round trip at one point.
            let x = (0..<spec.dimension).map { 0.3 * Double($0) - 0.4 }
            let y = MultivariateTestCases.apply(given, x).value
            let back = MultivariateTestCases.apply(given, y, inverse: true).value
            XCTAssertLessThan(MultivariateTestCases.relativeDistance(back, x), 1e-14, spec.json)
        }
        let reverse = try make("reverse", "{}", dimension: 4)
        XCTAssertEqual(reverse.dimension, 4)
        XCTAssertEqual(MultivariateTestCases.apply(reverse, [1, 2, 3, 4]).value, [4, 3, 2, 1])
    }

    func testDimensionDisagreeingWithTheSpecIsAMismatch() throws {
        for spec in Self.specs {
            XCTAssertThrowsError(try make(spec.name, spec.json, dimension: spec.dimension + 1), spec.json) { error in
                guard case let FlowKitError.dimensionMismatch(what, expected, found, parameter)? = error as? FlowKitError else {
                    return XCTFail("\(spec.name): expected a dimension mismatch, got \(error)")
                }
                XCTAssertTrue(what.hasPrefix(spec.name), what)
                // The first vector parameter is blamed, by its spec key.
                let first = spec.json.dropFirst(2).prefix { $0 != "\"" }
                XCTAssertEqual(parameter, String(first), spec.json)
                XCTAssertEqual(expected, spec.dimension + 1)
                XCTAssertEqual(found, spec.dimension)
            }
        }
    }

    func testReverseWithoutAKnownDimensionIsRejected() {
        XCTAssertThrowsError(try make("reverse", "{}", dimension: nil)) { error in
            guard case let FlowKitError.invalidParameter(parameter, _, requirement)? = error as? FlowKitError else {
                return XCTFail("expected invalidParameter, got \(error)")
            }
            XCTAssertEqual(parameter, "dimension")
            XCTAssertTrue(requirement.contains("base distribution"), requirement)
        }
    }

    func testEntriesAreDocumented() {
        let names = TransformCatalog.multivariate.map(\.name)
        XCTAssertEqual(names, ["linear", "planar", "radial", "coupling", "permute", "reverse"])
        for entry in TransformCatalog.multivariate {
            XCTAssertFalse(entry.summary.isEmpty, entry.name)
            XCTAssertFalse(entry.domainSummary.isEmpty, entry.name)
            for parameter in entry.parameters {
                XCTAssertFalse(parameter.summary.isEmpty, "\(entry.name).\(parameter.name)")
                XCTAssertFalse(parameter.requirement.isEmpty, "\(entry.name).\(parameter.name)")
            }
        }
        // Every documented key is one the parameter struct decodes: the specs above use them all.
        let documented = Set(TransformCatalog.multivariate.flatMap { entry in entry.parameters.map { "\(entry.name).\($0.name)" } })
        var used = Set<String>()
        for spec in Self.specs {
            if let object = try? JSONSerialization.jsonObject(with: Data(spec.json.utf8)) as? [String: Any] {
                for key in object.keys { used.insert("\(spec.name).\(key)") }
            }
        }
        XCTAssertEqual(documented, used)
    }

    func testOneNumberBroadcastsToTheDimension() throws {
        let radial = try XCTUnwrap(try make("radial", #"{"z0": 0.5, "alpha": 1, "beta": 2}"#, dimension: 3) as? RadialTransform)
        XCTAssertEqual(radial.z0, [0.5, 0.5, 0.5])
        // Without a spec dimension, the sibling vector w fixes it.
        let planar = try XCTUnwrap(try make("planar", #"{"u": -0.25, "w": [1, 2]}"#, dimension: nil) as? PlanarTransform)
        XCTAssertEqual(planar.parameters.u, [-0.25, -0.25])
        XCTAssertEqual(planar.b, 0)
        let linear = try XCTUnwrap(try make("linear", #"{"matrix": [[1, 0], [2, 3]], "shift": 4}"#, dimension: nil) as? LinearTransform)
        XCTAssertEqual(MultivariateTestCases.apply(linear, [1, 1]).value, [5, 9])
        // Only numbers and no dimension: rejected, naming the first key.
        XCTAssertThrowsError(try make("planar", #"{"u": 1, "w": 1}"#, dimension: nil)) { error in
            guard case let FlowKitError.invalidParameter(parameter, _, _)? = error as? FlowKitError else {
                return XCTFail("expected invalidParameter, got \(error)")
            }
            XCTAssertEqual(parameter, "u")
        }
        XCTAssertThrowsError(try make("radial", #"{"z0": 0, "alpha": 1, "beta": 2}"#, dimension: nil))
    }
}
