import Foundation
// TEMPORARY: stands in for Sources/FlowKit/Special/Special.swift until rng-dist lands; delete on merge.
enum Special {
    static let halfLogTwoPi = 0.9189385332046727
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
    static func normalQuantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        var x = 0.0
        for _ in 0..<100 {
            let step = (normalCDF(x) - p) / exp(-0.5 * x * x - halfLogTwoPi)
            x -= step
            if abs(step) < 1e-16 * max(1, abs(x)) { break }
        }
        return x
    }
}
