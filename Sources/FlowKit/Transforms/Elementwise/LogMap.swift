import Foundation

/// log: (0, ∞) → ℝ, y = log x, log|T'(x)| = −log x; inverse x = eʸ with log|(T⁻¹)'(y)| = y.
public struct LogMap: ScalarBijection {
    public init() {}
    public var name: String { "log" }
    public var domain: Interval { .positive }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    @inlinable
    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        let l = log(x)
        return (l, -l)
    }

    @inlinable
    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) { (exp(y), y) }
}
