import Foundation
import FlowKit
import FlowTraining

/// The energy of a 2-D normal N(m, Σ): log p̃(x) = −½(x − m)ᵀΣ⁻¹(x − m), ∇ = −Σ⁻¹(x − m),
/// with a closed-form KL(q ‖ p) for Gaussian q.
struct GaussianEnergy: TrainingTarget {
    let mean: [Double]
    let covariance: [[Double]]
    var dimension: Int { 2 }

    var precision: [[Double]] {
        let det = covariance[0][0] * covariance[1][1] - covariance[0][1] * covariance[1][0]
        return [[covariance[1][1] / det, -covariance[0][1] / det], [-covariance[1][0] / det, covariance[0][0] / det]]
    }

    func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, logDensity: UnsafeMutablePointer<Double>,
                               gradient: UnsafeMutablePointer<Double>) {
        let P = precision
        for p in 0..<count {
            let e0 = points[2 * p] - mean[0], e1 = points[2 * p + 1] - mean[1]
            let g0 = P[0][0] * e0 + P[0][1] * e1, g1 = P[1][0] * e0 + P[1][1] * e1
            logDensity[p] = -0.5 * (e0 * g0 + e1 * g1)
            gradient[2 * p] = -g0
            gradient[2 * p + 1] = -g1
        }
    }

    /// KL(N(μ, S) ‖ N(m, Σ)) = ½[tr(Σ⁻¹S) + (m − μ)ᵀΣ⁻¹(m − μ) − 2 + log(det Σ/det S)].
    func kl(fromMean mu: [Double], covariance S: [[Double]]) -> Double {
        let P = precision
        var trace = 0.0
        for i in 0..<2 { for k in 0..<2 { trace += P[i][k] * S[k][i] } }
        let e = [mean[0] - mu[0], mean[1] - mu[1]]
        var quadratic = 0.0
        for i in 0..<2 { for k in 0..<2 { quadratic += e[i] * P[i][k] * e[k] } }
        let detSigma = covariance[0][0] * covariance[1][1] - covariance[0][1] * covariance[1][0]
        let detS = S[0][0] * S[1][1] - S[0][1] * S[1][0]
        return 0.5 * (trace + quadratic - 2 + log(detSigma / detS))
    }
}
