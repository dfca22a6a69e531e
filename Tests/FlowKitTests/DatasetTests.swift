import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// Each generator against its definition (ToyDataset's documentation, flows.md §6): support,
/// moments, symmetry, on fixed seeds. Sampling tolerances are ~4-5 standard errors.
final class DatasetTests: XCTestCase {
    let n = 40_000

    func sample(_ d: ToyDataset, seed: UInt64 = 42) -> PointBatch {
        var stream = RandomStream(seed: seed, stream: 1)
        return d.sample(count: n, using: &stream)
    }

    func moments(_ b: PointBatch) -> (RunningMoments, RunningMoments) {
        var x = RunningMoments(), y = RunningMoments()
        for i in 0..<b.count { x.add(b[i, 0]); y.add(b[i, 1]) }
        return (x, y)
    }

    func testNamesAndCatalog() throws {
        XCTAssertEqual(ToyDataset.allCases.map(\.name), ["8gaussians", "2spirals", "checkerboard", "pinwheel", "rings", "moons", "circles", "swissroll"])
        XCTAssertEqual(try ToyDataset(name: "2spirals"), .twoSpirals)
        XCTAssertThrowsError(try ToyDataset(name: "9gaussians")) { error in
            guard case let FlowKitError.unknownName(_, name, known)? = error as? FlowKitError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "9gaussians")
            XCTAssertEqual(known.count, 8)
        }
        XCTAssertEqual(TargetCatalog.names, ["u1", "u2", "u3", "u4", "8gaussians", "2spirals", "checkerboard", "pinwheel", "rings", "moons", "circles", "swissroll"])
        XCTAssertEqual(try TargetCatalog.target(named: "u3"), .energy(.u3))
        XCTAssertEqual(try TargetCatalog.target(named: "moons"), .dataset(.moons))
        XCTAssertThrowsError(try TargetCatalog.target(named: "u5"))
        XCTAssertEqual(TargetCatalog.entry(named: "rings")?.summary, ToyDataset.rings.summary)
        XCTAssertTrue(TargetCatalog.entries.allSatisfy { $0.parameters.isEmpty && !$0.summary.isEmpty })
    }

    /// Same seed and stream, same points; a batch filled in two halves from one stream equals
    /// one fill (the sampler keeps no state outside the stream).
    func testDeterministic() {
        for d in ToyDataset.allCases {
            XCTAssertEqual(sample(d), sample(d))
            XCTAssertNotEqual(sample(d), sample(d, seed: 43))
            var s = RandomStream(seed: 42, stream: 1)
            let first = d.sample(count: n / 2, using: &s), second = d.sample(count: n / 2, using: &s)
            XCTAssertEqual(first.values + second.values, sample(d).values)
        }
    }

    /// 8gaussians: each point is within a few σ = 0.5/1.414 of one of 8 centres at radius
    /// 4/1.414; the 8 components are equally likely; mean 0; E[x²] = (8 + 0.25)/1.414².
    func testEightGaussians() {
        let b = sample(.eightGaussians)
        let r = 1 / 2.0.squareRoot()
        let centers: [(Double, Double)] = [(1, 0), (-1, 0), (0, 1), (0, -1), (r, r), (r, -r), (-r, r), (-r, -r)].map { (4 * $0.0 / 1.414, 4 * $0.1 / 1.414) }
        var counts = [Int](repeating: 0, count: 8)
        let sigma = 0.5 / 1.414
        for i in 0..<b.count {
            let distances = centers.map { ((b[i, 0] - $0.0) * (b[i, 0] - $0.0) + (b[i, 1] - $0.1) * (b[i, 1] - $0.1)).squareRoot() }
            let k = distances.indices.min { distances[$0] < distances[$1] }!
            XCTAssertLessThan(distances[k], 6 * sigma)
            counts[k] += 1
        }
        for c in counts { XCTAssertEqual(Double(c), Double(n) / 8, accuracy: 5 * (Double(n) * 7 / 64).squareRoot()) }
        let (mx, my) = moments(b)
        XCTAssertEqual(mx.mean, 0, accuracy: 5 * (8.25 / 1.414 / 1.414 / Double(n)).squareRoot())
        XCTAssertEqual(my.mean, 0, accuracy: 5 * (8.25 / 1.414 / 1.414 / Double(n)).squareRoot())
        // E[x²] = (16·E[cx²] + 0.25)/1.414² with E[cx²] = 1/2.
        XCTAssertLessThanOrEqual(relativeError(mx.populationVariance!, 8.25 / (1.414 * 1.414)), 0.03)
    }

    /// Checkerboard: x1 uniform on [−4, 4); x2 in [−4, 4); points only on squares where
    /// ⌊x1/2⌋ + ⌊x2/2⌋ is even (the pattern of the definition); each of the 8 squares ~1/8.
    func testCheckerboard() {
        let b = sample(.checkerboard)
        var counts = [Int: Int]()
        for i in 0..<b.count {
            let x = b[i, 0], y = b[i, 1]
            XCTAssertTrue(x >= -4 && x < 4 && y >= -4 && y < 4, "(\(x), \(y))")
            let cx = Int(Foundation.floor(x / 2)), cy = Int(Foundation.floor(y / 2))
            XCTAssertEqual((cx + cy + 8) % 2, 0, "(\(x), \(y)) on a light square")
            counts[cy * 4 + cx, default: 0] += 1
        }
        XCTAssertEqual(counts.count, 8)
        for c in counts.values { XCTAssertEqual(Double(c), Double(n) / 8, accuracy: 5 * (Double(n) * 7 / 64).squareRoot()) }
        let (mx, my) = moments(b)
        XCTAssertEqual(mx.mean, 0, accuracy: 5 * (16.0 / 3 / Double(n)).squareRoot())
        // E[x2] = 2·(E[U] − E[2B] + E[parity]) = 2·(0.5 − 1 + 0.5) = 0.
        XCTAssertEqual(my.mean, 0, accuracy: 5 * (16.0 / 3 / Double(n)).squareRoot())
    }

    /// Rings: radii 3, 2.25, 1.5, 0.75 plus isotropic noise 0.08; the radial distance to the
    /// nearest ring has the spread of the noise; the four rings are equally likely.
    func testRings() {
        let b = sample(.rings)
        var counts = [Int](repeating: 0, count: 4)
        var residual = RunningMoments()
        for i in 0..<b.count {
            let r = (b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]).squareRoot()
            let k = Int((r / 0.75).rounded()) - 1
            XCTAssertTrue((0..<4).contains(k), "r = \(r)")
            counts[max(0, min(3, k))] += 1
            residual.add(r - 0.75 * Double(k + 1))
        }
        for c in counts { XCTAssertEqual(Double(c), Double(n) / 4, accuracy: 5 * (Double(n) * 3 / 16).squareRoot()) }
        // Radial residual: approx N(0.08²/(2r), 0.08²) for r ≫ 0.08; std within 5% of 0.08.
        XCTAssertLessThanOrEqual(relativeError(residual.standardDeviation!, 0.08), 0.05)
        let (mx, my) = moments(b)
        XCTAssertEqual(mx.mean, 0, accuracy: 0.05)
        XCTAssertEqual(my.mean, 0, accuracy: 0.05)
    }

    /// Circles: radii 3 and 1.5 (×3 of 1 and 0.5) with noise 0.24; half the points on each.
    func testCircles() {
        let b = sample(.circles)
        var inner = 0
        var residual = RunningMoments()
        for i in 0..<b.count {
            let r = (b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]).squareRoot()
            let ring = r < 2.25 ? 1.5 : 3.0
            if ring == 1.5 { inner += 1 }
            residual.add(r - ring)
        }
        XCTAssertEqual(Double(inner), Double(n) / 2, accuracy: 5 * (Double(n) / 4).squareRoot())
        XCTAssertLessThanOrEqual(relativeError(residual.standardDeviation!, 0.24), 0.05)
    }

    /// Moons: before the affine map, the outer moon is (cos θ, sin θ), the inner
    /// (1 − cos θ, 0.5 − sin θ), θ uniform on [0, π]. Mean of m: outer (0, 2/π), inner
    /// (1, 0.5 − 2/π): overall (0.5, 0.25); after x = 2m + (−1, −0.2): (0, 0.3).
    /// The map is symmetric about x = 0: the inner moon is the outer rotated by π about (0.5, 0.25).
    func testMoons() {
        let b = sample(.moons)
        let (mx, my) = moments(b)
        XCTAssertEqual(mx.mean, 0, accuracy: 5 * (mx.populationVariance! / Double(n)).squareRoot())
        XCTAssertEqual(my.mean, 0.3, accuracy: 5 * (my.populationVariance! / Double(n)).squareRoot())
        // Var of m_x: E[cos²]=1/2 on each moon, means 0 and 1 → 1/2 + 1/4 − ... exactly
        // Var = 1/2 − (1/2)(0² + 1²)/... compute: E[mx²] = ½·½ + ½·(1 + ½) = 1; Var = 1 − ¼ = ¾;
        // plus noise 0.01; after ×2: 4·0.76 = 3.04.
        XCTAssertLessThanOrEqual(relativeError(mx.populationVariance!, 3.04), 0.03)
        // Support: within 6 noise sd (0.2 after ×2) of the two arcs.
        for i in 0..<b.count {
            let mxv = (b[i, 0] + 1) / 2, myv = (b[i, 1] + 0.2) / 2
            let dOuter = abs((mxv * mxv + myv * myv).squareRoot() - 1)
            let dInner = abs(((mxv - 1) * (mxv - 1) + (myv - 0.5) * (myv - 0.5)).squareRoot() - 1)
            XCTAssertLessThan(min(dOuter, dInner), 0.6)
        }
    }

    /// 2spirals: point symmetric about the origin (the mirror half), so every odd moment is
    /// 0; radius ≤ (3π + 0.5√2)/3 + noise.
    func testTwoSpirals() {
        let b = sample(.twoSpirals)
        let (mx, my) = moments(b)
        XCTAssertEqual(mx.mean, 0, accuracy: 5 * (mx.populationVariance! / Double(n)).squareRoot())
        XCTAssertEqual(my.mean, 0, accuracy: 5 * (my.populationVariance! / Double(n)).squareRoot())
        XCTAssertLessThan(abs(mx.skewness!), 5 * (6.0 / Double(n)).squareRoot())
        let bound = (3 * Double.pi + 0.5 * 2.0.squareRoot()) / 3 + 6 * 0.1 * 2.0.squareRoot()
        for i in 0..<b.count { XCTAssertLessThan((b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]).squareRoot(), bound) }
        // n = 3π√U has E[n²] = 9π²/2: E[x² + y²] ≈ (E[n²] + small)/9 + 0.02; check the order.
        let second = mx.populationVariance! + my.populationVariance!
        XCTAssertGreaterThan(second, 9 * Double.pi * Double.pi / 2 / 9 * 0.9)
        XCTAssertLessThan(second, 9 * Double.pi * Double.pi / 2 / 9 * 1.25)
    }

    /// Pinwheel: 5 arms, rotationally symmetric by 2π/5, so the mean is 0 and the covariance
    /// isotropic; radius 2·|f| with f1 = 1 + 0.3N: E[r²] = 4·(1 + 0.09 + 0.01) = 4.4.
    func testPinwheel() {
        let b = sample(.pinwheel)
        let (mx, my) = moments(b)
        var r2 = RunningMoments()
        for i in 0..<b.count { r2.add(b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]) }
        XCTAssertLessThanOrEqual(relativeError(r2.mean, 4.4), 5 * r2.standardDeviation! / Double(n).squareRoot() / 4.4)
        XCTAssertEqual(mx.mean, 0, accuracy: 5 * (mx.populationVariance! / Double(n)).squareRoot())
        XCTAssertEqual(my.mean, 0, accuracy: 5 * (my.populationVariance! / Double(n)).squareRoot())
        XCTAssertLessThanOrEqual(relativeError(mx.populationVariance!, my.populationVariance!), 0.05)
    }

    /// Swiss roll: x = (t cos t + N)/5, y = (t sin t + N)/5 with t uniform on [1.5π, 4.5π]:
    /// E[t²] = (4.5³ − 1.5³)π²/(3·3π)·π = 13π²/... computed below; radius of the noise-free
    /// point is t/5 ∈ [0.3π, 0.9π].
    func testSwissRoll() {
        let b = sample(.swissroll)
        var r2 = RunningMoments()
        for i in 0..<b.count { r2.add(b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]) }
        // E[t²] for t ~ U(a, c): (c³ − a³)/(3(c − a)); plus 2 noise variances; /25.
        let a = 1.5 * Double.pi, c = 4.5 * Double.pi
        let expected = ((c * c * c - a * a * a) / (3 * (c - a)) + 2) / 25
        XCTAssertLessThanOrEqual(relativeError(r2.mean, expected), 5 * r2.standardDeviation! / Double(n).squareRoot() / expected)
        for i in 0..<b.count {
            let r = (b[i, 0] * b[i, 0] + b[i, 1] * b[i, 1]).squareRoot()
            XCTAssertLessThan(r, 0.9 * Double.pi + 6 * 2.0.squareRoot() / 5)
        }
    }

    /// The unbiased integer sampler: 0..<5 and 0..<3 counts are uniform (chi-square).
    func testUniformIndex() {
        var s = RandomStream(seed: 3)
        for k in [3, 5, 7] {
            var counts = [Double](repeating: 0, count: k)
            for _ in 0..<70_000 { counts[ToyDataset.uniformIndex(below: k, using: &s)] += 1 }
            let e = 70_000 / Double(k)
            let chi2 = counts.reduce(0) { $0 + ($1 - e) * ($1 - e) / e }
            XCTAssertLessThan(chi2, 25, "k = \(k): \(counts)")  // far above the 99.9% point for ≤ 6 dof (22.5)
        }
    }
}
