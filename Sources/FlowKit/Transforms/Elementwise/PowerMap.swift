import Foundation

/// power: (0, ∞) → (0, ∞), y = xᵖ (p = `exponent` ≠ 0), log|T'(x)| = log|p| + (p − 1) log x;
/// inverse x = y^{1/p} with log|(T⁻¹)'(y)| = −log|p| + (1/p − 1) log y. Decreasing for p < 0.
public struct PowerMap: ScalarBijection {
    public let exponent: Double
    @usableFromInline let inverseExponent: Double
    @usableFromInline let logAbsExponent: Double

    /// Throws ``FlowKitError/invalidParameter`` unless `exponent` is finite and ≠ 0.
    public init(exponent: Double) throws(FlowKitError) {
        try ParameterValidation.nonZero(exponent, "exponent")
        self.exponent = exponent
        self.inverseExponent = 1 / exponent
        self.logAbsExponent = log(abs(exponent))
    }

    public var name: String { "power" }
    public var domain: Interval { .positive }
    public var codomain: Interval { .positive }
    public var isIncreasing: Bool { exponent > 0 }

    @inlinable
    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) {
        (pow(x, exponent), logAbsExponent + (exponent - 1) * log(x))
    }

    @inlinable
    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        (pow(y, inverseExponent), -logAbsExponent + (inverseExponent - 1) * log(y))
    }
}
