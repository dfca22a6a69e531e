import FlowKit

/// Conditional flow matching (Lipman et al. 2023, flows.md §7; Tong et al. 2024, §10): the
/// regression of a field v_θ(t, x) onto the velocity of a straight path between a source
/// point x₀ and a data point x₁,
///
///     x_t = (1 − (1 − σ_min)·t)·x₀ + t·x₁,    u_t = x₁ − (1 − σ_min)·x₀,
///     L(θ) = E_{t ∼ U(0,1), (x₀, x₁)} ‖v_θ(t, x_t) − u_t‖²
///
/// (the squared norm summed over coordinates, averaged over the batch; torchcfm averages over
/// coordinates too, i.e. its loss is this one divided by d). No ODE is solved during training.
/// σ_min = 0 gives the I-CFM path of Tong et al. (x_t = t·x₁ + (1 − t)·x₀, u_t = x₁ − x₀).
///
/// Pairing of x₀ and x₁ within a batch: `independent` (the draws as they come), or
/// `optimalTransport` (OT-CFM, Tong et al. 2024): the batch's x₁ are permuted by an exact
/// optimal assignment for the cost ‖x₀ᵢ − x₁ⱼ‖² (``LinearAssignment``). torchcfm samples n
/// pairs with replacement from the same plan; here every pair of the permutation is used once.
public struct ConditionalFlowMatching: Sendable {
    public enum Pairing: String, Sendable, CaseIterable {
        case independent
        case optimalTransport = "ot"
    }

    public let field: NeuralVelocityField
    public let source: PointSource
    public let data: PointSource
    public let sigmaMin: Double
    public let pairing: Pairing

    public init(field: NeuralVelocityField, source: PointSource, data: PointSource, sigmaMin: Double = 0,
                pairing: Pairing = .independent) throws(FlowTrainingError) {
        guard source.dimension == field.dimension, data.dimension == field.dimension else {
            throw .invalidConfiguration("the field is \(field.dimension)-dimensional, the source \(source.dimension)- and the data \(data.dimension)-dimensional")
        }
        guard sigmaMin >= 0, sigmaMin < 1 else {
            throw .invalidConfiguration("sigma_min must be in [0, 1) (got \(sigmaMin))")
        }
        if case let .points(set) = source, set.count == 0 { throw .invalidConfiguration("the source point set is empty") }
        if case let .points(set) = data, set.count == 0 { throw .invalidConfiguration("the data point set is empty") }
        self.field = field
        self.source = source
        self.data = data
        self.sigmaMin = sigmaMin
        self.pairing = pairing
    }

    /// The sum over `count` points of ‖v_θ(t, x_t) − u_t‖², adding its gradient in θ to
    /// `parameterGradient`. `source`, `data` (row-major count × d) and `times` are the paired
    /// draws; `chunk` holds the scratch.
    func chunkLoss(parameters: UnsafePointer<Double>, source x0: UnsafePointer<Double>, data x1: UnsafePointer<Double>,
                   times: UnsafePointer<Double>, count n: Int, chunk: FlowMatchingChunk,
                   parameterGradient: UnsafeMutablePointer<Double>) -> Double {
        let d = field.dimension
        let shrink = 1 - sigmaMin
        let xt = chunk.pathPoints, target = chunk.targets, v = chunk.velocities
        for p in 0..<n {
            let t = times[p]
            let a = 1 - shrink * t
            for j in 0..<d {
                let k = p * d + j
                xt[k] = a * x0[k] + t * x1[k]
                target[k] = x1[k] - shrink * x0[k]
            }
        }
        field.forward(parameters: parameters, points: xt, time: .perPoint(times), count: n, workspace: chunk.workspace, velocity: v)
        var loss = 0.0
        for k in 0..<(n * d) {
            let r = v[k] - target[k]
            loss += r * r
            v[k] = 2 * r   // ∂ℓ/∂v, in place
        }
        field.backward(parameters: parameters, count: n, workspace: chunk.workspace, velocityGradient: v,
                       parameterGradient: parameterGradient, pointGradient: nil)
        return loss
    }

    /// ``chunkLoss(parameters:source:data:times:count:chunk:parameterGradient:)`` for all the
    /// points of `chunk`, its gradient (zeroed first) in `chunk.gradient`.
    func chunkLoss(parameters: [Double], source x0: UnsafePointer<Double>, data x1: UnsafePointer<Double>,
                   times: UnsafePointer<Double>, chunk: FlowMatchingChunk) -> Double {
        parameters.withUnsafeBufferPointer { theta in
            chunk.gradient.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                return chunkLoss(parameters: theta.baseAddress!, source: x0, data: x1, times: times, count: chunk.count,
                                 chunk: chunk, parameterGradient: g.baseAddress!)
            }
        }
    }
}

/// The preallocated scratch of one chunk of a flow-matching batch, with its own draws (x₀, x₁,
/// t of its `count` points) for independent pairing.
final class FlowMatchingChunk: @unchecked Sendable {
    let workspace: NeuralVelocityField.Workspace
    let pathPoints: UnsafeMutablePointer<Double>
    let targets: UnsafeMutablePointer<Double>
    let velocities: UnsafeMutablePointer<Double>
    var gradient: [Double]
    let size: Int
    /// Points of this chunk.
    let count: Int
    var sourceDraw: PointBatch
    var dataDraw: PointBatch
    let times: UnsafeMutableBufferPointer<Double>

    init(field: NeuralVelocityField, capacity: Int, count: Int) {
        workspace = field.makeWorkspace(capacity: capacity)
        size = capacity * field.dimension
        self.count = count
        pathPoints = .allocate(capacity: size)
        targets = .allocate(capacity: size)
        velocities = .allocate(capacity: size)
        pathPoints.initialize(repeating: 0, count: size)
        targets.initialize(repeating: 0, count: size)
        velocities.initialize(repeating: 0, count: size)
        gradient = [Double](repeating: 0, count: field.parameterCount)
        sourceDraw = PointBatch(dimension: field.dimension, count: count)
        dataDraw = sourceDraw
        times = .allocate(capacity: max(1, count))
        times.initialize(repeating: 0)
    }

    deinit {
        pathPoints.deallocate()
        targets.deallocate()
        velocities.deallocate()
        times.deallocate()
    }

    /// Draws this chunk's x₀, then its x₁, then its times from `stream`.
    func draw(_ objective: ConditionalFlowMatching, using stream: inout RandomStream) {
        objective.source.draw(into: &sourceDraw, using: &stream)
        objective.data.draw(into: &dataDraw, using: &stream)
        for p in 0..<count { times[p] = stream.nextUniform() }
    }
}
