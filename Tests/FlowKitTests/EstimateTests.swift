import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The estimates a fit reports: Monte Carlo means with standard errors, importance-sampled
/// log Z with Kish's effective sample size, against closed forms on Gaussians.
final class EstimateTests: XCTestCase {
    func testMonteCarloMeanAndStandardError() {
        let e = MonteCarloEstimate(values: [1, 2, 3, 4])
        XCTAssertEqual(e.value, 2.5)
        XCTAssertEqual(e.standardError, (5.0 / 3 / 4).squareRoot(), accuracy: 1e-15)  // s² = 5/3
        XCTAssertEqual(e.count, 4)
        XCTAssertEqual(MonteCarloEstimate(values: [7]).standardError, 0)
        XCTAssertTrue(MonteCarloEstimate(values: []).value.isNaN)
        let bad = MonteCarloEstimate(values: [1, -.infinity, 2])
        XCTAssertEqual(bad.value, -.infinity)
        XCTAssertEqual(bad.nonFiniteCount, 1)
        XCTAssertEqual(bad.standardError, .infinity)
        // Compensated summation: 1e16 + 1 + … − 1e16 keeps the ones.
        XCTAssertEqual(MonteCarloEstimate(values: [1e16, 1, 1, 1, 1, -1e16]).value, 4.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(MonteCarloEstimate.negativeLogLikelihood(logDensities: [-1, -3]).value, 2)
        XCTAssertEqual(MonteCarloEstimate(values: [1, 3]).subtracted(from: 5).value, 3)
        XCTAssertEqual(MonteCarloEstimate(values: [1, 3]).minus(5).value, -3)
    }

    /// q = N(m, s²), p̃ = Z·N(μ, σ²): ELBO = log Z − KL(q ‖ p) with the Gaussian KL in closed
    /// form; the estimate's error is within 4 of its own standard errors, and the standard
    /// error matches std(w)/√n with std(w) in closed form.
    func testEvidenceLowerBoundOnGaussians() {
        let (m, s, mu, sigma, logZ) = (0.3, 0.8, -0.2, 1.1, 1.7)
        var stream = RandomStream(seed: 11, stream: 0)
        let n = 20_000
        var logTarget = [Double](), logProposal = [Double]()
        for _ in 0..<n {
            let z = m + s * stream.nextStandardNormal()
            logProposal.append(normalLogPDF(z, m, s))
            logTarget.append(logZ + normalLogPDF(z, mu, sigma))
        }
        let elbo = MonteCarloEstimate.evidenceLowerBound(logTarget: logTarget, logProposal: logProposal)
        let kl = Foundation.log(sigma / s) + (s * s + (m - mu) * (m - mu)) / (2 * sigma * sigma) - 0.5
        XCTAssertLessThanOrEqual(abs(elbo.value - (logZ - kl)), 4 * elbo.standardError, "\(elbo) vs \(logZ - kl)")
        XCTAssertLessThanOrEqual(abs(elbo.subtracted(from: logZ).value - kl), 4 * elbo.standardError)
        // w = const + a·u + b·u², u ∼ N(0,1): Var w = a² + 2b².
        let a = (s * s * (m - mu)) / (sigma * sigma) / s  // coefficient of u in −(m + su − μ)²/(2σ²) + u²/2
        let b = 0.5 - s * s / (2 * sigma * sigma)
        let sd = (a * a + 2 * b * b).squareRoot()
        XCTAssertLessThanOrEqual(relativeError(elbo.standardError, sd / Double(n).squareRoot()), 0.05)
    }

    /// Importance sampling of Z for p̃ = Z·N(μ, σ²) with the proposal N(m, s²), 2s² > σ²:
    /// log Ẑ within 4 standard errors of log Z, and ESS/n → 1/E_q[(p/q)²] with
    /// E_q[(p/q)²] = s² / (σ √(2s² − σ²)) · exp((μ − m)² / (2s² − σ²)).
    func testImportanceSamplingOnGaussians() {
        let (m, s, mu, sigma, logZ) = (0.5, 1.5, 0.0, 1.0, -2.3)
        var stream = RandomStream(seed: 12, stream: 0)
        let n = 40_000
        let logWeights: [Double] = (0..<n).map { _ in
            let z = m + s * stream.nextStandardNormal()
            return logZ + normalLogPDF(z, mu, sigma) - normalLogPDF(z, m, s)
        }
        let estimate = ImportanceSamplingEstimate(logWeights: logWeights)
        XCTAssertLessThanOrEqual(abs(estimate.logNormalizer - logZ), 4 * estimate.standardError, "\(estimate)")
        XCTAssertLessThan(estimate.standardError, 0.01)
        let secondMoment = s * s / (sigma * (2 * s * s - sigma * sigma).squareRoot()) * Foundation.exp((mu - m) * (mu - m) / (2 * s * s - sigma * sigma))
        XCTAssertLessThanOrEqual(relativeError(estimate.efficiency, 1 / secondMoment), 0.03, "\(estimate.efficiency) vs \(1 / secondMoment)")
        // The same weights shifted by ±800 (exp overflows/underflows) give the same ESS and a
        // log Z shifted by exactly that.
        for shift in [800.0, -800.0] {
            let shifted = ImportanceSamplingEstimate(logWeights: logWeights.map { $0 + shift })
            XCTAssertEqual(shifted.effectiveSampleSize, estimate.effectiveSampleSize, accuracy: 1e-9 * estimate.effectiveSampleSize)
            XCTAssertEqual(shifted.logNormalizer, estimate.logNormalizer + shift, accuracy: 1e-9)
        }
        // q = p: every weight equals log Z, ESS = n, zero error.
        let exact = ImportanceSamplingEstimate(logWeights: [Double](repeating: logZ, count: 100))
        XCTAssertEqual(exact.logNormalizer, logZ, accuracy: 1e-14)
        XCTAssertEqual(exact.effectiveSampleSize, 100, accuracy: 1e-12)
        XCTAssertEqual(exact.standardError, 0, accuracy: 1e-7)
    }

    /// Kish's ESS in known cases: equal weights → n; one weight dominating → 1; k equal
    /// weights and zeros (−∞) → k; weights (1, 2) → 9/5; NaN poisons; all zero → ESS 0.
    func testEffectiveSampleSizeKnownCases() {
        XCTAssertEqual(ImportanceSamplingEstimate(logWeights: [Double](repeating: -3, count: 50)).effectiveSampleSize, 50, accuracy: 1e-12)
        XCTAssertEqual(ImportanceSamplingEstimate(logWeights: [0, -1000, -1000, -2000]).effectiveSampleSize, 1, accuracy: 1e-12)
        let sparse = ImportanceSamplingEstimate(logWeights: [0.5, 0.5, 0.5, -.infinity, -.infinity])
        XCTAssertEqual(sparse.effectiveSampleSize, 3, accuracy: 1e-12)
        XCTAssertEqual(sparse.logNormalizer, 0.5 + Foundation.log(3.0 / 5), accuracy: 1e-14)
        XCTAssertEqual(ImportanceSamplingEstimate(logWeights: [0, Foundation.log(2.0)]).effectiveSampleSize, 9.0 / 5, accuracy: 1e-14)
        XCTAssertTrue(ImportanceSamplingEstimate(logWeights: [0, .nan]).logNormalizer.isNaN)
        let none = ImportanceSamplingEstimate(logWeights: [-.infinity, -.infinity])
        XCTAssertEqual(none.logNormalizer, -.infinity)
        XCTAssertEqual(none.effectiveSampleSize, 0)
    }

    func normalLogPDF(_ x: Double, _ mu: Double, _ sigma: Double) -> Double {
        let t = (x - mu) / sigma
        return -0.5 * t * t - Foundation.log(sigma) - Special.halfLogTwoPi
    }
}
