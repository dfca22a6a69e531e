import FlowKit
import Foundation

extension KolmogorovSmirnov {
    /// (D, p) for an unsorted `sample` against `cdf`: a test convenience over
    /// ``KolmogorovSmirnov/exact(sortedSample:cdf:)``.
    static func test(_ sample: [Double], cdf: (Double) -> Double) -> (d: Double, p: Double) {
        let result = exact(sortedSample: sample.sorted(), cdf: cdf)
        return (result.statistic, result.pValue)
    }
}
