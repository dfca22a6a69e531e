import FlowKit
import FlowTraining
import Foundation

/// What a report says about a fit: the metrics (names fixed by the issue) and the fit checks.
///
/// - always: `fit_iterations`, `fit_seconds`, `iterations_per_second`, `final_loss` (mean of
///   the last 1 % of mini-batch losses, at least 1), `skipped_steps`;
/// - maximum likelihood: `heldout_nll` (nats per point on points never trained on) and, where
///   the data density is exact (8gaussians, checkerboard), `data_entropy` and
///   `kl_data_to_model` = NLL − H;
/// - reverse KL: `elbo` (β = 1, 65,536 fresh samples) with `elbo_standard_error`,
///   `log_z_estimate` and `effective_sample_size` (importance sampling with q as proposal),
///   `log_z_reference` (the enveloped energy's stored log Z) and `kl_model_to_target` =
///   log Z − ELBO.
///
/// Checks: `heldout_nll` and `kl_model_to_target` against the spec's limits (top-level
/// `checks:`; off unless set), `elbo_below_log_z` ((ELBO − log Z)/standard error ≤ 3: an ELBO above log Z
/// beyond its noise is a bug), `gradient_check` (analytic against central-difference gradient
/// of the mini-batch loss at the fitted parameters, max relative error).
public struct FitReport: Sendable {
    public var metrics: [ReportMetric] = []
    public var checks: [CheckResult] = []


    /// The bound in nats per fit, in chain order: −ELBO (reverse KL) or the held-out NLL.
    public var bounds: [Double] = []

    init(chains: [FittedExperiment.Chain], jobs: Int) {
        for (k, chain) in chains.enumerated() {
            let suffix = chain.variant.map { "_" + $0 } ?? ""
            let where_ = chain.variant.map { " (variant \($0))" } ?? ""
            if k == 0 { addFitMetrics(chain.fit) }
            bounds.append(addEstimates(chain.fit, suffix: suffix, where: where_))
            if k == 0, let gLimit = chain.fit.plan.settings.limits["gradient_check"] {
                let gradient = Self.gradientError(fit: chain.fit, jobs: jobs)
                checks.append(CheckResult(name: "gradient_check", value: gradient, limit: gLimit, passed: gradient <= gLimit,
                                          summary: "max relative error of ∂L/∂θ against central differences at the fitted parameters (\(Self.checkedCoordinates) coordinates)"))
            }
        }
    }

    public init(fit: FitRun, jobs: Int) {
        self.init(chains: [FittedExperiment.Chain(variant: nil, label: "flow", fit: fit)], jobs: jobs)
    }

    private mutating func addFitMetrics(_ fit: FitRun) {
        let settings = fit.plan.settings
        let iterations = fit.losses.count
        metrics.append(ReportMetric(name: "fit_iterations", value: Double(iterations), description: "iterations of the fit"))
        metrics.append(ReportMetric(name: "fit_seconds", value: fit.seconds, unit: "s", description: "wall time of the fit"))
        metrics.append(ReportMetric(name: "iterations_per_second", value: Double(iterations) / max(fit.seconds, 1e-9), unit: "1/s",
                                    description: "fit speed (batch \(settings.batch))"))
        let tail = fit.losses.suffix(max(1, iterations / 100)).filter(\.isFinite)
        metrics.append(ReportMetric(name: "final_loss", value: tail.isEmpty ? .nan : tail.reduce(0, +) / Double(tail.count),
                                    description: "mean mini-batch loss over the last 1 % of iterations"))
        metrics.append(ReportMetric(name: "skipped_steps", value: Double(fit.skippedSteps), description: "steps skipped for a non-finite loss or gradient"))
    }

    /// The estimates of one fit with names ending in `suffix`; returns its bound.
    private mutating func addEstimates(_ fit: FitRun, suffix: String, where place: String) -> Double {
        let settings = fit.plan.settings
        switch settings.objective {
        case .maximumLikelihood:
            guard let heldOut = fit.heldOut else { return .nan }
            let nll = MonteCarloEstimate.negativeLogLikelihood(logDensities: FitEstimates.logDensity(fit.flow, fit.parameters, heldOut))
            metrics.append(ReportMetric(name: "heldout_nll" + suffix, value: nll.value, unit: "nats",
                                        description: "−(1/n) Σ log q(x) over \(heldOut.count) held-out points (± \(Run.format(nll.standardError)))\(place)"))
            if case let .dataset(dataset) = settings.data, let exact = ToyDatasetDensity(dataset) {
                let kl = exact.klDivergence(negativeLogLikelihood: nll)
                metrics.append(ReportMetric(name: "data_entropy" + suffix, value: exact.entropy, unit: "nats", description: "entropy of the data density (exact)\(place)"))
                metrics.append(ReportMetric(name: "kl_data_to_model" + suffix, value: kl.value, unit: "nats",
                                            description: "KL(p_data ‖ q) = heldout_nll − data_entropy (± \(Run.format(kl.standardError)))\(place)"))
            }
            if let limit = settings.limits["heldout_nll"], limit.isFinite {
                checks.append(CheckResult(name: "heldout_nll" + suffix, value: nll.value, limit: limit, passed: nll.value <= limit,
                                          summary: "held-out NLL \(Run.format(nll.value)) nats (limit \(Run.format(limit)))\(place)"))
            }
            return nll.value
        case .reverseKL:
            guard let energy = settings.target else { return .nan }
            let target = EnvelopedEnergy(energy)
            var stream = RandomStream(seed: fit.seed, stream: FitRun.estimateStream)
            let drawn = FitEstimates.sample(fit.flow, fit.parameters, count: settings.estimateSamples, stream: &stream)
            let logTarget = FitEstimates.logTarget(target, drawn.points)
            let elbo = MonteCarloEstimate.evidenceLowerBound(logTarget: logTarget, logProposal: drawn.logDensity)
            let importance = ImportanceSamplingEstimate(logWeights: zip(logTarget, drawn.logDensity).map { $0 - $1 })
            let logZ = target.logNormalizer
            let kl = elbo.subtracted(from: logZ)
            metrics.append(ReportMetric(name: "elbo" + suffix, value: elbo.value, unit: "nats", description: "E_q[log p̃ − log q] at β = 1 over \(settings.estimateSamples) fresh samples\(place)"))
            metrics.append(ReportMetric(name: "elbo_standard_error" + suffix, value: elbo.standardError, unit: "nats", description: "standard error of elbo\(place)"))
            metrics.append(ReportMetric(name: "log_z_estimate" + suffix, value: importance.logNormalizer, unit: "nats", description: "importance-sampling log Z with q as proposal\(place)"))
            metrics.append(ReportMetric(name: "effective_sample_size" + suffix, value: importance.effectiveSampleSize, description: "Kish ESS of the importance weights p̃/q\(place)"))
            metrics.append(ReportMetric(name: "log_z_reference" + suffix, value: logZ, unit: "nats", description: "log Z of exp(−U − envelope) by quadrature\(place)"))
            metrics.append(ReportMetric(name: "kl_model_to_target" + suffix, value: kl.value, unit: "nats", description: "KL(q ‖ p) = log Z − ELBO (± \(Run.format(kl.standardError)))\(place)"))
            if let limit = settings.limits["kl_model_to_target"], limit.isFinite {
                checks.append(CheckResult(name: "kl_model_to_target" + suffix, value: kl.value, limit: limit, passed: kl.value <= limit,
                                          summary: "KL(q ‖ p) \(Run.format(kl.value)) nats (limit \(Run.format(limit)))\(place)"))
            }
            let z = (elbo.value - logZ) / max(elbo.standardError, 1e-300)
            if let zLimit = settings.limits["elbo_below_log_z"] {
                checks.append(CheckResult(name: "elbo_below_log_z" + suffix, value: z, limit: zLimit, passed: z <= zLimit,
                                          summary: "ELBO − log Z = \(Run.format(elbo.value - logZ)) nats, \(Run.format(z)) standard errors (must not be above log Z)\(place)"))
            }
            return -elbo.value
        }
    }

    static let checkedCoordinates = 12

    /// The largest relative error |g − ĝ| / max(|g|, |ĝ|, 10⁻³) over a fixed spread of
    /// coordinates, ĝ the central difference of the loss of one fixed mini-batch (the batch of
    /// the last iteration: the same noise or data at every evaluation).
    static func gradientError(fit: FitRun, jobs: Int) -> Double {
        let settings = fit.plan.settings
        let objective: any TrainingObjective
        switch settings.objective {
        case .reverseKL:
            guard let energy = settings.target else { return .nan }
            objective = ReverseKL(target: EnvelopedEnergy(energy))
        case .maximumLikelihood:
            switch settings.data {
            case let .dataset(dataset): objective = MaximumLikelihood(data: .toy(dataset))
            case let .points(points, _): objective = MaximumLikelihood(data: .points(FitRun.split(points, seed: fit.seed).training))
            case nil: return .nan
            }
        }
        let configuration = TrainingConfiguration(iterations: 1, batchSize: min(settings.batch, 256), jobs: max(1, jobs), seed: fit.seed)
        let batch = BatchGradient(flow: fit.flow, objective: objective, configuration: configuration)
        let t = max(0, fit.losses.count - 1)
        var theta = fit.parameters
        _ = batch.compute(parameters: theta, iteration: t)
        let analytic = batch.gradient
        let n = theta.count
        let count = min(checkedCoordinates, n)
        var worst = 0.0
        for c in 0..<count {
            let i = count == n ? c : (c * (n - 1)) / (count - 1)
            let h = 1e-6 * max(1, abs(theta[i]))
            let saved = theta[i]
            theta[i] = saved + h
            let plus = batch.compute(parameters: theta, iteration: t)
            theta[i] = saved - h
            let minus = batch.compute(parameters: theta, iteration: t)
            theta[i] = saved
            let numeric = (plus - minus) / (2 * h)
            let error = abs(numeric - analytic[i]) / max(abs(numeric), abs(analytic[i]), 1e-3)
            if !error.isFinite { return .infinity }
            worst = max(worst, error)
        }
        return worst
    }
}
