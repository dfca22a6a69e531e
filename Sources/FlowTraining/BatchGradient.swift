import FlowKit

/// The loss and gradient of one mini-batch: the batch is cut into fixed chunks of
/// `chunkSize` points (the last one shorter), the chunks run on up to `jobs` threads
/// (``ChunkedReduction``), each adds its per-point gradients into its own buffer, and the
/// chunk sums are merged in chunk order, so the result is bit-identical for any `jobs`.
public final class BatchGradient: @unchecked Sendable {
    public let flow: TrainableFlow
    public let objective: any TrainingObjective
    public let configuration: TrainingConfiguration
    let chunks: [TrainingChunk]
    let reduction: ChunkedReduction
    /// The merged gradient of the last ``compute(parameters:iteration:)`` (mean over points).
    public private(set) var gradient: [Double]
    /// Whether every entry of ``gradient`` is finite.
    public private(set) var gradientIsFinite = true

    public init(flow: TrainableFlow, objective: any TrainingObjective, configuration: TrainingConfiguration) {
        self.flow = flow
        self.objective = objective
        self.configuration = configuration
        let count = (configuration.batchSize + configuration.chunkSize - 1) / configuration.chunkSize
        chunks = (0..<count).map { _ in
            TrainingChunk(flow: flow, direction: objective.direction, capacity: configuration.chunkSize)
        }
        reduction = ChunkedReduction(jobs: configuration.jobs, wave: max(1, count))
        gradient = [Double](repeating: 0, count: flow.parameterCount)
    }

    var chunkCount: Int { chunks.count }

    func size(ofChunk c: Int) -> Int {
        min(configuration.chunkSize, configuration.batchSize - c * configuration.chunkSize)
    }

    /// The mean loss over the batch of iteration `iteration`; the mean gradient is in
    /// ``gradient``.
    public func compute(parameters: [Double], iteration: Int) -> Double {
        let chunks = self.chunks, flow = self.flow, objective = self.objective, configuration = self.configuration
        let sizes = (0..<chunks.count).map(size(ofChunk:))
        let total = reduction.run(chunkCount: chunks.count, into: 0.0, work: { c in
            let chunk = chunks[c]
            chunk.gradient.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
            var stream = configuration.stream(iteration: iteration, chunk: c)
            return parameters.withUnsafeBufferPointer { theta in
                objective.chunkLoss(flow: flow, parameters: theta.baseAddress!, iteration: iteration, count: sizes[c],
                                    stream: &stream, chunk: chunk)
            }
        }, merge: { (sum: inout Double, loss: Double) in sum += loss })
        gradientIsFinite = BatchGradient.merge(chunks.map(\.gradient), scale: 1 / Double(configuration.batchSize),
                                               into: &gradient, jobs: configuration.jobs)
        return total * (1 / Double(configuration.batchSize))
    }

    /// into[i] = scale·(((g₀[i] + g₁[i]) + g₂[i]) + …): the chunk sums in chunk order, over raw
    /// buffers (one pass, no per-element bounds or exclusivity checks), on up to `jobs` threads
    /// by ranges of parameters (``ElementwiseParallel``; the same values for any `jobs`).
    /// Returns whether every merged value is finite.
    @discardableResult
    public static func merge(_ sums: [[Double]], scale: Double, into result: inout [Double], jobs: Int = 1) -> Bool {
        let count = result.count
        for sum in sums {
            precondition(sum.count == count, "merge: one gradient entry per parameter")
        }
        return withPointers(sums, from: 0, []) { sources in
            result.withUnsafeMutableBufferPointer { out in
                guard let o = out.baseAddress else { return true }
                let finite = ElementwiseParallel.map(count: count, jobs: jobs) { range -> Bool in
                    // ((0 + g₀) + g₁) + … + g_last, then × scale: the first and the last sum fused
                    // into the passes that start and finish each value.
                    guard let last = sources.last else {
                        for i in range { o[i] = 0 }
                        return true
                    }
                    let first = sources[0]
                    if sources.count > 1 {
                        for i in range { o[i] = 0 + first[i] }
                        for g in sources.dropFirst().dropLast() {
                            for i in range { o[i] += g[i] }
                        }
                    }
                    // value − value is 0 for a finite value and NaN otherwise; four lanes, so that
                    // the check adds no chain of dependent additions.
                    var check = SIMD4<Double>(repeating: 0)
                    var i = range.lowerBound
                    let single = sources.count == 1
                    while i + 4 <= range.upperBound {
                        let partial = single ? SIMD4<Double>(repeating: 0) : Adam.load(o + i)
                        let value = (partial + Adam.load(last + i)) * scale
                        Adam.store(value, o + i)
                        check += value - value
                        i += 4
                    }
                    var tail = 0.0
                    while i < range.upperBound {
                        let value = ((single ? 0 : o[i]) + last[i]) * scale
                        o[i] = value
                        tail += value - value
                        i += 1
                    }
                    return check.sum() + tail == 0
                }
                return finite.allSatisfy { $0 }
            }
        }
    }

    /// Calls `body` with the base addresses of `arrays[index...]` after `pointers` (valid during `body`).
    private static func withPointers<R>(_ arrays: [[Double]], from index: Int, _ pointers: [UnsafePointer<Double>],
                                        _ body: ([UnsafePointer<Double>]) -> R) -> R {
        guard index < arrays.count else { return body(pointers) }
        return arrays[index].withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return withPointers(arrays, from: index + 1, pointers, body) }
            return withPointers(arrays, from: index + 1, pointers + [base], body)
        }
    }

    /// Where the first non-finite value of the last batch appeared: a layer (`layers[k] (name)`),
    /// a gradient block, or the loss/target.
    public func locateNonFinite() -> String {
        for (c, chunk) in chunks.enumerated() {
            if let k = flow.firstNonFiniteLayer(count: size(ofChunk: c), workspace: chunk.workspace) {
                return "layers[\(k)] (\(flow.layers[k].name))"
            }
        }
        if let i = gradient.firstIndex(where: { !$0.isFinite }), let block = flow.layout.block(containing: i) {
            let name = block.name
            if name.hasPrefix("layers["), let close = name.firstIndex(of: "]"),
               let k = Int(name[name.index(name.startIndex, offsetBy: 7)..<close]) {
                return "layers[\(k)] (\(flow.layers[k].name)), parameter \(name)"
            }
            return name
        }
        return "loss (the base or the target)"
    }
}
