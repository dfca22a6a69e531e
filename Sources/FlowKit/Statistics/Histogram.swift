/// A streaming, mergeable histogram with `binCount` equal-width bins on [low, high].
///
/// Bin i holds [low + i·w, low + (i+1)·w) with w = (high − low)/binCount; the last bin also
/// holds x = high. Values below `low` go to `underflow`, above `high` to `overflow`, NaN to
/// `nanCount`. Insertion computes the bin as `Int((x − low) · inverseWidth)` (one multiply,
/// no division), clamped to the last bin for values at or just below `high` where the
/// product rounds up to `binCount`.
///
/// Counts are stored as `Double`: integers are exact up to 2⁵³ ≈ 9·10¹⁵ samples, which also
/// allows weighted fills and exact merging (addition of integers below 2⁵³ is exact).
public struct Histogram: Sendable, Equatable {
    public let low: Double
    public let high: Double
    public let binCount: Int
    /// 1 / bin width.
    public let inverseWidth: Double
    /// Per-bin counts (or total weights), `binCount` of them.
    public private(set) var counts: [Double]
    /// Samples (weight) below `low`.
    public private(set) var underflow: Double = 0
    /// Samples (weight) above `high`.
    public private(set) var overflow: Double = 0
    /// NaN samples (weight).
    public private(set) var nanCount: Double = 0

    /// How ``densities(normalizedBy:)`` counts the total.
    public enum Normalization: Sendable {
        /// Divide by every sample, including underflow, overflow and NaN: the densities
        /// integrate to the fraction of samples inside [low, high], so they estimate the true
        /// density on the range (the default; what the L1 check compares).
        case allSamples
        /// Divide by the in-range samples only: the densities integrate to 1 over
        /// [low, high] (matplotlib's `density=True` on a clipped range).
        case inRange
    }

    /// `binCount` equal bins on [low, high]; requires finite low < high and binCount ≥ 1.
    public init(low: Double, high: Double, binCount: Int) throws {
        guard low.isFinite, high.isFinite, low < high else {
            throw FlowKitError.invalidParameter(parameter: "range", value: "[\(low), \(high)]",
                                                requirement: "finite with low < high")
        }
        guard binCount >= 1 else {
            throw FlowKitError.invalidParameter(parameter: "bins", value: "\(binCount)", requirement: "≥ 1")
        }
        let inverseWidth = Double(binCount) / (high - low)
        guard inverseWidth.isFinite, inverseWidth > 0 else {
            throw FlowKitError.invalidParameter(parameter: "range", value: "[\(low), \(high)]",
                                                requirement: "wide enough for \(binCount) bins")
        }
        self.low = low
        self.high = high
        self.binCount = binCount
        self.inverseWidth = inverseWidth
        self.counts = [Double](repeating: 0, count: binCount)
    }

    /// The bin width (high − low) / binCount.
    public var binWidth: Double { (high - low) / Double(binCount) }

    /// The bin index of a value in [low, high], or nil for values outside or NaN.
    @inlinable
    public func binIndex(_ x: Double) -> Int? {
        guard x >= low && x <= high else { return nil }
        return Swift.min(Int((x - low) * inverseWidth), binCount - 1)
    }

    /// Adds one sample with weight `weight`.
    public mutating func insert(_ x: Double, weight: Double = 1) {
        if x >= low && x <= high {
            counts[Swift.min(Int((x - low) * inverseWidth), binCount - 1)] += weight
        } else if x < low {
            underflow += weight
        } else if x > high {
            overflow += weight
        } else {
            nanCount += weight
        }
    }

    /// ⌊t⌋ for 0 ≤ t < 2⁵², without the range checks of `Int(_:)`: ⌊t⌋ + 2⁵² is exact, and its
    /// bits minus those of 2⁵² are ⌊t⌋ (one rounding instruction with SSE4.1, then integer
    /// arithmetic). For t = (x − low)·inverseWidth with x in [low, high], t ≤ binCount·(1 + 2⁻⁵²),
    /// so this is the same index as `Int(t)`.
    @inlinable @inline(__always)
    static func floorIndex(_ t: Double) -> Int {
        Int(truncatingIfNeeded: (t.rounded(.down) + 0x1p52).bitPattern &- (0x1p52 as Double).bitPattern)
    }

    /// Adds every value of `buffer` (the fast path: one pass by ``BinScan``, as
    /// ``insert(contentsOf:scanningSupport:_:)`` without the support counts).
    public mutating func insert(contentsOf buffer: UnsafeBufferPointer<Double>) {
        _ = insert(buffer, lower: -.infinity, upper: .infinity, countingSupport: false)
    }

    /// Adds every value of `buffer`, as ``insert(contentsOf:)-(UnsafeBufferPointer<Double>)``,
    /// and in the same pass counts the values that are not finite and the finite values outside
    /// [lower, upper] (end points inside): the support counts of the sample pass, without a second
    /// pass over the values.
    ///
    /// When the buffer holds at least as many values as there are bins, the values are counted
    /// by ``BinScan/countLanes(_:lower:upper:countingSupport:into:)`` in four lanes of 32-bit
    /// integers (a temporary of 4·(binCount + 4) counts, at most 2³² values per round), and each
    /// bin's total, an integer below 2⁵³, is added to `counts` once: the same sums as adding 1
    /// per value, since every partial sum is an integer below 2⁵³ and so exact.
    @discardableResult
    public mutating func insert(contentsOf buffer: UnsafeBufferPointer<Double>, scanningSupport lower: Double,
                                _ upper: Double) -> (nonFinite: Int, outside: Int) {
        insert(buffer, lower: lower, upper: upper, countingSupport: true)
    }

    /// The insertion of both entry points; without `countingSupport` the lane counting skips the
    /// support counts (the value-by-value scan still counts them, and they are discarded).
    @inline(__always)
    private mutating func insert(_ buffer: UnsafeBufferPointer<Double>, lower: Double, upper: Double,
                                 countingSupport: Bool) -> (nonFinite: Int, outside: Int) {
        var scan = BinScan(low: low, high: high, inverseWidth: inverseWidth, binCount: binCount)
        guard buffer.count >= binCount, binCount <= Self.laneCountingBinLimit else {
            counts.withUnsafeMutableBufferPointer { c in
                guard let c = c.baseAddress else { return }
                scan.run(buffer, lower: lower, upper: upper) { c[$0] += 1 }
            }
            underflow += Double(scan.under)
            overflow += Double(scan.over)
            nanCount += Double(scan.nan)
            return (scan.nonFinite, scan.outside)
        }
        let stride = scan.laneStride, bins = binCount
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * stride) { lanes in
            guard let l = lanes.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let end = Swift.min(buffer.count, start + Self.laneCountingRound)
                lanes.initialize(repeating: 0)
                scan.countLanes(UnsafeBufferPointer(rebasing: buffer[start..<end]), lower: lower, upper: upper,
                                countingSupport: countingSupport, into: l)
                @inline(__always) func total(_ slot: Int) -> UInt64 {
                    (UInt64(l[slot]) + UInt64(l[stride + slot]))
                        + (UInt64(l[2 * stride + slot]) + UInt64(l[3 * stride + slot]))
                }
                counts.withUnsafeMutableBufferPointer { c in
                    for b in 0..<bins { c[b] += Double(total(b)) }
                }
                underflow += Double(total(bins))
                overflow += Double(total(bins + 1))
                nanCount += Double(total(bins + 2))
                start = end
            }
        }
        return (scan.nonFinite, scan.outside)
    }

    /// The most bins counted in integer lanes (their temporary stays at most 16 KiB).
    @usableFromInline static let laneCountingBinLimit = 1 << 10
    /// The most values per round of lane counting (so no 32-bit lane count can wrap).
    @usableFromInline static let laneCountingRound = 1 << 32

    /// Adds every value of `values`.
    public mutating func insert<C: Collection>(contentsOf values: C) where C.Element == Double {
        let handled: Void? = values.withContiguousStorageIfAvailable { insert(contentsOf: $0) }
        if handled == nil { for x in values { insert(x) } }
    }

    /// Adds coordinate `coordinate` of every point of `batch` (a marginal histogram).
    public mutating func insert(_ batch: PointBatch, coordinate: Int = 0) {
        precondition(coordinate >= 0 && coordinate < batch.dimension, "coordinate out of range")
        if batch.dimension == 1 {
            batch.values.withUnsafeBufferPointer { insert(contentsOf: $0) }
            return
        }
        for i in 0..<batch.count { insert(batch.values[i * batch.dimension + coordinate]) }
    }

    /// Whether `other` has the same range and bins, so that the two can be merged.
    public func hasSameBinning(as other: Histogram) -> Bool {
        low == other.low && high == other.high && binCount == other.binCount
    }

    /// Adds the counts of `other`, which must have the same binning (a programming error
    /// otherwise). Merging partial histograms of chunks equals inserting all samples.
    public mutating func merge(_ other: Histogram) {
        precondition(hasSameBinning(as: other), "merging histograms with different binning")
        for i in 0..<binCount { counts[i] += other.counts[i] }
        underflow += other.underflow
        overflow += other.overflow
        nanCount += other.nanCount
    }

    /// Adds the counts of one chunk (``HistogramCounts``), which must have this histogram's
    /// binning (a programming error otherwise): the same as inserting the values counted there
    /// (integers below 2⁵³ add exactly).
    public mutating func merge(_ chunk: HistogramCounts) {
        precondition(low == chunk.low && high == chunk.high && binCount == chunk.binCount,
                     "merging counts with different binning")
        counts.withUnsafeMutableBufferPointer { c in
            chunk.counts.withUnsafeBufferPointer { source in
                for i in 0..<binCount { c[i] += Double(source[i]) }
            }
        }
        underflow += Double(chunk.underflow)
        overflow += Double(chunk.overflow)
        nanCount += Double(chunk.nanCount)
    }

    /// Adds integer counts per bin and outside the range (counted elsewhere with this
    /// histogram's binning): the same as inserting the values they count, for totals below 2⁵³.
    public mutating func add(counts bins: [UInt64], underflow under: UInt64, overflow over: UInt64, nan: UInt64) {
        precondition(bins.count == binCount, "one count per bin")
        for i in 0..<binCount { counts[i] += Double(bins[i]) }
        underflow += Double(under)
        overflow += Double(over)
        nanCount += Double(nan)
    }

    /// Sum of the in-range counts.
    public var inRangeCount: Double { counts.reduce(0, +) }
    /// Every sample: in range, underflow, overflow and NaN.
    public var totalCount: Double { inRangeCount + underflow + overflow + nanCount }

    /// The counts as integers (exact for integer counts below 2⁵³; weights are truncated).
    public var integerCounts: [UInt64] { counts.map { $0 > 0 ? UInt64($0) : 0 } }

    /// The binCount + 1 bin edges, low + i·(high − low)/binCount (the last is exactly high).
    public var edges: [Double] {
        (0...binCount).map { i in i == binCount ? high : low + (high - low) * Double(i) / Double(binCount) }
    }

    /// The bin centres.
    public var centers: [Double] {
        (0..<binCount).map { i in low + (high - low) * (Double(i) + 0.5) / Double(binCount) }
    }

    /// count_i / (N · w), with N chosen by `normalization` (see ``Normalization``); all zeros
    /// when N = 0.
    public func densities(normalizedBy normalization: Normalization = .allSamples) -> [Double] {
        let total = normalization == .allSamples ? totalCount : inRangeCount
        guard total > 0 else { return [Double](repeating: 0, count: binCount) }
        let scale = inverseWidth / total
        return counts.map { $0 * scale }
    }
}
