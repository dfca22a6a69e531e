/// A batch of `count` points in `dimension` dimensions, stored row-major in one contiguous
/// buffer (`values[i * dimension + j]` is coordinate j of point i). Transforms and
/// distributions work on whole batches so that inner loops never allocate or dispatch
/// through an existential per sample.
public struct PointBatch: Sendable, Equatable {
    public let dimension: Int
    public var values: [Double]

    public init(dimension: Int, values: [Double]) {
        precondition(dimension > 0 && values.count % dimension == 0, "values must hold whole points")
        self.dimension = dimension
        self.values = values
    }

    public init(dimension: Int, count: Int, repeating value: Double = 0) {
        self.init(dimension: dimension, values: [Double](repeating: value, count: dimension * count))
    }

    /// A batch of one-dimensional points.
    public init(scalars: [Double]) { self.init(dimension: 1, values: scalars) }

    public var count: Int { values.count / dimension }

    public subscript(point: Int, coordinate: Int) -> Double {
        get { values[point * dimension + coordinate] }
        set { values[point * dimension + coordinate] = newValue }
    }

    /// The first `n` points (all of them when there are fewer).
    public func prefix(_ n: Int) -> PointBatch {
        PointBatch(dimension: dimension, values: Array(values.prefix(Swift.max(0, n) * dimension)))
    }

    /// The coordinates of point `i` as a new array.
    public func point(_ i: Int) -> [Double] {
        Array(values[(i * dimension)..<((i + 1) * dimension)])
    }
}

// MARK: - Transform support
extension PointBatch {
    /// Walks the points of the batch for a transform: checks that the batch has `dimension`
    /// coordinates and that `logAbsDet` has one entry per point, then calls `body` with a
    /// pointer to each point's coordinates (to update in place) and its log-det entry.
    @inlinable
    public mutating func updateEachPoint(
        logAbsDet: inout [Double], transform name: String, dimension: Int,
        _ body: (UnsafeMutablePointer<Double>, inout Double) -> Void
    ) {
        precondition(self.dimension == dimension, "\(name): batch dimension \(self.dimension), expected \(dimension)")
        precondition(logAbsDet.count == count, "\(name): one log-det entry per point")
        let n = count
        logAbsDet.withUnsafeMutableBufferPointer { logDet in
            values.withUnsafeMutableBufferPointer { values in
                guard let base = values.baseAddress else { return }
                for p in 0..<n { body(base + p * dimension, &logDet[p]) }
            }
        }
    }
}
