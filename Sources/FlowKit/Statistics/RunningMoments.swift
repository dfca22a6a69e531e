/// Streaming, mergeable moments of a sequence: count, mean, variance, skewness, min, max.
///
/// Updates by Welford (1962) extended to the third moment (Terriberry 2007): with
/// δ = x − mean_{n−1}, δ_n = δ/n,
///
///     mean_n = mean_{n−1} + δ_n
///     M3_n   = M3_{n−1} + δ·δ_n²·(n−1)(n−2) − 3 δ_n M2_{n−1}
///     M2_n   = M2_{n−1} + δ·δ_n·(n−1)
///
/// and merging of two partial results A, B by Chan, Golub & LeVeque (1979): with
/// δ = mean_B − mean_A, n = n_A + n_B,
///
///     mean = mean_A + δ·n_B/n
///     M2   = M2_A + M2_B + δ²·n_A·n_B/n
///     M3   = M3_A + M3_B + δ³·n_A·n_B·(n_A − n_B)/n² + 3δ·(n_A·M2_B − n_B·M2_A)/n
///
/// The updates run on shifted data x − K with K the first value seen (the "shifted data"
/// variant): with a large offset (1e9 + noise of std 1e-3) the increments δ/n of an
/// unshifted mean fall below half an ulp of 1e9 and are lost, and the drifting mean biases
/// M2 by n·(drift)²; shifted, the running mean is small and keeps full precision. The
/// textbook Σx² − (Σx)²/n cancels catastrophically on such data. NaN values are counted
/// apart and skipped.
public struct RunningMoments: Sendable, Equatable {
    public private(set) var count: Int = 0
    /// K, the first value seen (0 before any).
    public private(set) var shift: Double = 0
    /// The mean of x − K.
    public private(set) var shiftedMean: Double = 0
    /// Σ (x − mean)².
    public private(set) var m2: Double = 0
    /// Σ (x − mean)³.
    public private(set) var m3: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity
    public private(set) var nanCount: Int = 0

    public init() {}

    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for x in values { add(x) }
    }

    /// The state of `count` values from their sums: shift K, mean of x − K, M2, M3, min and max
    /// (for batch kernels such as ``FiniteScan`` that compute them without a division per value).
    init(count: Int, shift: Double, shiftedMean: Double, m2: Double, m3: Double, min: Double, max: Double) {
        self.count = count
        self.shift = shift
        self.shiftedMean = shiftedMean
        self.m2 = m2
        self.m3 = m3
        self.min = min
        self.max = max
    }

    /// The mean K + mean(x − K); 0 before any value.
    public var mean: Double { shift + shiftedMean }

    public mutating func add(_ x: Double) {
        guard !x.isNaN else { nanCount += 1; return }
        if count == 0 { shift = x.isFinite ? x : 0 }
        let n0 = Double(count)
        count += 1
        let n = Double(count)
        let delta = (x - shift) - shiftedMean
        let deltaN = delta / n
        let term = delta * deltaN * n0
        shiftedMean += deltaN
        m3 += term * deltaN * (n - 2) - 3 * deltaN * m2
        m2 += term
        if x < min { min = x }
        if x > max { max = x }
    }

    public mutating func add(contentsOf buffer: UnsafeBufferPointer<Double>) {
        for x in buffer { add(x) }
    }

    /// Combines with the moments of another part of the data (Chan et al.).
    public mutating func merge(_ other: RunningMoments) {
        nanCount += other.nanCount
        guard other.count > 0 else { return }
        guard count > 0 else {
            let nan = nanCount
            self = other
            nanCount = nan
            return
        }
        let na = Double(count), nb = Double(other.count)
        let n = na + nb
        // The other part's mean relative to our shift.
        let otherShiftedMean = (other.shift - shift) + other.shiftedMean
        let delta = otherShiftedMean - shiftedMean
        let newMean = shiftedMean + delta * nb / n
        let newM2 = m2 + other.m2 + delta * delta * na * nb / n
        let newM3 = m3 + other.m3 + delta * delta * delta * na * nb * (na - nb) / (n * n)
            + 3 * delta * (na * other.m2 - nb * m2) / n
        count += other.count
        shiftedMean = newMean
        m2 = newM2
        m3 = newM3
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// Unbiased sample variance M2/(n − 1); nil for n < 2.
    public var variance: Double? { count > 1 ? m2 / Double(count - 1) : nil }
    /// Population variance M2/n; nil for n = 0.
    public var populationVariance: Double? { count > 0 ? m2 / Double(count) : nil }
    /// Sample standard deviation sqrt(M2/(n − 1)).
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }
    /// Moment skewness g1 = sqrt(n)·M3 / M2^{3/2} (scipy.stats.skew with bias=True); nil when
    /// n < 2 or M2 = 0.
    public var skewness: Double? {
        guard count > 1, m2 > 0 else { return nil }
        let n = Double(count)
        return n.squareRoot() * m3 / (m2 * m2.squareRoot())
    }
}
