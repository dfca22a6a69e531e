import Foundation

/// The result of a one-sample Kolmogorov–Smirnov test.
public struct KSResult: Sendable, Equatable, CustomStringConvertible {
    /// How the p-value was computed.
    public enum PValueMethod: String, Sendable {
        /// No sample: statistic 0, p-value 1.
        case empty
        /// n·D ≤ 1/2 (p = 1) or the closed forms of Ruben & Gambino (1982):
        /// P(D_n ≤ d) = n!/nⁿ (2nd − 1)ⁿ for 1/(2n) < d ≤ 1/n, P(D_n ≥ d) = 2(1 − d)ⁿ for
        /// d ≥ 1 − 1/n.
        case closedForm
        /// P(D_n ≥ d) = 2·P(D_n⁺ ≥ d) with the exact one-sided Smirnov (Birnbaum–Tingey)
        /// sum: exact for d ≥ 1/2, and within P(D_n⁺ ≥ d)² of the truth otherwise (Miller
        /// 1956), used where that is below the double rounding of p (Simard & L'Ecuyer 2011).
        case doubledSmirnov
        /// The exact Kolmogorov distribution by the Durbin matrix (Marsaglia, Tsang & Wang
        /// 2003), p = 1 − P(D_n < d).
        case durbinMatrix
        /// The asymptotic Kolmogorov series with Stephens' (1970) correction:
        /// p = Q_KS((√n + 0.12 + 0.11/√n)·D), Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}.
        case asymptoticStephens

        /// The method in words, for reports.
        public var summary: String {
            switch self {
            case .empty: return "no samples"
            case .closedForm: return "exact closed form (Ruben & Gambino 1982)"
            case .doubledSmirnov: return "exact one-sided Smirnov sum, doubled (Simard & L'Ecuyer 2011)"
            case .durbinMatrix: return "exact Kolmogorov distribution by the Durbin matrix (Marsaglia, Tsang & Wang 2003)"
            case .asymptoticStephens: return "asymptotic Kolmogorov series with Stephens' correction"
            }
        }
    }

    /// D = sup_x |F_n(x) − F(x)| (for the streaming test: its lower bound from bin edges).
    public var statistic: Double
    /// Two-sided p-value P(D_n ≥ statistic) under the null hypothesis.
    public var pValue: Double
    /// Number of samples n.
    public var sampleCount: Int
    /// The true D lies in [statistic, statistic + statisticErrorBound]; 0 for the exact test.
    public var statisticErrorBound: Double
    public var method: PValueMethod

    public init(statistic: Double, pValue: Double, sampleCount: Int, statisticErrorBound: Double, method: PValueMethod) {
        self.statistic = statistic
        self.pValue = pValue
        self.sampleCount = sampleCount
        self.statisticErrorBound = statisticErrorBound
        self.method = method
    }

    public var description: String {
        "KS D = \(statistic)\(statisticErrorBound > 0 ? " (+≤\(statisticErrorBound))" : ""), p = \(pValue), n = \(sampleCount) [\(method.rawValue)]"
    }
}

/// The one-sample Kolmogorov–Smirnov test against a continuous reference CDF F.
///
/// Statistic: D_n = sup_x |F_n(x) − F(x)| = max_i max(i/n − F(x₍ᵢ₎), F(x₍ᵢ₎) − (i−1)/n)
/// over the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎.
///
/// Two-sided p-value P(D_n ≥ d), following the case split of Simard & L'Ecuyer (2011,
/// "Computing the two-sided Kolmogorov–Smirnov distribution", J. Stat. Softw. 39(11)) as
/// scipy's `kstwo.sf` does, except that the asymptotic Stephens series replaces their
/// Pelz–Good expansion for n > 10 000 (see ``KSResult/PValueMethod``):
///
/// - n·d ≤ 1 or n·d ≥ n − 1: Ruben–Gambino closed forms;
/// - d ≥ 1/2, or n·d² ≥ 4 (n ≤ 140), or n·d² ≥ 2.2 (n > 140): 2 × exact one-sided Smirnov;
/// - otherwise n ≤ 10 000: the Durbin matrix (Marsaglia, Tsang & Wang 2003), exact to
///   about 1e−13 absolute in the CDF;
/// - otherwise: Q_KS((√n + 0.12 + 0.11/√n)·d) (Stephens 1970).
///
/// Agreement with scipy 1.17 `scipy.stats.kstest(..., method='exact')` (= `kstwo.sf`),
/// measured by the fixture tests: statistic to 1e−14 relative; p-value to 1e−9 relative on
/// the closed-form, doubled-Smirnov and Durbin-matrix branches (the latter against scipy's
/// own Durbin-matrix code; where scipy switches to Pelz–Good, n > 140 and n·d^1.5 > 1.4,
/// the two differ by up to 5e−6, scipy's approximation error), and 2e−3 relative on the
/// asymptotic branch (n > 10 000; measured 1.5e−3 at n = 20 000, less for larger n).
public enum KolmogorovSmirnov {
    /// Above this n the p-value uses the asymptotic Stephens series instead of the Durbin
    /// matrix (whose cost grows as (n·d)³ log n).
    public static let exactSampleLimit = 10_000

    /// The exact test on a sample sorted in ascending order. An unsorted sample is sorted
    /// first (checked in one pass); a NaN in the sample or in F gives statistic and p-value NaN.
    public static func exact(sortedSample: [Double], cdf: (Double) -> Double) -> KSResult {
        let n = sortedSample.count
        guard n > 0 else { return KSResult(statistic: 0, pValue: 1, sampleCount: 0, statisticErrorBound: 0, method: .empty) }
        if sortedSample.contains(where: { $0.isNaN }) {
            return KSResult(statistic: .nan, pValue: .nan, sampleCount: n, statisticErrorBound: 0, method: .closedForm)
        }
        var isSorted = true
        for i in 1..<n where sortedSample[i] < sortedSample[i - 1] { isSorted = false; break }
        let sample = isSorted ? sortedSample : sortedSample.sorted()
        let nd = Double(n)
        var d = 0.0
        for (i, x) in sample.enumerated() {
            let f = cdf(x)
            if f.isNaN {
                return KSResult(statistic: .nan, pValue: .nan, sampleCount: n, statisticErrorBound: 0, method: .closedForm)
            }
            d = max(d, Double(i + 1) / nd - f, f - Double(i) / nd)
        }
        let (p, method) = pValue(statistic: d, sampleCount: n)
        return KSResult(statistic: d, pValue: p, sampleCount: n, statisticErrorBound: 0, method: method)
    }

    /// The streaming test from a histogram of u = F(x) on [0, 1] (under the null hypothesis
    /// u is uniform on [0, 1]): ``streaming(binCounts:edgeCDF:)`` with the bins of u, the
    /// underflow (u < 0) and overflow (u > 1) as bins of their own, and F(e_i) = e_i = i/B at the
    /// edges; the statistic is within 1/B of the true D. NaN values are excluded from n.
    /// Requires a histogram on exactly [0, 1] with integer counts.
    public static func streaming(uHistogram h: Histogram) -> KSResult {
        precondition(h.low == 0 && h.high == 1, "the streaming KS test needs a histogram of u = F(x) on [0, 1]")
        let b = Double(h.binCount)
        let counts = [UInt64(h.underflow)] + h.integerCounts + [UInt64(h.overflow)]
        let edges = [0.0] + (0..<h.binCount).map { Double($0) / b } + [1.0]
        return streaming(binCounts: counts, edgeCDF: edges)
    }

    /// The streaming test from counts of the sample in consecutive bins [e_i, e_{i+1}) that
    /// cover the line (e_0 = −∞ and the last bin open to +∞), with F(e_i) known: `edgeCDF[i]`
    /// (nondecreasing, `edgeCDF[0]` = 0).
    ///
    /// With C_i the number of values below e_i (C_0 = 0, C_{M+1} = n) and F_{M+1} = 1, the
    /// empirical CDF is known exactly at the edges, and since F_n and F are nondecreasing between
    /// them,
    ///
    ///     D_edge = max_i |C_i/n − F(e_i)|  ≤  D  ≤  max_i max(C_{i+1}/n − F(e_i), F(e_{i+1}) − C_i/n) = D_upper,
    ///
    /// and D_upper − D_edge ≤ max_i (F(e_{i+1}) − F(e_i)), the largest probability of a bin
    /// (C_{i+1}/n − F(e_i) = (C_{i+1}/n − F(e_{i+1})) + (F(e_{i+1}) − F(e_i)), and likewise the
    /// other term). `statistic` is D_edge, `statisticErrorBound` is D_upper − D_edge (computed,
    /// not just bounded), and the p-value is that of D_edge.
    public static func streaming(binCounts: [UInt64], edgeCDF: [Double]) -> KSResult {
        precondition(binCounts.count == edgeCDF.count, "one F value per bin's lower edge")
        let total = Double(binCounts.reduce(0, +))
        let n = Int(total)
        guard n > 0 else { return KSResult(statistic: 0, pValue: 1, sampleCount: 0, statisticErrorBound: 0, method: .empty) }
        var below: UInt64 = 0
        var lower = 0.0, upper = 0.0
        for i in 0...binCounts.count {
            let edge = i < binCounts.count ? edgeCDF[i] : 1
            let fn = Double(below) / total
            lower = max(lower, abs(fn - edge))
            if i < binCounts.count {
                let next = below + binCounts[i]
                let nextEdge = i + 1 < binCounts.count ? edgeCDF[i + 1] : 1
                upper = max(upper, Double(next) / total - edge, nextEdge - fn)
                below = next
            }
        }
        upper = max(upper, lower)
        let (p, method) = pValue(statistic: lower, sampleCount: n)
        return KSResult(statistic: lower, pValue: p, sampleCount: n, statisticErrorBound: upper - lower, method: method)
    }

    // MARK: - The distribution of D_n

    /// P(D_n ≥ d), two-sided, and the method used (see the type's documentation).
    public static func pValue(statistic d: Double, sampleCount n: Int) -> (Double, KSResult.PValueMethod) {
        guard n > 0 else { return (1, .empty) }
        let nd = Double(n)
        if d.isNaN { return (.nan, .closedForm) }
        if d >= 1 { return (0, .closedForm) }
        let t = nd * d
        if t <= 0.5 { return (1, .closedForm) }
        if t <= 1 {
            // P(D ≤ d) = n!/nⁿ (2t − 1)ⁿ.
            let logCdf = logFactorialOverPower(n) + nd * Foundation.log(2 * t - 1)
            return (clip(-Foundation.expm1(logCdf)), .closedForm)
        }
        if t >= nd - 1 { return (clip(2 * Foundation.pow(1 - d, nd)), .closedForm) }
        let s = t * d
        if d >= 0.5 || s >= (n <= 140 ? 4 : 2.2) {
            return (clip(2 * smirnovUpperTail(n: n, d: d)), .doubledSmirnov)
        }
        if n <= exactSampleLimit {
            return (clip(1 - durbinMatrixCDF(n: n, d: d)), .durbinMatrix)
        }
        let lambda = (nd.squareRoot() + 0.12 + 0.11 / nd.squareRoot()) * d
        return (clip(kolmogorovUpperTail(lambda)), .asymptoticStephens)
    }

    /// Q_KS(λ) = P(K > λ) of the Kolmogorov distribution: 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}
    /// for λ ≥ 1, and 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)} below (the theta-function
    /// form, which converges fast there).
    public static func kolmogorovUpperTail(_ lambda: Double) -> Double {
        if lambda <= 0 { return 1 }
        if lambda < 1 {
            let c = -Double.pi * Double.pi / (8 * lambda * lambda)
            var sum = 0.0
            for j in 1...20 {
                let k = Double(2 * j - 1)
                let term = Foundation.exp(c * k * k)
                sum += term
                if term < 1e-17 * sum { break }
            }
            return 1 - (2 * Double.pi).squareRoot() / lambda * sum
        }
        var sum = 0.0
        var sign = 1.0
        for j in 1...100 {
            let jd = Double(j)
            let term = Foundation.exp(-2 * jd * jd * lambda * lambda)
            sum += sign * term
            if term < 1e-17 * abs(sum) { break }
            sign = -sign
        }
        return 2 * sum
    }

    /// The exact one-sided tail P(D_n⁺ ≥ d) (Birnbaum & Tingey 1951):
    /// d Σ_{j=0}^{⌊n(1−d)⌋} C(n, j) (1 − d − j/n)^{n−j} (d + j/n)^{j−1}, all terms positive,
    /// summed from their logarithms.
    public static func smirnovUpperTail(n: Int, d: Double) -> Double {
        if d <= 0 { return 1 }
        if d >= 1 { return 0 }
        let nd = Double(n)
        let last = Int((nd * (1 - d)).rounded(.down))
        let logGammaN1 = logGamma(nd + 1)
        var logTerms = [Double]()
        logTerms.reserveCapacity(last + 1)
        var largest = -Double.infinity
        for j in 0...max(0, last) {
            let jd = Double(j)
            let a = ((nd - jd) - nd * d) / nd   // 1 − d − j/n
            if a <= 0 { continue }
            let logBinomial = logGammaN1 - logGamma(jd + 1) - logGamma(nd - jd + 1)
            let value = logBinomial + (nd - jd) * Foundation.log(a) + (jd - 1) * Foundation.log(d + jd / nd)
            logTerms.append(value)
            largest = max(largest, value)
        }
        guard largest > -.infinity else { return 0 }
        var sum = 0.0
        for v in logTerms { sum += Foundation.exp(v - largest) }
        return d * Foundation.exp(largest) * sum
    }

    /// P(D_n < d) by the Durbin matrix as in Marsaglia, Tsang & Wang (2003): with
    /// k = ⌈n·d⌉, h = k − n·d and m = 2k − 1, the CDF is n!/nⁿ · (Hⁿ)_{k,k} for the m × m
    /// matrix H with H_{ij} = 1/(i − j + 1)! for i − j + 1 ≥ 0, first column
    /// (1 − h^i)/i!, last row reversed, and corner (1 − 2hᵐ + max(0, 2h − 1)ᵐ)/m!. Powers by
    /// squaring, rescaled by 2^±128 to avoid overflow.
    public static func durbinMatrixCDF(n: Int, d: Double) -> Double {
        let nd = Double(n) * d
        if d >= 1 { return 1 }
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] = (1 - Foundation.pow(h, Double(j))) * factorial
        }
        let tt = Foundation.pow(max(2 * h - 1, 0), Double(m)) - 2 * Foundation.pow(h, Double(m))
        v[m - 1] = (1 + tt) * factorial
        var hMatrix = [Double](repeating: 0, count: m * m)
        for col in 1..<max(m, 1) {
            for row in (col - 1)..<m { hMatrix[row * m + col] = w[row - col + 1] }
        }
        for row in 0..<m { hMatrix[row * m] = v[row] }
        for col in 0..<m { hMatrix[(m - 1) * m + col] = v[m - 1 - col] }

        // Only (Hⁿ)_{k,k} is needed, and every product of the binary powering multiplies the
        // accumulated power on the right (P ← P·H^(2^j)), so row k of P is enough: row k of
        // P·B is (row k of P)·B, an m² vector–matrix product instead of an m³ matrix one. Each
        // element is summed over l in increasing order as in the full product, so the value is
        // the same to the bit; only the squarings H^(2^j) remain m³.
        var row = [Double](repeating: 0, count: m)
        row[k - 1] = 1
        var scratchRow = [Double](repeating: 0, count: m)
        var scratch = [Double](repeating: 0, count: m * m)
        var exponent = 0, hExponent = 0
        var remaining = n
        let scaleUp = 0x1p128, scaleDown = 0x1p-128
        while remaining > 0 {
            if remaining % 2 == 1 {
                multiply(row: row, hMatrix, into: &scratchRow, m)
                swap(&row, &scratchRow)
                exponent += hExponent
            }
            remaining /= 2
            if remaining == 0 { break }
            multiply(hMatrix, hMatrix, into: &scratch, m)
            swap(&hMatrix, &scratch)
            hExponent *= 2
            if abs(hMatrix[(k - 1) * m + k - 1]) > scaleUp {
                for i in 0..<(m * m) { hMatrix[i] *= scaleDown }
                hExponent += 128
            }
        }
        var p = row[k - 1]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < scaleDown {
                p *= scaleUp
                exponent -= 128
            }
        }
        return min(1, max(0, Foundation.scalbn(p, exponent)))
    }

    /// C = A · B for m × m row-major matrices (the squarings of ``durbinMatrixCDF(n:d:)``, most
    /// of a 10⁴-sample run's KS time). Blocks of four rows × eight columns of C are held in
    /// eight `SIMD4<Double>` registers while l runs over the whole inner dimension, so B is
    /// read once per four rows and C written once; the remaining columns four or one at a
    /// time, the remaining rows one at a time. Every element is
    /// c_ij = (…((0 + a_i0·b_0j) + a_i1·b_1j) + …) + a_i,m−1·b_m−1,j, multiplies and adds
    /// rounded separately (never fused), in increasing l: the same value to the bit as any
    /// row-by-row loop in that order (a term with a_il = 0 adds ±0, which changes no sum that
    /// starts at +0).
    static func multiply(_ a: [Double], _ b: [Double], into c: inout [Double], _ m: Int) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
                    @inline(__always) func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> {
                        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self)
                    }
                    @inline(__always) func store(_ v: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
                        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self)
                    }
                    var i = 0
                    while i + 4 <= m {
                        let r0 = pa + i * m, r1 = r0 + m, r2 = r1 + m, r3 = r2 + m
                        var j = 0
                        while j + 8 <= m {
                            var c00 = SIMD4<Double>(), c01 = SIMD4<Double>(), c10 = SIMD4<Double>(), c11 = SIMD4<Double>()
                            var c20 = SIMD4<Double>(), c21 = SIMD4<Double>(), c30 = SIMD4<Double>(), c31 = SIMD4<Double>()
                            var q = pb + j
                            for l in 0..<m {
                                let y0 = load(q), y1 = load(q + 4)
                                let x0 = SIMD4(repeating: r0[l]), x1 = SIMD4(repeating: r1[l])
                                let x2 = SIMD4(repeating: r2[l]), x3 = SIMD4(repeating: r3[l])
                                c00 = c00 + x0 * y0; c01 = c01 + x0 * y1
                                c10 = c10 + x1 * y0; c11 = c11 + x1 * y1
                                c20 = c20 + x2 * y0; c21 = c21 + x2 * y1
                                c30 = c30 + x3 * y0; c31 = c31 + x3 * y1
                                q += m
                            }
                            let o = pc + i * m + j
                            store(c00, o); store(c01, o + 4)
                            store(c10, o + m); store(c11, o + m + 4)
                            store(c20, o + 2 * m); store(c21, o + 2 * m + 4)
                            store(c30, o + 3 * m); store(c31, o + 3 * m + 4)
                            j += 8
                        }
                        while j + 4 <= m {
                            var c0 = SIMD4<Double>(), c1 = SIMD4<Double>(), c2 = SIMD4<Double>(), c3 = SIMD4<Double>()
                            var q = pb + j
                            for l in 0..<m {
                                let y = load(q)
                                c0 = c0 + SIMD4(repeating: r0[l]) * y
                                c1 = c1 + SIMD4(repeating: r1[l]) * y
                                c2 = c2 + SIMD4(repeating: r2[l]) * y
                                c3 = c3 + SIMD4(repeating: r3[l]) * y
                                q += m
                            }
                            let o = pc + i * m + j
                            store(c0, o); store(c1, o + m); store(c2, o + 2 * m); store(c3, o + 3 * m)
                            j += 4
                        }
                        while j < m {
                            var c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0
                            for l in 0..<m {
                                let y = pb[l * m + j]
                                c0 = c0 + r0[l] * y; c1 = c1 + r1[l] * y
                                c2 = c2 + r2[l] * y; c3 = c3 + r3[l] * y
                            }
                            let o = pc + i * m + j
                            o[0] = c0; o[m] = c1; o[2 * m] = c2; o[3 * m] = c3
                            j += 1
                        }
                        i += 4
                    }
                    while i < m {
                        let row = pc + i * m
                        for j in 0..<m { row[j] = 0 }
                        for l in 0..<m {
                            let x = pa[i * m + l]
                            if x == 0 { continue }
                            let bRow = pb + l * m
                            for j in 0..<m { row[j] += x * bRow[j] }
                        }
                        i += 1
                    }
                }
            }
        }
    }

    /// c = r · B for a row vector r of length m and an m × m row-major B: each element summed
    /// over l in increasing order from 0, terms with r_l = 0 skipped, exactly as one row of
    /// ``multiply(_:_:into:_:)``.
    static func multiply(row r: [Double], _ b: [Double], into c: inout [Double], _ m: Int) {
        r.withUnsafeBufferPointer { r in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for j in 0..<m { c[j] = 0 }
                    for l in 0..<m {
                        let x = r[l]
                        if x == 0 { continue }
                        let bRow = l * m
                        for j in 0..<m { c[j] += x * b[bRow + j] }
                    }
                }
            }
        }
    }

    /// log(n!/nⁿ).
    static func logFactorialOverPower(_ n: Int) -> Double {
        let nd = Double(n)
        return logGamma(nd + 1) - nd * Foundation.log(nd)
    }

    /// log Γ(x) for x > 0 (thread-safe: lgamma_r, not the global-sign lgamma).
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    static func clip(_ p: Double) -> Double { min(1, max(0, p)) }
}
