import FlowKit
import Foundation
import TestSupport
import XCTest

/// Multivariate normal (std and cov forms), box uniform and IndependentComponents, built
/// through the catalog.
final class DistributionMultivariateTests: XCTestCase {
    private struct Built: Decodable {
        static let nameKey = CodingUserInfoKey(rawValue: "name")!
        static let dimensionKey = CodingUserInfoKey(rawValue: "dimension")!
        let distribution: any MultivariateDistribution
        init(from decoder: any Decoder) throws {
            let name = try XCTUnwrap(decoder.userInfo[Self.nameKey] as? String)
            let entry = try XCTUnwrap(DistributionCatalog.multivariate(named: name))
            distribution = try entry.make(decoder, decoder.userInfo[Self.dimensionKey] as? Int)
        }
    }

    private func build(_ name: String, _ json: String, dimension: Int? = nil) throws -> any MultivariateDistribution {
        let decoder = JSONDecoder()
        decoder.userInfo[Built.nameKey] = name
        if let dimension { decoder.userInfo[Built.dimensionKey] = dimension }
        return try decoder.decode(Built.self, from: Data(json.utf8)).distribution
    }

    /// Σ = [[4, 1.2], [1.2, 1]]: log p = −½ (x−μ)ᵀΣ⁻¹(x−μ) − ½ log det Σ − log 2π, with the 2×2
    /// inverse written out (det Σ = 2.56).
    func testNormalWithCovarianceMatchesClosedForm() throws {
        let d = try build("normal", #"{"mean": [1, -2], "cov": [[4, 1.2], [1.2, 1]]}"#)
        XCTAssertEqual(d.dimension, 2)
        for x in [[1.0, -2.0], [3.5, 0.25], [-10.0, 7.0]] {
            let u = x[0] - 1, v = x[1] + 2
            let det = 4.0 * 1 - 1.2 * 1.2
            let quad = (1 * u * u - 2 * 1.2 * u * v + 4 * v * v) / det
            let expected = -0.5 * quad - 0.5 * log(det) - log(2 * Double.pi)
            XCTAssertLessThanOrEqual(relativeError(d.logDensity(x), expected), 1e-14, "\(x)")
        }
        // Sample covariance of 10⁵ draws within 5 standard errors (SE of σᵢⱼ ≈ √((σᵢᵢσⱼⱼ + σᵢⱼ²)/n)).
        var stream = RandomStream(seed: 8)
        var batch = PointBatch(dimension: 2, count: 100_000)
        d.sample(into: &batch, using: &stream)
        let n = Double(batch.count)
        var m = [0.0, 0.0], s = [[0.0, 0.0], [0.0, 0.0]]
        for i in 0..<batch.count { for j in 0..<2 { m[j] += batch[i, j] / n } }
        for i in 0..<batch.count {
            for j in 0..<2 { for k in 0..<2 { s[j][k] += (batch[i, j] - m[j]) * (batch[i, k] - m[k]) / n } }
        }
        let cov = [[4.0, 1.2], [1.2, 1.0]]
        XCTAssertLessThan(abs(m[0] - 1), 5 * (4 / n).squareRoot())
        XCTAssertLessThan(abs(m[1] + 2), 5 * (1 / n).squareRoot())
        for j in 0..<2 {
            for k in 0..<2 {
                let se = ((cov[j][j] * cov[k][k] + cov[j][k] * cov[j][k]) / n).squareRoot()
                XCTAssertLessThan(abs(s[j][k] - cov[j][k]), 5 * se, "cov[\(j)][\(k)]")
            }
        }
    }

    /// Scalars broadcast to the given dimension; std gives a diagonal Σ equal to a product of
    /// univariate normals.
    func testNormalStdBroadcastsAndEqualsProduct() throws {
        let d = try build("normal", #"{"mean": 0.5, "std": 2}"#, dimension: 3)
        XCTAssertEqual(d.dimension, 3)
        let product = IndependentComponents([NormalDistribution](repeating: try NormalDistribution(mean: 0.5, std: 2), count: 3))
        for x in [[0.0, 1.0, 2.0], [-30.0, 4.0, 100.0]] {
            XCTAssertLessThanOrEqual(relativeError(d.logDensity(x), product.logDensity(x)), 1e-14)
        }
        XCTAssertEqual(try build("normal", "{}", dimension: 2).dimension, 2)
        XCTAssertThrowsError(try build("normal", #"{"mean": [0, 0], "std": [1, 1, 1]}"#))
        XCTAssertThrowsError(try build("normal", #"{"cov": [[1, 2], [2, 1]]}"#)) { error in
            guard case FlowKitError.invalidParameter("cov", _, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try build("normal", #"{"std": [1, 0]}"#)) { error in
            guard case FlowKitError.invalidParameter("std", _, _) = error else { return XCTFail("\(error)") }
        }
    }

    func testBoxUniform() throws {
        let d = try build("uniform", #"{"low": [-1, 0], "high": [1, 4]}"#)
        XCTAssertEqual(d.logDensity([0, 1]), -log(8))
        XCTAssertEqual(d.logDensity([0, 5]), -.infinity)
        XCTAssertEqual(try build("uniform", "null", dimension: 2).logDensity([0.5, 0.5]), 0)
        var stream = RandomStream(seed: 3)
        var batch = PointBatch(dimension: 2, count: 10_000)
        d.sample(into: &batch, using: &stream)
        XCTAssertTrue(d.logDensity(batch).allSatisfy { $0 == -log(8) })
        XCTAssertThrowsError(try build("uniform", #"{"low": 1, "high": 0}"#, dimension: 2))
    }
}
