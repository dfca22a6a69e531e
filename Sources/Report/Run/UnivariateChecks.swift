import FlowKit
import Foundation

/// The numerical checks of a one-dimensional experiment: each computes a value that the
/// spec's limit judges (see ``CheckName`` for the table of defaults).
enum UnivariateChecks {
    /// Points of the pilot sample used for the round-trip check.
    static let roundTripPoints = 4096
    /// Points of the pilot sample at which each map's log-det is compared with finite differences.
    static let finiteDifferencePoints = 256

    /// max over sampled x of |T⁻¹(T(x)) − x| / max(1, |x|) for the whole chain.
    static func roundTrip(flow: Flow, pilot: [Double]) -> Double {
        let x = Array(pilot.prefix(roundTripPoints))
        var batch = PointBatch(scalars: x)
        var scratch = [Double](repeating: 0, count: x.count)
        flow.chain.forward(&batch, logAbsDet: &scratch)
        flow.chain.inverse(&batch, logAbsDet: &scratch)
        var worst = 0.0
        for (original, back) in zip(x, batch.values) where original.isFinite {
            let error = abs(back - original) / max(1, abs(original))
            if error.isNaN { return .nan }
            worst = max(worst, error)
        }
        return worst
    }

    /// The result of comparing analytic log-dets with finite differences.
    struct LogDetComparison {
        var worst: Double
        var compared: Int
        /// Points where the finite difference could not resolve the derivative (its own
        /// error estimate above 1e-8 relative, e.g. tanh far in its flat tails).
        var unresolved: Int
    }

    /// For each map and sampled stage input x: |log|T′(x)| − log|D_h T(x)||, D_h the Ridders
    /// finite difference (``FiniteDifference``), with an initial step of 1 % of |x| (so maps
    /// such as log near 0 are differenced inside their domain).
    static func logDetAgainstFiniteDifferences(maps: [any Bijection], stages: [[Double]]) -> LogDetComparison {
        var result = LogDetComparison(worst: 0, compared: 0, unresolved: 0)
        for (k, map) in maps.enumerated() {
            let inputs = stages[k].prefix(finiteDifferencePoints)
            let domain = map.domain(dimension: 1)[0]
            for x in inputs where x.isFinite && domain.contains(x) {
                var point = PointBatch(scalars: [x])
                var analytic = [0.0]
                map.forward(&point, logAbsDet: &analytic)
                let f: (Double) -> Double = { t in
                    guard domain.contains(t) else { return .nan }
                    var p = PointBatch(scalars: [t])
                    var scratch = [0.0]
                    map.forward(&p, logAbsDet: &scratch)
                    return p.values[0]
                }
                let estimate = FiniteDifference.derivative(of: f, at: x, step: 0.01 * max(abs(x), 1e-8))
                guard estimate.value.isFinite, estimate.value != 0,
                      estimate.error <= 1e-8 * abs(estimate.value) else {
                    result.unresolved += 1
                    continue
                }
                let difference = abs(analytic[0] - log(abs(estimate.value)))
                if difference.isNaN { result.worst = .nan; return result }
                result.worst = max(result.worst, difference)
                result.compared += 1
            }
        }
        return result
    }

    /// |∫ p_Eq5(y) dy − 1| over the propagated output support by adaptive Gauss–Kronrod
    /// quadrature (``AdaptiveIntegrator``).
    static func integral(flow: Flow, support: Interval) -> Integral {
        AdaptiveIntegrator.integrate({ y in
            let logP = flow.logDensityByInverse(PointBatch(scalars: [y]))[0]
            return logP.isFinite ? exp(logP) : 0
        }, from: support.lower, to: support.upper, relativeTolerance: 1e-10, absoluteTolerance: 1e-13)
    }
}
