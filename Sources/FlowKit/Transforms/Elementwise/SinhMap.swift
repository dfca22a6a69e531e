import Foundation

/// sinh: ℝ → ℝ, log|T'(x)| = log cosh x; inverse x = asinh y with
/// log|(T⁻¹)'(y)| = −½ log(1 + y²). Pushes N(0, 1) to p(y) = φ(asinh y)/√(1 + y²)
/// (flows.md §8).
public struct SinhMap: ScalarBijection {
    public init() {}
    public var name: String { "sinh" }
    public var domain: Interval { .real }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (sinh(x), ElementwiseMath.logCosh(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (asinh(y), -ElementwiseMath.halfLogOnePlusSquare(y))
    }
}
