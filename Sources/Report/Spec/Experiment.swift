import FlowKit

/// A validated, resolved experiment: everything a run needs, built from a spec by
/// ``SpecLoader``. Values are immutable and `Sendable`, so a run may share one experiment
/// across threads.
///
/// The shape is d-dimensional (``base`` is a multivariate distribution and ``flow`` maps ℝᵈ);
/// one-dimensional experiments also carry ``univariateBase`` and may carry a ``reference``.
public struct Experiment: Sendable {
    /// The spec's file stem (`lognormal` for `reports/lognormal.yaml`): the report folder name.
    public var name: String
    /// The spec's path as given.
    public var path: String
    /// The spec text exactly as read (copied into the report).
    public var source: String
    public var title: String
    public var description: String?
    public var seed: UInt64
    public var samples: Int
    /// The base as a univariate distribution, for 1-D experiments.
    public var univariateBase: (any UnivariateDistribution)?
    /// The base as written in the spec, for display.
    public var baseDescription: FlowStepDescription
    /// Base plus chain, in generative order x_K = f_K ∘ … ∘ f_1(x_0).
    public var flow: Flow
    /// Each map as written in the spec, for display.
    public var steps: [FlowStepDescription]
    /// The analytic density of the output, when the spec gives one (1-D only for now).
    public var reference: (any UnivariateDistribution)?
    public var referenceDescription: FlowStepDescription?
    public var figures: [FigureRequest]
    /// Every check, in ``CheckName`` order, with its limit and whether it runs.
    public var checks: [CheckSetting]
    public var output: OutputOptions
    /// For d = 2: the energy or data set named by `reference` (shown beside the flow).
    public var target: TargetCatalog.Target? = nil
    /// Named alternatives to base and chain, drawn in 2-D `stages` figures.
    public var variants: [ExperimentVariant] = []
    /// True for a spec without `base` and `flow` whose figures all show `targets`: it runs no
    /// flow (its base is N(0, I) in 2-D and its chain the identity, never drawn or checked).
    public var isTargetOnly: Bool = false
    /// The fit the spec asks for (`fit:`), run before everything else; nil for a fixed flow.
    /// Until the fit runs, ``flow`` holds the fitted layers at their starting parameters.
    public var fit: FitPlan? = nil
    /// The flow-matching fit of a `flow_matching` flow (`fit:` with `objective: flow_matching`).
    public var flowMatching: FlowMatchingPlan? = nil
    /// The solver of the spec's continuous flows (`ode:`, or its default), nil without one.
    public var ode: ODESettings? = nil

    /// The file in a report folder holding the spec with every fitted parameter written out.
    public static let fittedSpecFileName = "fitted.yaml"

    /// The number of dimensions of the base, the flow and its output.
    public var dimension: Int { flow.dimension }
    /// The base distribution on ℝᵈ (for 1-D specs, the univariate base as one component).
    public var base: any MultivariateDistribution { flow.base }
    /// The chain's maps in generative order.
    public var maps: [any Bijection] { flow.chain.maps }

    /// The variant called `name`, or the spec's own base and chain for `flow`.
    public func chain(named name: String) -> ExperimentVariant? {
        if name == "flow" {
            return ExperimentVariant(name: "flow", label: ExperimentVariant.defaultLabel(steps),
                                     baseDescription: baseDescription, flow: flow, steps: steps)
        }
        return variants.first { $0.name == name }
    }

    /// The setting of check `name`.
    public func check(_ name: CheckName) -> CheckSetting {
        checks.first { $0.name == name } ?? CheckSetting(name: name, limit: name.defaultLimit, enabled: false)
    }
}
