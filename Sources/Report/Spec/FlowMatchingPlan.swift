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

    /// The options as `flowreport list` prints them.
    static let docs: [ParameterDoc] = [
        ParameterDoc("hidden", .integers, requirement: "widths ≥ 1", summary: "hidden widths of the field's SELU MLP of (x, t) (t appended as the last input)", default: "[64, 64, 64]"),
        ParameterDoc("sigma_min", .number, requirement: "in [0, 1)", summary: "σ_min of the path x_t = (1 − (1 − σ_min)t)x₀ + t·x₁", default: "0"),
        ParameterDoc("pairing", .integer, requirement: "independent | ot", summary: "pairing of x₀ and x₁ in a batch (ot: exact minibatch OT, Tong et al. 2024)", default: "independent"),
        ParameterDoc("parameters", .vector, requirement: "the field's flat vector", summary: "fixes the field (fitted.yaml writes it); without it the field is fitted"),
    ]
}

/// The `fit:` settings of a flow-matching fit.
public struct FlowMatchingSettings: Sendable {
    public static let keys = ["objective", "data", "iterations", "batch", "optimizer", "validation"]
    public static let objective = "flow_matching"

    public var data: FitSettings.Data
    public var iterations: Int = 10_000
    public var batch: Int = 256
    public var optimizer: FitSettings.OptimizerChoice = .adam(learningRate: 1e-3)
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
