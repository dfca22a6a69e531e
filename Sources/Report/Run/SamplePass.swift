import FlowKit

/// The streaming pass over all samples of a one-dimensional experiment.
///
/// Samples are drawn in chunks of ``chunkSize``; chunk i takes its random numbers from
/// stream i of the run's seed, and partial results are folded in chunk order by
/// ``ChunkedReduction``, so every number is identical for any `--jobs`. Nothing that grows
/// with the sample count is kept, except the output values for the exact KS test when the
/// sample count is at most ``exactKSLimit`` (bounded memory: 8 MB at the limit).
public struct SamplePass: Sendable {
    /// Points per chunk.
    public static let chunkSize = 1 << 16
    /// Largest sample count for which KS uses the exact statistic of the sorted sample.
    public static let exactKSLimit = 1_000_000
    /// Fine bins of u = F_ref(y) for the streaming KS test (statistic within 1/bins).
    public static let streamingKSBins = 1 << 16

    public let flow: Flow
    public let maps: [any Bijection]
    public let samples: Int
    public let seed: UInt64
    /// The support of each stage (stage 0 = base), for counting points outside it.
    public let stageSupports: [Interval]
    public let requests: [HistogramRequest]
    public let reference: (any UnivariateDistribution)?

    public init(flow: Flow, maps: [any Bijection], samples: Int, seed: UInt64, stageSupports: [Interval],
                requests: [HistogramRequest], reference: (any UnivariateDistribution)?) {
        self.flow = flow
        self.maps = maps
        self.samples = samples
        self.seed = seed
        self.stageSupports = stageSupports
        self.requests = requests
        self.reference = reference
    }

    /// The number of chunks.
    public var chunkCount: Int { (samples + Self.chunkSize - 1) / Self.chunkSize }

    /// The values after every stage (stage 0 = base) and the log densities of the output by
    /// the forward pass (Rezende & Mohamed eq. 7) for chunk `index`.
    public func chunk(_ index: Int) -> (stages: [[Double]], logDensity: [Double]) {
        let count = min(Self.chunkSize, samples - index * Self.chunkSize)
        var stream = RandomStream(seed: seed, stream: UInt64(index))
        var points = PointBatch(dimension: 1, count: count)
        flow.base.sample(into: &points, using: &stream)
        var logDensity = flow.base.logDensity(points)
        var logAbsDet = [Double](repeating: 0, count: count)
        var stages = [points.values]
        for map in maps {
            map.forward(&points, logAbsDet: &logAbsDet)
            stages.append(points.values)
        }
        for i in 0..<count { logDensity[i] -= logAbsDet[i] }
        return (stages, logDensity)
    }

    /// What one chunk contributes.
    public struct Partial: Sendable {
        public var histograms: [Histogram]
        public var moments: [RunningMoments]
        /// Per stage: values that are not finite.
        public var nonFinite: [Int]
        /// Per stage: finite values outside the stage's support.
        public var outsideSupport: [Int]
        /// Output samples whose log density is NaN or +∞ (−∞ is a point outside the support,
        /// already counted there).
        public var badLogDensity: Int
        public var ksHistogram: Histogram?
        public var outputValues: [Double]
    }

    /// The merged result of all chunks.
    public struct Totals: Sendable {
        public var histograms: [HistogramRequest: Histogram]
        public var moments: [RunningMoments]
        public var nonFinite: [Int]
        public var outsideSupport: [Int]
        public var badLogDensity: Int
        public var ks: KSResult?
    }

    /// Runs the pass on `jobs` threads; `progress(done, total)` is called after every wave.
    public func run(jobs: Int, progress: ((Int, Int) -> Void)? = nil) throws -> Totals {
        let stageCount = maps.count + 1
        let empty = try Partial(
            histograms: requests.map { try Histogram(low: $0.low, high: $0.high, binCount: $0.bins) },
            moments: Array(repeating: RunningMoments(), count: stageCount),
            nonFinite: Array(repeating: 0, count: stageCount),
            outsideSupport: Array(repeating: 0, count: stageCount),
            badLogDensity: 0,
            ksHistogram: reference != nil && samples > Self.exactKSLimit
                ? Histogram(low: 0, high: 1, binCount: Self.streamingKSBins) : nil,
            outputValues: [])
        let total = chunkCount
        let merged = ChunkedReduction(jobs: jobs, wave: 16).run(
            chunkCount: total, into: empty,
            work: { index in self.accumulate(index, into: empty) },
            merge: { accumulator, partial in Self.merge(&accumulator, partial) },
            progress: progress.map { report in { done in report(done, total) } })
        var ks: KSResult?
        if let reference {
            if let histogram = merged.ksHistogram {
                ks = KolmogorovSmirnov.streaming(uHistogram: histogram)
            } else {
                ks = KolmogorovSmirnov.exact(sortedSample: merged.outputValues.filter(\.isFinite).sorted(),
                                             cdf: { reference.cdf($0) })
            }
        }
        var histograms: [HistogramRequest: Histogram] = [:]
        for (request, histogram) in zip(requests, merged.histograms) { histograms[request] = histogram }
        return Totals(histograms: histograms, moments: merged.moments, nonFinite: merged.nonFinite,
                      outsideSupport: merged.outsideSupport, badLogDensity: merged.badLogDensity, ks: ks)
    }

    private func accumulate(_ index: Int, into empty: Partial) -> Partial {
        var partial = empty
        let (stages, logDensity) = chunk(index)
        // Stages two at a time: the running moments are a serial chain of divisions per
        // stage, so two independent chains in one loop run in about the time of one. Each
        // stage's accumulator sees its values in the same order as alone (same results).
        var s = 0
        while s < stages.count {
            if s + 1 < stages.count {
                var first = StageScan(support: stageSupports[s], moments: partial.moments[s])
                var second = StageScan(support: stageSupports[s + 1], moments: partial.moments[s + 1])
                stages[s].withUnsafeBufferPointer { a in
                    stages[s + 1].withUnsafeBufferPointer { b in
                        for i in 0..<a.count {
                            first.add(a[i])
                            second.add(b[i])
                        }
                    }
                }
                first.store(into: &partial, stage: s)
                second.store(into: &partial, stage: s + 1)
                s += 2
            } else {
                var only = StageScan(support: stageSupports[s], moments: partial.moments[s])
                stages[s].withUnsafeBufferPointer { a in for v in a { only.add(v) } }
                only.store(into: &partial, stage: s)
                s += 1
            }
        }
        let output = stages[stages.count - 1]
        partial.badLogDensity = logDensity.count { $0.isNaN || $0 == .infinity }
        // u = F_ref(y), computed once for the PIT histograms and the streaming KS test.
        var u: [Double] = []
        if let reference, partial.ksHistogram != nil || requests.contains(where: { $0.source == .probabilityIntegralTransform }) {
            u = [Double](repeating: 0, count: output.count)
            output.withUnsafeBufferPointer { y in u.withUnsafeMutableBufferPointer { reference.cdf(of: y, into: $0) } }
        }
        for (r, request) in requests.enumerated() {
            switch request.source {
            case let .stage(s):
                stages[s].withUnsafeBufferPointer { partial.histograms[r].insert(contentsOf: $0) }
            case .probabilityIntegralTransform:
                if reference != nil { u.withUnsafeBufferPointer { partial.histograms[r].insert(contentsOf: $0) } }
            }
        }
        if reference != nil {
            if partial.ksHistogram != nil {
                u.withUnsafeBufferPointer { partial.ksHistogram?.insert(contentsOf: $0) }
            } else {
                partial.outputValues = output
            }
        }
        return partial
    }

    /// One stage's share of a chunk: moments of the finite values, non-finite values, and
    /// finite values outside the closure of the support (end points have measure zero).
    private struct StageScan {
        let lower: Double
        let upper: Double
        var moments: RunningMoments
        var nonFinite = 0
        var outside = 0

        init(support: Interval, moments: RunningMoments) {
            lower = support.lower
            upper = support.upper
            self.moments = moments
        }

        @inline(__always)
        mutating func add(_ v: Double) {
            if !v.isFinite {
                nonFinite += 1
            } else {
                if v < lower || v > upper { outside += 1 }
                moments.add(v)
            }
        }

        func store(into partial: inout Partial, stage: Int) {
            partial.moments[stage] = moments
            partial.nonFinite[stage] += nonFinite
            partial.outsideSupport[stage] += outside
        }
    }

    private static func merge(_ total: inout Partial, _ partial: Partial) {
        for i in total.histograms.indices { total.histograms[i].merge(partial.histograms[i]) }
        for s in total.moments.indices {
            total.moments[s].merge(partial.moments[s])
            total.nonFinite[s] += partial.nonFinite[s]
            total.outsideSupport[s] += partial.outsideSupport[s]
        }
        total.badLogDensity += partial.badLogDensity
        if let h = partial.ksHistogram { total.ksHistogram?.merge(h) }
        total.outputValues += partial.outputValues
    }
}
