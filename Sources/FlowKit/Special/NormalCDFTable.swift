import Foundation

/// Φ(z) for batches by table: a Taylor polynomial about the nearest grid point zⱼ = j/64,
/// with its coefficients computed once from the accurate ``Special/normalCDF(_:)``.
///
/// With φ the standard normal density and Heₙ the probabilists' Hermite polynomials
/// (He₀ = 1, He₁ = z, Heₙ₊₁ = z·Heₙ − n·Heₙ₋₁), the derivatives are
/// Φ⁽ᵏ⁾(z) = (−1)ᵏ⁻¹·Heₖ₋₁(z)·φ(z) (A&S 26.2.1, 22.2.15), so for |h| ≤ 1/128
///
///     Φ(zⱼ + h) = Σ_{k=0…8} cⱼₖ hᵏ,  cⱼ₀ = Φ(zⱼ),  cⱼₖ = (−1)ᵏ⁻¹ Heₖ₋₁(zⱼ) φ(zⱼ) / k!,
///
/// whose truncation, relative to Φ, is about (|z|·h)⁹/9! < 10⁻¹⁶ at the grid's end and far
/// smaller inside (|z|·h ≤ 0.067). The grid covers |z| ≤ 8.5 (1089 points,
/// 78 KiB); outside it, and for NaN, the value is ``Special/normalCDF(_:)``'s (z > 8.5 gives 1,
/// z < −8.5 has Φ < 10⁻¹⁷: a rare call). Measured (tests): within 4 ulps relative of
/// ``Special/normalCDF(_:)`` on a dense grid of [−9, 9] (up to 4 for z < 0, where both
/// carry the few-ulp error of libm's erfc through cⱼ₀; 1–2 for z > 0), so u = Φ(z) is within
/// 10⁻¹⁵ absolute, far inside the 2⁻¹⁶ bins of the streaming KS histogram.
public struct NormalCDFTable: Sendable {
    /// Grid points per unit of z.
    @usableFromInline static let pointsPerUnit = 64.0
    /// The grid covers [−limit, limit].
    @usableFromInline static let limit = 8.5
    /// Index of z = 0 (= limit · pointsPerUnit).
    @usableFromInline static let center = 544
    /// Coefficients per grid point (degree 8).
    @usableFromInline static let degree = 8
    /// cⱼₖ at [(j + center)·9 + k].
    @usableFromInline let coefficients: [Double]

    public static let shared = NormalCDFTable()

    init() {
        let points = 2 * Self.center + 1
        let width = Self.degree + 1
        var c = [Double](repeating: 0, count: points * width)
        for index in 0..<points {
            let z = Double(index - Self.center) / Self.pointsPerUnit
            let phi = Foundation.exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
            c[index * width] = Special.normalCDF(z)
            var hermitePrevious = 0.0, hermite = 1.0  // He₋₁ (unused) and He₀
            var factorial = 1.0
            for k in 1...Self.degree {
                factorial *= Double(k)
                let sign: Double = k % 2 == 1 ? 1 : -1
                c[index * width + k] = sign * hermite * phi / factorial
                // He_k = z·He_{k−1} − (k−1)·He_{k−2}.
                let next = z * hermite - Double(k - 1) * hermitePrevious
                hermitePrevious = hermite
                hermite = next
            }
        }
        coefficients = c
    }

    /// Φ(z) (see the type's documentation).
    @inlinable @inline(__always)
    public func cdf(_ z: Double, _ table: UnsafePointer<Double>) -> Double {
        Self.covers(z) ? Self.tableCDF(z, table) : Special.normalCDF(z)
    }

    /// Whether |z| ≤ limit (false for NaN): the arguments of ``tableCDF(_:_:)``.
    @inlinable @inline(__always)
    static func covers(_ z: Double) -> Bool { abs(z) <= limit }

    /// The table polynomial at z clamped to [−limit, limit] (NaN to −limit), with no branch:
    /// batch loops handle the arguments outside in a second pass.
    @inlinable @inline(__always)
    static func tableCDF(_ z: Double, _ table: UnsafePointer<Double>) -> Double {
        let clamped = z >= -limit ? (z <= limit ? z : limit) : -limit
        // j = round(64 z) by truncating a positive number: 64 z + center + ½ ≥ ½.
        let index = Int(clamped * pointsPerUnit + (Double(center) + 0.5))
        let h = clamped - Double(index - center) / pointsPerUnit
        let c = table + index * (degree + 1)
        // c₁ + c₂h + … + c₈h⁷ by Estrin's scheme (a short dependency chain), then c₀ + h·(…).
        let h2 = h * h, h4 = h2 * h2
        let p = ((c[1] + h * c[2]) + h2 * (c[3] + h * c[4]))
            + h4 * ((c[5] + h * c[6]) + h2 * (c[7] + h * c[8]))
        return c[0] + p * h
    }

    /// out[i] = Φ((x[i] − μ)/σ); counts must match. One branch-free pass, then the rare
    /// arguments outside the grid (or NaN) by ``Special/normalCDF(_:)``.
    public func cdf(of x: UnsafeBufferPointer<Double>, mean mu: Double, std sigma: Double,
                    into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "cdf(of:into:) needs buffers of equal length")
        coefficients.withUnsafeBufferPointer { table in
            guard let table = table.baseAddress else { return }
            var rare: UInt8 = 0
            for i in x.indices {
                let z = (x[i] - mu) / sigma
                out[i] = Self.tableCDF(z, table)
                rare |= Self.covers(z) ? 0 : 1
            }
            guard rare != 0 else { return }
            for i in x.indices {
                let z = (x[i] - mu) / sigma
                if !Self.covers(z) { out[i] = Special.normalCDF(z) }
            }
        }
    }

    /// out[i] = Φ((log x[i] − μ)/σ) for x[i] > 0, otherwise 0 (NaN included, as
    /// ``LogNormalDistribution/cdf(_:)``); counts must match. Two passes: libm's log (the same
    /// z as the scalar cdf; a branch-free log of our own measured slower than glibc's), then
    /// the table; x ≤ 0, NaN, ∞ and z outside the grid go through a third pass with the
    /// scalar functions.
    public func logNormalCDF(of x: UnsafeBufferPointer<Double>, mu: Double, sigma: Double,
                             into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "logNormalCDF(of:into:) needs buffers of equal length")
        for i in x.indices { out[i] = Foundation.log(x[i]) }
        coefficients.withUnsafeBufferPointer { table in
            guard let table = table.baseAddress else { return }
            var rare: UInt8 = 0
            for i in out.indices {
                let z = (out[i] - mu) / sigma
                out[i] = Self.tableCDF(z, table)
                rare |= Self.covers(z) ? 0 : 1
            }
            guard rare != 0 else { return }
            for i in x.indices {
                let v = x[i]
                let z = (Foundation.log(v) - mu) / sigma
                if v > 0 && Self.covers(z) { continue }
                out[i] = v > 0 ? Special.normalCDF(z) : 0
            }
        }
    }
}
