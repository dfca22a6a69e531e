import Foundation

/// exp: ℝ → (0, ∞), y = eˣ, log|T'(x)| = x; inverse x = log y with log|(T⁻¹)'(y)| = −log y
/// (flows.md §2, Zdybał's tutorial).
///
/// eˣ is ``VectorExponential/exp(_:)`` (Cody–Waite reduction and a degree-13 polynomial, within
/// 4 ulp of the C library's exp), sixteen values at a time in the batch pass (by its unclamped
/// form when all sixteen lie in its range) and one lane of it for a single value: every lane
/// computes the same operations, so the batch and scalar paths give the same bits. Below −708, where that
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
    /// loop does), and eˣ in place (the same values as ``forward(_:)``). For d = 1 both happen in
    /// one pass, sixteen values at a time (by ``VectorExponential/expUnclamped(_:)``, without the
    /// clamp and the edge cases, when all sixteen lie in ``VectorExponential/unclampedRange``),
    /// then four, then the last 0–3 values in one padded group; every lane computes the same
    /// operations as the scalar path, so the bits are the same.
    public func forward(_ values: UnsafeMutableBufferPointer<Double>, dimension d: Int,
                        logAbsDet sums: UnsafeMutableBufferPointer<Double>) {
        precondition(values.count == sums.count * d, "one log-det entry per point")
        guard let p = values.baseAddress else { return }
        if d == 1, let s = sums.baseAddress {
            Self.exponentials(p, count: values.count, addingInputsTo: s)
            return
        }
        for i in 0..<sums.count {
            var sum = 0.0
            for j in (i * d)..<((i + 1) * d) { sum += p[j] }
            sums[i] += sum
        }
        Self.exponentials(p, count: values.count, addingInputsTo: nil)
    }

    /// p[i] = eˣ for x = p[i] (the values of ``exponential(_:)``), and, when `sums` is given,
    /// sums[i] += 0 + x first (0 + x: the sum from 0 of the one-coordinate point, so −0 adds as +0).
    @inline(__always)
    static func exponentials(_ p: UnsafeMutablePointer<Double>, count n: Int,
                             addingInputsTo sums: UnsafeMutablePointer<Double>?) {
        @inline(__always) func load(_ q: UnsafePointer<Double>) -> SIMD4<Double> {
            UnsafeRawPointer(q).loadUnaligned(as: SIMD4<Double>.self)
        }
        @inline(__always) func store(_ v: SIMD4<Double>, _ q: UnsafeMutablePointer<Double>) {
            UnsafeMutableRawPointer(q).storeBytes(of: v, as: SIMD4<Double>.self)
        }
        @inline(__always) func addInputs(_ x: SIMD4<Double>, at i: Int) {
            if let s = sums { store(load(s + i) + (0 + x), s + i) }
        }
        /// The C library's exp for the lanes below ``vectorLow`` (the kernel gives 0 there).
        @inline(__always) func fixLow(_ x: SIMD4<Double>, at i: Int) {
            for k in 0..<4 where x[k] < vectorLow { p[i + k] = Foundation.exp(x[k]) }
        }
        let low = SIMD4<Double>(repeating: vectorLow)
        let least = SIMD4<Double>(repeating: VectorExponential.unclampedRange.lowerBound)
        let most = SIMD4<Double>(repeating: VectorExponential.unclampedRange.upperBound)
        var i = 0
        while i + 16 <= n {
            let x0 = load(p + i), x1 = load(p + i + 4), x2 = load(p + i + 8), x3 = load(p + i + 12)
            addInputs(x0, at: i)
            addInputs(x1, at: i + 4)
            addInputs(x2, at: i + 8)
            addInputs(x3, at: i + 12)
            let inside = ((x0 .>= least) .& (x0 .<= most)) .& ((x1 .>= least) .& (x1 .<= most))
                .& ((x2 .>= least) .& (x2 .<= most)) .& ((x3 .>= least) .& (x3 .<= most))
            if all(inside) {
                store(VectorExponential.expUnclamped(x0), p + i)
                store(VectorExponential.expUnclamped(x1), p + i + 4)
                store(VectorExponential.expUnclamped(x2), p + i + 8)
                store(VectorExponential.expUnclamped(x3), p + i + 12)
            } else {
                store(VectorExponential.exp(x0), p + i)
                store(VectorExponential.exp(x1), p + i + 4)
                store(VectorExponential.exp(x2), p + i + 8)
                store(VectorExponential.exp(x3), p + i + 12)
                fixLow(x0, at: i)
                fixLow(x1, at: i + 4)
                fixLow(x2, at: i + 8)
                fixLow(x3, at: i + 12)
            }
            i += 16
        }
        while i + 4 <= n {
            let x = load(p + i)
            addInputs(x, at: i)
            store(VectorExponential.exp(x), p + i)
            if any(x .< low) { fixLow(x, at: i) }
            i += 4
        }
        if i < n {
            var x = SIMD4<Double>(repeating: 0)
            for k in 0..<(n - i) { x[k] = p[i + k] }
            let y = VectorExponential.exp(x)
            for k in 0..<(n - i) {
                if let s = sums { s[i + k] += 0 + x[k] }
                p[i + k] = x[k] < vectorLow ? Foundation.exp(x[k]) : y[k]
            }
        }
    }
}
