import FlowKit
import Foundation

/// The point checks of a d-dimensional run, at sampled points of the pilot chunk, and the
/// noise model of the histogram check.
public enum MultivariateChecks {
    /// Points used by the round trip.
    public static let roundTripPoints = 1000
    /// Points per map used by the finite-difference log-det comparison.
    public static let finiteDifferencePoints = 50

    /// max over points of ‖T⁻¹(T(x)) − x‖_∞ / max(1, ‖x‖_∞) for the whole chain, at the first
    /// ``roundTripPoints`` base samples (planar maps invert numerically).
    public static func roundTrip(chain: TransformChain, base points: PointBatch) -> Double {
        let d = points.dimension
        let n = min(points.count, roundTripPoints)
        let x = PointBatch(dimension: d, values: Array(points.values[0..<(n * d)]))
        var y = x
        var scratch = [Double](repeating: 0, count: n)
        chain.forward(&y, logAbsDet: &scratch)
        chain.inverse(&y, logAbsDet: &scratch)
        var worst = 0.0
        for i in 0..<n {
            var error = 0.0, size = 1.0
            for j in 0..<d {
                error = max(error, abs(y[i, j] - x[i, j]))
                size = max(size, abs(x[i, j]))
            }
            if error.isNaN { return .nan }
            worst = max(worst, error / size)
        }
        return worst
    }

    /// For each map f_k and the first ``finiteDifferencePoints`` of its input stage x_{k−1},
    /// |log|det J_{f_k}(x)| − log|det J_FD(x)|| with J_FD by Ridders' extrapolation
    /// (``FiniteDifference/logAbsDeterminantOfJacobian(of:at:step:)``). Returns the worst
    /// difference, the number of (map, point) pairs compared and those skipped because the
    /// finite difference is not finite there.
    public static func logDetAgainstFiniteDifferences(maps: [any Bijection], base points: PointBatch)
        -> (worst: Double, compared: Int, unresolved: Int) {
        let d = points.dimension
        let n = min(points.count, finiteDifferencePoints)
        var stage = PointBatch(dimension: d, values: Array(points.values[0..<(n * d)]))
        var worst = 0.0, compared = 0, unresolved = 0
        for map in maps {
            var analytic = [Double](repeating: 0, count: n)
            var next = stage
            map.forward(&next, logAbsDet: &analytic)
            for i in 0..<n {
                let x = stage.point(i)
                let numeric = FiniteDifference.logAbsDeterminantOfJacobian(of: { p in
                    var b = PointBatch(dimension: d, values: p)
                    var l = [0.0]
                    map.forward(&b, logAbsDet: &l)
                    return b.values
                }, at: x)
                guard numeric.isFinite, analytic[i].isFinite else { unresolved += 1; continue }
                worst = max(worst, abs(numeric - analytic[i]))
                compared += 1
            }
            stage = next
        }
        return (worst, compared, unresolved)
    }

    /// E|X − λ| for X ~ Poisson(λ): 2·e^{−λ}·λ^{⌊λ⌋+1}/⌊λ⌋! (the mean absolute deviation of the
    /// Poisson distribution; Ramasubban 1958).
    public static func poissonMeanAbsoluteDeviation(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 0 }
        let k = Foundation.floor(lambda)
        return Foundation.exp(Foundation.log(2) - lambda + (k + 1) * Foundation.log(lambda) - Special.logGamma(k + 1))
    }

    /// The L1 distance ``HistogramDensityDistance/l1(_:binMasses:)`` expected from sampling
    /// noise alone when `n` samples follow bin masses `masses` exactly (the rest, 1 − Σ m,
    /// outside): (1/n)·Σ_b E|C_b − n·m_b| with C_b ≈ Poisson(n·m_b), which slightly
    /// overestimates the binomial noise of large bins (so the ratio errs towards passing
    /// there, by at most a factor √(1 − m_b)).
    public static func expectedNoiseL1(masses: [Double], samples n: Double) -> Double {
        guard n > 0 else { return .nan }
        let outside = max(0, 1 - masses.reduce(0, +))
        return (masses + [outside]).reduce(0) { $0 + poissonMeanAbsoluteDeviation(n * $1) } / n
    }
}
