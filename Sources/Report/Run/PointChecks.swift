import FlowKit
import Foundation

/// The checks measured at sampled points of the pilot chunk, the same for every dimension:
/// `round_trip` and `logdet_vs_finite_difference`.
///
/// Which points count (one rule for every dimension, pinned by a test):
/// - `round_trip`: the first ``roundTripPoints`` base samples whose coordinates are all
///   finite; a NaN anywhere in a round trip makes the value NaN (the check fails).
/// - `logdet_vs_finite_difference`: for each map f_k, its inputs x_{k−1} at the first
///   ``finiteDifferencePoints`` samples, where x_{k−1} is finite and inside the map's domain.
///   A (map, point) pair is compared when every column of the finite-difference Jacobian is
///   finite and resolved (Ridders' error estimate at most ``resolution`` times the column's
///   largest entry, which must not be 0) and the Jacobian is not singular; the others are
///   counted as unresolved (e.g. tanh far in its flat tails) and reported.
public enum PointChecks {
    /// Base samples used by the round trip.
    public static let roundTripPoints = 4096
    /// Samples per map at which log|det J| is compared with finite differences.
    public static let finiteDifferencePoints = 256
    /// Largest relative error estimate of a finite-difference Jacobian column that counts as
    /// resolved.
    public static let resolution = 1e-8

    /// max over points of ‖T⁻¹(T(x)) − x‖_∞ / max(1, ‖x‖_∞) for the whole chain.
    public static func roundTrip(chain: TransformChain, base points: PointBatch) -> (value: Double, points: Int) {
        let d = points.dimension
        var kept: [Double] = []
        var n = 0
        for i in 0..<points.count where n < roundTripPoints {
            let x = points.point(i)
            guard x.allSatisfy(\.isFinite) else { continue }
            kept += x
            n += 1
        }
        let x = PointBatch(dimension: d, values: kept)
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
            if error.isNaN { return (.nan, n) }
            worst = max(worst, error / size)
        }
        return (worst, n)
    }

    /// The result of comparing analytic log-dets with finite differences.
    public struct LogDetComparison: Sendable, Equatable {
        /// The largest |log|det J| − log|det J_FD||, NaN when an analytic log-det is NaN.
        public var worst: Double
        /// (map, point) pairs compared.
        public var compared: Int
        /// Pairs skipped because the finite difference could not resolve the Jacobian.
        public var unresolved: Int
    }

    /// For each map f_k and its inputs x_{k−1} (``SamplePass/Pilot/stages``): |log|det J_{f_k}(x)|
    /// − log|det J_FD(x)||, J_FD by Ridders' extrapolation (``FiniteDifference``) with an initial
    /// step of 1 % of |x_j| along coordinate j (so maps such as log near 0 are differenced
    /// inside their domain; the map is NaN outside it, which halves the step).
    public static func logDetAgainstFiniteDifferences(maps: [any Bijection], stages: [PointBatch]) -> LogDetComparison {
        var result = LogDetComparison(worst: 0, compared: 0, unresolved: 0)
        for (k, map) in maps.enumerated() {
            let inputs = stages[k]
            let d = inputs.dimension
            let domain = map.domain(dimension: d)
            let inside: ([Double]) -> Bool = { x in zip(domain, x).allSatisfy { $0.contains($1) } }
            let f: ([Double]) -> [Double] = { x in
                guard inside(x) else { return [Double](repeating: .nan, count: d) }
                var p = PointBatch(dimension: d, values: x)
                var scratch = [0.0]
                map.forward(&p, logAbsDet: &scratch)
                return p.values
            }
            for i in 0..<min(inputs.count, finiteDifferencePoints) {
                let x = inputs.point(i)
                guard x.allSatisfy(\.isFinite), inside(x) else { continue }
                var point = PointBatch(dimension: d, values: x)
                var analytic = [0.0]
                map.forward(&point, logAbsDet: &analytic)
                let estimate = FiniteDifference.jacobianEstimate(of: f, at: x, steps: x.map { 0.01 * max(abs($0), 1e-8) })
                guard let numeric = resolvedLogAbsDeterminant(estimate) else {
                    result.unresolved += 1
                    continue
                }
                let difference = abs(analytic[0] - numeric)
                if difference.isNaN { result.worst = .nan; return result }
                result.worst = max(result.worst, difference)
                result.compared += 1
            }
        }
        return result
    }

    /// log|det J| of a finite-difference Jacobian whose columns are all finite and resolved
    /// (see the type's rule), or nil.
    static func resolvedLogAbsDeterminant(_ estimate: (jacobian: [[Double]], columnErrors: [Double])) -> Double? {
        let j = estimate.jacobian
        for (c, error) in estimate.columnErrors.enumerated() {
            let size = j.reduce(0.0) { max($0, abs($1[c])) }
            guard size.isFinite, size > 0, error <= resolution * size else { return nil }
        }
        guard let lu = try? LUDecomposition(j), !lu.isSingular else { return nil }
        let value = lu.logAbsDeterminant
        return value.isFinite ? value : nil
    }
}
