import FlowKit
import Foundation

/// (D, p) of the exact one-sample Kolmogorov–Smirnov test of `sample` against `cdf`
/// (FlowKit's Statistics/KolmogorovSmirnov on the sorted sample).
func ksTest(_ sample: [Double], cdf: (Double) -> Double) -> (d: Double, p: Double) {
    let result = KolmogorovSmirnov.exact(sortedSample: sample.sorted(), cdf: cdf)
    return (result.statistic, result.pValue)
}
