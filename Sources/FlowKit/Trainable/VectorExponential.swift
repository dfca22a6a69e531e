/// eˣ − 1 and eˣ on four lanes at once, for the MLP's ELU and SELU activations and the spline
/// coupling's softmax (the C library's `expm1` and `exp` are one call per value, on the hot
/// path of every trainable spline and flow-matching field).
///
/// Cody–Waite reduction x = n·ln 2 + r, n = round(x/ln 2), |r| ≤ ln 2/2, with ln 2 split in
/// fdlibm's two parts (n·ln2_hi exact); q = eʳ − 1 by its Taylor polynomial to r¹³ (truncation
/// below 5·10⁻¹⁸ relative on |r| ≤ 0.347); then eˣ − 1 = 2ⁿ·q + (2ⁿ − 1), with 2ⁿ built in the
/// exponent bits (multiply–adds fused with `FLOWKIT_FMA`). Accurate to a few ulp on [−700, 700] (inputs are clamped there: e⁻⁷⁰⁰ − 1
/// = −1 in double precision). Pure lane-wise arithmetic: the result of a lane never depends
/// on the other lanes, so it is the same whatever the batch split.
public enum VectorExponential {
    private static let log2e = 1.4426950408889634
    private static let ln2Hi = 6.93147180369123816490e-01
    private static let ln2Lo = 1.90821492927058770002e-10
    /// 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits.
    private static let shifter = 6755399441055744.0

    /// The shared core of ``expm1(_:)`` and ``exp(_:)`` for a clamped x: n = round(x/ln 2) held
    /// in the low bits of `shifted`, and q = eʳ − 1 for r = x − n·ln 2 (Cody–Waite, fdlibm's split
    /// of ln 2; Taylor polynomial to r¹³).
    @inline(__always)
    private static func reduced(_ x: SIMD4<Double>) -> (shifted: SIMD4<Double>, q: SIMD4<Double>) {
        let shifted = x * log2e + shifter   // not fused: the rounding to n must not change
        let n = shifted - shifter
        let r = (x - n * ln2Hi) - n * ln2Lo
        var c = SIMD4<Double>(repeating: 1.0 / 6227020800.0)   // 1/13!
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 479001600.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 39916800.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 3628800.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 362880.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 40320.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 5040.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 720.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 120.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 24.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 1.0 / 6.0), c, r)
        c = FeatureMajorKernels.madd(SIMD4(repeating: 0.5), c, r)
        let q = FeatureMajorKernels.madd(r, r * r, c)
        return (shifted, q)
    }

    @inline(__always)
    public static func expm1(_ input: SIMD4<Double>) -> SIMD4<Double> {
        let limit = SIMD4<Double>(repeating: 700)
        var x = input.replacing(with: -limit, where: input .< -limit)
        x.replace(with: limit, where: x .> limit)
        let (shifted, q) = reduced(x)
        // 2ⁿ: the low bits of `shifted` hold n; n + 1023 moved into the exponent field.
        let bits = (unsafeBitCast(shifted, to: SIMD4<UInt64>.self) &+ 1023) &<< 52
        let scale = unsafeBitCast(bits, to: SIMD4<Double>.self)
        return FeatureMajorKernels.madd(scale - 1, scale, q)
    }

    /// eˣ on four lanes: the same reduction and polynomial as ``expm1(_:)``, then
    /// eˣ = 2ⁿ + 2ⁿ·q. Accurate to a few ulp on [−708, log(DBL_MAX) = 709.78…]; above, +∞; below −708 (where eˣ is
    /// subnormal, < 2.2·10⁻³⁰⁸) exactly 0; NaN stays NaN.
    @inline(__always)
    public static func exp(_ input: SIMD4<Double>) -> SIMD4<Double> {
        let low = SIMD4<Double>(repeating: -708), high = SIMD4<Double>(repeating: 709.782712893384)
        var x = input.replacing(with: low, where: input .< low)
        x.replace(with: high, where: x .> high)
        let (shifted, q) = reduced(x)
        // n ≤ 1024 after the clamp: 2ⁿ⁻¹ in the exponent bits, doubled (2¹⁰²⁴ itself is +∞).
        let bits = (unsafeBitCast(shifted, to: SIMD4<UInt64>.self) &+ 1022) &<< 52
        let half = unsafeBitCast(bits, to: SIMD4<Double>.self)
        var y = 2 * FeatureMajorKernels.madd(half, half, q)
        y.replace(with: 0, where: input .< low)
        y.replace(with: .infinity, where: input .> high)
        return y.replacing(with: input, where: input .!= input)
    }

    /// The inputs that ``exp(_:)`` takes as they are: below, it gives 0; above, +∞.
    public static let unclampedRange: ClosedRange<Double> = -708 ... 709.782712893384

    /// eˣ for inputs in ``unclampedRange`` on every lane: ``exp(_:)`` without its clamp and its
    /// replacements for out-of-range and NaN lanes, which change nothing there, so the same bits
    /// (and fewer live registers, so that several groups run side by side).
    @inline(__always)
    public static func expUnclamped(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let (shifted, q) = reduced(x)
        let bits = (unsafeBitCast(shifted, to: SIMD4<UInt64>.self) &+ 1022) &<< 52
        let half = unsafeBitCast(bits, to: SIMD4<Double>.self)
        return 2 * FeatureMajorKernels.madd(half, half, q)
    }

    /// ELU: h[i] = a[i] for a[i] > 0, else scale·(eᵃ⁽ⁱ⁾ − 1) (scale 1 for ELU; SELU is
    /// λ·ELU with scale α). Four values at a time; the last partial group is padded, so every
    /// value is computed the same way wherever it sits in the buffer. (A plain loop, not a
    /// closure-taking one: passing SIMD4 values through a closure made the compiler split
    /// every vector operation into two 128-bit halves, twice the time.)
    @inline(__always)
    static func exponentialLinear(_ a: UnsafePointer<Double>, into h: UnsafeMutablePointer<Double>, count: Int,
                                  positiveSlope: Double, negativeScale: Double) {
        let slope = SIMD4<Double>(repeating: positiveSlope), scale = SIMD4<Double>(repeating: negativeScale)
        var i = 0
        while i + 4 <= count {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD4<Double>.self)
            let y = (scale * expm1(x)).replacing(with: slope * x, where: x .> 0)
            UnsafeMutableRawPointer(h + i).storeBytes(of: y, as: SIMD4<Double>.self)
            i += 4
        }
        if i < count {
            var x = SIMD4<Double>(repeating: 0)
            for k in 0..<(count - i) { x[k] = a[i + k] }
            let y = (scale * expm1(x)).replacing(with: slope * x, where: x .> 0)
            for k in 0..<(count - i) { h[i + k] = y[k] }
        }
    }
}
