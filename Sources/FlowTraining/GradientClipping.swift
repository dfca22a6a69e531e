/// Gradient-norm clipping (Pascanu et al. 2013): if ‖g‖₂ > c, g ← g·c/‖g‖₂.
public struct GradientClipping: Sendable {
    public let maximumNorm: Double

    public init(maximumNorm: Double) { self.maximumNorm = maximumNorm }

    /// Clips `gradient` in place and returns its norm before clipping.
    @discardableResult
    public func clip(_ gradient: inout [Double]) -> Double {
        var sum = 0.0
        for g in gradient { sum += g * g }
        let norm = sum.squareRoot()
        if norm > maximumNorm, norm.isFinite {
            let scale = maximumNorm / norm
            for i in gradient.indices { gradient[i] *= scale }
        }
        return norm
    }
}
