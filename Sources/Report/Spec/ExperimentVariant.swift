import FlowKit

/// A named alternative to a spec's base and chain (top-level `variants:`), drawn beside it in
/// 2-D `stages` figures (Rezende & Mohamed's Figure 1 has rows for two bases and columns for
/// planar and radial chains). A variant replaces `base`, `flow` or both; what it omits is the
/// spec's own. Variants are drawn, not checked: checks judge the spec's own flow.
///
/// ```yaml
/// variants:
///   radial: {label: radial, flow: [{radial: {z0: [0, 0], alpha: 1, beta: 2}}]}
///   uniform: {base: {uniform: {low: -2, high: 2}}}
/// ```
public struct ExperimentVariant: Sendable {
    public var name: String
    /// Panel title prefix (default: the common name of its maps, e.g. `planar`).
    public var label: String
    public var baseDescription: FlowStepDescription
    /// The variant's base and chain.
    public var flow: Flow
    public var steps: [FlowStepDescription]
    /// The variant's own fit (its flow has fitted layers; its `fit:` keys override the spec's).
    public var fit: FitPlan? = nil
    /// Whether the fitted variant has a column in the `fit` grid (`fit_figure: false` keeps it
    /// to the `bound` figure and the metrics, as Rezende & Mohamed's radial flows, which appear
    /// only in Figure 3(d)).
    public var inFitFigure = true
    /// The variant's own flow-matching fit.
    public var flowMatching: FlowMatchingPlan? = nil

    public init(name: String, label: String, baseDescription: FlowStepDescription, flow: Flow,
                steps: [FlowStepDescription]) {
        self.name = name
        self.label = label
        self.baseDescription = baseDescription
        self.flow = flow
        self.steps = steps
    }

    public var base: any MultivariateDistribution { flow.base }
    public var maps: [any Bijection] { flow.chain.maps }

    /// The common name of `steps` when they all share one (`planar`), else `flow`.
    static func defaultLabel(_ steps: [FlowStepDescription]) -> String {
        guard let first = steps.first?.name, steps.allSatisfy({ $0.name == first }) else { return "flow" }
        return first
    }
}
