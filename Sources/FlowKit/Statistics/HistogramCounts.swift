/// One chunk's counts in the bins of a ``Histogram``, as 32-bit integers, for histograms with
/// many bins that every chunk fills afresh (the 2¹⁶ bins of the streaming KS test: 256 KiB
/// per chunk to zero instead of 512 KiB to copy, and integer additions, which are exact in any
/// order, when merged).
///
/// The bins are the histogram's: value x in [low, high] goes to bin ⌊(x − low)·inverseWidth⌋,
/// clamped to the last bin, by the same arithmetic as ``Histogram/insert(contentsOf:)``
/// (so merging the counts of every chunk equals inserting every value); values below `low`,
/// above `high` and NaN are counted apart. A chunk holds at most ``capacity`` values, so no
/// count can wrap.
public struct HistogramCounts: Sendable, Equatable {
    /// The most values one instance may count (every count fits in 32 bits).
    public static let capacity = Int(UInt32.max)

    public let low: Double
    public let high: Double
    public let binCount: Int
    public let inverseWidth: Double
    public private(set) var counts: [UInt32]
    public private(set) var underflow = 0
    public private(set) var overflow = 0
    public private(set) var nanCount = 0
    /// Values counted so far (in range or not).
    public private(set) var total = 0

    /// Zero counts in the bins of `histogram`.
    public init(binning histogram: Histogram) {
        low = histogram.low
        high = histogram.high
        binCount = histogram.binCount
        inverseWidth = histogram.inverseWidth
        counts = [UInt32](repeating: 0, count: histogram.binCount)
    }

    /// Counts every value of `buffer`.
    public mutating func insert(contentsOf buffer: UnsafeBufferPointer<Double>) {
        precondition(buffer.count <= Self.capacity - total, "HistogramCounts holds at most 2³² − 1 values")
        var scan = BinScan(low: low, high: high, inverseWidth: inverseWidth, binCount: binCount)
        counts.withUnsafeMutableBufferPointer { c in
            guard let c = c.baseAddress else { return }
            scan.run(buffer) { c[$0] &+= 1 }
        }
        underflow += scan.under
        overflow += scan.over
        nanCount += scan.nan
        total += buffer.count
    }
}
