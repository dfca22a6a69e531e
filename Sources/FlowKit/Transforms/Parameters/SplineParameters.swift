/// Spec parameters of `spline`: knots `x` and `y` (strictly increasing, same count ≥ 2) and
/// positive `derivatives` at the knots.
public struct SplineParameters: Codable, Sendable, Equatable {
    public var x: [Double]
    public var y: [Double]
    public var derivatives: [Double]

    public init(x: [Double], y: [Double], derivatives: [Double]) {
        self.x = x
        self.y = y
        self.derivatives = derivatives
    }

    /// The validated map (throws ``FlowKitError/invalidParameter`` naming the key).
    public func make() throws(FlowKitError) -> RationalQuadraticSpline {
        try RationalQuadraticSpline(x: x, y: y, derivatives: derivatives)
    }

    static let docs = [
        ParameterDoc("x", .vector, requirement: "finite, strictly increasing, ≥ 2 values",
                     summary: "knot inputs x₀ < … < x_K"),
        ParameterDoc("y", .vector, requirement: "finite, strictly increasing, as many as x",
                     summary: "knot outputs y₀ < … < y_K"),
        ParameterDoc("derivatives", .vector, requirement: "finite, > 0, one per knot",
                     summary: "slopes at the knots; the end ones continue as linear tails"),
    ]
}
