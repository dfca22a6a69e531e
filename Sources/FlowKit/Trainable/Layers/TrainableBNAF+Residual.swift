extension TrainableBNAF {
    /// How the identity enters a BNAF flow, F(x) = σ(g)·f(x) + (1 − σ(g))·x.
    ///
    /// De Cao et al. (2020; nicola-decao/BNAF, `toy2d.py`) join stacked flows by a *learned*
    /// gate and give the last flow (next to the base) no residual at all: there the network f
    /// alone maps the data to the base. Without a residual F is bounded in each x_i and not onto
    /// ℝ^d, so the sampling direction could not invert every base draw; `fixed` keeps a constant
    /// identity share σ(−g₀) = σ(−5) ≈ 0.0067 instead, which no fit changes
    /// (``TrainableLayer/untrainedParameters``). A learned gate started at 0 (equal shares)
    /// does not make up for it: on 2spirals maximum likelihood leaves σ(g) ≈ 0.55–0.7, or drives
    /// a gate started at 5 back to σ(g) ≈ 0.55 under BNAF's optimiser (AMSGrad, lr 0.1), and the
    /// identity's slope 1 − σ(g) in x_i keeps a diffuse disc of mass between the arms.
    public enum Residual: String, Sendable, CaseIterable {
        /// A learned gate g, starting at 0 (BNAF's residual between stacked flows).
        case gated
        /// g fixed at 5 (BNAF's residual-free last flow, kept onto ℝ^d).
        case fixed

        /// g₀: the gate's starting value (its only value for `fixed`).
        public var initialGate: Double {
            switch self {
            case .gated: return 0
            case .fixed: return 5
            }
        }
    }

    /// The fixed gate's index when ``residual`` is `fixed`.
    public var untrainedParameters: [Int] { residual == .fixed ? [gateOffset] : [] }
}
