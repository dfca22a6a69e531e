import FlowKit
import Foundation
import Plot
@testable import Report
import TestSupport
import XCTest

/// The `pairs` figure (issue 5): streamed histograms against brute-force counts, the
/// closed-form normal marginals of ``GaussianMarginals`` against hand-computed laws, their
/// integrals, and the shape of the figure.
final class MultivariatePairsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let spec = """
    base: {normal: {mean: [0.5, -1, 0], cov: [[1, 0.3, 0], [0.3, 2, -0.4], [0, -0.4, 0.5]]}}
    flow:
      - linear: {matrix: [[1, 2, 0], [0, 1, 0.5], [0.3, 0, 1]], shift: [1, 0, -1]}
      - coupling:
          mask: [1, 1, 0]
          conditioner:
            layers:
              - {weights: [[1, -1], [0.5, 0.5]], bias: [0, 0.1]}
              - {weights: [[0.3, -0.2], [0.5, 0.4]], bias: [0, 0]}
    figures: [{pairs: {bins: 24}}]
    """

    /// Σ' = AΣAᵀ and μ' = Aμ + c, written out for the spec's first map.
    func testLinearPushforwardOfANormalBaseIsComputedByHand() throws {
        let experiment = try SpecLoader.load(text: Self.spec, path: "p.yaml")
        let linearOnly = try XCTUnwrap(GaussianMarginals(base: experiment.base, maps: Array(experiment.maps.prefix(1))))
        let a: [[Double]] = [[1, 2, 0], [0, 1, 0.5], [0.3, 0, 1]]
        let sigma: [[Double]] = [[1, 0.3, 0], [0.3, 2, -0.4], [0, -0.4, 0.5]]
        let mu = [0.5, -1.0, 0.0], c = [1.0, 0, -1]
        for i in 0..<3 {
            let mean = c[i] + (0..<3).reduce(0) { $0 + a[i][$1] * mu[$1] }
            var variance = 0.0
            for j in 0..<3 { for k in 0..<3 { variance += a[i][j] * sigma[j][k] * a[i][k] } }
            let m = try XCTUnwrap(linearOnly.marginal(i))
            XCTAssertLessThan(abs(m.mean - mean), 1e-15 * max(1, abs(mean)), "mean \(i)")
            XCTAssertLessThan(relativeError(m.standardDeviation * m.standardDeviation, variance), 1e-14, "variance \(i)")
        }
        // Σ'₀₁ = a₀ Σ a₁ᵀ (AΣAᵀ, not AᵀΣA: with this A they differ).
        var covariance01 = 0.0
        for j in 0..<3 { for k in 0..<3 { covariance01 += a[0][j] * sigma[j][k] * a[1][k] } }
        XCTAssertLessThan(relativeError(linearOnly.covariance[1], covariance01), 1e-14)

        // After the coupling (mask [1, 1, 0]) the kept coordinates keep their law; x₃ has none.
        let whole = try XCTUnwrap(GaussianMarginals(base: experiment.base, maps: experiment.maps))
        XCTAssertEqual(whole.known, [true, true, false])
        XCTAssertEqual(whole.marginal(0)?.mean, linearOnly.marginal(0)?.mean)
        XCTAssertEqual(whole.marginal(1)?.standardDeviation, linearOnly.marginal(1)?.standardDeviation)
        XCTAssertNil(whole.marginal(2))
    }

    func testPermutationAffineAndNonlinearMaps() throws {
        let base = try MultivariateNormalDistribution(mean: [1, 2, 3], choleskyFactor: [1, 0, 0, 0, 2, 0, 0, 0, 3])
        let permute = try PermutationTransform(PermutationParameters(order: [2, 0, 1]), dimension: 3)
        let affine = Elementwise(try AffineMap(scale: -2, shift: 1))
        let law = try XCTUnwrap(GaussianMarginals(base: base, maps: [permute, affine]))
        // y = (x₃, x₁, x₂) then 1 − 2y.
        XCTAssertEqual(law.marginal(0)?.mean, 1 - 2 * 3)
        XCTAssertEqual(law.marginal(0)?.standardDeviation, 6)
        XCTAssertEqual(law.marginal(1)?.mean, 1 - 2 * 1)
        XCTAssertEqual(law.marginal(2)?.standardDeviation, 4)
        // A linear map mixing an unknown coordinate into a row makes that row unknown.
        let coupling = try AffineCouplingTransform(AffineCouplingParameters(
            mask: [1, 1, 0], conditioner: MLPParameters(layers: [MLPParameters.Layer(weights: [[1, 1], [0, 1]], bias: [0, 0])])), dimension: 3)
        let mix = try LinearTransform(LinearParameters(matrix: [[1, 0, 0], [0, 1, 1], [1, 1, 0]]), dimension: 3)
        let mixed = try XCTUnwrap(GaussianMarginals(base: base, maps: [coupling, mix]))
        XCTAssertEqual(mixed.known, [true, false, true])
        XCTAssertEqual(mixed.marginal(2)?.mean, 3)
        XCTAssertLessThan(relativeError(mixed.marginal(2)?.standardDeviation ?? .nan, 5.0.squareRoot()), 1e-15)
        // Planar maps and non-normal bases have no closed form.
        let planar = try PlanarTransform(PlanarParameters(u: [1, 0, 0], w: [0, 1, 0]), dimension: 3)
        XCTAssertNil(GaussianMarginals(base: base, maps: [planar]))
        XCTAssertNil(GaussianMarginals(base: try BoxUniformDistribution(low: [0, 0, 0], high: [1, 1, 1]), maps: []))
    }

    /// The diagonal's closed-form marginal integrates to 1: its bin probabilities over ±8.5σ sum
    /// to 1 within 1e−14 (the mass beyond is 2·Φ(−8.5) ≈ 2e−17), and the midpoint rule of the
    /// plotted density on the same 100 bins gives 1 within 1e−12 (spectrally accurate for a
    /// Gaussian at h = 0.17σ).
    func testClosedFormMarginalIntegratesToOne() {
        let mean = -0.7, sd = 2.3
        let edges = (0...100).map { mean - 8.5 * sd + 17 * sd * Double($0) / 100 }
        let p = MultivariateFigurePlan.binProbabilities(edges: edges, mean: mean, standardDeviation: sd)
        XCTAssertLessThan(abs(p.reduce(0, +) - 1), 1e-14)
        let h = edges[1] - edges[0]
        let midpoint = (0..<100).reduce(0.0) { $0 + GaussianMarginals.density((edges[$1] + edges[$1 + 1]) / 2, mean: mean, standardDeviation: sd) * h }
        XCTAssertLessThan(abs(midpoint - 1), 1e-12)
        // On a narrower range the sum is the range's probability.
        let inner = MultivariateFigurePlan.binProbabilities(edges: [-1, 0, 1, 2], mean: mean, standardDeviation: sd).reduce(0, +)
        XCTAssertLessThan(relativeError(inner, GaussianMarginals.probability(-1, 2, mean: mean, standardDeviation: sd)), 1e-14)
    }

    /// Every streamed histogram of the figure equals a brute-force count of the same samples
    /// (two chunks, the second partial), and the transposed panels mirror each other.
    func testHistogramsEqualBruteForceCounts() throws {
        let experiment = try SpecLoader.load(text: Self.spec, path: "p.yaml")
        let samples = SamplePass.chunkSize + 4_321
        let run = try Run(experiment: experiment, samples: samples, seed: 5, jobs: 2)
        let plan = try XCTUnwrap(run.plan as? MultivariateFigurePlan)
        let request = try XCTUnwrap(experiment.figures.first)
        let ranges = plan.pairRanges(request)
        let bins = 24
        var diagonal = [[Double]](repeating: [Double](repeating: 0, count: bins), count: 3)
        var pairs: [[Double]] = Array(repeating: [Double](repeating: 0, count: bins * bins), count: 9)
        func bin(_ x: Double, _ j: Int) -> Int? {
            let t = (x - ranges[j].lowerBound) / (ranges[j].upperBound - ranges[j].lowerBound)
            guard t >= 0, t < 1 else { return nil }
            return Int((t * Double(bins)).rounded(.down))
        }
        // The samples drawn again, chunk i from stream i, independently of the pass.
        for c in 0..<2 {
            var stream = RandomStream(seed: 5, stream: UInt64(c))
            let points = experiment.flow.sample(count: min(SamplePass.chunkSize, samples - c * SamplePass.chunkSize), using: &stream).points
            for p in 0..<points.count {
                let k = (0..<3).map { bin(points[p, $0], $0) }
                for i in 0..<3 {
                    if let ki = k[i] { diagonal[i][ki] += 1 }
                    for j in 0..<i { if let kj = k[j], let ki = k[i] { pairs[i * 3 + j][ki * bins + kj] += 1 } }
                }
            }
        }
        for i in 0..<3 {
            let h = try XCTUnwrap(run.histograms[plan.marginalRequest(coordinate: i, range: ranges[i], bins: bins)])
            XCTAssertEqual(h.counts, diagonal[i], "diagonal \(i)")
            XCTAssertEqual(h.totalCount, Double(samples))
            for j in 0..<i {
                let key = PlaneHistogramRequest(source: .flow, x: ranges[j], y: ranges[i], bins: bins, xCoordinate: j, yCoordinate: i)
                let plane = try XCTUnwrap(run.planes[key])
                XCTAssertEqual(plane.counts, pairs[i * 3 + j], "pair (\(j), \(i))")
                XCTAssertGreaterThan(plane.inRangeCount, 0.98 * Double(samples))
                let below = try XCTUnwrap(plan.pairGrid(row: i, column: j, ranges: ranges, bins: bins, run: run)).grid
                let above = try XCTUnwrap(plan.pairGrid(row: j, column: i, ranges: ranges, bins: bins, run: run)).grid
                for r in 0..<bins { for q in 0..<bins { XCTAssertEqual(below[q, r], above[r, q]) } }
            }
        }
        // The known marginals fit the streamed counts: Pearson χ² over bins with ≥ 5 expected
        // counts, against its 99.9 % point (df ≈ 20 here; a wrong mean by 0.1σ gives χ² ≫ 100).
        let law = try XCTUnwrap(plan.gaussianMarginals)
        for i in 0..<2 {
            let m = try XCTUnwrap(law.marginal(i))
            let h = try XCTUnwrap(run.histograms[plan.marginalRequest(coordinate: i, range: ranges[i], bins: bins)])
            let expected = MultivariateFigurePlan.binProbabilities(edges: h.edges, mean: m.mean, standardDeviation: m.standardDeviation)
                .map { $0 * Double(samples) }
            var chi2 = 0.0, df = -1
            for (o, e) in zip(h.counts, expected) where e >= 5 { chi2 += (o - e) * (o - e) / e; df += 1 }
            XCTAssertLessThan(chi2, Double(df) + 4.5 * (2 * Double(df)).squareRoot(), "coordinate \(i): χ² = \(chi2), df = \(df)")
            let shifted = MultivariateFigurePlan.binProbabilities(edges: h.edges, mean: m.mean + 0.1 * m.standardDeviation,
                                                                  standardDeviation: m.standardDeviation).map { $0 * Double(samples) }
            var wrong = 0.0
            for (o, e) in zip(h.counts, shifted) where e >= 5 { wrong += (o - e) * (o - e) / e }
            XCTAssertGreaterThan(wrong, 5 * Double(df), "coordinate \(i): the χ² test must see a 0.1σ shift")
        }
    }

    func testFigureHasDSquaredPanelsAndTheShippedSpecRuns() throws {
        let experiment = try SpecLoader.load(text: Self.spec, path: "p.yaml")
        let run = try Run(experiment: experiment, samples: 5_000, seed: 2, jobs: 1)
        let built = try XCTUnwrap(run.plan.figures(run: run).first)
        XCTAssertEqual(built.id, "pairs")
        XCTAssertEqual(built.figure.slots.count, 9)
        // Diagonal: histogram + closed-form line where known, histogram alone for x₃.
        XCTAssertEqual(built.figure[0, 0].marks.count, 2)
        XCTAssertEqual(built.figure[2, 2].marks.count, 1)
        XCTAssertTrue(built.figure[1, 0].marks.first is Plot.Histogram2D)
        XCTAssertTrue(built.caption.contains("x₃: none"), built.caption)

        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pairs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let outcomes = try ReportRunner.run(specPaths: [Self.root.appendingPathComponent("reports/pairplot-3d.yaml").path],
                                            options: RunOptions(outputDirectory: out, samples: 20_000, jobs: 2, formats: ["svg"], quiet: true))
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertTrue(outcomes.first?.allChecksPassed ?? false)
        let figures = try FileManager.default.contentsOfDirectory(atPath: out + "/pairplot-3d/figures")
        XCTAssertEqual(Set(figures), ["pairs.svg", "samples.svg"])
    }

    func testPairsRangeNamesOneIntervalPerCoordinate() {
        do {
            _ = try SpecLoader.load(text: """
            base: {normal: {mean: [0, 0, 0], std: 1}}
            flow: [{linear: {matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}}]
            figures: [{pairs: {range: [[-1, 1], [-2, 2]]}}]
            """, path: "r.yaml")
            XCTFail("a 2-interval range must be rejected for d = 3")
        } catch {
            guard case let .invalidSpec(found) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(found.map { [$0.line, $0.column] }, [[3, 27]])
            XCTAssertTrue(found.first?.message.contains("3 coordinates") ?? false, found.first?.message ?? "")
        }
    }
}
