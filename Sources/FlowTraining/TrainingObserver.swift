import FlowKit

/// A collaborator of the training loop told about every finished iteration (progress,
/// validation, logging); it never changes the fit.
public protocol TrainingObserver: AnyObject {
    func iterationFinished(_ iteration: Int, loss: Double, parameters: [Double])
}

/// Held-out negative log-likelihood every `every` iterations (and after the last): the mean
/// and its standard error s/√n over a fixed validation set.
public final class ValidationObserver: TrainingObserver {
    public let flow: TrainableFlow
    public let points: PointBatch
    public let every: Int
    public private(set) var history: [(iteration: Int, nll: Double, standardError: Double)] = []

    public init(flow: TrainableFlow, points: PointBatch, every: Int) {
        self.flow = flow
        self.points = points
        self.every = max(1, every)
    }

    public func iterationFinished(_ iteration: Int, loss: Double, parameters: [Double]) {
        guard (iteration + 1) % every == 0 else { return }
        let value = nll(parameters)
        history.append((iteration, value.mean, value.standardError))
    }

    /// The held-out NLL and its standard error at `parameters`.
    public func nll(_ parameters: [Double]) -> (mean: Double, standardError: Double) {
        let values = flow.logDensity(parameters: parameters, of: points).map { -$0 }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / max(1, n - 1)
        return (mean, (variance / n).squareRoot())
    }
}

/// Calls `report` every `every` iterations with the iteration and loss (a progress line).
public final class ProgressObserver: TrainingObserver {
    let every: Int
    let report: (Int, Double) -> Void

    public init(every: Int, report: @escaping (Int, Double) -> Void) {
        self.every = max(1, every)
        self.report = report
    }

    public func iterationFinished(_ iteration: Int, loss: Double, parameters: [Double]) {
        if (iteration + 1) % every == 0 { report(iteration, loss) }
    }
}
