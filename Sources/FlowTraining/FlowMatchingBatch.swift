import FlowKit

/// The loss and gradient of one flow-matching mini-batch, in three phases:
/// 1. draw: chunk c (of `chunkSize` points) draws its x₀, then x₁, then t ∼ U(0, 1) from the
///    stream of (iteration, c), into batch-wide buffers;
/// 2. pair: with OT pairing, one exact assignment over the whole batch permutes the x₁
///    (Tong et al. pair within the batch, so this step cannot be chunked);
/// 3. regress: the chunks compute ‖v_θ(t, x_t) − u_t‖² and its gradient on up to `jobs`
///    threads (``ChunkedReduction``), merged in chunk order: bit-identical for any `jobs`.
public final class FlowMatchingBatch: @unchecked Sendable {
    public let objective: ConditionalFlowMatching
    public let configuration: TrainingConfiguration
    let chunks: [FlowMatchingChunk]
    let reduction: ChunkedReduction
    var source: [Double]
    var data: [Double]
    var paired: [Double]
    var times: [Double]
    var costs: [Double]
    var sourceDraw: PointBatch
    var dataDraw: PointBatch
    /// The merged gradient of the last ``compute(parameters:iteration:)`` (mean over points).
    public private(set) var gradient: [Double]

    public init(objective: ConditionalFlowMatching, configuration: TrainingConfiguration) {
        self.objective = objective
        self.configuration = configuration
        let field = objective.field, d = field.dimension, n = configuration.batchSize
        let count = (n + configuration.chunkSize - 1) / configuration.chunkSize
        chunks = (0..<count).map { _ in FlowMatchingChunk(field: field, capacity: configuration.chunkSize) }
        reduction = ChunkedReduction(jobs: configuration.jobs, wave: max(1, count))
        source = [Double](repeating: 0, count: n * d)
        data = source
        paired = source
        times = [Double](repeating: 0, count: n)
        costs = objective.pairing == .optimalTransport ? [Double](repeating: 0, count: n * n) : []
        sourceDraw = PointBatch(dimension: d, count: configuration.chunkSize)
        dataDraw = sourceDraw
        gradient = [Double](repeating: 0, count: field.parameterCount)
    }

    func size(ofChunk c: Int) -> Int {
        min(configuration.chunkSize, configuration.batchSize - c * configuration.chunkSize)
    }

    /// The mean loss over the batch of iteration `iteration`; the mean gradient is in
    /// ``gradient``.
    public func compute(parameters: [Double], iteration: Int) throws(FlowTrainingError) -> Double {
        let d = objective.field.dimension, n = configuration.batchSize
        // 1. Draw.
        for c in chunks.indices {
            let size = size(ofChunk: c), offset = c * configuration.chunkSize
            var stream = configuration.stream(iteration: iteration, chunk: c)
            if sourceDraw.count != size {
                sourceDraw = PointBatch(dimension: d, count: size)
                dataDraw = sourceDraw
            }
            objective.source.draw(into: &sourceDraw, using: &stream)
            objective.data.draw(into: &dataDraw, using: &stream)
            for k in 0..<(size * d) {
                source[offset * d + k] = sourceDraw.values[k]
                data[offset * d + k] = dataDraw.values[k]
            }
            for p in 0..<size { times[offset + p] = stream.nextUniform() }
        }
        if sourceDraw.count != configuration.chunkSize {
            sourceDraw = PointBatch(dimension: d, count: configuration.chunkSize)
            dataDraw = sourceDraw
        }
        // 2. Pair.
        switch objective.pairing {
        case .independent:
            paired = data
        case .optimalTransport:
            LinearAssignment.squaredDistances(source, data, count: n, dimension: d, into: &costs)
            let solution: LinearAssignment.Solution
            do {
                solution = try costs.withUnsafeBufferPointer { buffer throws(FlowKitError) in
                    try LinearAssignment.solve(costs: buffer.baseAddress!, rows: n, columns: n)
                }
            } catch {
                throw .invalidConfiguration("optimal pairing failed at iteration \(iteration): \(error)")
            }
            for i in 0..<n {
                let j = solution.rowToColumn[i]
                for k in 0..<d { paired[i * d + k] = data[j * d + k] }
            }
        }
        // 3. Regress.
        let chunks = self.chunks, objective = self.objective, chunkSize = configuration.chunkSize
        let sizes = (0..<chunks.count).map(size(ofChunk:))
        let x0 = source, x1 = paired, t = times
        let total = reduction.run(chunkCount: chunks.count, into: 0.0, work: { c in
            let chunk = chunks[c]
            let offset = c * chunkSize
            return x0.withUnsafeBufferPointer { x0 in
                x1.withUnsafeBufferPointer { x1 in
                    t.withUnsafeBufferPointer { t in
                        parameters.withUnsafeBufferPointer { theta in
                            chunk.gradient.withUnsafeMutableBufferPointer { g in
                                g.update(repeating: 0)
                                return objective.chunkLoss(parameters: theta.baseAddress!, source: x0.baseAddress! + offset * d,
                                                           data: x1.baseAddress! + offset * d, times: t.baseAddress! + offset,
                                                           count: sizes[c], chunk: chunk, parameterGradient: g.baseAddress!)
                            }
                        }
                    }
                }
            }
        }, merge: { (sum: inout Double, loss: Double) in sum += loss })
        BatchGradient.merge(chunks.map(\.gradient), scale: 1 / Double(n), into: &gradient)
        return total * (1 / Double(n))
    }
}
