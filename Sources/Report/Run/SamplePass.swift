import FlowKit

/// The streaming pass over all samples of an experiment, in any dimension.
///
/// Samples are drawn in chunks of ``chunkSize``; flow chunk i takes its random numbers from
/// stream i of the run's seed (and data set k's chunk i, for `targets` figures, from stream
/// (k + 1)·2³² + i), and partial results are folded in chunk order by ``ChunkedReduction``, so
/// every number is identical for any `--jobs`. A chunk is pushed through the maps in place:
/// each stage is scanned (non-finite points, points outside the stage's propagated support)
/// and histogrammed while it is current, so no stage is copied. Nothing that grows with the
/// sample count is kept, except the output values for the exact KS test when the sample count
/// is at most ``exactKSLimit`` (8 MB at the limit). Above it, the KS test and the PIT
/// histograms come from counts of the outputs in the bins of a ``CDFBinning`` of the reference
/// (a bin by the bits of y, F only at the bin edges), kept in ``ShardedCounts``: integer totals,
/// the same for any `--jobs`.
public struct SamplePass: Sendable {
    /// Points per chunk.
    public static let chunkSize = 1 << 16
    /// Largest sample count for which KS uses the exact statistic of the sorted sample.
    public static let exactKSLimit = 1_000_000
    /// Fine bins of the streaming KS test: each holds at most 1/streamingKSBins of the
    /// reference's probability, so the statistic is within 1/streamingKSBins of the exact D.
    public static let streamingKSBins = 1 << 16

    public let flow: Flow
    public let samples: Int
    public let seed: UInt64
    /// False for a spec that only draws `targets`: its flow is never sampled.
    public let drawsFlow: Bool
    /// The analytic CDF of the output (1-D): the KS test and PIT histograms.
    public let reference: (any UnivariateDistribution)?
    /// Sample counts above which u = F_ref(y), where a pass needs it per value (a streaming pass
    /// whose reference has no ``CDFBinning``), comes from a ``BucketedCDF`` table (u within
    /// 10⁻¹⁴ of the scalar F; building it takes about as long as 10⁵ values by the scalar F);
    /// smaller passes, and references whose table would be too large, use the reference's own
    /// batch CDF.
    public static let bucketedCDFThreshold = 1 << 20

    public init(flow: Flow, samples: Int, seed: UInt64, drawsFlow: Bool = true,
                reference: (any UnivariateDistribution)? = nil) {
        self.flow = flow
        self.samples = samples
        self.seed = seed
        self.drawsFlow = drawsFlow
        self.reference = reference
    }

    /// The binning of the streaming KS test and the PIT histograms `histograms` asks for, when
    /// the pass streams (more than ``exactKSLimit`` samples of a drawn 1-D flow with a
    /// reference) and the reference has one.
    public func referenceBinning(histograms: [HistogramRequest]) throws -> CDFBinning? {
        guard drawsFlow, samples > Self.exactKSLimit, let reference else { return nil }
        let pit = try histograms.filter { $0.source == .probabilityIntegralTransform }
            .map { try Histogram(low: $0.low, high: $0.high, binCount: $0.bins) }
        return CDFBinning(reference: reference, maximumMass: 1 / Double(Self.streamingKSBins), uHistograms: pit)
    }

    /// The pass of `experiment` with the run's sample count and seed.
    public init(experiment: Experiment, samples: Int, seed: UInt64) {
        self.init(flow: experiment.flow, samples: samples, seed: seed, drawsFlow: !experiment.isTargetOnly,
                  reference: experiment.reference)
    }

    /// The number of chunks.
    public var chunkCount: Int { (samples + Self.chunkSize - 1) / Self.chunkSize }

    /// The number of points of chunk `index`.
    func count(ofChunk index: Int) -> Int { min(Self.chunkSize, samples - index * Self.chunkSize) }

    /// The stream of chunk `index` of `source`.
    static func stream(seed: UInt64, source: PlaneSource, chunk index: Int) -> RandomStream {
        switch source {
        case .flow: return RandomStream(seed: seed, stream: UInt64(index))
        case let .dataset(d):
            let k = UInt64(ToyDataset.allCases.firstIndex(of: d) ?? 0)
            return RandomStream(seed: seed, stream: (k + 1) << 32 + UInt64(index))
        }
    }

    // MARK: - The pilot

    /// Chunk 0 with every stage kept: the bounded subsample that automatic ranges, figures
    /// needing points and the point checks use. Its points are exactly those the pass
    /// streams first.
    public struct Pilot: Sendable {
        /// x_0 (the base draws), x_1 = f_1(x_0), …, x_K.
        public var stages: [PointBatch]
        /// log p_K(x_K) by the forward pass (Rezende & Mohamed eq. 7).
        public var logDensity: [Double]

        public var base: PointBatch { stages[0] }
        public var output: PointBatch { stages[stages.count - 1] }
        public var count: Int { logDensity.count }

        /// The first `n` points of every stage.
        public func prefix(_ n: Int) -> Pilot {
            let m = min(n, count)
            return Pilot(stages: stages.map { $0.prefix(m) }, logDensity: Array(logDensity.prefix(m)))
        }
    }

    /// Chunk 0 with its stages (x_0 only, and no log density, when the flow is not drawn).
    public func pilot() -> Pilot {
        var stream = Self.stream(seed: seed, source: .flow, chunk: 0)
        var points = PointBatch(dimension: flow.dimension, count: count(ofChunk: 0))
        flow.base.sample(into: &points, using: &stream)
        guard drawsFlow else { return Pilot(stages: [points], logDensity: []) }
        var logDensity = flow.base.logDensity(points)
        var logAbsDet = [Double](repeating: 0, count: points.count)
        var stages = [points]
        for map in flow.chain.maps {
            map.forward(&points, logAbsDet: &logAbsDet)
            stages.append(points)
        }
        for i in logDensity.indices { logDensity[i] -= logAbsDet[i] }
        return Pilot(stages: stages, logDensity: logDensity)
    }

    // MARK: - Totals

    /// What the pass measured: the merged results of all chunks.
    public struct Totals: Sendable {
        /// One histogram per requested 1-D histogram.
        public var histograms: [HistogramRequest: Histogram]
        /// One histogram per requested 2-D histogram.
        public var planes: [PlaneHistogramRequest: FlowKit.Histogram2D]
        /// Moments of each output coordinate over the points whose coordinates are all finite.
        public var moments: [RunningMoments]
        /// Per stage: points with a coordinate that is not finite.
        public var nonFinite: [Int]
        /// Per stage: finite points outside the closure of the stage's propagated support.
        public var outsideSupport: [Int]
        /// Finite output points inside the output's support whose log density is not finite
        /// (NaN, +∞, or −∞ after a map saturated: sigmoid rounding to exactly 1).
        public var badLogDensity: Int
        /// The KS test of the output against the reference (1-D with a reference).
        public var ks: KSResult?
    }

    /// What one chunk contributes (the histograms in request order).
    private struct Partial: Sendable {
        var histograms: [Histogram]
        var planes: [FlowKit.Histogram2D]
        var moments: [RunningMoments]
        var nonFinite: [Int]
        var outsideSupport: [Int]
        var badLogDensity = 0
        /// The streaming KS histogram of u (in the accumulator only).
        var ksHistogram: Histogram?
        /// One chunk's counts of u in the KS histogram's bins (in a chunk's partial only).
        var ksCounts: HistogramCounts?
        var outputValues: [Double] = []

        mutating func merge(_ partial: Partial) {
            for i in histograms.indices { histograms[i].merge(partial.histograms[i]) }
            for i in planes.indices { planes[i].merge(partial.planes[i]) }
            for j in moments.indices { moments[j].merge(partial.moments[j]) }
            for s in nonFinite.indices {
                nonFinite[s] += partial.nonFinite[s]
                outsideSupport[s] += partial.outsideSupport[s]
            }
            badLogDensity += partial.badLogDensity
            if let counts = partial.ksCounts { ksHistogram?.merge(counts) }
            outputValues += partial.outputValues
        }
    }

    /// How the outputs meet the reference, decided once per pass.
    private enum ReferenceRoute {
        /// No reference, or a flow that is not drawn.
        case none
        /// u = F_ref(y) per value (for the PIT histograms; and the values kept for the exact KS
        /// test, or counted in the u-histogram of the streaming one).
        case perValue(ReferenceCDF)
        /// The outputs counted in the bins of a ``CDFBinning``.
        case binned(CDFBinning, ShardedCounts)
    }

    /// Runs the pass on `jobs` threads, filling `histograms` and `planes`; `progress(done,
    /// total)` is called after every wave. Throws when a requested histogram cannot be set up
    /// (a range that is not finite).
    public func run(histograms: [HistogramRequest], planes: [PlaneHistogramRequest], jobs: Int,
                    progress: ((Int, Int) -> Void)? = nil) throws -> Totals {
        let stageCount = drawsFlow ? flow.chain.maps.count + 1 : 0
        let route: ReferenceRoute
        if let binning = try referenceBinning(histograms: histograms) {
            route = .binned(binning, ShardedCounts(binCount: binning.countsLength))
        } else if drawsFlow, let reference {
            let table = samples > Self.bucketedCDFThreshold ? BucketedCDF(reference) : nil
            route = .perValue(table.map { .table($0) } ?? .distribution(reference))
        } else {
            route = .none
        }
        var streamsU = false
        if case .perValue = route, samples > Self.exactKSLimit { streamsU = true }
        let empty = Partial(
            histograms: try histograms.map { try Histogram(low: $0.low, high: $0.high, binCount: $0.bins) },
            planes: try planes.map { try FlowKit.Histogram2D(x: ($0.x.lowerBound, $0.x.upperBound, $0.bins),
                                                             y: ($0.y.lowerBound, $0.y.upperBound, $0.bins)) },
            moments: Array(repeating: RunningMoments(), count: drawsFlow ? flow.dimension : 0),
            nonFinite: Array(repeating: 0, count: stageCount),
            outsideSupport: Array(repeating: 0, count: stageCount),
            ksHistogram: streamsU ? try Histogram(low: 0, high: 1, binCount: Self.streamingKSBins) : nil)
        let total = chunkCount
        var merged = ChunkedReduction(jobs: jobs, wave: 16).run(
            chunkCount: total, into: empty,
            work: { index in self.accumulate(index, histograms: histograms, planes: planes, route: route, into: empty) },
            merge: { accumulator, partial in accumulator.merge(partial) },
            progress: progress.map { report in { done in report(done, total) } })
        var ks: KSResult?
        switch route {
        case .none:
            break
        case let .binned(binning, counts):
            let totals = counts.totals()
            ks = binning.kolmogorovSmirnov(counts: totals)
            var pit = 0
            for (r, request) in histograms.enumerated() where request.source == .probabilityIntegralTransform {
                binning.addU(counts: totals, to: &merged.histograms[r], index: pit)
                pit += 1
            }
        case .perValue:
            if let histogram = merged.ksHistogram {
                ks = KolmogorovSmirnov.streaming(uHistogram: histogram)
            } else if let reference {
                ks = KolmogorovSmirnov.exact(sortedSample: merged.outputValues.filter(\.isFinite).sorted(),
                                             cdf: { reference.cdf($0) })
            }
        }
        return Totals(histograms: Dictionary(uniqueKeysWithValues: zip(histograms, merged.histograms)),
                      planes: Dictionary(uniqueKeysWithValues: zip(planes, merged.planes)),
                      moments: merged.moments, nonFinite: merged.nonFinite, outsideSupport: merged.outsideSupport,
                      badLogDensity: merged.badLogDensity, ks: ks)
    }

    /// Points per block of a chunk: a chunk is drawn, mapped and counted one block at a time, so
    /// that a block's values (32 KiB a stage in 1-D) stay in the core's caches through every
    /// step, and so do the counts of the reference's bins. Every step is point by point or a
    /// count, and the draws follow one stream through the blocks, so the results are those of
    /// the whole chunk at once; the one chunk-wide step, the moments of a 1-D output
    /// (``FiniteScan``'s two passes, whose sums of a whole chunk stay finite where the merge of
    /// many blocks' moments would overflow), runs on the chunk's outputs after its last block.
    static let passBlock = 4096

    private func accumulate(_ index: Int, histograms: [HistogramRequest], planes: [PlaneHistogramRequest],
                            route: ReferenceRoute, into empty: Partial) -> Partial {
        var partial = empty
        let count = count(ofChunk: index)
        if drawsFlow {
            var stream = Self.stream(seed: seed, source: .flow, chunk: index)
            let d = flow.dimension
            let output = flow.chain.maps.count
            // The 1-D outputs of the whole chunk, for their moments (and u per value).
            var outputs: [Double] = []
            if d == 1 { outputs.reserveCapacity(count) }
            // One block's points and log-determinants, reused from block to block.
            var points = PointBatch(dimension: d, count: min(Self.passBlock, count))
            var logAbsDet = [Double](repeating: 0, count: points.count)
            var start = 0
            while start < count {
                let n = min(Self.passBlock, count - start)
                if n != points.count {
                    points = PointBatch(dimension: d, count: n)
                    logAbsDet = [Double](repeating: 0, count: n)
                } else if start > 0 {
                    logAbsDet.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                }
                flow.base.sample(into: &points, using: &stream)
                let baseLogDensity = flow.base.logDensity(points)
                for stage in 0...output {
                    if stage > 0 { flow.chain.maps[stage - 1].forward(&points, logAbsDet: &logAbsDet) }
                    countStage(points, stage: stage, isOutput: stage == output, histograms: histograms, into: &partial)
                }
                partial.badLogDensity += badLogDensities(points, baseLogDensity, logAbsDet)
                for (r, request) in planes.enumerated() where request.source == .flow {
                    partial.planes[r].insert(points, xCoordinate: request.xCoordinate, yCoordinate: request.yCoordinate)
                }
                if case let .binned(binning, counts) = route {
                    points.values.withUnsafeBufferPointer { y in
                        counts.withShard(adding: y.count) { binning.count(y, into: $0) }
                    }
                }
                if d == 1 { outputs += points.values }
                start += n
            }
            if d == 1 { scan(PointBatch(dimension: 1, values: outputs), stage: output, isOutput: true, into: &partial) }
            if case let .perValue(cdf) = route {
                accumulateReference(outputs, reference: cdf, histograms: histograms, into: &partial)
            }
        }
        for (r, request) in planes.enumerated() {
            guard case let .dataset(dataset) = request.source else { continue }
            var stream = Self.stream(seed: seed, source: request.source, chunk: index)
            partial.planes[r].insert(dataset.sample(count: count, using: &stream))
        }
        return partial
    }

    /// The histograms of one stage of a block, and its support counts (and, for a d-dimensional
    /// output, moments); a 1-D output is scanned once per chunk instead (see ``passBlock``).
    private func countStage(_ points: PointBatch, stage: Int, isOutput: Bool, histograms: [HistogramRequest],
                            into partial: inout Partial) {
        // In 1-D the support counts of a stage before the output ride along with its first
        // histogram's insertion (one pass over the values, the same counts).
        var scanned = false
        for (r, request) in histograms.enumerated() where request.source == .stage(stage) {
            if !scanned, points.dimension == 1, !isOutput {
                let support = flow.stageSupports[stage][0]
                let counts = points.values.withUnsafeBufferPointer {
                    partial.histograms[r].insert(contentsOf: $0, scanningSupport: support.lower, support.upper)
                }
                partial.nonFinite[stage] += counts.nonFinite
                partial.outsideSupport[stage] += counts.outside
                scanned = true
            } else {
                partial.histograms[r].insert(points, coordinate: request.coordinate)
            }
        }
        if !scanned, !(isOutput && points.dimension == 1) { scan(points, stage: stage, isOutput: isOutput, into: &partial) }
    }

    /// Counts the non-finite points and the finite points outside the closure of the stage's
    /// support (end points have measure zero); for the output, also the moments of each
    /// coordinate over the finite points (in 1-D by ``FiniteScan``'s two passes per chunk,
    /// merged by Chan's formula: the same moments within rounding, see its documentation).
    private func scan(_ points: PointBatch, stage: Int, isOutput: Bool, into partial: inout Partial) {
        let d = points.dimension
        let support = flow.stageSupports[stage]
        let lower = support.map(\.lower), upper = support.map(\.upper)
        var nonFinite = 0, outside = 0
        points.values.withUnsafeBufferPointer { v in
            if d == 1 {
                // The common 1-D case in one tight loop.
                let lo = lower[0], hi = upper[0]
                if isOutput {
                    // Two branch-free passes, no division per value; merged once per chunk.
                    let finite = FiniteScan(v, lower: lo, upper: hi)
                    nonFinite = finite.nonFinite
                    outside = finite.outside
                    partial.moments[0].merge(finite.moments)
                } else {
                    for x in v {
                        if !x.isFinite { nonFinite += 1 } else if x < lo || x > hi { outside += 1 }
                    }
                }
                return
            }
            for i in 0..<(v.count / d) {
                var finite = true, inside = true
                for j in 0..<d {
                    let x = v[i * d + j]
                    if !x.isFinite { finite = false } else if x < lower[j] || x > upper[j] { inside = false }
                }
                if !finite { nonFinite += 1; continue }
                if !inside { outside += 1 }
                if isOutput { for j in 0..<d { partial.moments[j].add(v[i * d + j]) } }
            }
        }
        partial.nonFinite[stage] += nonFinite
        partial.outsideSupport[stage] += outside
    }

    /// The finite output points inside the closure of the output's support whose log density
    /// log p = log p₀(x₀) − Σ log|det J| is not finite (the others are already counted as
    /// non-finite or outside); the log densities are formed here, point by point, and not kept.
    private func badLogDensities(_ points: PointBatch, _ baseLogDensity: [Double], _ logAbsDet: [Double]) -> Int {
        // A branch-free count first, four lanes at a time (l − l is 0 unless l is ±∞ or NaN):
        // almost always nothing is left to look at.
        var nonFinite = 0
        baseLogDensity.withUnsafeBufferPointer { a in
            logAbsDet.withUnsafeBufferPointer { b in
                guard let pa = a.baseAddress, let pb = b.baseAddress else { return }
                var lanes = SIMD4<Int64>()
                var i = 0
                while i + 4 <= a.count {
                    let l = UnsafeRawPointer(pa + i).loadUnaligned(as: SIMD4<Double>.self)
                        - UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD4<Double>.self)
                    lanes.replace(with: lanes &+ 1, where: (l - l) .!= 0)
                    i += 4
                }
                nonFinite = Int(lanes.wrappedSum())
                while i < a.count {
                    let l = a[i] - b[i]
                    nonFinite &+= l - l == 0 ? 0 : 1
                    i += 1
                }
            }
        }
        guard nonFinite > 0 else { return 0 }
        let d = points.dimension
        let support = flow.support
        var bad = 0
        for i in baseLogDensity.indices where !(baseLogDensity[i] - logAbsDet[i]).isFinite {
            var counted = true
            for j in 0..<d {
                let x = points[i, j]
                if !x.isFinite || x < support[j].lower || x > support[j].upper { counted = false }
            }
            if counted { bad += 1 }
        }
        return bad
    }

    /// Values of u = F_ref(y) computed and histogrammed at a time (16 KiB).
    static let referenceBlock = 2048

    /// Where u = F_ref(y) comes from.
    private enum ReferenceCDF {
        case distribution(any UnivariateDistribution)
        case table(BucketedCDF)

        func cdf(of y: UnsafeBufferPointer<Double>, into u: UnsafeMutableBufferPointer<Double>) {
            switch self {
            case let .distribution(d): d.cdf(of: y, into: u)
            case let .table(t): t.cdf(of: y, into: u)
            }
        }
    }

    /// u = F_ref(y), computed once per chunk for the PIT histograms and the streaming KS test,
    /// or the output values kept for the exact KS test.
    private func accumulateReference(_ output: [Double], reference: ReferenceCDF,
                                     histograms: [HistogramRequest], into partial: inout Partial) {
        if let ks = partial.ksHistogram { partial.ksCounts = HistogramCounts(binning: ks) }
        let needsU = partial.ksCounts != nil || histograms.contains { $0.source == .probabilityIntegralTransform }
        if needsU {
            // Block by block through a buffer that stays in the first-level cache: u of a block,
            // then its histogram insertions (every u is computed value by value, so the blocks
            // change no result).
            let block = Self.referenceBlock
            withUnsafeTemporaryAllocation(of: Double.self, capacity: block) { u in
                output.withUnsafeBufferPointer { y in
                    var start = 0
                    while start < y.count {
                        let n = min(block, y.count - start)
                        let ub = UnsafeMutableBufferPointer(rebasing: u[0..<n])
                        reference.cdf(of: UnsafeBufferPointer(rebasing: y[start..<(start + n)]), into: ub)
                        let values = UnsafeBufferPointer(ub)
                        for (r, request) in histograms.enumerated() where request.source == .probabilityIntegralTransform {
                            partial.histograms[r].insert(contentsOf: values)
                        }
                        partial.ksCounts?.insert(contentsOf: values)
                        start += n
                    }
                }
            }
        }
        if partial.ksHistogram == nil { partial.outputValues = output }
        partial.ksHistogram = nil
    }
}
