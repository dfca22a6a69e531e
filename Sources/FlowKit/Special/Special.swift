import Foundation

/// Special functions for distributions: the normal CDF and its inverse, the log gamma and
/// log beta functions, and the regularised incomplete gamma and beta functions with their
/// inverses.
///
/// Everything is computed to (close to) full double precision where the result is well
/// conditioned; where cancellation threatens, the work is done with `log1p`, `expm1`, `erfc`
/// or in log space. Sources: Abramowitz & Stegun (A&S) ch. 6, 7, 26; Wichura (1988) AS 241;
/// Press et al., *Numerical Recipes* 3rd ed. (NR) §6.2, §6.4, §6.14; DiDonato & Morris (1986)
/// for the scaled gamma prefix.
public enum Special {
    // MARK: - Constants

    /// 1/√2 as an unevaluated sum `high + low` (double-double), for exact argument reduction.
    @usableFromInline static let invSqrt2High = 0.7071067811865476
    @usableFromInline static let invSqrt2Low = -4.833646656726457e-17
    /// 1/√π.
    @usableFromInline static let invSqrtPi = 0.5641895835477563
    /// ½ log(2π).
    public static let halfLogTwoPi = 0.9189385332046727
    @usableFromInline static let epsilon = Double.ulpOfOne

    // MARK: - Normal distribution

    /// Φ(x) = ½ erfc(−x/√2), the standard normal CDF (A&S 26.2.29).
    ///
    /// The argument −x/√2 is formed in double-double: with z = fl(−x·h) and the residual
    /// e = −x·(h + l) − z (h + l = 1/√2), erfc(z + e) = erfc(z) − (2/√π)·e·exp(−z²) to first
    /// order, so the rounding of the argument (which costs 2z² ulps relative in the far left
    /// tail) is corrected. Relative accuracy is that of libm's `erfc`, a few ulps, down to
    /// x ≈ −37.5 where Φ becomes subnormal.
    @inlinable
    public static func normalCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        // ±∞: the split of t below would give ∞ − ∞.
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let t = -x
        let z = t * invSqrt2High
        let e = fmaResidual(t, invSqrt2High, z) + t * invSqrt2Low
        return 0.5 * erfc(z) - e * invSqrtPi * Foundation.exp(-z * z)
    }

    /// 1 − Φ(x) = Φ(−x), computed without cancellation (accurate deep in the right tail).
    @inlinable
    public static func normalSurvival(_ x: Double) -> Double {
        normalCDF(-x)
    }

    /// log Φ(x), accurate deep in both tails.
    ///
    /// - x > 0: log1p(−Φ(−x)).
    /// - −30 ≤ x ≤ 0: log Φ(x) with the accurate Φ above.
    /// - x < −30: the asymptotic (Laplace) series of the Mills ratio, A&S 26.2.12:
    ///   log Φ(x) = −x²/2 − log(−x) − ½ log 2π + log(1 + Σₖ (−1)ᵏ (2k−1)!! / x²ᵏ); twelve
    ///   terms leave an error below 10⁻³⁰ for |x| ≥ 30.
    @inlinable
    public static func logNormalCDF(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 0 { return log1p(-normalCDF(-x)) }
        if x >= -30 { return Foundation.log(normalCDF(x)) }
        if x == -.infinity { return -.infinity }
        let inverseSquare = 1 / (x * x)
        var term = 1.0
        var series = 1.0
        for k in 1...12 {
            term *= -Double(2 * k - 1) * inverseSquare
            series += term
        }
        return -0.5 * x * x - Foundation.log(-x) - halfLogTwoPi + Foundation.log(series)
    }

    /// The residual of a product: `a·b − p` exactly when p = fl(a·b) (one fused multiply-add).
    @inlinable
    static func fmaResidual(_ a: Double, _ b: Double, _ p: Double) -> Double {
        (-p).addingProduct(a, b)
    }

    /// Φ⁻¹(p), the standard normal quantile, by Wichura's algorithm AS 241 (PPND16, Applied
    /// Statistics 37(3), 1988): rational minimax approximations in q = p − ½ for |q| ≤ 0.425,
    /// otherwise in r = √(−log min(p, 1 − p)), split at r = 5. Relative accuracy about 10⁻¹⁶.
    /// Returns −∞ at 0, +∞ at 1 and NaN outside [0, 1].
    public static func normalQuantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = ((((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r
                + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r
                + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                + 1.3314166789178437745e2) * r + 3.3871328727963666080e0))
            let den = (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r
                + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r
                + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                + 4.2313330701600911252e1) * r + 1.0)
            return q * num / den
        }
        // p ≥ ½ makes 1 − p exact (Sterbenz), so the upper tail loses nothing here.
        var r = q < 0 ? p : 1 - p
        r = (-Foundation.log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let num = (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
            let den = (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                + 2.05319162663775882187e0) * r + 1.0)
            value = num / den
        } else {
            r -= 5
            let num = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
            let den = (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                + 5.99832206555887937690e-1) * r + 1.0)
            value = num / den
        }
        return q < 0 ? -value : value
    }

    // MARK: - Gamma and beta functions

    /// log |Γ(x)| (libm's reentrant `lgamma_r`, accurate to a few ulps).
    @inlinable
    public static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// The Stirling remainder δ(x) = log Γ(x) − [(x − ½) log x − x + ½ log 2π] for x ≥ 20, by
    /// its asymptotic series Σ B₂ₖ / (2k(2k − 1) x²ᵏ⁻¹) (A&S 6.1.40); seven terms leave an
    /// error below 10⁻¹⁹ at x = 20.
    @usableFromInline
    static func stirlingRemainder(_ x: Double) -> Double {
        let y = 1 / (x * x)
        let series = 1.0 / 12 + y * (-1.0 / 360 + y * (1.0 / 1260 + y * (-1.0 / 1680
            + y * (1.0 / 1188 + y * (-691.0 / 360360 + y * (1.0 / 156))))))
        return series / x
    }

    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) for a, b > 0.
    ///
    /// When the larger argument is ≥ 20 the log Γ differences are formed from Stirling's
    /// formula with ``stirlingRemainder(_:)`` so the large, nearly equal terms cancel
    /// analytically instead of numerically:
    /// - both ≥ 20: ½ log 2π − ½ log(a+b) + (a−½) log(a/(a+b)) + (b−½) log1p(−a/(a+b)) +
    ///   δ(a) + δ(b) − δ(a+b) (a ≤ b);
    /// - only b ≥ 20: log Γ(a) − (b−½) log1p(a/b) − a log(a+b) + a + δ(b) − δ(a+b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0 else { return .nan }
        let small = min(a, b), large = max(a, b)
        if large < 20 || small.isInfinite {
            return logGamma(small) + logGamma(large) - logGamma(small + large)
        }
        let sum = small + large
        if small >= 20 {
            return halfLogTwoPi - 0.5 * Foundation.log(sum)
                + (small - 0.5) * Foundation.log(small / sum)
                + (large - 0.5) * log1p(-small / sum)
                + stirlingRemainder(small) + stirlingRemainder(large) - stirlingRemainder(sum)
        }
        return logGamma(small) - (large - 0.5) * log1p(small / large) - small * Foundation.log(sum)
            + small + stirlingRemainder(large) - stirlingRemainder(sum)
    }

    /// log(1 + t) − t without cancellation near t = 0: with y = t/(2 + t),
    /// log(1 + t) = 2 atanh y = 2(y + y³/3 + y⁵/5 + …) and t − 2y = t·y, so
    /// log(1 + t) − t = −t·y + 2(y³/3 + y⁵/5 + …) (|t| < ½ gives |y| < ⅓).
    @usableFromInline
    static func logOnePlusMinusX(_ t: Double) -> Double {
        if abs(t) >= 0.5 { return log1p(t) - t }
        let y = t / (2 + t)
        let y2 = y * y
        var power = y * y2
        var sum = 0.0
        var k = 3.0
        while true {
            let term = power / k
            sum += term
            if abs(term) <= abs(sum) * epsilon * 0.5 { break }
            power *= y2
            k += 2
        }
        return -t * y + 2 * sum
    }

    /// log of the gamma prefix xᵃ e⁻ˣ / Γ(a) (DiDonato & Morris 1986).
    ///
    /// For a < 20: a log x − x − log Γ(a). For a ≥ 20, with t = (x − a)/a:
    /// a·[log(1 + t) − t] + ½ log(a / 2π) − δ(a), which avoids the cancellation of terms of
    /// size a log a when x ≈ a (a·log(x/a) − (x − a) when |t| ≥ ½).
    @usableFromInline
    static func logGammaPrefix(_ a: Double, _ x: Double) -> Double {
        if a < 20 { return a * Foundation.log(x) - x - logGamma(a) }
        let difference = x - a
        // Near x = a the difference is exact (Sterbenz) and the series keeps every digit; far
        // from it, log(x/a) of the correctly rounded ratio is better conditioned than log1p(t).
        let core = abs(difference) < 0.5 * a
            ? a * logOnePlusMinusX(difference / a)
            : a * Foundation.log(x / a) - difference
        return core + 0.5 * Foundation.log(a / (2 * Double.pi)) - stirlingRemainder(a)
    }

    /// The pair (P(a, x), Q(a, x)) of regularised incomplete gamma functions (NR §6.2):
    /// P = prefix · Σₙ xⁿ / (a(a+1)…(a+n)) for x < a + 1 (A&S 6.5.29), otherwise
    /// Q = prefix · (1/(x+1−a−) (1·(1−a))/(x+3−a−) …), a continued fraction evaluated by the
    /// modified Lentz method (A&S 6.5.31). The other member is 1 minus the computed one.
    public static func regularizedGammaPair(_ a: Double, _ x: Double) -> (p: Double, q: Double) {
        guard a > 0, x >= 0, !a.isNaN, !x.isNaN, a.isFinite else { return (.nan, .nan) }
        if x == 0 { return (0, 1) }
        if x.isInfinite { return (1, 0) }
        let logPrefix = logGammaPrefix(a, x)
        if x < a + 1 {
            var term = 1 / a
            var sum = term
            var n = 1.0
            while n < 100_000 {
                term *= x / (a + n)
                sum += term
                if term < sum * epsilon * 0.5 { break }
                n += 1
            }
            let p = Foundation.exp(logPrefix) * sum
            return (p, 1 - p)
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= epsilon { break }
            i += 1
        }
        let q = Foundation.exp(logPrefix) * h
        return (1 - q, q)
    }

    /// P(a, x) = γ(a, x)/Γ(a), the regularised lower incomplete gamma function (A&S 6.5.1).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        regularizedGammaPair(a, x).p
    }

    /// Q(a, x) = Γ(a, x)/Γ(a) = 1 − P(a, x), computed directly in the right tail.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        regularizedGammaPair(a, x).q
    }

    /// x with P(a, x) = p: NR §6.2.1's starting point (Wilson–Hilferty for a > 1, the
    /// small-x power law otherwise), then safeguarded Halley steps on P(a, x) − p with
    /// dP/dx = x^(a−1) e⁻ˣ / Γ(a), kept inside a shrinking bracket. In the upper half the
    /// residual is formed as (1 − p) − Q so that it keeps its relative precision.
    public static func inverseRegularizedGammaP(_ a: Double, _ p: Double) -> Double {
        guard a > 0, a.isFinite, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        var x: Double
        if a > 1 {
            let pp = p < 0.5 ? p : 1 - p
            let t = (-2 * Foundation.log(pp)).squareRoot()
            var z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { z = -z }
            let base = 1 - 1 / (9 * a) - z / (3 * a.squareRoot())
            x = max(1e-3 * a, a * base * base * base)
        } else {
            let t = 1 - a * (0.253 + a * 0.12)
            x = p < t ? Foundation.pow(p / t, 1 / a) : 1 - Foundation.log1p(-(p - t) / (1 - t))
        }
        if !(x > 0) || !x.isFinite { x = a }
        var lower = 0.0, upper = Double.infinity
        for _ in 0..<200 {
            let pair = regularizedGammaPair(a, x)
            let residual = p <= 0.5 ? pair.p - p : (1 - p) - pair.q
            if residual == 0 { return x }
            if residual < 0 { lower = x } else { upper = x }
            let slope = Foundation.exp(logGammaPrefix(a, x) - Foundation.log(x))
            var next = x
            if slope > 0, slope.isFinite {
                let u = residual / slope
                next = x - u / (1 - 0.5 * min(1, u * ((a - 1) / x - 1)))
            }
            if !(next > lower && next < upper) {
                next = upper.isFinite ? 0.5 * (lower + upper) : 2 * x
            }
            if abs(next - x) <= 2 * epsilon * x { return next }
            x = next
        }
        return x
    }

    /// The pair (I_x(a, b), 1 − I_x(a, b)) of regularised incomplete beta functions
    /// (A&S 26.5.1), by the continued fraction A&S 26.5.8 (NR §6.4, modified Lentz) times the
    /// prefix xᵃ(1−x)ᵇ / (a B(a, b)), using I_x(a, b) = 1 − I_{1−x}(b, a) when
    /// x > (a+1)/(a+b+2) so that the fraction converges fast. Both members are returned
    /// directly from one evaluation, so each tail keeps its relative precision where the
    /// fraction was evaluated on its side.
    public static func regularizedBetaPair(_ a: Double, _ b: Double, _ x: Double) -> (lower: Double, upper: Double) {
        guard a > 0, b > 0, a.isFinite, b.isFinite, !x.isNaN else { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if x >= 1 { return (1, 0) }
        let y = 1 - x
        if x > (a + 1) / (a + b + 2) {
            let value = betaContinuedFractionTerm(b, a, y, x)
            return (1 - value, value)
        }
        let value = betaContinuedFractionTerm(a, b, x, y)
        return (value, 1 - value)
    }

    /// I_x(a, b) by the continued fraction, with y = 1 − x passed separately.
    @usableFromInline
    static func betaContinuedFractionTerm(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        let logY = y <= 0.5 ? Foundation.log(y) : log1p(-x)
        let logPrefix = a * Foundation.log(x) + b * logY - logBeta(a, b)
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m < 100_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= epsilon { break }
            m += 1
        }
        return Foundation.exp(logPrefix) * h / a
    }

    /// I_x(a, b) = B(x; a, b)/B(a, b), the regularised incomplete beta function.
    public static func regularizedBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        regularizedBetaPair(a, b, x).lower
    }

    /// x with I_x(a, b) = p: NR §6.14.9's starting point (a normal-based guess for a, b ≥ 1,
    /// the two tail power laws otherwise), then safeguarded Halley steps on I_x − p with
    /// dI/dx = x^(a−1)(1−x)^(b−1) / B(a, b), kept inside a shrinking bracket [lower, upper].
    public static func inverseRegularizedBeta(_ a: Double, _ b: Double, _ p: Double) -> Double {
        guard a > 0, b > 0, a.isFinite, b.isFinite, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        var x: Double
        let logB = logBeta(a, b)
        if a >= 1, b >= 1 {
            let pp = p < 0.5 ? p : 1 - p
            let t = (-2 * Foundation.log(pp)).squareRoot()
            var z = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
            if p < 0.5 { z = -z }
            let al = (z * z - 3) / 6
            let h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
            let w = z * (al + h).squareRoot() / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5.0 / 6 - 2 / (3 * h))
            x = a / (a + b * Foundation.exp(2 * w))
        } else {
            let lna = Foundation.log(a / (a + b)), lnb = Foundation.log(b / (a + b))
            let t = Foundation.exp(a * lna) / a
            let u = Foundation.exp(b * lnb) / b
            let w = t + u
            x = p < t / w ? Foundation.pow(a * w * p, 1 / a) : 1 - Foundation.pow(b * w * (1 - p), 1 / b)
        }
        var lower = 0.0, upper = 1.0
        if !(x > 0 && x < 1) { x = 0.5 }
        for _ in 0..<200 {
            let pair = regularizedBetaPair(a, b, x)
            let residual = p <= 0.5 ? pair.lower - p : (1 - p) - pair.upper
            if residual == 0 { return x }
            if residual < 0 { lower = x } else { upper = x }
            let slope = Foundation.exp((a - 1) * Foundation.log(x) + (b - 1) * log1p(-x) - logB)
            var next = x
            if slope > 0, slope.isFinite {
                let u = residual / slope
                next = x - u / (1 - 0.5 * min(1, u * ((a - 1) / x - (b - 1) / (1 - x))))
            }
            if !(next > lower && next < upper) { next = 0.5 * (lower + upper) }
            if abs(next - x) <= 2 * epsilon * x || upper - lower <= 2 * epsilon * upper { return next }
            x = next
        }
        return x
    }
}
