import Foundation

/// log Z by importance sampling with its effective sample size, from log-weights
/// w_i = log p̃(z_i) − log q(z_i), z_i ∼ q (Owen 2013, "Monte Carlo theory, methods and
/// examples", ch. 9):
///
///     Ẑ = (1/n) Σ e^{w_i},  log Ẑ = m + log Σ e^{w_i − m} − log n,  m = max w_i
///     ESS = (Σ e^{w_i})² / Σ e^{2 w_i} = S₁² / S₂,   S_k = Σ e^{k (w_i − m)}     (Kish 1965)
///
/// Everything is computed in log space relative to m, so that S₁, S₂ ∈ [1, n] and nothing
/// overflows or underflows whatever the scale of the weights. Ẑ is unbiased for Z, log Ẑ is
/// biased low (Jensen); its standard error is by the delta method,
///
///     se(log Ẑ) ≈ se(Ẑ)/Ẑ = √((n/ESS − 1)/(n − 1)),
///
/// which is only trustworthy when ESS is not tiny (report both). A weight of −∞ (q puts mass
/// where p̃ has none) contributes zero; a NaN or +∞ weight makes every field NaN.
public struct ImportanceSamplingEstimate: Sendable, Equatable, CustomStringConvertible {
    /// log Ẑ.
    public var logNormalizer: Double
    /// The delta-method standard error of log Ẑ.
    public var standardError: Double
    /// Kish's effective sample size, in [1, n] (0 when every weight is zero).
    public var effectiveSampleSize: Double
    /// n.
    public var count: Int

    public init(logWeights: [Double]) {
        let n = logWeights.count
        count = n
        var m = -Double.infinity
        for w in logWeights {
            if w.isNaN || w == .infinity {
                logNormalizer = .nan; standardError = .nan; effectiveSampleSize = .nan
                return
            }
            m = Swift.max(m, w)
        }
        guard n > 0, m > -.infinity else {
            logNormalizer = -.infinity; standardError = .nan; effectiveSampleSize = 0
            return
        }
        var s1 = 0.0, s2 = 0.0
        for w in logWeights {
            let e = Foundation.exp(w - m)
            s1 += e
            s2 += e * e
        }
        let ess = s1 * s1 / s2
        logNormalizer = m + Foundation.log(s1) - Foundation.log(Double(n))
        effectiveSampleSize = ess
        standardError = n > 1 ? (Swift.max(0, Double(n) / ess - 1) / Double(n - 1)).squareRoot() : .nan
    }

    /// ESS / n, the fraction of the samples that effectively count (1 when q ∝ p̃).
    public var efficiency: Double { effectiveSampleSize / Double(count) }

    public var description: String {
        "log Z = \(logNormalizer) ± \(standardError), ESS \(effectiveSampleSize) of \(count)"
    }
}
