/// A time-dependent vector field v(t, x) on ℝᵈ, the generator of a continuous flow
/// dx/dt = v(t, x) (Chen et al. 2018; Lipman et al. 2023), with its exact divergence ∇·v
/// (the trace of the d × d Jacobian ∂v/∂x) for the instantaneous change of variables.
public protocol VelocityField: Sendable {
    var dimension: Int { get }
    /// An evaluator with its own scratch for up to `capacity` points (one per thread).
    func makeEvaluator(capacity: Int) -> any VelocityEvaluator
}

/// The evaluation of a ``VelocityField`` over batches, holding preallocated scratch.
public protocol VelocityEvaluator: AnyObject {
    var capacity: Int { get }
    /// Writes v(t, x) for `count` points (row-major count × d) into `velocity` (count × d) and,
    /// if `divergence` is given, ∇·v(t, x) into it (count).
    func evaluate(time: Double, points: UnsafePointer<Double>, count: Int,
                  velocity: UnsafeMutablePointer<Double>, divergence: UnsafeMutablePointer<Double>?)
}
