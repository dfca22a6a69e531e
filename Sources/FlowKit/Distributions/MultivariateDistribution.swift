/// A probability distribution on ℝᵈ (a flow's base distribution).
public protocol MultivariateDistribution: Sendable {
    var dimension: Int { get }
    /// log p(x) of the point x (x.count == dimension); −∞ outside the support.
    func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double
    /// Overwrites `batch` (of this dimension) with independent draws, using only `stream`.
    func sample(into batch: inout PointBatch, using stream: inout RandomStream)
    /// The smallest box containing the support, one interval per coordinate.
    var support: [Interval] { get }
    /// log p at every point of `batch` (of this dimension). Default: point by point.
    func logDensity(_ batch: PointBatch) -> [Double]
}

// MARK: - Default implementations
extension MultivariateDistribution {
    /// log p at every point of `batch`.
    public func logDensity(_ batch: PointBatch) -> [Double] {
        precondition(batch.dimension == dimension)
        var out = [Double](repeating: 0, count: batch.count)
        batch.values.withUnsafeBufferPointer { all in
            for i in 0..<batch.count {
                out[i] = logDensity(UnsafeBufferPointer(rebasing: all[(i * dimension)..<((i + 1) * dimension)]))
            }
        }
        return out
    }

    /// log p(x) of one point given as an array.
    public func logDensity(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { logDensity($0) }
    }
}
