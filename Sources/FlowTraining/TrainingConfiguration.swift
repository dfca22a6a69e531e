import FlowKit

/// The fixed settings of a fit.
public struct TrainingConfiguration: Sendable {
    public var iterations: Int
    public var batchSize: Int
    /// Points per chunk: the unit of parallel work and of random streams. Fixed independently
    /// of `jobs`, so that results are bit-identical for any number of threads.
    public var chunkSize: Int
    /// Worker threads.
    public var jobs: Int
    /// The run's seed; iteration t, chunk c draws from stream 2⁶² + t·2¹⁶ + c.
    public var seed: UInt64
    /// Steps with a non-finite loss or gradient that are skipped before the fit stops.
    public var maximumSkippedSteps: Int
    /// Gradient-norm clipping, if any.
    public var clipping: GradientClipping?

    public init(iterations: Int, batchSize: Int, chunkSize: Int = 64, jobs: Int = 1, seed: UInt64 = 0,
                maximumSkippedSteps: Int = 10, clipping: GradientClipping? = nil) {
        self.iterations = iterations
        self.batchSize = batchSize
        self.chunkSize = chunkSize
        self.jobs = jobs
        self.seed = seed
        self.maximumSkippedSteps = maximumSkippedSteps
        self.clipping = clipping
    }

    func validate() throws(FlowTrainingError) {
        guard iterations >= 0 else { throw .invalidConfiguration("iterations must be ≥ 0 (got \(iterations))") }
        guard batchSize >= 1 else { throw .invalidConfiguration("batch size must be ≥ 1 (got \(batchSize))") }
        guard chunkSize >= 1, chunkSize <= 1 << 20 else { throw .invalidConfiguration("chunk size must be in 1…2²⁰ (got \(chunkSize))") }
        guard (batchSize + chunkSize - 1) / chunkSize < 1 << 16 else { throw .invalidConfiguration("at most 65,535 chunks per batch") }
        guard maximumSkippedSteps >= 0 else { throw .invalidConfiguration("maximum skipped steps must be ≥ 0") }
    }

    /// The random stream of chunk `chunk` at iteration `iteration`.
    public func stream(iteration: Int, chunk: Int) -> RandomStream {
        RandomStream(seed: seed, stream: (1 << 62) | (UInt64(iteration) << 16) | UInt64(chunk))
    }
}
