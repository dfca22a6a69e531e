import FlowKit

/// The preallocated state of one chunk of a batch (one per chunk index, reused every
/// iteration, touched by one thread at a time): the flow workspace, the chunk's gradient sum,
/// and scratch for the objective.
public final class TrainingChunk: @unchecked Sendable {
    public let workspace: TrainableWorkspace
    /// ∂(chunk loss sum)/∂θ, zeroed by the trainer before each iteration.
    public var gradient: [Double]
    /// Data points (maximum likelihood) of the chunk.
    public var points: PointBatch
    /// Per point ∂L/∂x (count × d) and per-point scalars (count each).
    public var pointGradient: [Double]
    public var weights: [Double]
    public var values: [Double]

    init(flow: TrainableFlow, direction: TrainableDirection, capacity: Int) {
        workspace = flow.makeWorkspace(direction, capacity: capacity)
        gradient = [Double](repeating: 0, count: flow.parameterCount)
        points = PointBatch(dimension: flow.dimension, count: capacity)
        pointGradient = [Double](repeating: 0, count: capacity * flow.dimension)
        weights = [Double](repeating: 0, count: capacity)
        values = [Double](repeating: 0, count: capacity)
    }
}
