/// The spec parameters of the `radial` transform f(z) = z + β·h(α, r)·(z − z₀): the centre
/// `z0` (d entries), `alpha` > 0 and `beta` ≥ −alpha. They are taken as given, not
/// reparametrised (Rezende & Mohamed's α = softplus(α̃), β̂ = −α + softplus(β) is a device for
/// unconstrained training; a spec states the constrained values directly, and out-of-range
/// values are rejected rather than silently moved).
public struct RadialParameters: Codable, Sendable, Equatable {
    public var z0: [Double]
    public var alpha: Double
    public var beta: Double

    public init(z0: [Double], alpha: Double, beta: Double) {
        self.z0 = z0
        self.alpha = alpha
        self.beta = beta
    }

    /// Checks the length of `z0`, finiteness, α > 0 and β ≥ −α, and returns the dimension d.
    public func validate(dimension: Int? = nil) throws(FlowKitError) -> Int {
        let d = try ParameterValidation.dimension(of: z0.count, key: "z0", transform: "radial", established: dimension)
        try ParameterValidation.requireFinite(z0, key: "z0")
        guard alpha.isFinite, alpha > 0 else {
            throw .invalidParameter(parameter: "alpha", value: ParameterValidation.formatNumber(alpha),
                                    requirement: "must be finite and > 0 (h(α, r) = 1/(α + r) must stay finite at the centre)")
        }
        guard beta.isFinite, beta >= -alpha else {
            throw .invalidParameter(parameter: "beta", value: ParameterValidation.formatNumber(beta),
                                    requirement: "must be finite and ≥ −alpha = \(ParameterValidation.formatNumber(-alpha)): the radius map r ↦ r·(1 + β/(α + r)) is increasing, so the flow is invertible, only when β ≥ −α (Rezende & Mohamed 2015, appendix A.2)")
        }
        return d
    }
}
