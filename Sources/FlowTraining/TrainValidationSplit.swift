import FlowKit

/// A fixed point set split into a training part and a held-out validation part (FlowJAX's
/// `fit_to_data` holds out 10 %): the points are shuffled by a Fisher–Yates pass driven by
/// `RandomStream(seed:stream: 0)`, the first ⌈fraction·n⌉ go to validation.
public struct TrainValidationSplit: Sendable {
    public let training: PointBatch
    public let validation: PointBatch

    public init(points: PointBatch, validationFraction: Double, seed: UInt64) throws(FlowTrainingError) {
        let n = points.count, d = points.dimension
        guard validationFraction > 0, validationFraction < 1 else {
            throw .invalidConfiguration("validation fraction must be in (0, 1) (got \(validationFraction))")
        }
        let held = Int((validationFraction * Double(n)).rounded(.up))
        guard held >= 1, held < n else { throw .invalidConfiguration("\(n) points cannot be split with validation fraction \(validationFraction)") }
        var order = Array(0..<n)
        var stream = RandomStream(seed: seed, stream: 0)
        for i in stride(from: n - 1, to: 0, by: -1) {
            let j = min(i, Int(stream.nextUniform() * Double(i + 1)))
            order.swapAt(i, j)
        }
        func gather(_ indices: ArraySlice<Int>) -> PointBatch {
            var values: [Double] = []
            values.reserveCapacity(indices.count * d)
            for i in indices { values += points.values[(i * d)..<((i + 1) * d)] }
            return PointBatch(dimension: d, values: values)
        }
        validation = gather(order[0..<held])
        training = gather(order[held...])
    }
}
