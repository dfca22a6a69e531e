/// Distances between a histogram of samples and a reference distribution.
public enum HistogramDensityDistance {
    /// The L1 distance between the histogram's binned distribution and the reference's:
    ///
    ///     L1 = Σ_i |c_i/N − (F(b_i) − F(a_i))| + |u/N − F(low)| + |o/N − (1 − F(high))|
    ///
    /// with bins [a_i, b_i), N every sample (underflow u, overflow o and NaN included; NaN
    /// samples are mass the reference does not have). Each bin term equals
    /// ∫_{a_i}^{b_i} |ĥ − p̄_i| dx for the density histogram ĥ = c_i/(N·w) and the exact bin
    /// average p̄_i = (F(b_i) − F(a_i))/w of the reference density, so the sum is the L1
    /// distance between the density histogram and the bin-averaged density, plus the
    /// difference of the masses outside the range. It lies in [0, 2]; 0 when the counts are
    /// the exact bin masses. Returns NaN for an empty histogram.
    public static func l1(_ histogram: Histogram, cdf: (Double) -> Double) -> Double {
        let total = histogram.totalCount
        guard total > 0 else { return .nan }
        let edges = histogram.edges
        var cdfValues = edges.map(cdf)
        // Keep the CDF values monotone against rounding in the caller's CDF.
        for i in 1..<cdfValues.count where cdfValues[i] < cdfValues[i - 1] { cdfValues[i] = cdfValues[i - 1] }
        var sum = 0.0
        for i in 0..<histogram.binCount {
            sum += abs(histogram.counts[i] / total - (cdfValues[i + 1] - cdfValues[i]))
        }
        sum += abs(histogram.underflow / total - cdfValues[0])
        sum += abs(histogram.overflow / total - (1 - cdfValues[histogram.binCount]))
        sum += histogram.nanCount / total
        return sum
    }

    /// The same distance for a 2-D histogram, given the reference's mass in each bin
    /// (`binMasses` in the layout of ``Histogram2D/counts``, e.g. from integrating a density
    /// over each bin): Σ |c_b/N − m_b| + |(outOfRange + NaN)/N − (1 − Σ m_b)|, N every
    /// sample. Throws when the number of masses does not match the bins; NaN when empty.
    public static func l1(_ histogram: Histogram2D, binMasses: [Double]) throws -> Double {
        guard binMasses.count == histogram.counts.count else {
            throw FlowKitError.dimensionMismatch(what: "bin masses of a \(histogram.xBinCount) × \(histogram.yBinCount) histogram",
                                                 expected: histogram.counts.count, found: binMasses.count)
        }
        let total = histogram.totalCount
        guard total > 0 else { return .nan }
        var sum = 0.0, inside = 0.0
        for (c, m) in zip(histogram.counts, binMasses) {
            sum += abs(c / total - m)
            inside += m
        }
        return sum + abs((histogram.outOfRange + histogram.nanCount) / total - max(0, 1 - inside))
    }
}
