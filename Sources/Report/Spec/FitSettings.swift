import FlowTraining
import FlowKit

/// The `fit:` section of a spec: what a fit minimises, on what, for how long and how.
///
/// ```yaml
/// fit:
///   objective: reverse_kl         # reverse_kl | maximum_likelihood
///   target: u1                    # reverse_kl: an energy, u1 … u4
///   data: 8gaussians              # maximum_likelihood: a built-in data set, or {file: points.csv}
///   iterations: 20000
///   batch: 256
///   optimizer: {adam: {learning_rate: 1e-3}}   # or {rmsprop: {learning_rate: 1e-5, momentum: 0.9}}; adam takes amsgrad: true
///   clip: 0.1                     # optional: gradient-norm clipping, g ← g·c/‖g‖ when ‖g‖ > c
///   schedule: cosine              # constant (default) | cosine: η_t = ½η(1 + cos(πt/T))
///   anneal: 10000                 # reverse_kl: β_t = min(1, 0.01 + t/anneal); 0 turns annealing off
///   train_base: true              # also fit the base's mean and std
///   validation: {every: 500}
/// ```
/// The fit checks' limits are in the top-level `checks:` (``checkNames``).
public struct FitSettings: Sendable {
    public enum Objective: String, Sendable, CaseIterable {
        case reverseKL = "reverse_kl"
        case maximumLikelihood = "maximum_likelihood"

        /// The direction of the recording pass the objective trains.
        public var direction: TrainableDirection { self == .reverseKL ? .sampling : .density }
    }

    /// The data of a maximum-likelihood fit.
    public enum Data: Sendable {
        /// A built-in toy data set, drawn fresh every iteration.
        case dataset(ToyDataset)
        /// Points read from a file (`.csv` or `.npy`), split into training and held-out points.
        case points(PointBatch, file: String)
    }

    public enum OptimizerChoice: Sendable, Equatable {
        /// Adam, with AMSGrad's running maximum of the second moment when `amsgrad` (BNAF's
        /// optimiser, De Cao et al. 2020).
        case adam(learningRate: Double, amsgrad: Bool = false)
        case rmsprop(learningRate: Double, momentum: Double)

        public var learningRate: Double {
            switch self {
            case let .adam(rate, _), let .rmsprop(rate, _): return rate
            }
        }
    }

    /// The learning-rate schedule of a fit (`schedule:`): `constant` η_t = η (the default), or
    /// `cosine`, η_t = ½η(1 + cos(π t/T)) over the fit's T iterations (Loshchilov & Hutter 2017,
    /// without restarts), which lets a regression fit such as flow matching settle at the end.
    public enum ScheduleChoice: String, Sendable, Equatable, CaseIterable {
        case constant, cosine

        /// The schedule for base rate `rate` over `iterations` iterations.
        public func schedule(rate: Double, iterations: Int) -> any LearningRateSchedule {
            switch self {
            case .constant: return ConstantSchedule(rate)
            case .cosine: return CosineSchedule(base: rate, iterations: iterations)
            }
        }
    }

    public static let keys = ["objective", "target", "data", "iterations", "batch", "optimizer", "clip", "schedule", "anneal",
                              "train_base", "validation", "checks"]
    /// The fit checks and their default limits (`elbo_below_log_z` in standard errors;
    /// infinity: off unless the spec gives a limit). Their limits are set in the spec's
    /// top-level `checks:` like every other check's.
    public static let checkDefaults: [(name: String, limit: Double)] = [
        ("heldout_nll", .infinity), ("kl_model_to_target", .infinity), ("elbo_below_log_z", 3), ("gradient_check", 1e-5),
    ]
    public static var checkNames: [String] { checkDefaults.map(\.name) }

    public var objective: Objective
    public var target: Energy?
    public var data: Data?
    public var iterations: Int = 10_000
    public var batch: Int = 256
    public var optimizer: OptimizerChoice = .adam(learningRate: 1e-3)
    public var schedule: ScheduleChoice = .constant
    /// Gradient-norm clipping (`clip:`), or nil for none.
    public var clip: Double?
    public var anneal: Int = 0
    public var trainBase: Bool = true
    /// Validation estimates every this many iterations.
    public var validationEvery: Int
    /// Limits of the fit checks by name (``checkDefaults`` for those the spec does not set;
    /// a check the spec turns off has no entry).
    /// Fresh samples of the final reverse-KL estimates (`elbo`, `log_z_estimate`); not a spec
    /// key (the issue fixes at least 65,536), only lowered by tests through ``RunOptions``.
    public var estimateSamples: Int = 65_536
    public var limits: [String: Double] = Dictionary(uniqueKeysWithValues: checkDefaults.map { ($0.name, $0.limit) })

    public init(objective: Objective, target: Energy? = nil, data: Data? = nil, iterations: Int = 10_000) {
        self.objective = objective
        self.target = target
        self.data = data
        self.iterations = iterations
        self.validationEvery = max(1, iterations / 20)
    }
}

/// One layer of a fitted flow: the trainable layer and, when the spec fixes it, its parameters.
public struct FitLayerSlot: Sendable {
    public var layer: any TrainableLayer
    /// The spec's parameters (fixed during the fit), or nil when the layer is fitted.
    public var fixed: [Double]?
    /// For a fixed map of the transform catalog among fitted layers: its spec entry, written
    /// back unchanged in `fitted.yaml`.
    public var catalogEntry: String?

    public init(layer: any TrainableLayer, fixed: [Double]?, catalogEntry: String? = nil) {
        self.layer = layer
        self.fixed = fixed
        self.catalogEntry = catalogEntry
    }
}

/// Everything a fit needs beyond the ``Experiment``'s shared fields: the settings, the layers
/// in sampling order and the base's starting mean and standard deviation.
public struct FitPlan: Sendable {
    public var settings: FitSettings
    public var layers: [FitLayerSlot]
    public var baseMean: [Double]
    public var baseStd: [Double]
}

/// The training loop's settings that every `fit:` section has (``FitSettings``,
/// ``FlowMatchingSettings``), read by one parser.
public protocol TrainingLoopSettings {
    var iterations: Int { get set }
    var batch: Int { get set }
    var optimizer: FitSettings.OptimizerChoice { get set }
    var schedule: FitSettings.ScheduleChoice { get set }
    /// Validation estimates every this many iterations.
    var validationEvery: Int { get set }
}

extension FitSettings: TrainingLoopSettings {}
extension FlowMatchingSettings: TrainingLoopSettings {}
