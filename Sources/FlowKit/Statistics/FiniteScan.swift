/// One buffer of values summarised in two branch-free passes: the moments of its finite values
/// (as a ``RunningMoments`` state, ready for Chan's merge), how many values are not finite, and
/// how many finite values lie outside the closed interval [lower, upper].
///
/// The moments are the corrected two-pass algorithm (Chan, Golub & LeVeque 1983, "Algorithms
/// for computing the sample variance: analysis and recommendations", Am. Stat. 37(3)): pass 1
/// sums the finite values for m = Σx/n (and counts, min, max, support); pass 2 sums the
/// deviations d = x − m,
///
///     S1 = Σd,  S2 = Σd²,  S3 = Σd³,
///     mean = m + S1/n,  M2 = S2 − S1²/n,  M3 = S3 − 3·S1·S2/n + 2·S1³/n²,
///
/// where S1 ≈ 0 is the rounding of m, so the correction terms are tiny and nothing cancels
/// (the deviations are formed from values near m, exactly for values within a factor 2 of m).
/// Its error is at most that of the streaming Welford update of ``RunningMoments/add(_:)``
/// (about n·ε·M2 relative to M2 for the sums, against one rounding per update there), with no
/// division per value. Each sum runs in four interleaved partial sums (lanes i mod 4), added in
/// a fixed order: the result depends only on the buffer, never on threads.
///
/// Non-finite values (±∞, NaN) are counted in `nonFinite` and left out of everything else,
/// as the sample pass requires. Sums that overflow (values near the largest double) fall back
/// to the streaming update.
public struct FiniteScan: Sendable, Equatable {
    /// Moments of the finite values (shift K = m, the first pass's mean).
    public var moments: RunningMoments
    /// Values that are ±∞ or NaN.
    public var nonFinite: Int
    /// Finite values below `lower` or above `upper`.
    public var outside: Int

    /// Scans `values` against the support [lower, upper] (end points inside).
    ///
    /// Lane l of the four-lane vectors accumulates the values at positions i ≡ l (mod 4) of the
    /// whole groups of four, and the last n mod 4 values go to lane 0 one after another; a value
    /// is finite exactly when v − v = 0.
    public init(_ values: UnsafeBufferPointer<Double>, lower: Double = -.infinity, upper: Double = .infinity) {
        let n = values.count
        guard let p = values.baseAddress else {
            self.init(moments: RunningMoments(), nonFinite: 0, outside: 0)
            return
        }
        @inline(__always) func load(_ i: Int) -> SIMD4<Double> {
            UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
        }
        let zero = SIMD4<Double>(repeating: 0), one = SIMD4<Int64>(repeating: 1), none = SIMD4<Int64>(repeating: 0)
        let lowerBound = SIMD4<Double>(repeating: lower), upperBound = SIMD4<Double>(repeating: upper)
        let infinity = SIMD4<Double>(repeating: .infinity)
        var count = none, outside = none
        var sum = zero
        var low = infinity, high = -infinity
        var i = 0
        while i + 4 <= n {
            let v = load(i)
            let finite = v - v .== zero
            count &+= one.replacing(with: 0, where: .!finite)
            outside &+= none.replacing(with: 1, where: finite .& (v .< lowerBound .| v .> upperBound))
            sum += v.replacing(with: 0, where: .!finite)
            low = low.replacing(with: v, where: finite .& (v .< low))
            high = high.replacing(with: v, where: finite .& (v .> high))
            i += 4
        }
        while i < n {
            let v = p[i]
            if v.isFinite {
                count[0] += 1
                if v < lower || v > upper { outside[0] += 1 }
                sum[0] += v
                low[0] = Swift.min(low[0], v)
                high[0] = Swift.max(high[0], v)
            } else {
                sum[0] += 0
            }
            i += 1
        }
        let finiteCount = Int(count.wrappedSum())
        let outsideCount = Int(outside.wrappedSum())
        guard finiteCount > 0 else {
            self.init(moments: RunningMoments(), nonFinite: n, outside: 0)
            return
        }
        let nd = Double(finiteCount)
        let m = ((sum[0] + sum[1]) + (sum[2] + sum[3])) / nd
        guard m.isFinite else {
            var moments = RunningMoments()
            for v in values where v.isFinite { moments.add(v) }
            self.init(moments: moments, nonFinite: n - finiteCount, outside: outsideCount)
            return
        }
        let shift = SIMD4<Double>(repeating: m)
        var s1 = zero, s2 = zero, s3 = zero
        i = 0
        while i + 4 <= n {
            let v = load(i)
            let d = (v - shift).replacing(with: 0, where: .!(v - v .== zero))
            let d2 = d * d
            s1 += d
            s2 += d2
            s3 += d2 * d
            i += 4
        }
        while i < n {
            let v = p[i]
            let d = v.isFinite ? v - m : 0
            let d2 = d * d
            s1[0] += d
            s2[0] += d2
            s3[0] += d2 * d
            i += 1
        }
        let d1 = (s1[0] + s1[1]) + (s1[2] + s1[3])
        let d2 = (s2[0] + s2[1]) + (s2[2] + s2[3])
        let d3 = (s3[0] + s3[1]) + (s3[2] + s3[3])
        let mean = d1 / nd
        let m2 = Swift.max(0, d2 - d1 * mean)
        let m3 = d3 - 3 * mean * d2 + 2 * d1 * mean * mean
        let lowest = Swift.min(Swift.min(low[0], low[1]), Swift.min(low[2], low[3]))
        let highest = Swift.max(Swift.max(high[0], high[1]), Swift.max(high[2], high[3]))
        self.init(moments: RunningMoments(count: finiteCount, shift: m, shiftedMean: mean, m2: m2, m3: m3,
                                          min: lowest, max: highest),
                  nonFinite: n - finiteCount, outside: outsideCount)
    }

    public init(moments: RunningMoments, nonFinite: Int, outside: Int) {
        self.moments = moments
        self.nonFinite = nonFinite
        self.outside = outside
    }
}
