import FlowKit
import Foundation
import TestSupport
import XCTest

/// Every univariate distribution, built through the catalog from the fixture's parameters,
/// against scipy.stats (Fixtures/distributions.json): log density, CDF, survival and quantile;
/// ∫p = 1; fixed-seed KS tests of the samplers; mean and variance.
final class DistributionTests: XCTestCase {
    struct Case {
        let name: String
        let parameters: [String: Any]
        let distribution: any UnivariateDistribution
        let record: [String: Any]
        var label: String { "\(name) \(parameters)" }
    }

    /// Decodes `object` with JSONDecoder and hands the decoder to the catalog entry's `make`.
    private struct Built: Decodable {
        static let entryKey = CodingUserInfoKey(rawValue: "entry")!
        let distribution: any UnivariateDistribution
        init(from decoder: any Decoder) throws {
            let name = try XCTUnwrap(decoder.userInfo[Self.entryKey] as? String)
            let entry = try XCTUnwrap(DistributionCatalog.univariate(named: name), "no catalog entry \(name)")
            distribution = try entry.make(decoder, 1)
        }
    }

    static func build(_ name: String, _ object: Any) throws -> any UnivariateDistribution {
        let data = try JSONSerialization.data(withJSONObject: object)
        let decoder = JSONDecoder()
        decoder.userInfo[Built.entryKey] = name
        return try decoder.decode(Built.self, from: data).distribution
    }

    func cases() throws -> [Case] {
        let all = try XCTUnwrap(DistributionFixtures.object("distributions.json")["distributions"] as? [String: Any])
        var out: [Case] = []
        for name in all.keys.sorted() {
            for record in try XCTUnwrap(all[name] as? [[String: Any]]) {
                let parameters = try XCTUnwrap(record["parameters"] as? [String: Any])
                out.append(Case(name: name, parameters: parameters, distribution: try Self.build(name, parameters), record: record))
            }
        }
        return out
    }

    func testCatalogHasTheTwelveNames() {
        XCTAssertEqual(DistributionCatalog.univariate.map(\.name),
                       ["normal", "lognormal", "uniform", "exponential", "laplace", "logistic", "cauchy", "gumbel",
                        "student_t", "gamma", "beta", "pareto"])
        XCTAssertEqual(DistributionCatalog.multivariate.map(\.name), ["normal", "uniform"])
    }

    func testFixturesCoverEveryDistribution() throws {
        XCTAssertEqual(Set(try cases().map(\.name)), Set(DistributionCatalog.univariate.map(\.name)))
    }

    /// Bulk points (quantiles 0.001…0.999): relative error ≤ 1e-12 for log p, F, 1 − F and F⁻¹.
    ///
    /// Tail points: log p ≤ 1e-12 as well (log densities are computed in log space). For the
    /// tail probabilities only the smaller of F and 1 − F is compared (the other is 1 to
    /// within rounding), to 1e-10: the incomplete beta/gamma continued fractions and the
    /// scipy references themselves (boost) are good to about 1e-14·(number of terms) there,
    /// and quantiles at p = 1e-15 are ill-conditioned in p (dx/x = (F/(x p))·dp/p), so tail
    /// quantiles get 1e-10 too.
    func testAgainstScipy() throws {
        var worst: [String: (Double, String)] = [:]
        func check(_ computed: Double, _ expected: Double, _ tolerance: Double, _ what: String, _ c: Case, _ at: String) {
            let error = relativeError(computed, expected)
            XCTAssertLessThanOrEqual(error, tolerance, "\(c.label) \(what) at \(at): \(computed) vs \(expected)")
            let key = "\(c.name) \(what)"
            if error > (worst[key]?.0 ?? -1) { worst[key] = (error, at) }
        }
        for c in try cases() {
            let d = c.distribution
            for point in try XCTUnwrap(c.record["points"] as? [[String: Any]]) {
                let x = try point.number("x")
                let bulk = (point["region"] as? String) == "bulk"
                check(d.logDensity(x), try point.number("logpdf"), 1e-12, bulk ? "logpdf" : "tail logpdf", c, "x=\(x)")
                let cdf = try point.number("cdf"), sf = try point.number("sf")
                if bulk {
                    check(d.cdf(x), cdf, 1e-12, "cdf", c, "x=\(x)")
                    check(d.survival(x), sf, 1e-12, "sf", c, "x=\(x)")
                } else if cdf < sf {
                    check(d.cdf(x), cdf, 1e-10, "tail cdf", c, "x=\(x)")
                } else {
                    check(d.survival(x), sf, 1e-10, "tail sf", c, "x=\(x)")
                }
            }
            for q in try XCTUnwrap(c.record["quantiles"] as? [[String: Any]]) {
                let p = try q.number("p")
                let bulk = (q["region"] as? String) == "bulk"
                check(d.quantile(p), try q.number("x"), bulk ? 1e-12 : 1e-10, bulk ? "quantile" : "tail quantile", c, "p=\(p)")
            }
            if let mean = c.record["mean"] as? NSNumber {
                check(try XCTUnwrap(d.mean), mean.doubleValue, 1e-13, "mean", c, "-")
            } else {
                XCTAssertNil(d.mean, c.label)
            }
            if let variance = c.record["variance"] as? NSNumber {
                check(try XCTUnwrap(d.variance), variance.doubleValue, 1e-13, "variance", c, "-")
            } else {
                XCTAssertNil(d.variance, c.label)
            }
        }
        for key in worst.keys.sorted() { print("DistributionTests worst \(key): \(worst[key]!.0) at \(worst[key]!.1)") }
    }

    /// 8-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on P₈, A&S 25.4.29).
    static let gaussLegendre: [(node: Double, weight: Double)] = {
        let n = 8
        var out: [(Double, Double)] = []
        for i in 1...n {
            var x = cos(Double.pi * (Double(i) - 0.25) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...n { (p0, p1) = (p1, ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)) }
                derivative = Double(n) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            out.append((x, 2 / ((1 - x * x) * derivative * derivative)))
        }
        return out
    }()

    /// ∫ p over [Q(ε), Q(1 − ε)] equals F(Q(1 − ε)) − F(Q(ε)), ε = 1e-9, by composite
    /// Gauss–Legendre after a substitution that makes the integrand smooth: x = e^t on (0, ∞),
    /// x = c + w·sinh t on ℝ (heavy tails). On (0, 1) the range is split at ½ and the upper
    /// half integrated as the lower half of the mirrored Beta(b, a) (x = 1 − y cannot resolve
    /// the singular end at 1 in double precision), each with x = e^t. 400 panels of 8 points;
    /// the agreement (absolute, the value is ≈ 1) must be within 1e-11.
    func testDensityIntegratesToOne() throws {
        func integrate(_ density: (Double) -> Double, from a: Double, to b: Double, logScale: Bool,
                       center: Double = 0, width: Double = 1) -> Double {
            let forward: (Double) -> Double = logScale ? { exp($0) } : { center + width * sinh($0) }
            let jacobian: (Double) -> Double = logScale ? { exp($0) } : { width * cosh($0) }
            let t0 = logScale ? log(a) : asinh((a - center) / width)
            let t1 = logScale ? log(b) : asinh((b - center) / width)
            let panels = 400
            let h = (t1 - t0) / Double(panels)
            var total = 0.0
            for k in 0..<panels {
                let mid = t0 + (Double(k) + 0.5) * h
                for (node, weight) in Self.gaussLegendre {
                    let t = mid + 0.5 * h * node
                    total += 0.5 * h * weight * density(forward(t)) * jacobian(t)
                }
            }
            return total
        }
        for c in try cases() {
            let d = c.distribution
            let epsilon = 1e-9
            let total: Double, expected: Double
            if let beta = d as? BetaDistribution {
                let mirror = try BetaDistribution(a: beta.parameters.b, b: beta.parameters.a)
                let a = d.quantile(epsilon), m = mirror.quantile(epsilon)
                total = integrate(d.density, from: a, to: 0.5, logScale: true)
                    + integrate(mirror.density, from: m, to: 0.5, logScale: true)
                expected = (d.cdf(0.5) - d.cdf(a)) + (mirror.cdf(0.5) - mirror.cdf(m))
            } else {
                let a = d.quantile(epsilon), b = d.quantile(1 - epsilon)
                expected = d.cdf(b) - d.cdf(a)
                if d.support.lower == -.infinity {
                    let center = d.quantile(0.5), width = d.quantile(0.75) - d.quantile(0.25)
                    total = integrate(d.density, from: a, to: b, logScale: false, center: center, width: width)
                } else if d.support.lower > 0 || (d.support.lower == 0 && d.support.upper == .infinity) {
                    total = integrate(d.density, from: a, to: b, logScale: true)
                } else {  // uniform on a finite interval: x = t (sinh with a huge width is ≈ linear)
                    total = integrate(d.density, from: a, to: b, logScale: false, center: 0.5 * (a + b), width: 1e6 * (b - a))
                }
            }
            XCTAssertLessThanOrEqual(abs(total - expected), 1e-11, "\(c.label): ∫p = \(total), F(b) − F(a) = \(expected)")
        }
    }

    /// Fixed-seed KS test of each sampler (2·10⁴ draws, p > 0.001), and sample mean within 5
    /// standard errors of the mean (σ/√n) where the variance is finite.
    func testSamplers() throws {
        for (index, c) in try cases().enumerated() {
            let d = c.distribution
            var stream = RandomStream(seed: 20_251_123, stream: UInt64(index))
            let n = 20_000
            var sample = [Double](repeating: 0, count: n)
            d.sample(into: &sample, using: &stream)
            XCTAssertTrue(sample.allSatisfy { d.support.contains($0) || $0 == d.support.lower || $0 == d.support.upper }, c.label)
            let (statistic, p) = ksTest(sample, cdf: d.cdf)
            XCTAssertGreaterThan(p, 0.001, "\(c.label): KS D = \(statistic)")
            if let mean = d.mean, let variance = d.variance {
                let sampleMean = sample.reduce(0, +) / Double(n)
                XCTAssertLessThan(abs(sampleMean - mean), 5 * (variance / Double(n)).squareRoot(), "\(c.label) mean")
            }
        }
    }

    func testParameterValidationNamesTheKey() throws {
        let bad: [(String, [String: Any], String)] = [
            ("normal", ["std": 0], "std"), ("normal", ["std": -1], "std"),
            ("lognormal", ["sigma": -1], "sigma"), ("uniform", ["low": 2, "high": 1], "high"),
            ("exponential", ["rate": 0], "rate"), ("laplace", ["scale": -2], "scale"),
            ("logistic", ["scale": 0], "scale"), ("cauchy", ["scale": 0], "scale"),
            ("gumbel", ["scale": -1], "scale"), ("student_t", ["df": 0], "df"),
            ("gamma", ["shape": -1], "shape"), ("gamma", ["rate": 0], "rate"),
            ("beta", ["a": 0], "a"), ("beta", ["b": -1], "b"),
            ("pareto", ["alpha": 0], "alpha"), ("pareto", ["xm": -1], "xm"),
        ]
        for (name, parameters, key) in bad {
            XCTAssertThrowsError(try Self.build(name, parameters), "\(name) \(parameters)") { error in
                guard case let FlowKitError.invalidParameter(parameter, _, _) = error else {
                    return XCTFail("\(name): unexpected error \(error)")
                }
                XCTAssertEqual(parameter, key)
            }
        }
        // NaN and ±∞ cannot travel through JSON; check them on the parameter structs directly.
        XCTAssertThrowsError(try NormalDistribution.Parameters(mean: .infinity, std: 1))
        XCTAssertThrowsError(try LogisticDistribution.Parameters(loc: -.infinity, scale: 1))
        XCTAssertThrowsError(try UniformDistribution.Parameters(low: 0, high: .infinity))
        XCTAssertThrowsError(try NormalDistribution.Parameters(mean: .nan, std: 1))
        XCTAssertThrowsError(try GammaDistribution.Parameters(shape: .nan, rate: 1))
        XCTAssertThrowsError(try StudentTDistribution.Parameters(df: 3, loc: 0, scale: .nan))
    }

    /// An empty mapping and JSON null both give the documented defaults.
    func testDefaultsFromEmptyMapping() throws {
        for entry in DistributionCatalog.univariate {
            let fromEmpty = try Self.build(entry.name, [String: Any]())
            XCTAssertTrue(fromEmpty.logDensity(fromEmpty.quantile(0.5)).isFinite, entry.name)
        }
        let normal = try Self.build("normal", [String: Any]())
        XCTAssertEqual(normal.mean, 0)
        XCTAssertEqual(normal.variance, 1)
        let uniform = try Self.build("uniform", [String: Any]())
        XCTAssertEqual(uniform.support, Interval(lower: 0, upper: 1, lowerClosed: true, upperClosed: true))
        let decoder = JSONDecoder()
        decoder.userInfo[Built.entryKey] = "exponential"
        let fromNull = try decoder.decode(Built.self, from: Data("null".utf8)).distribution
        XCTAssertEqual(fromNull.mean, 1)
    }
}
