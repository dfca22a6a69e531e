import Foundation

/// asinh: ℝ → ℝ, y = log(x + √(1 + x²)), log|T'(x)| = −½ log(1 + x²); inverse x = sinh y
/// with log|(T⁻¹)'(y)| = log cosh y. The inverse of ``SinhMap``.
public struct AsinhMap: ScalarBijection {
    public init() {}
    public var name: String { "asinh" }
    public var domain: Interval { .real }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { true }

    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (asinh(x), -ElementwiseMath.halfLogOnePlusSquare(x))
    }

    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (sinh(y), ElementwiseMath.logCosh(y))
    }
}
