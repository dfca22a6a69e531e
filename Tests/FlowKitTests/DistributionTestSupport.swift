import FlowKit
import Foundation

/// A small, local one-sample Kolmogorov–Smirnov test for the sampler tests (kept here so
/// these tests do not depend on the Statistics module).
///
/// D = supₓ |Fₙ(x) − F(x)| from the sorted sample; the p-value uses Stephens' (1970)
/// finite-n correction λ = (√n + 0.12 + 0.11/√n)·D in the Kolmogorov series
/// Q(λ) = 2 Σₖ (−1)ᵏ⁻¹ exp(−2k²λ²) (Numerical Recipes §14.3.3).
enum KolmogorovSmirnov {
    static func statistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        let sorted = sample.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = cdf(x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    static func pValue(statistic d: Double, count: Int) -> Double {
        let rootN = Double(count).squareRoot()
        let lambda = (rootN + 0.12 + 0.11 / rootN) * d
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? term : -term)
            if term < 1e-18 { break }
        }
        return min(1, max(0, 2 * sum))
    }

    /// (D, p) for `sample` against `cdf`.
    static func test(_ sample: [Double], cdf: (Double) -> Double) -> (d: Double, p: Double) {
        let d = statistic(sample, cdf: cdf)
        return (d, pValue(statistic: d, count: sample.count))
    }
}
