import Foundation

/// exp: ℝ → (0, ∞), y = eˣ, log|T'(x)| = x; inverse x = log y with log|(T⁻¹)'(y)| = −log y
/// (flows.md §2, Zdybał's tutorial).
///
/// eˣ is ``VectorExponential/exp(_:)`` (Cody–Waite reduction and a degree-13 polynomial, within
/// 4 ulp of the C library's exp), four values at a time in the batch pass and one lane of it for
/// a single value, so the batch and scalar paths give the same bits. Below −708, where that
/// kernel flushes the subnormal results to 0, the C library's exp is used (e⁻⁷⁴⁵ and beyond
/// stay subnormal, not 0), so the map's values at the edge of its range are libm's.
public struct ExpMap: ScalarBijection {
    public init() {}
    public var name: String { "exp" }
    public var domain: Interval { .real }
    public var codomain: Interval { .positive }
    public var isIncreasing: Bool { true }

    /// Inputs below this go to the C library's exp (``VectorExponential/exp(_:)`` gives 0 there).
    @usableFromInline static let vectorLow = -708.0

    /// eˣ: one lane of the four-lane kernel, or libm's below ``vectorLow``.
    @inlinable
    public static func exponential(_ x: Double) -> Double {
        x < vectorLow ? Foundation.exp(x) : VectorExponential.exp(SIMD4(repeating: x))[0]
    }

    @inlinable
    public func forward(_ x: Double) -> (value: Double, logAbsDet: Double) { (Self.exponential(x), x) }

    @inlinable
    public func inverse(_ y: Double) -> (value: Double, logAbsDet: Double) {
        let l = log(y)
        return (l, -l)
    }

    /// The batch pass: each point's Σⱼ xⱼ summed from 0 and added to `logAbsDet` (as the default
    /// loop does), then eˣ four values at a time in place (the same values as ``forward(_:)``).
    public func forward(_ values: UnsafeMutableBufferPointer<Double>, dimension d: Int,
                        logAbsDet sums: UnsafeMutableBufferPointer<Double>) {
        precondition(values.count == sums.count * d, "one log-det entry per point")
        guard let p = values.baseAddress else { return }
        if d == 1 {
            for i in 0..<sums.count { sums[i] += 0 + p[i] }
        } else {
            for i in 0..<sums.count {
                var sum = 0.0
                for j in (i * d)..<((i + 1) * d) { sum += p[j] }
                sums[i] += sum
            }
        }
        let n = values.count
        let low = SIMD4<Double>(repeating: Self.vectorLow)
        var i = 0
        while i + 4 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self)
            let y = VectorExponential.exp(x)
            UnsafeMutableRawPointer(p + i).storeBytes(of: y, as: SIMD4<Double>.self)
            if any(x .< low) {
                for k in 0..<4 where x[k] < Self.vectorLow { p[i + k] = Foundation.exp(x[k]) }
            }
            i += 4
        }
        while i < n {
            p[i] = Self.exponential(p[i])
            i += 1
        }
    }
}
