import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// One case of the elementwise property tests: a catalog entry with its spec parameters, points
/// inside its domain, and points outside its domain and codomain.
struct ElementwiseCase: Sendable {
    let name: String
    let parameters: String
    let points: [Double]
    let outsideDomain: [Double]
    let outsideCodomain: [Double]
    /// Points where T is only C¹ (spline knots): finite differences keep their steps clear of them.
    var kinks: [Double] = []
    /// The length over which T' changes appreciably at x, if not the default (the distance to
    /// a finite domain end, else max(1, |x|)); the finite-difference step is 1% of it.
    var variationScale: (@Sendable (Double) -> Double)? = nil

    /// The initial finite-difference step at x: 1% of the variation scale.
    func finiteDifferenceStep(at x: Double, domain: Interval) -> Double {
        if let scale = variationScale { return 0.01 * scale(x) }
        let distance = min(x - domain.lower, domain.upper - x)
        return 0.01 * (distance.isFinite ? distance : max(1, abs(x)))
    }

    /// Whether [x − h, x + h] stays clear of every kink.
    func isSmooth(around x: Double, step h: Double) -> Bool {
        kinks.allSatisfy { abs($0 - x) > h }
    }

    /// The value built through the catalog from JSON parameters, as a spec would build it.
    func bijection() throws -> any Bijection {
        try CatalogBuilder.build(name, parameters: parameters)
    }

    /// The ScalarBijection itself, for direct scalar checks.
    func scalar() throws -> any ScalarBijection {
        let built = try bijection()
        guard let map = (built as? any ElementwiseWrapper)?.scalarMap else {
            throw FlowKitError.unknownName(kind: "elementwise map", name: name, known: [])
        }
        return map
    }
}

/// Lets tests get the scalar map out of an `Elementwise<Map>` known as an existential.
protocol ElementwiseWrapper { var scalarMap: any ScalarBijection { get } }
extension Elementwise: ElementwiseWrapper { var scalarMap: any ScalarBijection { map } }

/// Builds catalog entries from JSON text, the way the report layer builds them from YAML.
enum CatalogBuilder {
    static let entryKey = CodingUserInfoKey(rawValue: "flowkit.entry")!

    struct Built: Decodable {
        let value: any Bijection
        init(from decoder: any Decoder) throws {
            guard let name = decoder.userInfo[CatalogBuilder.entryKey] as? String,
                  let entry = TransformCatalog.entry(named: name) else {
                throw FlowKitError.unknownName(kind: "transform", name: "?", known: TransformCatalog.all.map(\.name))
            }
            value = try entry.make(decoder, 1)
        }
    }

    static func build(_ name: String, parameters: String) throws -> any Bijection {
        let decoder = JSONDecoder()
        decoder.userInfo[entryKey] = name
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(Built.self, from: Data(parameters.utf8)).value
    }
}

/// Every elementwise transform of the catalog, with test points (some maps twice, to cover
/// increasing and decreasing parametrisations).
let elementwiseCases: [ElementwiseCase] = [
    ElementwiseCase(name: "exp", parameters: "{}", points: [-30, -2.5, -0.3, 0, 0.7, 3, 20],
                    outsideDomain: [.nan, .infinity, -.infinity], outsideCodomain: [0, -1, .nan, .infinity]),
    ElementwiseCase(name: "log", parameters: "null", points: [1e-200, 1e-3, 0.5, 1, 2.5, 1e10],
                    outsideDomain: [0, -1, -.infinity, .nan], outsideCodomain: [.infinity, .nan]),
    ElementwiseCase(name: "affine", parameters: #"{"scale": 2.5, "shift": -1}"#, points: [-10, -1, 0, 0.3, 4],
                    outsideDomain: [.nan, .infinity], outsideCodomain: [-.infinity]),
    ElementwiseCase(name: "affine", parameters: #"{"scale": -0.5}"#, points: [-10, -1, 0, 0.3, 4],
                    outsideDomain: [.nan], outsideCodomain: [.nan]),
    ElementwiseCase(name: "power", parameters: #"{"exponent": 2.5}"#, points: [1e-3, 0.5, 1, 3, 100],
                    outsideDomain: [0, -2, .nan], outsideCodomain: [0, -1]),
    ElementwiseCase(name: "power", parameters: #"{"exponent": -1.5}"#, points: [1e-3, 0.5, 1, 3, 100],
                    outsideDomain: [0, -2, .infinity], outsideCodomain: [0, -1]),
    ElementwiseCase(name: "sigmoid", parameters: "{}", points: [-30, -5, -0.5, 0, 0.5, 5],
                    outsideDomain: [.nan, .infinity], outsideCodomain: [0, 1, 1.5, -0.2]),
    ElementwiseCase(name: "logit", parameters: "{}", points: [1e-10, 0.01, 0.3, 0.5, 0.9],
                    outsideDomain: [0, 1, -0.5, 2, .nan], outsideCodomain: [.nan, .infinity]),
    ElementwiseCase(name: "tanh", parameters: "{}", points: [-15, -2, -0.1, 0, 0.4, 3],
                    outsideDomain: [.nan], outsideCodomain: [-1, 1, 2, -3]),
    ElementwiseCase(name: "atanh", parameters: "{}", points: [-0.999, -0.5, 0, 0.2, 0.9],
                    outsideDomain: [-1, 1, 1.5], outsideCodomain: [.nan, -.infinity]),
    ElementwiseCase(name: "softplus", parameters: "{}", points: [-30, -3, 0, 0.5, 4, 40],
                    outsideDomain: [.nan], outsideCodomain: [0, -1]),
    ElementwiseCase(name: "sinh", parameters: "{}", points: [-20, -1, 0, 0.3, 5],
                    outsideDomain: [.nan, .infinity], outsideCodomain: [.nan]),
    ElementwiseCase(name: "asinh", parameters: "{}", points: [-1e6, -2, 0, 0.01, 50],
                    outsideDomain: [.nan], outsideCodomain: [-.infinity]),
    ElementwiseCase(name: "sinh_arcsinh", parameters: #"{"skew": 0.5, "tailweight": 1.5}"#,
                    points: [-10, -1, 0, 0.4, 3, 50], outsideDomain: [.nan], outsideCodomain: [.infinity]),
    ElementwiseCase(name: "sinh_arcsinh", parameters: #"{"skew": -1, "tailweight": 0.7}"#,
                    points: [-10, -1, 0, 0.4, 3, 50], outsideDomain: [.nan], outsideCodomain: [.infinity]),
    ElementwiseCase(name: "normal_cdf", parameters: "{}", points: [-30, -8, -1.5, 0, 0.7, 2],
                    outsideDomain: [.nan, .infinity], outsideCodomain: [0, 1, 2],
                    variationScale: { 1 / max(1, abs($0)) }),
    ElementwiseCase(name: "normal_quantile", parameters: "{}", points: [1e-300, 1e-10, 0.02, 0.5, 0.8, 0.99],
                    outsideDomain: [0, 1, -1], outsideCodomain: [.nan, .infinity]),
    ElementwiseCase(name: "spline",
                    parameters: #"{"x": [-2, -0.5, 1, 3], "y": [-3, -0.2, 0.5, 4], "derivatives": [0.5, 2, 0.3, 1.5]}"#,
                    points: [-5, -2, -1.3, -0.5, 0.2, 1, 2.2, 2.9, 2.999, 3, 7],
                    outsideDomain: [.nan, .infinity], outsideCodomain: [.nan, -.infinity], kinks: [-2, -0.5, 1, 3]),
]

final class ElementwiseTransformTests: XCTestCase {
    let epsilon = Double.ulpOfOne

    func testEveryCatalogEntryHasACase() {
        let covered = Set(elementwiseCases.map(\.name))
        for entry in TransformCatalog.elementwise {
            XCTAssertTrue(covered.contains(entry.name), "no property-test case for '\(entry.name)'")
        }
    }

    /// inverse(forward(x)) = x to a backward-error bound: rounding y = T(x) to the nearest
    /// double moves T⁻¹(y) by ε|y|/|T'(x)|, so the bound is 8ε(|x| + |y|/|T'(x)|) — a few ulps of
    /// the problem's conditioning. Likewise forward(inverse(y)) = y within 8ε(|y| + |x|·|T'(x)|).
    func testRoundTrips() throws {
        for c in elementwiseCases {
            let map = try c.scalar()
            for x in c.points {
                let (y, logDet) = map.forward(x)
                let derivative = exp(logDet)
                let back = map.inverse(y).value
                let bound = 8 * epsilon * (abs(x) + abs(y) / derivative)
                XCTAssertLessThanOrEqual(abs(back - x), bound, "\(c.name) \(c.parameters) at x = \(x): got \(back)")
                let again = map.forward(back).value
                let forwardBound = 8 * epsilon * (abs(y) + abs(x) * derivative) + abs(back - x) * derivative
                XCTAssertLessThanOrEqual(abs(again - y), forwardBound, "\(c.name) \(c.parameters) at y = \(y)")
            }
        }
    }

    /// The fused log|T'(x)| against Ridders' finite-difference derivative (initial step 1% of
    /// the scale over which T' varies, ``ElementwiseCase/finiteDifferenceStep(at:domain:)``): relative error of T'(x) ≤ 1e-8. Skipped where a central difference
    /// cannot resolve T' to 1e-10 because T(x ± h) round to the same few ulps
    /// (ε|T(x)|/(h|T'(x)|) > 1e-10, e.g. tanh at −15); those tails are checked against
    /// direct formulas in `testLogDetsInTheTails`.
    func testForwardLogDetMatchesFiniteDifferences() throws {
        var checked = 0
        for c in elementwiseCases {
            let map = try c.scalar()
            for x in c.points {
                let (y, logDet) = map.forward(x)
                let step = c.finiteDifferenceStep(at: x, domain: map.domain)
                guard c.isSmooth(around: x, step: step), epsilon * abs(y) / (step * exp(logDet)) <= 1e-10 else { continue }
                let estimate = FiniteDifference.derivative(of: { map.forward($0).value }, at: x, step: step)
                XCTAssertLessThan(relativeError(exp(logDet), abs(estimate.value)), 1e-8,
                                  "\(c.name) \(c.parameters) at x = \(x): exp(logdet) = \(exp(logDet)), FD = \(estimate.value) ± \(estimate.error)")
                XCTAssertEqual(estimate.value > 0, map.isIncreasing, "\(c.name) monotonicity at \(x)")
                checked += 1
            }
        }
        // All but a handful of far-tail points are resolvable.
        XCTAssertGreaterThan(checked, elementwiseCases.map(\.points.count).reduce(0, +) - 20)
    }

    /// Far-tail log-dets against direct formulas that are accurate there (no cancellation at
    /// these arguments), to 1e-14 relative.
    func testLogDetsInTheTails() {
        let cases: [(String, Double, Double)] = [
            // log(1 − tanh² x) = log 4 − 2 log(eˣ + e⁻ˣ)
            ("tanh", TanhMap().forward(-15).logAbsDet, log(4) - 2 * log(exp(15) + exp(-15))),
            ("tanh", TanhMap().forward(30).logAbsDet, log(4) - 2 * log(exp(30) + exp(-30))),
            // log σ'(x) = x − 2 log(1 + eˣ) for x ≪ 0; = −x − 2 log(1 + e⁻ˣ) for x ≫ 0
            ("sigmoid", SigmoidMap().forward(-40).logAbsDet, -40 - 2 * log1p(exp(-40))),
            ("sigmoid", SigmoidMap().forward(40).logAbsDet, -40 - 2 * log1p(exp(-40))),
            // log cosh x = log((eˣ + e⁻ˣ)/2)
            ("sinh", SinhMap().forward(-25).logAbsDet, log((exp(25) + exp(-25)) / 2)),
            // softplus'(x) = σ(x) = 1/(1 + e⁻ˣ): log = −log1p(e⁻ˣ), tiny for x = 40
            ("softplus", SoftplusMap().forward(40).logAbsDet, -log1p(exp(-40))),
            ("softplus", SoftplusMap().forward(-40).logAbsDet, -40 - log1p(exp(-40))),
            // softplus⁻¹ at y = 1e-12: log(e^y − 1) and log|d/dy| = y − log(e^y − 1)
            ("softplus⁻¹", SoftplusMap().inverse(1e-12).value, log(expm1(1e-12))),
            ("softplus⁻¹", SoftplusMap().inverse(1e-12).logAbsDet, 1e-12 - log(expm1(1e-12))),
            // atanh'(x) = 1/(1 − x²) near 1: 1 − x² = (1 − x)(1 + x) exactly representable here
            ("atanh", AtanhMap().forward(1 - 0x1p-40).logAbsDet, -log(0x1p-40 * (2 - 0x1p-40))),
            // asinh'(x) = (1 + x²)^{-1/2} at x = 1e200 (x² overflows a naive formula)
            ("asinh", AsinhMap().forward(1e200).logAbsDet, -log(1e200)),
        ]
        for (name, computed, expected) in cases {
            XCTAssertLessThanOrEqual(relativeError(computed, expected), 1e-14, "\(name): \(computed) vs \(expected)")
        }
    }

    /// log|(T⁻¹)'(y)| from its own formula equals −log|T'(x)| at the matching point
    /// x = T⁻¹(y) (for y = T(x₀) at each test point x₀): their sum is the log of a product
    /// that is 1 in exact arithmetic; |sum| ≤ 1e-13·max(1, |log-det|) is that product's
    /// relative error.
    func testInverseLogDetIsNegatedForwardLogDet() throws {
        for c in elementwiseCases {
            let map = try c.scalar()
            for x0 in c.points {
                let y = map.forward(x0).value
                let (x, inverseLogDet) = map.inverse(y)
                let forwardLogDet = map.forward(x).logAbsDet
                XCTAssertLessThanOrEqual(abs(inverseLogDet + forwardLogDet), 1e-13 * max(1, abs(forwardLogDet)),
                                         "\(c.name) \(c.parameters) at x = \(x): \(inverseLogDet) vs \(-forwardLogDet)")
            }
        }
    }

    /// The declared codomain is the image of the declared domain, and the preimage of the
    /// codomain is the domain.
    func testDomainAndCodomainAreConsistent() throws {
        for c in elementwiseCases {
            let map = try c.scalar()
            XCTAssertEqual(map.image(of: map.domain), map.codomain, c.name)
            XCTAssertEqual(map.preimage(of: map.codomain), map.domain, c.name)
            for x in c.points {
                XCTAssertTrue(map.domain.contains(x), "\(c.name): test point \(x) is not in the domain")
                XCTAssertTrue(map.codomain.contains(map.forward(x).value), "\(c.name): T(\(x)) is not in the codomain")
            }
        }
    }

    func testCheckedCallsRejectPointsOutsideTheDomainAndCodomain() throws {
        for c in elementwiseCases {
            let bijection = try c.bijection()
            for x in c.outsideDomain {
                XCTAssertThrowsError(try bijection.forwardChecked([x]), "\(c.name) forward at \(x)") { error in
                    guard case FlowKitError.outsideDomain(let transform, _, _) = error else {
                        return XCTFail("\(c.name): expected outsideDomain, got \(error)")
                    }
                    XCTAssertEqual(transform, c.name)
                }
                XCTAssertFalse(bijection.isInDomain([x]))
            }
            for y in c.outsideCodomain {
                XCTAssertThrowsError(try bijection.inverseChecked([y]), "\(c.name) inverse at \(y)") { error in
                    guard case FlowKitError.outsideDomain = error else {
                        return XCTFail("\(c.name): expected outsideDomain, got \(error)")
                    }
                }
            }
            // Inside: the checked calls agree exactly with the batch calls.
            for x in c.points {
                let checked = try bijection.forwardChecked([x])
                var batch = PointBatch(scalars: [x])
                var logDet = [0.0]
                bijection.forward(&batch, logAbsDet: &logDet)
                XCTAssertEqual(checked.value, batch.values)
                XCTAssertEqual(checked.logAbsDet, logDet[0])
                let back = try bijection.inverseChecked(checked.value)
                XCTAssertEqual(back.logAbsDet, try c.scalar().inverse(checked.value[0]).logAbsDet)
            }
        }
    }

    /// In d dimensions the map acts per coordinate and log|det J| is the sum over coordinates,
    /// checked against the log-determinant of the full finite-difference Jacobian.
    func testElementwiseInThreeDimensionsSumsLogDets() throws {
        for c in elementwiseCases {
            let bijection = try c.bijection()
            let map = try c.scalar()
            let smooth = c.points.filter {
                abs($0) < 20 && c.isSmooth(around: $0, step: 0.1) && map.domain.contains($0 - 0.1) && map.domain.contains($0 + 0.1)
            }
            guard smooth.count >= 3 else { continue }
            let x = Array(smooth.suffix(3))
            var batch = PointBatch(dimension: 3, values: x)
            var logDet = [0.0]
            bijection.forward(&batch, logAbsDet: &logDet)
            XCTAssertEqual(batch.values, x.map { map.forward($0).value })
            let expected = x.map { map.forward($0).logAbsDet }.reduce(0, +)
            XCTAssertEqual(logDet[0], expected)
            let f: ([Double]) -> [Double] = { p in p.map { map.forward($0).value } }
            let numeric = FiniteDifference.logAbsDeterminantOfJacobian(of: f, at: x, step: 0.01)
            XCTAssertLessThanOrEqual(abs(numeric - logDet[0]), 1e-8 * max(1, abs(logDet[0])), "\(c.name): \(numeric) vs \(logDet[0])")
            // Inverse of the batch returns the points and the negated sum.
            var inverseLogDet = [0.0]
            bijection.inverse(&batch, logAbsDet: &inverseLogDet)
            XCTAssertLessThanOrEqual(abs(inverseLogDet[0] + logDet[0]), 1e-13 * max(1, abs(logDet[0])), c.name)
        }
    }

    /// Eq. 4 = Eq. 5 for a flow whose last map is each elementwise transform: a standard normal
    /// base, an adapter into the map's domain (exp, sigmoid or tanh), then the map. The two
    /// log densities share log p₀(x₀); their difference, the two log-det sums, must agree to
    /// 1e-12 relative to the size of the log-det sum.
    func testEquationFourEqualsEquationFiveForEveryMap() throws {
        for c in elementwiseCases {
            let bijection = try c.bijection()
            let map = try c.scalar()
            let adapter: [any Bijection]
            switch map.domain {
            case .real: adapter = []
            case .positive: adapter = [Elementwise(ExpMap())]
            case .unit: adapter = [Elementwise(SigmoidMap())]
            default: adapter = [Elementwise(TanhMap())]
            }
            let flow = try Flow(base: FlowTestBases.standardNormal(), chain: TransformChain(maps: adapter + [bijection], dimension: 1))
            let ys = c.points.map { map.forward($0).value }.filter { map.codomain.contains($0) }
            let y = PointBatch(scalars: ys)
            let byInverse = flow.logDensityByInverse(y)
            let byForward = flow.logDensityByForward(y)
            for i in ys.indices {
                XCTAssertTrue(byInverse[i].isFinite, "\(c.name) at y = \(ys[i])")
                let logBase = byInverse[i] // both share log p₀ exactly; compare the totals
                XCTAssertLessThanOrEqual(abs(byForward[i] - byInverse[i]), 1e-12 * max(1, abs(logBase)),
                                         "\(c.name) at y = \(ys[i]): Eq. 4 \(byForward[i]) vs Eq. 5 \(byInverse[i])")
            }
        }
    }

    /// The spline interpolates its knots (to a few ulps) with the given slopes there, and its
    /// tails are the lines through the end knots with the end slopes (Durkan et al. 2019, eq. 4–5).
    func testSplinePassesThroughItsKnotsWithTheGivenSlopes() throws {
        let x = [-2.0, -0.5, 1, 3], y = [-3.0, -0.2, 0.5, 4], d = [0.5, 2, 0.3, 1.5]
        let spline = try RationalQuadraticSpline(x: x, y: y, derivatives: d)
        for k in x.indices {
            let (value, logDet) = spline.forward(x[k])
            XCTAssertLessThanOrEqual(ulpDistance(value, y[k]), 4, "knot \(k)")
            XCTAssertLessThanOrEqual(relativeError(exp(logDet), d[k]), 4 * epsilon, "slope at knot \(k)")
            let (back, inverseLogDet) = spline.inverse(y[k])
            XCTAssertLessThanOrEqual(ulpDistance(back, x[k]), 4, "inverse at knot \(k)")
            XCTAssertLessThanOrEqual(relativeError(exp(-inverseLogDet), d[k]), 4 * epsilon, "inverse slope at knot \(k)")
        }
        XCTAssertEqual(spline.forward(-12).value, -3 + 0.5 * (-10))
        XCTAssertEqual(spline.forward(13).value, 4 + 1.5 * 10)
        XCTAssertEqual(spline.inverse(-8).value, -2 + (-5) / 0.5)
        // Strictly increasing on a fine grid across all bins.
        var previous = -Double.infinity
        for i in 0...1000 {
            let value = spline.forward(-3 + 7 * Double(i) / 1000).value
            XCTAssertGreaterThan(value, previous)
            previous = value
        }
    }
}
