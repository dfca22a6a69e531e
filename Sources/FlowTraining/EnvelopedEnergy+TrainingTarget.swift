import FlowKit

/// The enveloped energies U1–U4 (``EnvelopedEnergy``: exp(−U − E), integrable over ℝ², with a
/// stored log Z) as reverse-KL targets: log p̃ = −(U + E) and ∇log p̃ = −∇(U + E), exact.
extension EnvelopedEnergy: TrainingTarget {
    public var dimension: Int { 2 }

    public func logDensityAndGradient(points: UnsafePointer<Double>, count: Int,
                                      logDensity: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>) {
        for p in 0..<count {
            let (u, d1, d2) = potentialAndGradient(points[2 * p], points[2 * p + 1])
            logDensity[p] = -u
            gradient[2 * p] = -d1
            gradient[2 * p + 1] = -d2
        }
    }
}
