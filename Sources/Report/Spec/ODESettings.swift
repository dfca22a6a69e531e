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
    /// Eq. 4 and Eq. 5; a multiple of the check histogram's 40 bins), in place of 400.
    public static let checkGridCells = 80

    public init(method: ODEMethod) { self.method = method }

    /// The scale of the solver's error that the density checks are judged against: max(rtol,
    /// atol) for dopri5; h⁴ = steps⁻⁴ for rk4 (its global error is O(h⁴)).
    public var errorScale: Double {
        switch method {
        case let .dopri5(rtol, atol): return max(rtol, atol)
        case let .rk4(steps): return pow(1 / Double(steps), 4)
        }
    }

    /// Default limits of the checks of a spec with a continuous flow, from ``errorScale``
    /// (unless the spec sets them): `eq4_vs_eq5` and `round_trip` 10³ × the error scale (two
    /// solves each, over a unit time and with a field of size up to about ten; the limits of
    /// exact maps, 10⁻¹², would only measure the solver's tolerance) and
    /// `logdet_vs_finite_difference` 10³ × the error scale plus 10⁻⁶ (the finite difference
    /// differentiates the discrete solution, whose Jacobian differs from exp(∫ ∇·v) by the same
    /// order).
    public var checkLimits: [(CheckName, Double)] {
        let scale = errorScale
        return [(.eq4VsEq5, 1e3 * scale), (.roundTrip, 1e3 * scale), (.logDetVsFiniteDifference, 1e3 * scale + 1e-6)]
    }

    /// `rk4 with 100 steps`, `dopri5 (rtol 1e-05, atol 1e-05, a step size per point)`.
    public var summary: String {
        switch method {
        case let .rk4(steps): return "rk4, \(steps) equal steps"
        case let .dopri5(rtol, atol): return "dopri5, rtol \(Run.format(rtol)), atol \(Run.format(atol)), a step size per point"
        }
    }
}
