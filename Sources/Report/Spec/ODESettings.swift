import Foundation
import FlowKit

/// The top-level `ode:` section: how the continuous flows of a spec (`flow_matching` entries)
/// are integrated, for sampling (t: 0 → 1) and for densities (the state and the exact
/// divergence jointly, t: 1 → 0 for Eq. 5 and back for Eq. 4).
///
/// ```yaml
/// ode: {method: dopri5, rtol: 1e-5, atol: 1e-5}   # adaptive Dormand–Prince 5(4), a step size per point
/// ode: {method: rk4, steps: 100}                  # classical Runge–Kutta, equal steps
/// ```
public struct ODESettings: Sendable, Equatable {
    public var method: ODEMethod

    public static let keys = ["method", "rtol", "atol", "steps"]
    public static let methods = ["dopri5", "rk4"]
    /// The defaults: dopri5 at rtol = atol = 1e-5 (the issue's); rk4 with 100 steps.
    public static let standard = ODESettings(method: .dopri5(relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
    public static let defaultSteps = 100
    /// Cells per axis of the 2-D check grid of a continuous flow (three ODE solves per cell for
    /// Eq. 4 and Eq. 5; the check histogram's 40 bins, one cell each), in place of 400.
    public static let checkGridCells = 40

    public init(method: ODEMethod) { self.method = method }

    /// The scale of the solver's error that the density checks are judged against: max(rtol,
    /// atol) for dopri5; steps⁻² for rk4 (its O(h⁴) rate needs a smooth field, and the SELU
    /// field's derivative jumps wherever a hidden unit crosses zero, so along a path the
    /// divergence is discontinuous and the rate drops).
    public var errorScale: Double {
        switch method {
        case let .dopri5(rtol, atol): return max(rtol, atol)
        case let .rk4(steps): return pow(1 / Double(steps), 2)
        }
    }

    /// Default limits of the checks of a spec with a continuous flow, from ``errorScale``
    /// (unless the spec sets them): `round_trip` 10³ × the error scale (two solves over a unit
    /// time, a field of size up to about ten) and `eq4_vs_eq5` 10⁴ × the error scale (the log
    /// density integrates the divergence, which jumps at the kinks of SELU: there dopri5's
    /// embedded error estimate is optimistic; measured up to 4e-2 at rtol = atol = 1e-5 on the
    /// shipped spec, round trip up to 1.3e-3). `logdet_vs_finite_difference` is off unless the spec turns
    /// it on: Ridders' differences of an adaptive solve cannot reach their resolution rule
    /// (10⁻⁸), so nothing would be compared; the exact divergence is checked against finite
    /// differences of tight solves in the tests, and by `eq4_vs_eq5` in every run.
    public var checkLimits: [(CheckName, Double)] {
        let scale = errorScale
        return [(.eq4VsEq5, 1e4 * scale), (.roundTrip, 1e3 * scale)]
    }

    /// `rk4 with 100 steps`, `dopri5 (rtol 1e-05, atol 1e-05, a step size per point)`.
    public var summary: String {
        switch method {
        case let .rk4(steps): return "rk4, \(steps) equal steps"
        case let .dopri5(rtol, atol): return "dopri5, rtol \(Run.format(rtol)), atol \(Run.format(atol)), a step size per point"
        }
    }
}
