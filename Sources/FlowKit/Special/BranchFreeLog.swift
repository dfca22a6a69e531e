import Foundation

/// The natural logarithm for batches: no table, no branch for positive normal finite inputs,
/// so a loop over a buffer pipelines (libm's `log` is a call per value).
///
/// Reduction (Tang 1990; the scheme of Sun's fdlibm `e_log.c`): x = 2ᵏ·m with m in
/// [√½, √2), found from the bit pattern, f = m − 1 (exact), s = f/(2 + f), so that
/// log(1 + f) = 2·atanh(s) = f − f²/2 + s·(f²/2 + R) with R = Σ_{j≥1} 2·s^{2j}/(2j + 1)
/// (|s| ≤ 0.1716, s² ≤ 0.0295; eleven Taylor terms leave a truncation below 10⁻¹⁹·|f|); then
/// log x = k·ln2_hi + (log(1 + f) + k·ln2_lo) with ln2 split so that k·ln2_hi is exact.
/// Measured error (tests): at most 1 ulp against `Foundation.log` over 2⁻¹⁰²² … 2¹⁰²⁴, the
/// difference being the last bit (both are faithfully rounded).
/// Zero, negative, subnormal, infinite and NaN inputs are passed to `Foundation.log`.
public enum BranchFreeLog {
    @usableFromInline static let ln2High = 6.93147180369123816490e-01  // ln 2 to 32 bits (k·ln2High exact for |k| < 2¹¹)
    @usableFromInline static let ln2Low = 1.90821492927058770002e-10   // ln 2 − ln2High
    /// The bit pattern of √½ rounded: mantissas at or above it belong to the exponent below.
    @usableFromInline static let sqrtHalfBits: UInt64 = 0x3FE6_A09E_667F_3BCD

    /// log x (see the type's documentation).
    @inlinable @inline(__always)
    public static func log(_ x: Double) -> Double {
        isReducible(x) ? reducedLog(x) : Foundation.log(x)
    }

    /// Whether x is positive, normal and finite: the inputs of ``reducedLog(_:)``.
    @inlinable @inline(__always)
    public static func isReducible(_ x: Double) -> Bool {
        // The biased exponent is in 1…2046 and the sign bit clear.
        x.bitPattern &- 0x0010_0000_0000_0000 < 0x7FE0_0000_0000_0000
    }

    /// log x for positive normal finite x (``isReducible(_:)``), with no branch at all, so that
    /// batch loops, which handle the other inputs in a second pass, keep no call in the loop
    /// (a call in the loop costs more than the arithmetic). Other inputs give garbage.
    @inlinable @inline(__always)
    public static func reducedLog(_ x: Double) -> Double {
        let bits = x.bitPattern
        // k = exponent of x/√½ (rounded down), m = x·2⁻ᵏ in [√½, √2).
        let shifted = Int64(bitPattern: bits &- sqrtHalfBits)
        let k = shifted >> 52
        let m = Double(bitPattern: UInt64(bitPattern: Int64(bitPattern: bits) &- (k << 52)))
        let f = m - 1
        let s = f / (2 + f)
        let z = s * s
        // R = Σ 2z^j/(2j + 1), j = 1…11, by Estrin's scheme (pairs, then powers z², z⁴, z⁸):
        // a short dependency chain, so that consecutive values overlap in the pipeline.
        let z2 = z * z, z4 = z2 * z2, z8 = z4 * z4
        let p01 = 2.0 / 3 + z * (2.0 / 5), p23 = 2.0 / 7 + z * (2.0 / 9)
        let p45 = 2.0 / 11 + z * (2.0 / 13), p67 = 2.0 / 15 + z * (2.0 / 17)
        let p89 = 2.0 / 19 + z * (2.0 / 21)
        let low = (p01 + z2 * p23) + z4 * (p45 + z2 * p67)
        let high = p89 + z2 * (2.0 / 23)
        let r = z * (low + z8 * high)
        let halfSquare = 0.5 * f * f
        let kd = Double(k)
        return kd * ln2High + ((f - (halfSquare - (s * (halfSquare + r) + kd * ln2Low))))
    }

    /// out[i] = log(x[i]); counts must match. One branch-free pass, then a pass over the rare
    /// inputs that are not positive normal finite numbers, if there were any.
    public static func log(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "log(of:into:) needs buffers of equal length")
        var rare: UInt8 = 0
        for i in x.indices {
            out[i] = reducedLog(x[i])
            rare |= isReducible(x[i]) ? 0 : 1
        }
        if rare != 0 { for i in x.indices where !isReducible(x[i]) { out[i] = Foundation.log(x[i]) } }
    }
}
