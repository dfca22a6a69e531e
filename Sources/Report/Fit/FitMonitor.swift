import FlowKit
import FlowTraining

/// Watches a fit (a ``TrainingObserver``): every `every` iterations (and after the last) it
/// records a validation estimate, and after each iteration it reports progress.
///
/// - maximum likelihood: the held-out NLL −(1/n) Σ log q(xᵢ) over points never trained on;
/// - reverse KL: −ELBO at β = 1, E_q[log q − log p̃], over 4,096 fresh samples (the same
///   stream each time, so the curve shows the fit, not the noise of new draws).
public final class FitMonitor: TrainingObserver {
    public struct Estimate: Sendable, Equatable {
        public var iteration: Int
        public var value: Double
        public var standardError: Double
    }

    let flow: TrainableFlow
    let objective: FitSettings.Objective
    let target: Energy?
    let heldOut: PointBatch?
    let every: Int
    let total: Int
    let seed: UInt64
    let progress: ((Int, Int, Double) -> Void)?
    public private(set) var estimates: [Estimate] = []
    static let validationSamples = 4096

    init(flow: TrainableFlow, objective: FitSettings.Objective, target: Energy?, heldOut: PointBatch?, every: Int,
         total: Int, seed: UInt64, progress: ((Int, Int, Double) -> Void)?) {
        self.flow = flow
        self.objective = objective
        self.target = target
        self.heldOut = heldOut
        self.every = max(1, every)
        self.total = total
        self.seed = seed
        self.progress = progress
    }

    public func iterationFinished(_ iteration: Int, loss: Double, parameters: [Double]) {
        progress?(iteration + 1, total, loss)
        guard (iteration + 1) % every == 0 || iteration + 1 == total else { return }
        if let estimate = estimate(parameters) {
            estimates.append(Estimate(iteration: iteration + 1, value: estimate.value, standardError: estimate.standardError))
        }
    }

    func estimate(_ parameters: [Double]) -> MonteCarloEstimate? {
        switch objective {
        case .maximumLikelihood:
            guard let heldOut else { return nil }
            return MonteCarloEstimate.negativeLogLikelihood(logDensities: FitEstimates.logDensity(flow, parameters, heldOut))
        case .reverseKL:
            guard let target else { return nil }
            var stream = RandomStream(seed: seed, stream: FitRun.validationStream)
            let drawn = FitEstimates.sample(flow, parameters, count: Self.validationSamples, stream: &stream)
            let logTarget = FitEstimates.logTarget(EnvelopedEnergy(target), drawn.points)
            let elbo = MonteCarloEstimate.evidenceLowerBound(logTarget: logTarget, logProposal: drawn.logDensity)
            return MonteCarloEstimate(value: -elbo.value, standardError: elbo.standardError, count: elbo.count,
                                      nonFiniteCount: elbo.nonFiniteCount)
        }
    }
}

/// Chunked evaluations of a trainable flow (bounded workspaces for any number of points).
enum FitEstimates {
    static let chunk = 2048

    /// log q(x) for every point, chunk by chunk.
    static func logDensity(_ flow: TrainableFlow, _ parameters: [Double], _ points: PointBatch) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(points.count)
        let d = points.dimension
        var start = 0
        while start < points.count {
            let end = min(points.count, start + chunk)
            let part = PointBatch(dimension: d, values: Array(points.values[(start * d)..<(end * d)]))
            out += flow.logDensity(parameters: parameters, of: part)
            start = end
        }
        return out
    }

    /// `count` samples and their log q, chunk by chunk from one stream.
    static func sample(_ flow: TrainableFlow, _ parameters: [Double], count: Int,
                       stream: inout RandomStream) -> (points: PointBatch, logDensity: [Double]) {
        var values: [Double] = [], logDensity: [Double] = []
        var done = 0
        while done < count {
            let n = min(chunk, count - done)
            let part = flow.sample(parameters: parameters, count: n, using: &stream)
            values += part.points.values
            logDensity += part.logDensity
            done += n
        }
        return (PointBatch(dimension: flow.dimension, values: values), logDensity)
    }

    /// log p̃ = −(U + E) at every point.
    static func logTarget(_ energy: EnvelopedEnergy, _ points: PointBatch) -> [Double] {
        (0..<points.count).map { -energy.potential(points[$0, 0], points[$0, 1]) }
    }
}
