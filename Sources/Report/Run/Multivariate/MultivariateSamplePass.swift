import FlowKit

/// The streaming pass over all samples of a d-dimensional experiment (d ≥ 2), and over the
/// toy data sets its figures show.
///
/// Samples are drawn in chunks of ``SamplePass/chunkSize``; flow chunk i takes its random
/// numbers from stream i of the run's seed and data set k's chunk i from stream
/// (k + 1)·2³² + i, and partial results are folded in chunk order by ``ChunkedReduction``, so
/// every number is identical for any `--jobs`. Memory is constant in the sample count: only
/// histograms, moments and counters are kept (10⁸ samples stream through chunk histograms).
public struct MultivariateSamplePass: Sendable {
    public let flow: Flow?
    public let samples: Int
    public let seed: UInt64
    public let planes: [PlaneHistogramRequest]
    public let marginals: [MarginalRequest]

    public init(flow: Flow?, samples: Int, seed: UInt64, planes: [PlaneHistogramRequest], marginals: [MarginalRequest]) {
        self.flow = flow
        self.samples = samples
        self.seed = seed
        self.planes = planes
        self.marginals = marginals
    }

    public var chunkCount: Int { (samples + SamplePass.chunkSize - 1) / SamplePass.chunkSize }

    /// The stream of chunk `index` of `source`.
    static func stream(seed: UInt64, source: PlaneSource, chunk index: Int) -> RandomStream {
        switch source {
        case .flow: return RandomStream(seed: seed, stream: UInt64(index))
        case let .dataset(d):
            let k = UInt64(ToyDataset.allCases.firstIndex(of: d) ?? 0)
            return RandomStream(seed: seed, stream: (k + 1) << 32 + UInt64(index))
        }
    }

    /// The points and log densities (forward pass, Rezende & Mohamed eq. 7) of flow chunk `index`.
    public func flowChunk(_ index: Int) -> (points: PointBatch, logDensity: [Double])? {
        guard let flow else { return nil }
        let count = min(SamplePass.chunkSize, samples - index * SamplePass.chunkSize)
        var stream = Self.stream(seed: seed, source: .flow, chunk: index)
        return flow.sample(count: count, using: &stream)
    }

    /// What one chunk contributes, and the merged totals.
    public struct Totals: Sendable {
        /// One histogram per entry of ``planes``.
        public var planes: [FlowKit.Histogram2D]
        /// One histogram per entry of ``marginals``.
        public var marginals: [Histogram]
        /// Moments of each output coordinate (finite points only).
        public var moments: [RunningMoments]
        /// Output points with a non-finite coordinate.
        public var nonFinite: Int
        /// Output points whose log density is NaN or +∞.
        public var badLogDensity: Int
    }

    /// Runs the pass on `jobs` threads; `progress(done, total)` after every wave.
    public func run(jobs: Int, progress: ((Int, Int) -> Void)? = nil) throws -> Totals {
        let dimension = flow?.dimension ?? 2
        let empty = Totals(
            planes: try planes.map { try FlowKit.Histogram2D(x: ($0.x.lowerBound, $0.x.upperBound, $0.bins),
                                                             y: ($0.y.lowerBound, $0.y.upperBound, $0.bins)) },
            marginals: try marginals.map { try Histogram(low: $0.range.lowerBound, high: $0.range.upperBound, binCount: $0.bins) },
            moments: Array(repeating: RunningMoments(), count: dimension),
            nonFinite: 0, badLogDensity: 0)
        let total = chunkCount
        return ChunkedReduction(jobs: jobs, wave: 16).run(
            chunkCount: total, into: empty,
            work: { index in self.accumulate(index, into: empty) },
            merge: { accumulator, partial in Self.merge(&accumulator, partial) },
            progress: progress.map { report in { done in report(done, total) } })
    }

    private func accumulate(_ index: Int, into empty: Totals) -> Totals {
        var partial = empty
        if let (points, logDensity) = flowChunk(index) {
            let d = points.dimension
            points.values.withUnsafeBufferPointer { v in
                for i in 0..<points.count {
                    var finite = true
                    for j in 0..<d where !v[i * d + j].isFinite { finite = false }
                    if !finite { partial.nonFinite += 1; continue }
                    for j in 0..<d { partial.moments[j].add(v[i * d + j]) }
                }
            }
            partial.badLogDensity = logDensity.count { $0.isNaN || $0 == .infinity }
            for (r, request) in planes.enumerated() where request.source == .flow {
                partial.planes[r].insert(points)
            }
            for (r, request) in marginals.enumerated() {
                partial.marginals[r].insert(points, coordinate: request.coordinate)
            }
        }
        let count = min(SamplePass.chunkSize, samples - index * SamplePass.chunkSize)
        for (r, request) in planes.enumerated() {
            guard case let .dataset(dataset) = request.source else { continue }
            var stream = Self.stream(seed: seed, source: request.source, chunk: index)
            partial.planes[r].insert(dataset.sample(count: count, using: &stream))
        }
        return partial
    }

    private static func merge(_ total: inout Totals, _ partial: Totals) {
        for i in total.planes.indices { total.planes[i].merge(partial.planes[i]) }
        for i in total.marginals.indices { total.marginals[i].merge(partial.marginals[i]) }
        for j in total.moments.indices { total.moments[j].merge(partial.moments[j]) }
        total.nonFinite += partial.nonFinite
        total.badLogDensity += partial.badLogDensity
    }
}
