import Foundation

/// affine: ℝ → ℝ, y = a·x + b (a = `scale` ≠ 0, b = `shift`), log|T'| = log|a|; inverse
/// x = (y − b)/a with log|(T⁻¹)'| = −log|a|, a constant Jacobian. With a = −1, b = 0 it
/// turns −log of a uniform into an exponential (flows.md §8).
public struct AffineMap: ScalarBijection {
    public let scale: Double
    public let shift: Double
    @usableFromInline let logAbsScale: Double
    @usableFromInline let logAbsInverseScale: Double

    /// Throws ``FlowKitError/invalidParameter`` unless `scale` is finite and ≠ 0 and `shift`
    /// is finite.
    public init(scale: Double, shift: Double = 0) throws(FlowKitError) {
        try ParameterValidation.nonZero(scale, "scale")
        try ParameterValidation.finite(shift, "shift")
        self.scale = scale
        self.shift = shift
        self.logAbsScale = log(abs(scale))
        self.logAbsInverseScale = -log(abs(scale))
    }

    public var name: String { "affine" }
    public var domain: Interval { .real }
    public var codomain: Interval { .real }
    public var isIncreasing: Bool { scale > 0 }
    public var hasConstantJacobian: Bool { true }

    @inlinable
    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (scale * x + shift, logAbsScale)
    }

    @inlinable
    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        ((y - shift) / scale, logAbsInverseScale)
    }
}
