/// A partition of the real line into bins that a value finds from its bit pattern, built for a
/// reference distribution F so that every bin holds at most ``maximumMass`` of its probability
/// and F is known at every bin edge: the streaming Kolmogorov–Smirnov test and the PIT
/// histograms of a pass of any length, with no F(x) per value (issue 13).
///
/// **Keys.** The ordered key of a double x is its bit pattern with the sign bit set when x ≥ +0
/// and all bits flipped when x is negative; keys are in the order of the values (−0 just below
/// +0), from −∞ to +∞, with the NaNs beyond both ends. A key's top 18 bits (sign, exponent and
/// the top 6 significand bits) name its *coarse bucket*: 64 buckets per octave [2ᵉ, 2ᵉ⁺¹).
///
/// **Bins.** Every bin is a key interval [K_i, K_{i+1}): a coarse bucket cut into m nearly equal
/// key ranges by the top 32 of its 46 low key bits, h (range j starts at h = ⌈j·2³²/m⌉), or a run
/// of consecutive coarse buckets merged into one
/// bin (the tails, the octaves near 0, the empty half-line of a one-sided support). A coarse
/// bucket may hold one *threshold* t that splits one of its bins in two; the thresholds are the
/// keys where the bin of u = F(x) in a requested histogram of u changes (the PIT edges), so each
/// bin lies inside one bin of each such histogram. With the bucket's table entry (base, shift,
/// t), the bin of x is
///
///     base + ⌊m·h / 2³²⌋ + (x ≥ t ? 1 : 0),   h = (low 46 key bits) >> 14,
///
/// integer operations (m·h < 2⁵⁰: one 32 × 32-bit vector multiply) and one comparison (t is NaN
/// where a bucket has no threshold), four values at a time; keys below
/// or above the table clamp to its first or last entry, which are merged single bins. NaN values
/// go to a bin of their own, ``nanBin``, and are left out of the KS test (as the exact test
/// leaves them out); in a u-histogram they count where u = F(NaN) falls, as they would if u
/// were computed per value.
///
/// **Guarantee.** Built by ``init(reference:maximumMass:uHistograms:maximumBins:)``, which
/// evaluates F (``UnivariateDistribution/cdf(_:)``; ``UnivariateDistribution/survival(_:)``
/// in the right half, where 1 − F would cancel) at every edge and subdivides a bucket until each
/// of its bins has F-mass ≤ ``maximumMass``. So, with C_i the number of values below edge i,
/// the KS bounds of ``KolmogorovSmirnov/streaming(binCounts:edgeCDF:)`` hold with
/// D_upper − D_edge ≤ ``maximumMass``; and a bin's values all have u = F(x) in the same bin of
/// each requested u-histogram, up to the monotonicity of the floating-point F (values within a
/// few ulps of a threshold).
public struct CDFBinning: Sendable {
    /// Key bits below the coarse bucket index.
    public static let coarseShift: UInt64 = 46
    @usableFromInline static let lowMask: UInt64 = (1 << 46) - 1
    /// Low key bits below h, the part of the key that picks a range.
    @usableFromInline static let rangeShift: UInt64 = 14

    /// One coarse bucket's rule: its first bin, the number m of equal key ranges it is cut
    /// into (0 or 1: the whole bucket is one bin), and its threshold (NaN: none).
    @usableFromInline struct Entry: Sendable {
        @usableFromInline var base: UInt32
        @usableFromInline var parts: UInt32
        @usableFromInline var threshold: Double
    }
    /// The most ranges a coarse bucket is cut into.
    static let maximumParts = 1 << 18

    /// The entries of coarse buckets ``firstCoarse`` … ``firstCoarse`` + entryCount − 1, two
    /// words each: base | m << 32, and the bits of t.
    @usableFromInline let table: [UInt64]
    @usableFromInline let entryCount: Int
    @usableFromInline let firstCoarse: Int
    /// ``nanBin``, stored for the counting loop.
    @usableFromInline let nanIndex: Int
    /// Lower edge of each bin as a key (``lowerKeys``[0] = 0: the first bin starts below −∞).
    public let lowerKeys: [UInt64]
    /// F at each bin's lower edge (0 for the first bin).
    public let edgeCDF: [Double]
    /// The largest F-mass the bins were built to hold.
    public let maximumMass: Double
    /// For each requested u-histogram, the bin of u for each of our bins: −1 below its range,
    /// its bin count above.
    public let uBins: [[Int32]]
    /// For each requested u-histogram, the bin of u = F(NaN) for NaN values (the reference's own
    /// F at NaN, as a pass that computes u per value would count them; −2 when F(NaN) is NaN).
    public let nanUBins: [Int32]

    /// Bins for values (NaN excluded).
    public var binCount: Int { lowerKeys.count }
    /// The bin of NaN values: the last index of a counts array of ``countsLength`` entries.
    public var nanBin: Int { lowerKeys.count }
    /// Entries of a counts array: every bin and the NaN bin.
    public var countsLength: Int { lowerKeys.count + 1 }

    // MARK: - Keys

    /// The ordered key of x (see the type's documentation).
    @inlinable @inline(__always)
    public static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63))
    }

    /// The double whose ordered key is `key`.
    @inlinable
    public static func value(ofKey key: UInt64) -> Double {
        key >> 63 == 1 ? Double(bitPattern: key & ~(1 << 63)) : Double(bitPattern: ~key)
    }

    static let negativeInfinityKey = key(-.infinity)
    static let positiveInfinityKey = key(.infinity)

    // MARK: - Building

    /// The binning of `reference` with bins of F-mass at most `maximumMass`, whose bins each lie
    /// in one bin of every histogram of u = F(x) in `uHistograms` (their ranges and bin counts;
    /// their counts are not read). Nil when that is not possible within these limits: a coarse
    /// bucket holding two thresholds (u-histogram edges closer in F than the bucket's mass),
    /// or more than `maximumBins` bins (a reference with very narrow features).
    public init?(reference: any UnivariateDistribution, maximumMass: Double, uHistograms: [Histogram] = [],
                 maximumBins: Int = 1 << 18) {
        precondition(maximumMass > 0 && maximumMass < 1, "maximumMass must be in (0, 1)")
        let f = EdgeCDF(reference)
        // Thresholds: the keys where the u-bin of some requested histogram changes.
        var thresholds = Set<UInt64>()
        for h in uHistograms {
            let lowClass = Self.uBin(f.cdf(Self.negativeInfinityKey), h)
            let highClass = Self.uBin(f.cdf(Self.positiveInfinityKey), h)
            guard lowClass <= highClass else { return nil }
            for j in stride(from: lowClass + 1, through: highClass, by: 1) {
                thresholds.insert(Self.firstKey(from: Self.negativeInfinityKey, to: Self.positiveInfinityKey) {
                    Self.uBin(f.cdf($0), h) >= j
                })
            }
        }
        let sortedThresholds = thresholds.sorted()

        var builder = Builder(f: f, maximumMass: maximumMass, maximumBins: maximumBins)
        var next = 0   // the first threshold not yet placed
        let coarsePerOctave: UInt64 = 64
        for octave in UInt64(0)..<4096 {
            let octaveLow = octave << 52
            let octaveEnd = octave == 4095 ? UInt64.max : (octave + 1) << 52   // exclusive (the last: inclusive)
            let hasThreshold = next < sortedThresholds.count && sortedThresholds[next] < octaveEnd
            if !hasThreshold, builder.tryMergeWhole(to: octaveEnd, buckets: Int(coarsePerOctave)) { continue }
            for c in 0..<coarsePerOctave {
                let low = octaveLow | c << Self.coarseShift
                let end = (octave == 4095 && c == coarsePerOctave - 1) ? UInt64.max : low + (1 << Self.coarseShift)
                var threshold: UInt64?
                if next < sortedThresholds.count, sortedThresholds[next] < end || end == .max {
                    threshold = sortedThresholds[next]
                    next += 1
                    if next < sortedThresholds.count, sortedThresholds[next] < end || end == .max { return nil }
                }
                guard builder.addBucket(low: low, end: end, threshold: threshold) else { return nil }
            }
        }
        let built = builder.finish()
        table = built.entries.flatMap { [UInt64($0.base) | UInt64($0.parts) << 32, $0.threshold.bitPattern] }
        entryCount = built.entries.count
        firstCoarse = built.firstCoarse
        nanIndex = built.lowerKeys.count
        lowerKeys = built.lowerKeys
        edgeCDF = built.edgeCDF
        self.maximumMass = maximumMass
        // Each bin's u-bin, from F at its lower edge (already in edgeCDF): every value of the bin
        // has the same u-bin, since a threshold starts a bin wherever the u-bin changes.
        uBins = uHistograms.map { h in built.edgeCDF.map { Int32(Self.uBin($0, h)) } }
        nanUBins = uHistograms.map { Int32(Self.uBin(reference.cdf(.nan), $0)) }
    }

    /// The bin of u in `h` as a class: −1 below its range, 0 … bins − 1, bins above, −2 for NaN.
    static func uBin(_ u: Double, _ h: Histogram) -> Int {
        if u.isNaN { return -2 }
        if u < h.low { return -1 }
        if u > h.high { return h.binCount }
        return h.binIndex(u) ?? h.binCount
    }

    /// The smallest key in [low, high] where `holds` is true (true at high is assumed; `holds`
    /// must be false-then-true along the keys), by bisection on the keys.
    static func firstKey(from low: UInt64, to high: UInt64, where holds: (UInt64) -> Bool) -> UInt64 {
        if holds(low) { return low }
        var lo = low, hi = high   // holds(lo) false, holds(hi) true
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if holds(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }

    // MARK: - Counting

    /// The bin of x (``nanBin`` for NaN).
    @inlinable
    public func bin(of x: Double) -> Int {
        table.withUnsafeBufferPointer { words in
            guard let words = words.baseAddress else { return nanIndex }
            return Int(bins(of: SIMD4(repeating: x), words)[0])
        }
    }

    /// The bins of four values (see the type's documentation): vector arithmetic, with each
    /// lane's two table words read one by one (a gather is no faster here).
    @inlinable @inline(__always)
    func bins(of x: SIMD4<Double>, _ words: UnsafePointer<UInt64>) -> SIMD4<Int64> {
        let bits = unsafeBitCast(x, to: SIMD4<UInt64>.self)
        let sign = unsafeBitCast(unsafeBitCast(bits, to: SIMD4<Int64>.self) &>> 63, to: SIMD4<UInt64>.self)
        let key = bits ^ (sign | SIMD4(repeating: 1 << 63))
        var c = unsafeBitCast(key &>> Self.coarseShift, to: SIMD4<Int64>.self) &- Int64(firstCoarse)
        c.replace(with: 0, where: c .< 0)
        let last = Int64(entryCount - 1)
        c.replace(with: last, where: c .> last)
        let i0 = 2 * Int(c[0]), i1 = 2 * Int(c[1]), i2 = 2 * Int(c[2]), i3 = 2 * Int(c[3])
        let head = SIMD4<UInt64>(words[i0], words[i1], words[i2], words[i3])
        let threshold = unsafeBitCast(SIMD4<UInt64>(words[i0 + 1], words[i1 + 1], words[i2 + 1], words[i3 + 1]),
                                      to: SIMD4<Double>.self)
        let low32 = SIMD4<UInt64>(repeating: 0xFFFF_FFFF)
        // h < 2³² and m < 2¹⁹: one 32 × 32 → 64-bit multiply per lane.
        let h = ((key & SIMD4(repeating: Self.lowMask)) &>> Self.rangeShift) & low32
        let part = (h &* (head &>> 32)) &>> 32
        var bin = unsafeBitCast((head & low32) &+ part, to: SIMD4<Int64>.self)
        bin.replace(with: bin &+ 1, where: x .>= threshold)
        bin.replace(with: Int64(nanIndex), where: x .!= x)
        return bin
    }

    /// Values whose bins are found before their counts are increased (4 KiB of indices).
    @usableFromInline static let countingBlock = 1024

    /// Adds one to `counts[bin(of: x)]` for every x of `values`; `counts` has ``countsLength``
    /// entries and room for the additions (the caller keeps the totals below 2³²).
    ///
    /// Block by block in two loops: first the bins of a block, four values at a time, then the
    /// increments, a short loop whose scattered reads of `counts` (larger than the first-level
    /// cache) the processor can keep many of in flight.
    @inlinable
    public func count(_ values: UnsafeBufferPointer<Double>, into counts: UnsafeMutablePointer<UInt32>) {
        guard let x = values.baseAddress else { return }
        table.withUnsafeBufferPointer { words in
            guard let words = words.baseAddress else { return }
            withUnsafeTemporaryAllocation(of: Int64.self, capacity: Self.countingBlock) { bins in
                guard let b = bins.baseAddress else { return }
                var start = 0
                while start < values.count {
                    let n = Swift.min(Self.countingBlock, values.count - start)
                    var i = 0
                    while i + 4 <= n {
                        let v = UnsafeRawPointer(x + start + i).loadUnaligned(as: SIMD4<Double>.self)
                        UnsafeMutableRawPointer(b + i).storeBytes(of: self.bins(of: v, words), as: SIMD4<Int64>.self)
                        i += 4
                    }
                    while i < n {
                        b[i] = self.bins(of: SIMD4(repeating: x[start + i]), words)[0]
                        i += 1
                    }
                    for k in 0..<n { counts[Int(truncatingIfNeeded: b[k])] &+= 1 }
                    start += n
                }
            }
        }
    }

    // MARK: - Results

    /// The streaming KS test of the counted values against the reference (NaN excluded).
    public func kolmogorovSmirnov(counts: [UInt64]) -> KSResult {
        precondition(counts.count == countsLength, "one count per bin and the NaN bin")
        return KolmogorovSmirnov.streaming(binCounts: Array(counts[0..<binCount]), edgeCDF: edgeCDF)
    }

    /// Adds the counted values to `histogram`, which must have the binning of the
    /// `uHistograms[index]` the binning was built for: the histogram of u = F(x).
    public func addU(counts: [UInt64], to histogram: inout Histogram, index: Int) {
        precondition(counts.count == countsLength, "one count per bin and the NaN bin")
        var bins = [UInt64](repeating: 0, count: histogram.binCount)
        var under: UInt64 = 0, over: UInt64 = 0, nan: UInt64 = 0
        for (i, u) in (uBins[index] + [nanUBins[index]]).enumerated() {
            switch Int(u) {
            case -2: nan += counts[i]
            case -1: under += counts[i]
            case bins.count...: over += counts[i]
            default: bins[Int(u)] += counts[i]
            }
        }
        histogram.add(counts: bins, underflow: under, overflow: over, nan: nan)
    }
}

// MARK: - Building blocks

/// F at keys, with the ends pinned: F = 0 at and below −∞, 1 at and above +∞.
private struct EdgeCDF {
    let distribution: any UnivariateDistribution
    init(_ distribution: any UnivariateDistribution) { self.distribution = distribution }

    func cdf(_ key: UInt64) -> Double {
        if key <= CDFBinning.negativeInfinityKey { return 0 }
        if key >= CDFBinning.positiveInfinityKey { return 1 }
        return distribution.cdf(CDFBinning.value(ofKey: key))
    }

    /// F at a key, and S = 1 − F by the survival function where F > ½ (where 1 − F would
    /// cancel); the top key (a NaN) counts as +∞.
    func values(_ key: UInt64) -> EdgeValues {
        let c = cdf(key)
        guard c > 0.5 else { return EdgeValues(cdf: c, survival: 1 - c) }
        if key >= CDFBinning.positiveInfinityKey { return EdgeValues(cdf: 1, survival: 0) }
        return EdgeValues(cdf: c, survival: distribution.survival(CDFBinning.value(ofKey: key)))
    }

    /// The probability between two edges a ≤ b: F(b) − F(a), or S(a) − S(b) where F(a) > ½.
    func mass(_ a: EdgeValues, _ b: EdgeValues) -> Double {
        a.cdf > 0.5 ? Swift.max(0, a.survival - b.survival) : Swift.max(0, b.cdf - a.cdf)
    }
}

/// F and S = 1 − F at an edge (S by the survival function in the right half).
private struct EdgeValues {
    var cdf: Double
    var survival: Double
}

/// Lays out bins and table entries bucket by bucket, in key order.
private struct Builder {
    let f: EdgeCDF
    let maximumMass: Double
    let maximumBins: Int
    var entries: [CDFBinning.Entry] = []
    var lowerKeys: [UInt64] = [0]
    var edgeCDF: [Double] = [0]
    /// F-mass of the open (last) bin (whole buckets that follow may join it).
    var openMass = 0.0
    /// F (and S) at the next key to place (the end of what is laid out so far).
    var cdfAtEnd = EdgeValues(cdf: 0, survival: 1)

    init(f: EdgeCDF, maximumMass: Double, maximumBins: Int) {
        self.f = f
        self.maximumMass = maximumMass
        self.maximumBins = maximumBins
        entries.reserveCapacity(4096)
    }

    var openBin: UInt32 { UInt32(lowerKeys.count - 1) }

    /// Merges `buckets` whole coarse buckets, from the end of what is laid out to `end`, into the
    /// open bin when its mass allows.
    mutating func tryMergeWhole(to end: UInt64, buckets: Int) -> Bool {
        let fEnd = f.values(end)
        let m = f.mass(cdfAtEnd, fEnd)
        guard openMass + m <= maximumMass else { return false }
        entries.append(contentsOf: repeatElement(CDFBinning.Entry(base: openBin, parts: 0, threshold: .nan), count: buckets))
        openMass += m
        cdfAtEnd = fEnd
        return true
    }

    /// Lays out one coarse bucket [low, end) with at most one threshold; false when the bins
    /// would exceed the limit.
    mutating func addBucket(low: UInt64, end: UInt64, threshold: UInt64?) -> Bool {
        if threshold == nil, tryMergeWhole(to: end, buckets: 1) { return true }
        // The bucket starts bins of its own: m ranges, m the least (found by steps of 5%) that
        // keeps every bin, the threshold's two parts included, within the maximum mass.
        let fEnd = f.values(end)
        let total = f.mass(cdfAtEnd, fEnd)
        var parts = Swift.max(1, Int((total / maximumMass * 1.02).rounded(.up)))
        while parts <= CDFBinning.maximumParts {
            if let laid = layout(low: low, end: end, fLow: cdfAtEnd, fEnd: fEnd, parts: parts, threshold: threshold) {
                guard lowerKeys.count + laid.keys.count <= maximumBins else { return false }
                entries.append(CDFBinning.Entry(base: UInt32(lowerKeys.count), parts: UInt32(parts),
                                                threshold: threshold.map { CDFBinning.value(ofKey: $0) } ?? .nan))
                lowerKeys += laid.keys
                edgeCDF += laid.cdf
                openMass = laid.lastMass
                cdfAtEnd = fEnd
                return true
            }
            parts = Swift.max(parts + 1, Int((Double(parts) * 1.05).rounded(.up)))
        }
        return false
    }

    /// The low key bits where range j of m starts: ⌈j·2³²/m⌉·2¹⁴ (j·2³² < 2⁵⁰).
    func rangeStart(_ j: UInt64, _ m: UInt64) -> UInt64 {
        ((j << 32 + m - 1) / m) << CDFBinning.rangeShift
    }

    /// The bins of [low, end) cut into `parts` ranges and at the threshold, or nil when one would
    /// hold more than the maximum mass. Range j starts at low + ⌈j·2³²/m⌉·2¹⁴, the least low bits whose
    /// ⌊m·bits/2⁴⁶⌋ is j.
    func layout(low: UInt64, end: UInt64, fLow: EdgeValues, fEnd: EdgeValues, parts: Int, threshold: UInt64?)
        -> (keys: [UInt64], cdf: [Double], lastMass: Double)? {
        let m = UInt64(parts)
        var keys: [UInt64] = []
        keys.reserveCapacity(parts + 1)
        for j in 0..<m {
            let k = low + rangeStart(j, m)
            keys.append(k)
            if let t = threshold, t >= k {
                let next: UInt64? = j + 1 < m ? low + rangeStart(j + 1, m) : nil
                if next.map({ t < $0 }) ?? true { keys.append(t) }
            }
        }
        var values = keys.map { $0 == low ? fLow : f.values($0) }
        values.append(fEnd)
        var lastMass = 0.0
        for i in keys.indices {
            let mass = f.mass(values[i], values[i + 1])
            if mass > maximumMass { return nil }
            lastMass = mass
        }
        return (keys, values.dropLast().map(\.cdf), lastMass)
    }

    /// The table trimmed to the entries between the merged first and last bins.
    func finish() -> (entries: [CDFBinning.Entry], firstCoarse: Int, lowerKeys: [UInt64], edgeCDF: [Double]) {
        func isWhole(_ e: CDFBinning.Entry, bin: UInt32) -> Bool { e.base == bin && e.parts == 0 && e.threshold.isNaN }
        var first = 0
        while first + 1 < entries.count, isWhole(entries[first + 1], bin: 0) { first += 1 }
        var last = entries.count - 1
        let lastBin = UInt32(lowerKeys.count - 1)
        while last - 1 > first, isWhole(entries[last - 1], bin: lastBin), isWhole(entries[last], bin: lastBin) { last -= 1 }
        return (Array(entries[first...last]), first, lowerKeys, edgeCDF)
    }
}
