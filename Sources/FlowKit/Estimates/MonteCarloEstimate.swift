import Foundation

/// A Monte Carlo mean of independent per-sample values with its standard error:
///
///     value = (1/n) Σ v_i,   standardError = s/√n,   s² = Σ (v_i − value)² / (n − 1)
///
/// (sum by Neumaier's compensated summation, variance in a second pass). The estimates a fit
/// reports are all of this form:
/// - the evidence lower bound at β = 1, v_i = log p̃(z_i) − log q(z_i), z_i ∼ q
///   (``evidenceLowerBound(logTarget:logProposal:)``); KL(q ‖ p) = log Z − ELBO;
/// - the held-out negative log-likelihood, v_i = −log q(x_i), x_i held-out data
///   (``negativeLogLikelihood(logDensities:)``); KL(p_data ‖ q) = NLL − H(p_data).
///
/// A non-finite v_i makes `value` non-finite (never dropped silently) and is counted in
/// `nonFiniteCount`; `standardError` is then infinite.
public struct MonteCarloEstimate: Sendable, Equatable, CustomStringConvertible {
    /// The sample mean.
    public var value: Double
    /// s/√n (0 for one value, NaN for none).
    public var standardError: Double
    /// n.
    public var count: Int
    /// How many values were NaN or ±∞.
    public var nonFiniteCount: Int

    public init(value: Double, standardError: Double, count: Int, nonFiniteCount: Int = 0) {
        self.value = value
        self.standardError = standardError
        self.count = count
        self.nonFiniteCount = nonFiniteCount
    }

    /// The mean and standard error of `values`.
    public init(values: UnsafeBufferPointer<Double>) {
        let n = values.count
        guard n > 0 else {
            self.init(value: .nan, standardError: .nan, count: 0)
            return
        }
        var sum = 0.0, compensation = 0.0, nonFinite = 0
        for v in values {
            if !v.isFinite { nonFinite += 1 }
            let t = sum + v
            compensation += abs(sum) >= abs(v) ? (sum - t) + v : (v - t) + sum
            sum = t
        }
        let mean = (sum + compensation) / Double(n)
        guard nonFinite == 0 else {
            self.init(value: sum / Double(n), standardError: .infinity, count: n, nonFiniteCount: nonFinite)
            return
        }
        guard n > 1 else {
            self.init(value: mean, standardError: 0, count: 1)
            return
        }
        var squares = 0.0
        for v in values { squares += (v - mean) * (v - mean) }
        self.init(value: mean, standardError: (squares / Double(n - 1) / Double(n)).squareRoot(), count: n)
    }

    /// The mean and standard error of `values`.
    public init(values: [Double]) {
        self = values.withUnsafeBufferPointer { MonteCarloEstimate(values: $0) }
    }

    /// ELBO = E_q[log p̃(z) − log q(z)] at β = 1 from samples z_i ∼ q: `logTarget[i]` =
    /// log p̃(z_i) (unnormalised), `logProposal[i]` = log q(z_i). ELBO ≤ log Z, with equality
    /// iff q = p; KL(q ‖ p) = log Z − ELBO (``subtracted(from:)``).
    public static func evidenceLowerBound(logTarget: [Double], logProposal: [Double]) -> MonteCarloEstimate {
        precondition(logTarget.count == logProposal.count, "ELBO: one target and one proposal value per sample")
        return MonteCarloEstimate(values: zip(logTarget, logProposal).map { $0 - $1 })
    }

    /// NLL = −(1/n) Σ log q(x_i) over held-out points x_i (`logDensities[i]` = log q(x_i)).
    public static func negativeLogLikelihood(logDensities: [Double]) -> MonteCarloEstimate {
        MonteCarloEstimate(values: logDensities.map { -$0 })
    }

    /// c − value with the same standard error: KL(q ‖ p) = log Z − ELBO with c = log Z.
    public func subtracted(from c: Double) -> MonteCarloEstimate {
        MonteCarloEstimate(value: c - value, standardError: standardError, count: count, nonFiniteCount: nonFiniteCount)
    }

    /// value − c with the same standard error: KL(p_data ‖ q) = NLL − H with c = H.
    public func minus(_ c: Double) -> MonteCarloEstimate {
        MonteCarloEstimate(value: value - c, standardError: standardError, count: count, nonFiniteCount: nonFiniteCount)
    }

    public var description: String { "\(value) ± \(standardError) (n = \(count))" }
}
