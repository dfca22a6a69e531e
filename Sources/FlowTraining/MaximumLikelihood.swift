import FlowKit

/// Maximum likelihood (seed 002; flows.md §9): minimise −(1/n) Σ log q(xᵢ) on mini-batches by the
/// density direction, i.e. KL(p_data ‖ q) up to the data entropy. Data: a built-in toy data set
/// drawn fresh every iteration, or a fixed set of points from which each mini-batch draws
/// indices uniformly with replacement.
public struct MaximumLikelihood: TrainingObjective {
    public enum Data: Sendable {
        case toy(ToyDataset)
        case points(PointBatch)
    }

    public let data: Data
    public var direction: TrainableDirection { .density }

    public init(data: Data) { self.data = data }

    public func chunkLoss(flow: TrainableFlow, parameters: UnsafePointer<Double>, iteration: Int, count n: Int,
                          stream: inout RandomStream, chunk: TrainingChunk) -> Double {
        let d = flow.dimension
        switch data {
        case let .toy(dataset):
            if chunk.points.count != n { chunk.points = PointBatch(dimension: d, count: n) }
            dataset.sample(into: &chunk.points, using: &stream)
        case let .points(set):
            let available = set.count
            chunk.points.values.withUnsafeMutableBufferPointer { target in
                set.values.withUnsafeBufferPointer { source in
                    for p in 0..<n {
                        let i = min(available - 1, Int(stream.nextUniform() * Double(available)))
                        for j in 0..<d { target[p * d + j] = source[i * d + j] }
                    }
                }
            }
        }
        let w = chunk.workspace
        chunk.points.values.withUnsafeBufferPointer { x in
            _ = flow.densityPass(parameters: parameters, points: x.baseAddress!, count: n, workspace: w)
        }
        var loss = 0.0
        for p in 0..<n {
            loss -= w.logDensity[p]
            chunk.weights[p] = -1
        }
        chunk.weights.withUnsafeBufferPointer { g in
            chunk.gradient.withUnsafeMutableBufferPointer { grad in
                flow.densityBackward(parameters: parameters, count: n, workspace: w, logDensityGradient: g.baseAddress!,
                                     parameterGradient: grad.baseAddress!)
            }
        }
        return loss
    }
}
