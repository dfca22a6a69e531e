import FlowKit

/// The loss and gradient of one flow-matching mini-batch. Chunk c (of `chunkSize` points) of
/// iteration t draws its x₀, then its x₁, then its t ∼ U(0, 1) from the stream of (t, c), so
/// every value depends on (iteration, chunk) only:
///
/// - independent pairing: each chunk draws its own points and computes ‖v_θ(t, x_t) − u_t‖²
///   and its gradient inside the parallel reduction (``ChunkedReduction``, up to `jobs`
///   threads), merged in chunk order;
/// - OT pairing (Tong et al. 2024): one exact assignment over the whole batch permutes the x₁,
///   which cannot be chunked. The batch of an iteration (draws, squared-distance costs,
///   ``LinearAssignment``, permuted x₁) does not depend on θ, so ``compute(parameters:iteration:prefetch:)``
///   prepares coming iterations' batches as more tasks of the same reduction, beside the
///   current iteration's chunks, never more than `jobs` threads (with 1 job the same work runs
///   in turn). Every other iteration prepares the next two: with 2 jobs both threads then
///   solve an assignment and share the chunks, and the iteration after has only chunks, which
///   balances the threads better than one assignment (longer than all the chunks) per iteration.
///
/// Either way the result is bit-identical for any `jobs`.
public final class FlowMatchingBatch: @unchecked Sendable {
    public let objective: ConditionalFlowMatching
    public let configuration: TrainingConfiguration
    let chunks: [FlowMatchingChunk]
    let reduction: ChunkedReduction
    /// OT pairing: the batch in use and those of the coming iterations (``PairedBatch``).
    var slots: [PairedBatch] = []
    /// The slot of the last computed batch.
    var current: PairedBatch?
    /// The merged gradient of the last ``compute(parameters:iteration:prefetch:)`` (mean over points).
    public private(set) var gradient: [Double]
    /// Whether every entry of ``gradient`` is finite.
    public private(set) var gradientIsFinite = true

    public init(objective: ConditionalFlowMatching, configuration: TrainingConfiguration) {
        self.objective = objective
        self.configuration = configuration
        let field = objective.field, n = configuration.batchSize
        let count = (n + configuration.chunkSize - 1) / configuration.chunkSize
        chunks = (0..<count).map { c in
            FlowMatchingChunk(field: field, capacity: configuration.chunkSize,
                              count: min(configuration.chunkSize, n - c * configuration.chunkSize))
        }
        // One more task than chunks: the preparation of the next OT batch.
        reduction = ChunkedReduction(jobs: configuration.jobs, wave: count + 2)
        if objective.pairing == .optimalTransport {
            slots = (0..<3).map { _ in PairedBatch(objective: objective, configuration: configuration) }
        }
        gradient = [Double](repeating: 0, count: field.parameterCount)
    }

    /// The mean loss over the batch of iteration `iteration`; the mean gradient is in
    /// ``gradient``. With OT pairing, `prefetch` lists the iterations that will be computed
    /// next, in order: when the first is not prepared yet, the first two are prepared meanwhile.
    /// Any iteration may be computed in any order; the values never depend on `prefetch`.
    public func compute(parameters: [Double], iteration: Int, prefetch: [Int] = []) throws(FlowTrainingError) -> Double {
        let d = objective.field.dimension, n = configuration.batchSize
        let chunks = self.chunks, objective = self.objective, configuration = self.configuration
        let total: Double
        if !slots.isEmpty {
            let batch: PairedBatch
            if let ready = slots.first(where: { $0.iteration == iteration }) {
                batch = ready
            } else {
                batch = slots.first { $0.iteration.map { !prefetch.contains($0) } ?? true } ?? slots[0]
                batch.prepare(iteration: iteration)
            }
            current = batch
            if let failure = batch.failure {
                throw .invalidConfiguration("optimal pairing failed at iteration \(iteration): \(failure)")
            }
            // Batches to prepare, each into a slot holding neither this batch nor a coming one.
            var ahead: [(slot: PairedBatch, iteration: Int)] = []
            if let first = prefetch.first, first != iteration, !slots.contains(where: { $0.iteration == first }) {
                var free = slots.filter { slot in slot !== batch && !(slot.iteration.map(prefetch.contains) ?? false) }
                for t in prefetch.prefix(2) where t != iteration && !free.isEmpty && !ahead.contains(where: { $0.iteration == t }) {
                    ahead.append((free.removeFirst(), t))
                }
            }
            let jobs = ahead
            // Tasks 0..<jobs.count prepare the coming batches (nothing to merge); the others regress
            // the chunks in order.
            total = reduction.run(chunkCount: jobs.count + chunks.count, into: 0.0, work: { k -> Double? in
                guard k >= jobs.count else {
                    jobs[k].slot.prepare(iteration: jobs[k].iteration)
                    return nil
                }
                let c = k - jobs.count, offset = c * configuration.chunkSize
                return objective.chunkLoss(parameters: parameters, source: UnsafePointer(batch.source.baseAddress! + offset * d),
                                           data: UnsafePointer(batch.paired.baseAddress! + offset * d),
                                           times: UnsafePointer(batch.times.baseAddress! + offset), chunk: chunks[c])
            }, merge: { (sum: inout Double, loss: Double?) in if let loss { sum += loss } })
        } else {
            total = reduction.run(chunkCount: chunks.count, into: 0.0, work: { c in
                let chunk = chunks[c]
                var stream = configuration.stream(iteration: iteration, chunk: c)
                chunk.draw(objective, using: &stream)
                return chunk.sourceDraw.values.withUnsafeBufferPointer { x0 in
                    chunk.dataDraw.values.withUnsafeBufferPointer { x1 in
                        objective.chunkLoss(parameters: parameters, source: x0.baseAddress!, data: x1.baseAddress!,
                                            times: chunk.times.baseAddress!, chunk: chunk)
                    }
                }
            }, merge: { (sum: inout Double, loss: Double) in sum += loss })
        }
        gradientIsFinite = BatchGradient.merge(chunks.map(\.gradient), scale: 1 / Double(n), into: &gradient,
                                               jobs: configuration.jobs)
        return total * (1 / Double(n))
    }

    /// The x₀ of the last computed batch (row-major, batch order).
    var source: [Double] {
        if let batch = current { return Array(batch.source) }
        return chunks.flatMap(\.sourceDraw.values)
    }

    /// The x₁ as drawn in the last computed batch.
    var data: [Double] {
        if let batch = current { return Array(batch.data) }
        return chunks.flatMap(\.dataDraw.values)
    }

    /// The x₁ paired with ``source`` in the last computed batch (``data`` itself when independent).
    var paired: [Double] {
        if let batch = current { return Array(batch.paired) }
        return data
    }
}

/// The points of one OT-paired batch: every chunk's draws (in chunk order), the squared
/// distances between all x₀ and x₁, and the x₁ permuted by the exact assignment, so that
/// (x₀ᵢ, x₁ᵢ) are paired. Prepared by one thread at a time.
final class PairedBatch: @unchecked Sendable {
    let objective: ConditionalFlowMatching
    let configuration: TrainingConfiguration
    let source: UnsafeMutableBufferPointer<Double>
    let data: UnsafeMutableBufferPointer<Double>
    let paired: UnsafeMutableBufferPointer<Double>
    let times: UnsafeMutableBufferPointer<Double>
    var costs: [Double]
    var sourceDraw: PointBatch
    var dataDraw: PointBatch
    /// The iteration whose batch this is (nil before the first preparation).
    private(set) var iteration: Int?
    /// Why the assignment failed, if it did.
    private(set) var failure: FlowKitError?

    init(objective: ConditionalFlowMatching, configuration: TrainingConfiguration) {
        self.objective = objective
        self.configuration = configuration
        let d = objective.field.dimension, n = configuration.batchSize
        source = .allocate(capacity: n * d)
        data = .allocate(capacity: n * d)
        paired = .allocate(capacity: n * d)
        times = .allocate(capacity: n)
        for buffer in [source, data, paired, times] { buffer.initialize(repeating: 0) }
        costs = [Double](repeating: 0, count: n * n)
        sourceDraw = PointBatch(dimension: d, count: 0)
        dataDraw = sourceDraw
    }

    deinit {
        for buffer in [source, data, paired, times] { buffer.deallocate() }
    }

    /// Draws, costs and pairs the batch of `iteration`.
    func prepare(iteration: Int) {
        let d = objective.field.dimension, n = configuration.batchSize, size = configuration.chunkSize
        var c = 0
        while c * size < n {
            let count = min(size, n - c * size), offset = c * size
            var stream = configuration.stream(iteration: iteration, chunk: c)
            if sourceDraw.count != count {
                sourceDraw = PointBatch(dimension: d, count: count)
                dataDraw = sourceDraw
            }
            objective.source.draw(into: &sourceDraw, using: &stream)
            objective.data.draw(into: &dataDraw, using: &stream)
            for k in 0..<(count * d) {
                source[offset * d + k] = sourceDraw.values[k]
                data[offset * d + k] = dataDraw.values[k]
            }
            for p in 0..<count { times[offset + p] = stream.nextUniform() }
            c += 1
        }
        self.iteration = iteration
        failure = nil
        costs.withUnsafeMutableBufferPointer { costs in
            LinearAssignment.squaredDistances(UnsafePointer(source.baseAddress!), UnsafePointer(data.baseAddress!),
                                              count: n, dimension: d, into: costs.baseAddress!)
        }
        do {
            let solution = try costs.withUnsafeBufferPointer { buffer throws(FlowKitError) in
                try LinearAssignment.solve(costs: buffer.baseAddress!, rows: n, columns: n)
            }
            for i in 0..<n {
                let j = solution.rowToColumn[i]
                for k in 0..<d { paired[i * d + k] = data[j * d + k] }
            }
        } catch {
            failure = error
        }
    }
}
