import FlowKit

/// A loss that is a mean over points, computed chunk by chunk: `chunkLoss` returns the sum of
/// the per-point losses of `count` points and *adds* the sum of their gradients to
/// `chunk.gradient`, drawing any randomness from `stream` (the stream of this iteration and
/// chunk, so results do not depend on the number of threads).
public protocol TrainingObjective: Sendable {
    /// The direction whose recording pass the objective uses.
    var direction: TrainableDirection { get }
    func chunkLoss(flow: TrainableFlow, parameters: UnsafePointer<Double>, iteration: Int, count: Int,
                   stream: inout RandomStream, chunk: TrainingChunk) -> Double
}
