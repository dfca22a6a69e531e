import FlowKit
import Foundation
import TestSupport
import XCTest

/// Special functions against 50-digit mpmath references (Fixtures/special.json).
///
/// Tolerances are relative errors, each a small multiple of what the method can deliver:
/// libm's `erfc`/`lgamma` are good to a few ulps (≈ 1e-15), AS 241 to ≈ 1e-16; the
/// incomplete gamma and beta functions lose about log₁₀(a) digits to the exponential prefix
/// for large parameters (a up to 1000 here), hence 1e-13 for them.
final class SpecialTests: XCTestCase {
    /// Runs `check` over a table and asserts the worst relative error is within `tolerance`.
    private func assertTable(_ table: String, tolerance: Double, file: StaticString = #filePath, line: UInt = #line,
                             _ compute: ([String: Any]) throws -> (computed: Double, expected: Double, label: String)) throws {
        var worst = 0.0
        var worstLabel = ""
        for record in try DistributionFixtures.special(table) {
            let (computed, expected, label) = try compute(record)
            let error = relativeError(computed, expected)
            XCTAssertLessThanOrEqual(error, tolerance, "\(table) \(label): \(computed) vs \(expected)", file: file, line: line)
            if error > worst { worst = error; worstLabel = label }
        }
        print("SpecialTests \(table): worst relative error \(worst) at \(worstLabel)")
    }

    func testNormalCDF() throws {
        try assertTable("normalCDF", tolerance: 4e-15) { r in
            let x = try r.number("x")
            return (Special.normalCDF(x), try r.number("value"), "x=\(x)")
        }
        try assertTable("normalSurvival", tolerance: 4e-15) { r in
            let x = try r.number("x")
            return (Special.normalSurvival(x), try r.number("value"), "x=\(x)")
        }
        // The ends of the line (the double-double argument would give ∞ − ∞ there).
        XCTAssertEqual(Special.normalCDF(.infinity), 1)
        XCTAssertEqual(Special.normalCDF(-.infinity), 0)
        XCTAssertEqual(Special.normalSurvival(.infinity), 0)
        XCTAssertEqual(try LogNormalDistribution(mu: 0, sigma: 1).cdf(.infinity), 1)
    }

    func testLogNormalCDFDeepInBothTails() throws {
        try assertTable("logNormalCDF", tolerance: 4e-15) { r in
            let x = try r.number("x")
            return (Special.logNormalCDF(x), try r.number("value"), "x=\(x)")
        }
        // Continuity across the switch to the asymptotic series at x = −30.
        let below = Special.logNormalCDF((-30.0).nextDown), above = Special.logNormalCDF(-30)
        XCTAssertLessThanOrEqual(relativeError(below, above), 1e-14)
    }

    func testNormalQuantile() throws {
        try assertTable("normalQuantile", tolerance: 2e-15) { r in
            let p = try r.number("p")
            return (Special.normalQuantile(p), try r.number("value"), "p=\(p)")
        }
        XCTAssertEqual(Special.normalQuantile(0), -.infinity)
        XCTAssertEqual(Special.normalQuantile(1), .infinity)
        XCTAssertTrue(Special.normalQuantile(1.5).isNaN)
        // Round trips through Φ on the left (where Φ keeps its relative precision) and
        // through 1 − Φ on the right.
        for i in 1...100 {
            let x = -0.37 * Double(i)
            XCTAssertLessThanOrEqual(relativeError(Special.normalQuantile(Special.normalCDF(x)), x), 1e-14, "x=\(x)")
            XCTAssertLessThanOrEqual(relativeError(-Special.normalQuantile(Special.normalSurvival(-x)), -x), 1e-14, "x=\(x)")
        }
    }

    func testLogGammaAndLogBeta() throws {
        try assertTable("logGamma", tolerance: 4e-15) { r in
            let x = try r.number("x")
            return (Special.logGamma(x), try r.number("value"), "x=\(x)")
        }
        try assertTable("logBeta", tolerance: 1e-14) { r in
            let a = try r.number("a"), b = try r.number("b")
            return (Special.logBeta(a, b), try r.number("value"), "a=\(a) b=\(b)")
        }
    }

    func testRegularizedGamma() throws {
        try assertTable("regularizedGamma", tolerance: 1e-13) { r in
            let a = try r.number("a"), x = try r.number("x")
            return (Special.regularizedGammaP(a, x), try r.number("p"), "P a=\(a) x=\(x)")
        }
        try assertTable("regularizedGamma", tolerance: 1e-13) { r in
            let a = try r.number("a"), x = try r.number("x")
            return (Special.regularizedGammaQ(a, x), try r.number("q"), "Q a=\(a) x=\(x)")
        }
    }

    func testInverseRegularizedGammaP() throws {
        try assertTable("inverseRegularizedGammaP", tolerance: 1e-13) { r in
            let a = try r.number("a"), p = try r.number("p")
            return (Special.inverseRegularizedGammaP(a, p), try r.number("x"), "a=\(a) p=\(p)")
        }
    }

    func testRegularizedBeta() throws {
        try assertTable("regularizedBeta", tolerance: 1e-13) { r in
            let a = try r.number("a"), b = try r.number("b"), x = try r.number("x")
            return (Special.regularizedBeta(a, b, x), try r.number("lower"), "I a=\(a) b=\(b) x=\(x)")
        }
        try assertTable("regularizedBeta", tolerance: 1e-13) { r in
            let a = try r.number("a"), b = try r.number("b"), x = try r.number("x")
            return (Special.regularizedBetaPair(a, b, x).upper, try r.number("upper"), "1-I a=\(a) b=\(b) x=\(x)")
        }
    }

    func testInverseRegularizedBeta() throws {
        try assertTable("inverseRegularizedBeta", tolerance: 1e-13) { r in
            let a = try r.number("a"), b = try r.number("b"), p = try r.number("p")
            return (Special.inverseRegularizedBeta(a, b, p), try r.number("x"), "a=\(a) b=\(b) p=\(p)")
        }
    }
}
