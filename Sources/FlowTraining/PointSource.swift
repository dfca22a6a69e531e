import FlowKit

/// Where the points of one end of a flow-matching path come from: a distribution (the base
/// N(0, I) of the issue), a built-in toy data set drawn fresh every iteration, or a fixed set
/// of points from which each mini-batch draws indices uniformly with replacement.
public enum PointSource: Sendable {
    case distribution(any MultivariateDistribution)
    case toy(ToyDataset)
    case points(PointBatch)

    public var dimension: Int {
        switch self {
        case let .distribution(distribution): return distribution.dimension
        case .toy: return 2
        case let .points(points): return points.dimension
        }
    }

    /// Overwrites every point of `batch` with a draw, using only `stream`.
    public func draw(into batch: inout PointBatch, using stream: inout RandomStream) {
        switch self {
        case let .distribution(distribution):
            distribution.sample(into: &batch, using: &stream)
        case let .toy(dataset):
            dataset.sample(into: &batch, using: &stream)
        case let .points(set):
            let available = set.count, d = set.dimension, n = batch.count
            batch.values.withUnsafeMutableBufferPointer { target in
                set.values.withUnsafeBufferPointer { source in
                    for p in 0..<n {
                        let i = min(available - 1, Int(stream.nextUniform() * Double(available)))
                        for j in 0..<d { target[p * d + j] = source[i * d + j] }
                    }
                }
            }
        }
    }
}
