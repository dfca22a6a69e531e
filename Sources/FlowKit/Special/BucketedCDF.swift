import Foundation

/// F(x) of any univariate distribution for large batches, by a piecewise polynomial whose
/// pieces are indexed by the bits of x: no log, erfc or division per value.
///
/// The pieces ("buckets") are the intervals of doubles that share sign, exponent and the top
/// ``mantissaBits`` bits of the significand, so each octave [2ᵉ, 2ᵉ⁺¹) splits into 64 buckets of
/// width 2ᵉ⁻⁶ and the bucket of x is a shift of its bit pattern. On the bucket with centre c and
/// half-width w, with t = (x − c)/w ∈ [−1, 1] (exact: x − c is exact by Sterbenz's lemma and
/// 1/w is a power of two),
///
///     F(x) ≈ Σ_{k=0…8} aₖ tᵏ,
///
/// the degree-8 polynomial that interpolates F at the nine Chebyshev nodes tⱼ = cos(π(j + ½)/9)
/// (Trefethen, "Approximation Theory and Approximation Practice", ch. 4 and 8), converted to
/// monomials once. Its error is bounded by w⁹·max|F⁽⁹⁾|/(2⁸·9!): for the log-normal,
/// F(x) = Φ(log x), a bucket spans at most log(1 + 2⁻⁶) ≈ 0.016 in log x, the same steps as
/// ``NormalCDFTable``, and the interpolant is at the rounding level of F.
///
/// Built once from the distribution's scalar ``UnivariateDistribution/cdf(_:)``: each sign's
/// octaves [2ᵉ, 2ᵉ⁺¹) with probability above ``coveredMass`` are covered, from the smallest to
/// the largest such octave (at most ``maximumBuckets`` buckets in all; more, and there is no
/// table). Every bucket is checked at ``checkPoints`` (the ends and points between the nodes)
/// against the scalar F; a bucket whose polynomial is off by more than ``tolerance`` anywhere
/// there (a kink of F inside it: the end of a uniform's support, say) is marked, and the values
/// in it, like those outside the covered octaves (tiny magnitudes, far tails, ±∞, NaN), come
/// from the scalar F in a second pass. So every value is the scalar F's, or within
/// ``tolerance`` of it at the checked points (``measuredError`` is the largest difference seen
/// there), and lies in [0, 1].
public struct BucketedCDF: Sendable {
    /// Significand bits in the bucket index (64 buckets per octave).
    public static let mantissaBits = 6
    /// Polynomial degree.
    public static let degree = 8
    /// Doubles per bucket: centre, 1/half-width, a₀ … a₈.
    @usableFromInline static let stride = 11
    /// Doubles after the last record (12 − ``stride``), so that a record can be read as three
    /// groups of four.
    static let padding = 1
    /// Octaves with probability at most this are left to the scalar F (rare values).
    public static let coveredMass = 1e-13
    /// The largest absolute difference from the scalar F allowed at a bucket's check points.
    public static let tolerance = 1e-14
    /// The largest table: 16,384 buckets (1.4 MiB).
    public static let maximumBuckets = 1 << 14
    /// Points of t where each bucket is checked (the ends, the middle, and between the nodes).
    static let checkPoints: [Double] = [-1, -0.995, -0.9, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 0.9, 0.995, 1]

    /// Bucket records, ``stride`` doubles each: positive buckets, then negative ones.
    @usableFromInline let records: [Double]
    /// 1 where a bucket's values come from the scalar F.
    @usableFromInline let marked: [UInt8]
    /// First magnitude key and bucket count of the positive (index 0) and negative (index 1) range.
    @usableFromInline let firstKey: (UInt64, UInt64)
    @usableFromInline let keyCount: (UInt64, UInt64)
    /// The distribution (for the scalar values).
    public let distribution: any UnivariateDistribution
    /// The largest |polynomial − F| seen at the check points of the unmarked buckets.
    public let measuredError: Double
    /// Buckets in the table, and how many of them are marked.
    public var bucketCount: Int { marked.count }
    public var markedCount: Int { marked.reduce(0) { $0 + Int($1) } }

    /// The table of `distribution`, or nil when its covered octaves need more than
    /// ``maximumBuckets`` buckets.
    public init?(_ distribution: any UnivariateDistribution) {
        self.distribution = distribution
        let shift = UInt64(52 - Self.mantissaBits)
        let perOctave = UInt64(1) << UInt64(Self.mantissaBits)
        // Covered exponent fields per sign: octave E (exponent field 1…2046) is [2^(E−1023), 2^(E−1022)).
        func coveredFields(sign: Double) -> ClosedRange<UInt64>? {
            var first: UInt64?, last: UInt64?
            for field in UInt64(1)...2046 {
                let a = Double(bitPattern: field << 52), b = Double(bitPattern: (field + 1) << 52)
                let mass = sign > 0 ? distribution.cdf(b) - distribution.cdf(a)
                                    : distribution.cdf(-a) - distribution.cdf(-b)
                if mass > Self.coveredMass {
                    if first == nil { first = field }
                    last = field
                }
            }
            guard let first, let last else { return nil }
            return first...last
        }
        let ranges = [coveredFields(sign: 1), coveredFields(sign: -1)]
        let counts = ranges.map { r in r.map { UInt64($0.count) * perOctave } ?? 0 }
        guard counts[0] + counts[1] <= UInt64(Self.maximumBuckets) else { return nil }
        firstKey = ((ranges[0]?.lowerBound ?? 0) * perOctave, (ranges[1]?.lowerBound ?? 0) * perOctave)
        keyCount = (counts[0], counts[1])

        let n = Self.degree + 1
        let nodes = (0..<n).map { Foundation.cos(Double.pi * (Double($0) + 0.5) / Double(n)) }
        // Monomial coefficients of T₀ … T₈ (T_{k+1} = 2t·T_k − T_{k−1}).
        var chebyshev = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        chebyshev[0][0] = 1
        chebyshev[1][1] = 1
        for k in 1..<(n - 1) {
            for p in 0..<n {
                chebyshev[k + 1][p] = (p > 0 ? 2 * chebyshev[k][p - 1] : 0) - chebyshev[k - 1][p]
            }
        }
        // Tₖ(tⱼ) = cos(k·π(j + ½)/n).
        let nodeChebyshev = (0..<n).map { k in
            (0..<n).map { j in Foundation.cos(Double(k) * Double.pi * (Double(j) + 0.5) / Double(n)) }
        }
        var records: [Double] = []
        records.reserveCapacity(Int(counts[0] + counts[1]) * Self.stride)
        var marked: [UInt8] = []
        var worst = 0.0
        for (signIndex, count) in counts.enumerated() {
            let sign: Double = signIndex == 0 ? 1 : -1
            let first = signIndex == 0 ? firstKey.0 : firstKey.1
            for key in first..<(first + count) {
                let a = Double(bitPattern: key << shift), b = Double(bitPattern: (key + 1) << shift)
                let centre = sign * (0.5 * (a + b)), halfWidth = 0.5 * (b - a)
                let values = nodes.map { distribution.cdf(centre + $0 * halfWidth) }
                // Chebyshev coefficients cₖ = (2/n) Σⱼ F(tⱼ) Tₖ(tⱼ) (c₀ halved), then monomials.
                var monomial = [Double](repeating: 0, count: n)
                for k in 0..<n {
                    var c = 0.0
                    for j in 0..<n { c += values[j] * nodeChebyshev[k][j] }
                    c *= (k == 0 ? 1 : 2) / Double(n)
                    for p in 0..<n { monomial[p] += c * chebyshev[k][p] }
                }
                let record = [centre, 1 / halfWidth] + monomial
                var error = 0.0, accepted = true
                for t in Self.checkPoints {
                    let x = centre + t * halfWidth
                    let u = record.withUnsafeBufferPointer { r in r.baseAddress.map { Self.evaluate(x, $0) } ?? .nan }
                    let difference = abs(u - distribution.cdf(x))
                    if difference <= Self.tolerance { error = max(error, difference) } else { accepted = false }  // NaN too
                }
                if accepted {
                    worst = max(worst, error)
                    marked.append(0)
                } else {
                    marked.append(1)
                }
                records += record
            }
        }
        // Padding: the four-lane batch path reads each record as three groups of four doubles.
        records += [Double](repeating: 0, count: Self.padding)
        self.records = records
        self.marked = marked
        measuredError = worst
    }

    /// The polynomial of the bucket `record` points at, at x, clamped to [0, 1].
    @inlinable @inline(__always)
    static func evaluate(_ x: Double, _ record: UnsafePointer<Double>) -> Double {
        let t = (x - record[0]) * record[1]
        let c = record + 2
        let t2 = t * t, t4 = t2 * t2
        let p = ((c[0] + t * c[1]) + t2 * (c[2] + t * c[3]))
            + t4 * (((c[4] + t * c[5]) + t2 * (c[6] + t * c[7])) + t4 * c[8])
        return p >= 0 ? (p <= 1 ? p : 1) : 0
    }

    /// The bucket of x, or nil when x is outside the covered octaves (or NaN, ±∞).
    @inlinable @inline(__always)
    func bucket(_ x: Double) -> Int? {
        let bits = x.bitPattern
        let key = (bits & 0x7FFF_FFFF_FFFF_FFFF) >> UInt64(52 - Self.mantissaBits)
        let negative = bits >> 63 == 1
        let offset = key &- (negative ? firstKey.1 : firstKey.0)
        guard offset < (negative ? keyCount.1 : keyCount.0) else { return nil }
        return Int(truncatingIfNeeded: offset) + (negative ? Int(truncatingIfNeeded: keyCount.0) : 0)
    }

    /// F(x) (see the type's documentation).
    public func cdf(_ x: Double) -> Double {
        guard let b = bucket(x), marked[b] == 0 else { return distribution.cdf(x) }
        return records.withUnsafeBufferPointer { table in
            table.baseAddress.map { Self.evaluate(x, $0 + b * Self.stride) } ?? distribution.cdf(x)
        }
    }

    /// out[i] = F(x[i]); counts must match. One branch-free pass over the table, then the rare
    /// values outside it or in marked buckets by the scalar F.
    public func cdf(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "cdf(of:into:) needs buffers of equal length")
        let shift = UInt64(52 - Self.mantissaBits)
        let first0 = firstKey.0, first1 = firstKey.1, count0 = keyCount.0, count1 = keyCount.1
        let base1 = Int(truncatingIfNeeded: count0)
        var rare: UInt8 = 0
        records.withUnsafeBufferPointer { table in
            marked.withUnsafeBufferPointer { marked in
                guard !marked.isEmpty, let table = table.baseAddress, let marked = marked.baseAddress else {
                    rare = 1
                    return
                }
                guard let xs = x.baseAddress, let us = out.baseAddress else { return }
                var i = 0
                // Four values at a time: the buckets in vectors, each record read as three groups
                // of four doubles and transposed, the polynomial in four lanes with the same
                // operations in the same order as ``evaluate(_:_:)`` (so the same values).
                let magnitude = SIMD4<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
                let firstV = (SIMD4<UInt64>(repeating: first0), SIMD4<UInt64>(repeating: first1))
                let countV = (SIMD4<UInt64>(repeating: count0), SIMD4<UInt64>(repeating: count1))
                let baseV = SIMD4<UInt64>(repeating: UInt64(base1))
                let zeroU = SIMD4<UInt64>(repeating: 0)
                while i + 4 <= x.count {
                    let v = UnsafeRawPointer(xs + i).loadUnaligned(as: SIMD4<Double>.self)
                    let bits = unsafeBitCast(v, to: SIMD4<UInt64>.self)
                    let key = (bits & magnitude) &>> SIMD4(repeating: shift)
                    let negative = (bits &>> 63) .!= zeroU
                    let offset = key &- firstV.0.replacing(with: firstV.1, where: negative)
                    // Unsigned comparison by flipping the top bit (AVX2 compares signed lanes).
                    let top = SIMD4<UInt64>(repeating: 1 << 63)
                    let limit = countV.0.replacing(with: countV.1, where: negative)
                    let inside = SIMD4<Int64>(truncatingIfNeeded: offset ^ top) .< SIMD4<Int64>(truncatingIfNeeded: limit ^ top)
                    let index = (offset &+ zeroU.replacing(with: baseV, where: negative)).replacing(with: 0, where: .!inside)
                    let i0 = Int(truncatingIfNeeded: index[0]), i1 = Int(truncatingIfNeeded: index[1])
                    let i2 = Int(truncatingIfNeeded: index[2]), i3 = Int(truncatingIfNeeded: index[3])
                    rare |= (inside[0] ? marked[i0] : 1) | (inside[1] ? marked[i1] : 1)
                        | (inside[2] ? marked[i2] : 1) | (inside[3] ? marked[i3] : 1)
                    let r0 = UnsafeRawPointer(table + i0 &* Self.stride), r1 = UnsafeRawPointer(table + i1 &* Self.stride)
                    let r2 = UnsafeRawPointer(table + i2 &* Self.stride), r3 = UnsafeRawPointer(table + i3 &* Self.stride)
                    @inline(__always) func group(_ g: Int) -> (SIMD4<Double>, SIMD4<Double>, SIMD4<Double>, SIMD4<Double>) {
                        let a = r0.loadUnaligned(fromByteOffset: 32 * g, as: SIMD4<Double>.self)
                        let b = r1.loadUnaligned(fromByteOffset: 32 * g, as: SIMD4<Double>.self)
                        let c = r2.loadUnaligned(fromByteOffset: 32 * g, as: SIMD4<Double>.self)
                        let d = r3.loadUnaligned(fromByteOffset: 32 * g, as: SIMD4<Double>.self)
                        return (SIMD4(a[0], b[0], c[0], d[0]), SIMD4(a[1], b[1], c[1], d[1]),
                                SIMD4(a[2], b[2], c[2], d[2]), SIMD4(a[3], b[3], c[3], d[3]))
                    }
                    let (centre, inverse, c0, c1) = group(0)
                    let (c2, c3, c4, c5) = group(1)
                    let (c6, c7, c8, _) = group(2)
                    let t = (v - centre) * inverse
                    let t2 = t * t, t4 = t2 * t2
                    let p = ((c0 + t * c1) + t2 * (c2 + t * c3))
                        + t4 * (((c4 + t * c5) + t2 * (c6 + t * c7)) + t4 * c8)
                    var u = p.replacing(with: 1, where: p .> 1)
                    u.replace(with: 0, where: .!(p .>= 0))
                    UnsafeMutableRawPointer(us + i).storeBytes(of: u, as: SIMD4<Double>.self)
                    i += 4
                }
                while i < x.count {
                    let v = x[i]
                    let bits = v.bitPattern
                    let key = (bits & 0x7FFF_FFFF_FFFF_FFFF) >> shift
                    let negative = bits >> 63 != 0
                    let offset = key &- (negative ? first1 : first0)
                    let inside = offset < (negative ? count1 : count0)
                    let index = inside ? Int(truncatingIfNeeded: offset) + (negative ? base1 : 0) : 0
                    rare |= inside ? marked[index] : 1
                    out[i] = Self.evaluate(v, table + index * Self.stride)
                    i += 1
                }
            }
        }
        guard rare != 0 else { return }
        for i in x.indices {
            if let b = bucket(x[i]), marked[b] == 0 { continue }
            out[i] = distribution.cdf(x[i])
        }
    }
}
