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
    public init(_ values: UnsafeBufferPointer<Double>, lower: Double = -.infinity, upper: Double = .infinity) {
        let n = values.count
        var count = (0, 0, 0, 0)
        var outside = (0, 0, 0, 0)
        var sum = (0.0, 0.0, 0.0, 0.0)
        var low = Double.infinity, high = -Double.infinity
        guard let p = values.baseAddress else {
            self.init(moments: RunningMoments(), nonFinite: 0, outside: 0)
            return
        }
        @inline(__always) func first(_ v: Double, _ c: inout Int, _ o: inout Int, _ s: inout Double) {
            let finite = v.isFinite
            c += finite ? 1 : 0
            o += finite && (v < lower || v > upper) ? 1 : 0
            s += finite ? v : 0
            low = Swift.min(low, finite ? v : .infinity)
            high = Swift.max(high, finite ? v : -.infinity)
        }
        var i = 0
        while i + 4 <= n {
            first(p[i], &count.0, &outside.0, &sum.0)
            first(p[i + 1], &count.1, &outside.1, &sum.1)
            first(p[i + 2], &count.2, &outside.2, &sum.2)
            first(p[i + 3], &count.3, &outside.3, &sum.3)
            i += 4
        }
        while i < n {
            first(p[i], &count.0, &outside.0, &sum.0)
            i += 1
        }
        let finiteCount = count.0 + count.1 + count.2 + count.3
        let outsideCount = outside.0 + outside.1 + outside.2 + outside.3
        guard finiteCount > 0 else {
            self.init(moments: RunningMoments(), nonFinite: n, outside: 0)
            return
        }
        let nd = Double(finiteCount)
        let m = ((sum.0 + sum.1) + (sum.2 + sum.3)) / nd
        guard m.isFinite else {
            var moments = RunningMoments()
            for v in values where v.isFinite { moments.add(v) }
            self.init(moments: moments, nonFinite: n - finiteCount, outside: outsideCount)
            return
        }
        var s1 = (0.0, 0.0, 0.0, 0.0), s2 = (0.0, 0.0, 0.0, 0.0), s3 = (0.0, 0.0, 0.0, 0.0)
        @inline(__always) func second(_ v: Double, _ a: inout Double, _ b: inout Double, _ c: inout Double) {
            let d = v.isFinite ? v - m : 0
            let d2 = d * d
            a += d
            b += d2
            c += d2 * d
        }
        i = 0
        while i + 4 <= n {
            second(p[i], &s1.0, &s2.0, &s3.0)
            second(p[i + 1], &s1.1, &s2.1, &s3.1)
            second(p[i + 2], &s1.2, &s2.2, &s3.2)
            second(p[i + 3], &s1.3, &s2.3, &s3.3)
            i += 4
        }
        while i < n {
            second(p[i], &s1.0, &s2.0, &s3.0)
            i += 1
        }
        let d1 = (s1.0 + s1.1) + (s1.2 + s1.3)
        let d2 = (s2.0 + s2.1) + (s2.2 + s2.3)
        let d3 = (s3.0 + s3.1) + (s3.2 + s3.3)
        let mean = d1 / nd
        let m2 = Swift.max(0, d2 - d1 * mean)
        let m3 = d3 - 3 * mean * d2 + 2 * d1 * mean * mean
        self.init(moments: RunningMoments(count: finiteCount, shift: m, shiftedMean: mean, m2: m2, m3: m3,
                                          min: low, max: high),
                  nonFinite: n - finiteCount, outside: outsideCount)
    }

    public init(moments: RunningMoments, nonFinite: Int, outside: Int) {
        self.moments = moments
        self.nonFinite = nonFinite
        self.outside = outside
    }
}
