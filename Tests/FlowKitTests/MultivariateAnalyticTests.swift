import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Exact values, edge cases of the numerical inverses, and a 2-D density integrating to 1.
final class MultivariateAnalyticTests: XCTestCase {
    typealias Cases = MultivariateTestCases

    // MARK: - Planar

    /// u given with wᵀu = −2.5 < −1 (the raw map would fold: a ↦ a − 2.5·tanh(a + b) decreases
    /// near a = −b). After the correction wᵀû = −1 + softplus(−2.5) > −1 and the map is a
    /// bijection: its projection is strictly increasing and the inverse recovers every point.
    func testPlanarWithWDotUBelowMinusOneIsCorrectedAndInvertible() throws {
        let w = [0.6, -1.1, 0.4]
        let ww = w.reduce(0) { $0 + $1 * $1 }
        let u = w.map { -2.5 * $0 / ww }
        let rawWDotU = zip(w, u).reduce(0) { $0 + $1.0 * $1.1 }
        XCTAssertLessThan(rawWDotU, -1)
        let planar = try PlanarTransform(PlanarParameters(u: u, w: w, b: 0.2))
        let expected = -1 + log1p(exp(-2.5))
        XCTAssertLessThan(relativeError(planar.wDotUHat, expected), 1e-15)
        let dot = zip(w, planar.uHat).reduce(0) { $0 + $1.0 * $1.1 }
        XCTAssertLessThan(relativeError(dot, expected), 1e-14)
        XCTAssertGreaterThan(planar.wDotUHat, -1)

        // The projection a ↦ a + c·tanh(a + b) is strictly increasing across the fold region.
        var previous = -Double.infinity
        for k in 0...4000 {
            let a = -0.2 - 2 + Double(k) * 0.001
            let value = a + planar.wDotUHat * tanh(a + 0.2)
            XCTAssertGreaterThan(value, previous)
            previous = value
        }
        // Points on the band wᵀz + b ≈ 0, where the Jacobian is smallest, invert.
        for offset in stride(from: -0.5, through: 0.5, by: 0.05) {
            let z = w.map { ($0 / ww) * (offset - 0.2) }.enumerated().map { $1 + [0.3, 0.1, -0.7][$0] * 0.5 }
            let (y, forwardLogDet) = Cases.apply(planar, z)
            let (back, inverseLogDet) = Cases.apply(planar, y, inverse: true)
            XCTAssertLessThan(Cases.relativeDistance(back, z), 1e-13)
            XCTAssertLessThan(abs(forwardLogDet + inverseLogDet), 1e-14 * max(1, abs(forwardLogDet)))
        }
    }

    /// The correction is always applied (Rezende & Mohamed's appendix A): even with wᵀu ≥ −1,
    /// û ≠ u, and wᵀû = −1 + softplus(wᵀu).
    func testPlanarCorrectionIsAlwaysApplied() throws {
        let planar = try PlanarTransform(PlanarParameters(u: [0.5, 0], w: [1, 0]))
        XCTAssertLessThan(relativeError(planar.uHat[0], -1 + log1p(exp(0.5))), 1e-15)
        XCTAssertEqual(planar.uHat[1], 0)
        // And the forward value is z + û·tanh(wᵀz + b) with that û.
        let z = [0.7, -0.2]
        let y = Cases.apply(planar, z).value
        XCTAssertLessThan(relativeError(y[0], 0.7 + planar.uHat[0] * tanh(0.7)), 1e-15)
        XCTAssertEqual(y[1], -0.2)
    }

    /// The root finder at extremes: c = wᵀû ≈ −0.993 (flat projection), c = 39 (steep), far
    /// points (|wᵀy| up to 10⁶) and points on the hyperplane.
    func testPlanarInverseAtExtremes() throws {
        let w = [1.3, -0.4]
        let ww = w.reduce(0) { $0 + $1 * $1 }
        for wDotU in [-5.0, -1.0, 0.0, 3.0, 40.0] {
            let u = w.map { wDotU * $0 / ww + 0.1 }
            let planar = try PlanarTransform(PlanarParameters(u: u, w: w, b: -0.6))
            var points: [[Double]] = [[0, 0], [1e6, -3e5], [-2e5, 7e5], [0.6 / 1.3, 0], [1e-9, 2e-9]]
            points += Cases.points(dimension: 2, count: 50, seed: 21)
            for x in points {
                let (y, forwardLogDet) = Cases.apply(planar, x)
                let (back, inverseLogDet) = Cases.apply(planar, y, inverse: true)
                // z = y − û·tanh(a + b) is a difference of terms of size ‖y‖ (‖x‖ can be far
                // smaller): the round trip is exact to rounding on that scale.
                let scale = max(Cases.distance(x, [0, 0]), Cases.distance(y, [0, 0]))
                XCTAssertLessThan(Cases.distance(back, x) / scale, 1e-13, "wᵀu=\(wDotU) x=\(x)")
                XCTAssertLessThan(abs(forwardLogDet + inverseLogDet), 1e-13 * max(1, abs(forwardLogDet)), "wᵀu=\(wDotU) x=\(x)")
                // The other direction: forward(inverse(x)) = x.
                let again = Cases.apply(planar, Cases.apply(planar, x, inverse: true).value).value
                XCTAssertLessThan(Cases.distance(again, x) / scale, 1e-13, "wᵀu=\(wDotU) x=\(x)")
            }
        }
        // With wᵀu = −30, c = −1 + 9.4e-14: forward(inverse(y)) is still y (the inverse is
        // ill-conditioned only in the other direction, by the factor 1/det ≈ 10¹³).
        let flat = try PlanarTransform(PlanarParameters(u: w.map { -30 * $0 / ww }, w: w, b: 0.1))
        XCTAssertGreaterThan(flat.wDotUHat, -1)
        for y in Cases.points(dimension: 2, count: 50, seed: 22) + [[-0.1 / 1.3, 0]] {
            let x = Cases.apply(flat, y, inverse: true).value
            XCTAssertLessThan(Cases.relativeDistance(Cases.apply(flat, x).value, y), 1e-12, "y=\(y)")
        }
    }

    /// Regression: with a large c = wᵀû (here u = w = (3, 0), c ≈ 8) plain safeguarded Newton
    /// cycles inside its bracket near the fold of tanh and returned a wrong root after its
    /// iteration cap (y = (−2.1, 0) gave Eq. 4 − Eq. 5 = 0.69 in the report). Every y on a fine
    /// line across the fold must now invert to a point that maps back onto y.
    func testPlanarInverseConvergesForLargeWDotU() throws {
        for (u, w, b) in [([3.0, 0.0], [3.0, 0.0], 0.0), ([4.0, 1.0], [2.0, 0.5], 0.3), ([10.0, 0.0], [2.0, 0.0], -1.0)] {
            let planar = try PlanarTransform(PlanarParameters(u: u, w: w, b: b))
            XCTAssertGreaterThan(planar.wDotUHat, 4.5)
            for i in 0...400 {
                let y = [-10 + 0.05 * Double(i), 0.37]
                let x = Cases.apply(planar, y, inverse: true).value
                let again = Cases.apply(planar, x).value
                XCTAssertLessThan(Cases.distance(again, y) / max(1, Cases.distance(y, [0, 0])), 1e-13,
                                  "u=\(u) w=\(w) y=\(y)")
            }
        }
    }

    // MARK: - Radial

    /// ‖f(z) − z₀‖ = r·(α + β + r)/(α + r) along the same direction; the inverse recovers points
    /// from r = 10⁻¹² to 10⁹ to full relative precision. (z₀ = 0 here so that points at tiny r
    /// are representable to full relative precision; the property tests use other centres.)
    func testRadialRadiusMapAndInverseAcrossScales() throws {
        let z0 = [0.0, 0.0, 0.0]
        for (alpha, beta) in [(0.7, 1.8), (1.3, -1.1), (2.0, -2.0), (1e-3, 50.0)] {
            let radial = try RadialTransform(RadialParameters(z0: z0, alpha: alpha, beta: beta))
            let direction = [0.6, -0.48, 0.64]   // unit vector
            for r in [1e-12, 1e-6, 0.01, 0.5, 3.0, 1e3, 1e9] {
                let z = (0..<3).map { z0[$0] + r * direction[$0] }
                let y = Cases.apply(radial, z).value
                let centred = (0..<3).map { y[$0] - z0[$0] }
                let gamma = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
                XCTAssertLessThan(relativeError(gamma, r * ((alpha + beta) + r) / (alpha + r)), 1e-14, "α=\(alpha) β=\(beta) r=\(r)")
                let back = Cases.apply(radial, y, inverse: true).value
                let error = zip(back, z).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                XCTAssertLessThan(error, 1e-14 * r, "α=\(alpha) β=\(beta) r=\(r)")
            }
        }
    }

    /// At β = −α the radial factor vanishes at z₀: log-det −∞ there, and near z₀ the
    /// cancellation-free forms give log|det| = (d−1)·log(r/(α + r)) + log(r(2α + r)/(α + r)²).
    func testRadialAtBetaEqualMinusAlpha() throws {
        let alpha = 1.5
        let radial = try RadialTransform(RadialParameters(z0: [0, 0, 0], alpha: alpha, beta: -alpha))
        let (atCentre, logDetAtCentre) = Cases.apply(radial, [0, 0, 0])
        XCTAssertEqual(atCentre, [0, 0, 0])
        XCTAssertEqual(logDetAtCentre, -.infinity)
        let (inverseAtCentre, inverseLogDetAtCentre) = Cases.apply(radial, [0, 0, 0], inverse: true)
        XCTAssertEqual(inverseAtCentre, [0, 0, 0])
        XCTAssertEqual(inverseLogDetAtCentre, .infinity)
        for r in [1e-10, 1e-5, 0.3, 10] {
            let logDet = Cases.apply(radial, [r, 0, 0]).logAbsDet
            let exact = 2 * log(r / (alpha + r)) + log(r * (2 * alpha + r)) - 2 * log(alpha + r)
            XCTAssertLessThan(relativeError(logDet, exact), 1e-14, "r=\(r)")
        }
    }

    // MARK: - Linear

    func testLinearValuesAndLogDeterminant() throws {
        // det [[0, 2, 1], [1, −1, 3], [4, 1, 0]] = 29.
        let linear = try LinearTransform(LinearParameters(matrix: [[0, 2, 1], [1, -1, 3], [4, 1, 0]], shift: [1, 0, -2]))
        let (y, logDet) = Cases.apply(linear, [1, 2, 3])
        let expected: [Double] = [8, 8, 4]   // A·(1, 2, 3) + (1, 0, −2) = (7 + 1, 8 + 0, 6 − 2)
        XCTAssertEqual(y, expected)
        XCTAssertLessThan(relativeError(logDet, log(29)), 1e-15)
        let (x, inverseLogDet) = Cases.apply(linear, y, inverse: true)
        XCTAssertLessThan(Cases.relativeDistance(x, [1, 2, 3]), 1e-15)
        XCTAssertLessThan(relativeError(inverseLogDet, -log(29)), 1e-15)

        // Triangular fast path: the log-det is Σ log|diag| and agrees with the LU.
        let lower: [[Double]] = [[2, 0, 0], [-1, 0.5, 0], [3, 7, -4]]
        let triangular = try LinearTransform(LinearParameters(matrix: lower))
        guard case .lowerTriangular = triangular.structure else { return XCTFail("expected the lower-triangular path") }
        XCTAssertLessThan(relativeError(triangular.logAbsDeterminant, log(4)), 1e-15)
        XCTAssertLessThan(relativeError(triangular.logAbsDeterminant, try LUDecomposition(lower).logAbsDeterminant), 1e-15)
        let solved = Cases.apply(triangular, [1, 2, 3], inverse: true).value
        let reference = try LUDecomposition(lower).solve([1, 2, 3])
        XCTAssertLessThan(Cases.relativeDistance(solved, reference), 1e-15)

        // No overflow: det(10²⁰⁰·I₃) = 10⁶⁰⁰ is not a double, its log is.
        let huge = try LinearTransform(LinearParameters(matrix: [[1e200, 0, 0], [0, 1e200, 0], [0, 0, 1e200]]))
        XCTAssertLessThan(relativeError(huge.logAbsDeterminant, 600 * log(10)), 1e-15)
        let dense = try LinearTransform(LinearParameters(matrix: [[1e200, 1e199, 0], [0, 1e200, 1e199], [1e199, 0, 1e200]]))
        XCTAssertTrue(dense.logAbsDeterminant.isFinite)
        XCTAssertLessThan(relativeError(dense.logAbsDeterminant, 600 * log(10) + log(1.001)), 1e-13)
    }

    /// image(of:) of a linear map is exact: the corners of the box reach the bounds.
    func testLinearImageIsTheExactBoundingBox() throws {
        let linear = try LinearTransform(LinearParameters(matrix: [[2, -1], [0.5, 3]], shift: [1, -1]))
        let image = linear.image(of: [Interval(lower: 0, upper: 1), Interval(lower: -2, upper: 2)])
        // y₁ = 2x₁ − x₂ + 1 ∈ [0 − 2 + 1, 2 + 2 + 1]; y₂ = 0.5x₁ + 3x₂ − 1 ∈ [−7, 5.5].
        // Outward rounding widens each end by one ulp per operation (three here).
        XCTAssertLessThanOrEqual(ulpDistance(image[0].lower, -1), 3)
        XCTAssertLessThanOrEqual(ulpDistance(image[0].upper, 5), 3)
        XCTAssertLessThanOrEqual(ulpDistance(image[1].lower, -7), 3)
        XCTAssertLessThanOrEqual(ulpDistance(image[1].upper, 5.5), 3)
        XCTAssertTrue(image[0].contains(-1) && image[0].contains(5) && image[1].contains(-7) && image[1].contains(5.5))
        // A half-line stays a half-line (no NaN from 0·∞).
        let half = linear.image(of: [Interval(lower: 0, upper: .infinity), Interval(lower: 1, upper: 1, lowerClosed: true, upperClosed: true)])
        XCTAssertEqual(half[0].upper, .infinity)
        // The lower end is 0 up to outward rounding of the terms (of size 1).
        XCTAssertLessThanOrEqual(half[0].lower, 0)
        XCTAssertGreaterThan(half[0].lower, -4 * Double.ulpOfOne)
        XCTAssertEqual(half[1].upper, .infinity)
    }

    // MARK: - Coupling and permutations

    func testCouplingValuesByHand() throws {
        // 3-D, keep x₁ (mask [0, 1, 0]); conditioner: hidden h = relu([1, −1]·x₁ + [0, 0.5]),
        // outputs (s₀, s₂, t₀, t₂) = W₂h + b₂.
        let w2: [[Double]] = [[0.3, 0.1], [0.2, -0.4], [1, 0], [0, 1]]
        let b2: [Double] = [0, 0.05, 0.1, -0.1]
        let parameters = AffineCouplingParameters(mask: [0, 1, 0], conditioner: MLPParameters(layers: [
            .init(weights: [[1], [-1]], bias: [0, 0.5]), .init(weights: w2, bias: b2),
        ], activation: .relu))
        let x = [0.7, 0.3, -1.2]
        let h = [max(0.3, 0), max(-0.3 + 0.5, 0)]
        let out = (0..<4).map { b2[$0] + w2[$0][0] * h[0] + w2[$0][1] * h[1] }
        for scale in [nil, 0.8] as [Double?] {
            var p = parameters
            p.scale = scale
            let coupling = try AffineCouplingTransform(p)
            let s = [out[0], out[1]].map { raw in scale.map { $0 * tanh(raw) } ?? raw }
            let (y, logDet) = Cases.apply(coupling, x)
            XCTAssertEqual(y[1], x[1])   // kept exactly
            XCTAssertLessThan(relativeError(y[0], x[0] * exp(s[0]) + out[2]), 1e-15)
            XCTAssertLessThan(relativeError(y[2], x[2] * exp(s[1]) + out[3]), 1e-15)
            XCTAssertLessThan(relativeError(logDet, s[0] + s[1]), 1e-15)
            let (back, inverseLogDet) = Cases.apply(coupling, y, inverse: true)
            XCTAssertEqual(back[1], x[1])
            XCTAssertLessThan(Cases.relativeDistance(back, x), 1e-15)
            XCTAssertLessThan(relativeError(inverseLogDet, -(s[0] + s[1])), 1e-15)
        }
    }

    /// With `scale`, |s| ≤ scale per transformed coordinate whatever the conditioner outputs.
    func testCouplingScaleBoundsTheLogDet() throws {
        let coupling = try AffineCouplingTransform(AffineCouplingParameters(
            mask: [1, 0, 0],
            conditioner: MLPParameters(layers: [.init(weights: [[40], [-40], [1], [1]], bias: [5, -5, 0, 0])]),
            scale: 0.75))
        for x in Cases.points(dimension: 3, count: 50, seed: 31) {
            XCTAssertLessThanOrEqual(abs(Cases.apply(coupling, x).logAbsDet), 2 * 0.75)
        }
    }

    func testPermutationValues() throws {
        let permute = try PermutationTransform(PermutationParameters(order: [2, 0, 1]))
        let (y, logDet) = Cases.apply(permute, [10, 20, 30])
        XCTAssertEqual(y, [30, 10, 20])
        XCTAssertEqual(logDet, 0)
        XCTAssertEqual(Cases.apply(permute, y, inverse: true).value, [10, 20, 30])
        XCTAssertEqual(permute.image(of: [Interval(lower: 0, upper: 1), .real, .positive]), [.positive, Interval(lower: 0, upper: 1), .real])
        let reverse = try PermutationTransform.reverse(dimension: 5)
        XCTAssertEqual(Cases.apply(reverse, [1, 2, 3, 4, 5]).value, [5, 4, 3, 2, 1])
        XCTAssertEqual(reverse.name, "reverse")
    }

    // MARK: - A 2-D density integrates to 1

    /// p_K(y) = φ₂(x₀)·Πₖ|det J_{f_k⁻¹}| by the inverse pass (Eq. 5) through a chain of every
    /// kind of map, integrated by the midpoint rule on a 300² grid over [−14, 14]² (the radial
    /// map spreads the tails: 0.05% of the mass lies outside [−10, 10]²; the midpoint rule for
    /// this smooth, fast-decaying integrand is converged to 1e-8 at this step, measured against
    /// 800²). Without the inverse log-dets the same integral is far from 1, so the check
    /// measures them.
    func testChainDensityIntegratesToOneOnAGrid() throws {
        let chain = try Cases.moderateChain()
        let n = 300, half = 14.0
        let h = 2 * half / Double(n)
        var values: [Double] = []
        values.reserveCapacity(2 * n * n)
        for i in 0..<n {
            for j in 0..<n {
                values.append(-half + (Double(i) + 0.5) * h)
                values.append(-half + (Double(j) + 0.5) * h)
            }
        }
        var batch = PointBatch(dimension: 2, values: values)
        var logDet = [Double](repeating: 0, count: n * n)
        for transform in chain.reversed() { transform.inverse(&batch, logAbsDet: &logDet) }
        var integral = 0.0, withoutJacobian = 0.0
        for p in 0..<(n * n) {
            let x0 = batch[p, 0], x1 = batch[p, 1]
            let logBase = -0.5 * (x0 * x0 + x1 * x1) - log(2 * Double.pi)
            integral += exp(logBase + logDet[p])
            withoutJacobian += exp(logBase)
        }
        integral *= h * h
        withoutJacobian *= h * h
        XCTAssertLessThan(abs(integral - 1), 1e-6, "∫p = \(integral)")
        XCTAssertGreaterThan(abs(withoutJacobian - 1), 0.05, "∫φ(T⁻¹y)dy = \(withoutJacobian)")
    }
}
