import FlowKit
import FlowTraining

/// A `flow_matching` flow entry and its `fit:` section with `objective: flow_matching`: a
/// continuous flow whose vector field v_θ(t, x) (an MLP of (x, t), ``NeuralVelocityField``) is
/// fitted by conditional flow matching (Lipman et al. 2023; Tong et al. 2024) and integrated
/// by the spec's `ode:` solver.
///
/// ```yaml
/// flow:
///   - {flow_matching: {hidden: [64, 64, 64], sigma_min: 0, pairing: independent}}   # or pairing: ot
/// fit: {objective: flow_matching, data: moons, iterations: 20000, batch: 256,
///       optimizer: {adam: {learning_rate: 1e-3}}, validation: {every: 500}}
/// ode: {method: dopri5, rtol: 1e-5, atol: 1e-5}
/// ```
///
/// The entry is the whole flow (its base is the source of the paths, x₀ at t = 0; the data
/// are x₁ at t = 1); `parameters: [...]` (the field's flat vector, as `fitted.yaml` writes it)
/// fixes it.
public struct FlowMatchingEntry: Sendable {
    public static let name = "flow_matching"
    public static let keys = ["hidden", "sigma_min", "pairing", "parameters"]
    public static let defaultHidden = [64, 64, 64]

    /// Hidden widths of the field's MLP (input d + 1: x and t; output d; SELU).
    public var hidden: [Int] = FlowMatchingEntry.defaultHidden
    /// σ_min of the path x_t = (1 − (1 − σ_min)t)·x₀ + t·x₁, in [0, 1).
    public var sigmaMin: Double = 0
    public var pairing: ConditionalFlowMatching.Pairing = .independent
    /// The field's parameters when the spec fixes them (`fitted.yaml`), nil when fitted.
    public var fixed: [Double]?

    public init() {}

    /// The field of `dimension` dimensions with these widths.
    public func network(dimension: Int) -> NeuralVelocityField { NeuralVelocityField(dimension: dimension, hidden: hidden) }

    /// The text of `flowreport list` for flow matching, the `ode:` section and data-set bases.
    public static var listing: String {
        """

        Continuous flows (flow matching, Lipman et al. 2023; Tong et al. 2024):
          flow_matching — the whole flow: dx/dt = v_θ(t, x) from the base (t = 0) to the data (t = 1); fitted by fit: {objective: flow_matching, data: …}
              hidden (integers, widths ≥ 1, default [64, 64, 64]): hidden widths of the field's SELU MLP of (x, t), t appended as the last input
              sigma_min (number, in [0, 1), default 0): σ_min of the path x_t = (1 − (1 − σ_min)t)·x₀ + t·x₁, target x₁ − (1 − σ_min)·x₀
              pairing (independent | ot, default independent): pairing of x₀ and x₁ in a batch (ot: exact minibatch optimal transport)
              parameters (vector, the field's flat vector): fixes the field (fitted.yaml writes it); without it the field is fitted
          fit: objective: flow_matching; data (a data set or {file: points.csv}), iterations (default 10000), batch (default 256),
               optimizer (default {adam: {learning_rate: 1e-3}}), validation: {every: N} (default iterations/20)
          ode: (top level) method: dopri5 (default; rtol default 1e-5, atol default 1e-5, a step size per point) | rk4 (steps default 100)
              check limits unless set (ε = max(rtol, atol); rk4: steps⁻²): round_trip 1e3 ε, eq4_vs_eq5 1e4 ε; logdet_vs_finite_difference off
          base: {dataset: NAME} — a data set with a closed-form density as the base: \(ToyDatasetDensity.allCases.map(\.rawValue).joined(separator: ", "))

        """
    }
}

/// The `fit:` settings of a flow-matching fit.
public struct FlowMatchingSettings: Sendable {
    public static let keys = ["objective", "data", "iterations", "batch", "optimizer", "schedule", "validation"]
    public static let objective = "flow_matching"

    public var data: FitSettings.Data
    public var iterations: Int = 10_000
    public var batch: Int = 256
    public var optimizer: FitSettings.OptimizerChoice = .adam(learningRate: 1e-3)
    public var schedule: FitSettings.ScheduleChoice = .constant
    /// The validation loss (on fixed fresh draws) every this many iterations.
    public var validationEvery: Int

    public init(data: FitSettings.Data, iterations: Int = 10_000) {
        self.data = data
        self.iterations = iterations
        self.validationEvery = max(1, iterations / 20)
    }

    /// `moons`, or the data file's name.
    public var dataName: String {
        switch data {
        case let .dataset(dataset): return dataset.rawValue
        case let .points(_, file): return file
        }
    }
}

/// Everything a flow-matching fit needs: the entry, its settings, the base (the source of the
/// paths) and the ODE solver of the flow.
public struct FlowMatchingPlan: Sendable {
    public var entry: FlowMatchingEntry
    public var settings: FlowMatchingSettings
    public var base: any MultivariateDistribution
    public var ode: ODESettings
    public var dimension: Int { base.dimension }
}
