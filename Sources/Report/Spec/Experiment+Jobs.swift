import FlowKit

extension Experiment {
    /// The same experiment with the continuous flows of its own flow and of its variants
    /// solving on at most `jobs` threads (``Flow/solving(jobs:)``): how a run's `--jobs` reaches
    /// the ODE solves of `flow_matching` maps. Values do not change.
    func solving(jobs: Int) -> Experiment {
        var capped = self
        capped.flow = flow.solving(jobs: jobs)
        for k in capped.variants.indices { capped.variants[k].flow = variants[k].flow.solving(jobs: jobs) }
        return capped
    }
}
