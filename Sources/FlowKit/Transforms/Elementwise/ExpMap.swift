import Foundation

/// exp: ℝ → (0, ∞), y = eˣ, log|T'(x)| = x; inverse x = log y with log|(T⁻¹)'(y)| = −log y
/// (flows.md §2, Zdybał's tutorial).
public struct ExpMap: ScalarBijection {
    public init() {}
    public var name: String { "exp" }
    public var domain: Interval { .real }
    public var codomain: Interval { .positive }
    public var isIncreasing: Bool { true }

    @inlinable
    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) { (exp(x), x) }

    @inlinable
    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let l = log(y)
        return (l, -l)
    }
}
