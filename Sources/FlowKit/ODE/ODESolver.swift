/// The right-hand side of dy/dt = f(t, y) over a flat state of doubles (for a batch of points,
/// n × d row-major, possibly followed by per-point accumulators): writes f(t, y) into
/// `derivative` (as many doubles as the state, a buffer distinct from `state`).
public typealias ODERightHandSide = (_ time: Double, _ state: UnsafePointer<Double>,
                                     _ derivative: UnsafeMutablePointer<Double>) -> Void

/// Counts of the work a solve did.
public struct ODEStatistics: Sendable, Equatable {
    /// Calls of the right-hand side (the cost measure of the literature, "NFE").
    public var evaluations: Int
    public var acceptedSteps: Int
    public var rejectedSteps: Int

    public init(evaluations: Int = 0, acceptedSteps: Int = 0, rejectedSteps: Int = 0) {
        self.evaluations = evaluations
        self.acceptedSteps = acceptedSteps
        self.rejectedSteps = rejectedSteps
    }

    /// The sum of two solves' counts.
    public static func + (a: ODEStatistics, b: ODEStatistics) -> ODEStatistics {
        ODEStatistics(evaluations: a.evaluations + b.evaluations, acceptedSteps: a.acceptedSteps + b.acceptedSteps,
                      rejectedSteps: a.rejectedSteps + b.rejectedSteps)
    }
}

/// An initial-value solver for dy/dt = f(t, y) over one flat state (a whole batch is one
/// system: adaptive methods choose one step for all its points, as torchdiffeq and torchdyn do).
public protocol ODESolver: Sendable {
    /// The spec name (`rk4`, `dopri5`).
    var name: String { get }
    /// Integrates `state` in place from `start` to `end` (either order: `end < start`
    /// integrates backward in time) and returns the work done.
    func integrate(_ state: inout [Double], from start: Double, to end: Double,
                   rightHandSide f: ODERightHandSide) throws(FlowKitError) -> ODEStatistics
}
