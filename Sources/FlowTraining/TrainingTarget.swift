/// An unnormalised target density p̃(x) = exp(−U(x)) for reverse-KL fits: any energy plugs in
/// by giving log p̃ and its gradient over a batch (Rezende & Mohamed 2015 §6 need ∇U for the
/// pathwise gradient).
public protocol TrainingTarget: Sendable {
    var dimension: Int { get }
    /// For `count` points (row-major, count × dimension): `logDensity[p]` = log p̃(x_p) = −U(x_p)
    /// and `gradient[p·d + j]` = ∂log p̃/∂x_j at x_p.
    func logDensityAndGradient(points: UnsafePointer<Double>, count: Int,
                               logDensity: UnsafeMutablePointer<Double>, gradient: UnsafeMutablePointer<Double>)
}
