/// The vector field of flow matching: an MLP of (x, t) (``TrainableMLP``, widths
/// [d + 1, hidden…, d]).
///
/// Time embedding: t is appended to the point as one more input feature, the network's input
/// being (x₁, …, x_d, t) — the embedding of torchcfm's 2-D tutorial model
/// (`MLP(dim, time_varying=True)`, `torch.cat([x, t])`, Tong et al. 2024). Default activation
/// SELU as there; no zero last layer (the field starts small but not zero, PyTorch's uniform
/// ±1/√fan-in initialisation).
///
/// Passes run over batches through a ``Workspace`` (no allocation): ``forward`` records,
/// ``backward`` gives the vector–Jacobian product with respect to the parameters and the
/// points, ``jacobianColumn`` and ``divergence`` the exact ∂v/∂x_j and ∇·v = Σⱼ ∂vⱼ/∂xⱼ by
/// forward mode through the network (d tangent passes,
/// ``TrainableMLP/inputTangent(parameters:input:count:tape:scratch:into:)``).
public struct NeuralVelocityField: Sendable {
    public let dimension: Int
    public let mlp: TrainableMLP
    public let layout: ParameterLayout

    public init(dimension: Int, hidden: [Int], activation: MLPActivation = .selu) {
        precondition(dimension >= 1, "a field needs a positive dimension")
        self.dimension = dimension
        mlp = TrainableMLP(widths: [dimension + 1] + hidden + [dimension], activation: activation, zeroLastLayer: false)
        var builder = ParameterLayout.Builder()
        mlp.addBlocks(to: &builder, prefix: "field")
        layout = builder.layout
    }

    public var parameterCount: Int { mlp.parameterCount }

    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        var values = [Double](repeating: 0, count: parameterCount)
        values.withUnsafeMutableBufferPointer { mlp.initialize($0.baseAddress!, using: &stream) }
        return values
    }

    /// The time of each point of a batch: one for all, or one per point.
    public enum Time {
        case shared(Double)
        case perPoint(UnsafePointer<Double>)
    }

    /// Preallocated buffers for passes over up to `capacity` points.
    public final class Workspace: @unchecked Sendable {
        public let capacity: Int
        /// Network input (d + 1) × n, feature-major (x then t).
        let input: UnsafeMutablePointer<Double>
        let tape: UnsafeMutablePointer<Double>
        let scratch: UnsafeMutablePointer<Double>
        /// A d × n feature-major buffer (tangents, input gradients).
        let column: UnsafeMutablePointer<Double>
        let sizes: (input: Int, tape: Int, scratch: Int, column: Int)

        init(field: NeuralVelocityField, capacity: Int) {
            self.capacity = capacity
            let d = field.dimension
            sizes = ((d + 1) * capacity, field.mlp.tapeCount(count: capacity), field.mlp.tangentScratchCount(count: capacity),
                     (d + 1) * capacity)
            input = .allocate(capacity: sizes.input)
            tape = .allocate(capacity: sizes.tape)
            scratch = .allocate(capacity: sizes.scratch)
            column = .allocate(capacity: sizes.column)
            input.initialize(repeating: 0, count: sizes.input)
            tape.initialize(repeating: 0, count: sizes.tape)
            scratch.initialize(repeating: 0, count: sizes.scratch)
            column.initialize(repeating: 0, count: sizes.column)
        }

        deinit {
            input.deallocate()
            tape.deallocate()
            scratch.deallocate()
            column.deallocate()
        }
    }

    public func makeWorkspace(capacity: Int) -> Workspace { Workspace(field: self, capacity: max(1, capacity)) }

    /// Records the network at (x, t) for `count` points (row-major) and writes v (row-major
    /// count × d) into `velocity`.
    public func forward(parameters: UnsafePointer<Double>, points: UnsafePointer<Double>, time: Time, count n: Int,
                        workspace w: Workspace, velocity: UnsafeMutablePointer<Double>) {
        precondition(n <= w.capacity, "batch larger than the workspace")
        let d = dimension
        for p in 0..<n {
            for j in 0..<d { w.input[j * n + p] = points[p * d + j] }
        }
        let timeRow = w.input + d * n
        switch time {
        case let .shared(t): for p in 0..<n { timeRow[p] = t }
        case let .perPoint(times): for p in 0..<n { timeRow[p] = times[p] }
        }
        let output = mlp.forward(parameters: parameters, input: w.input, count: n, tape: w.tape)
        for p in 0..<n {
            for j in 0..<d { velocity[p * d + j] = output[j * n + p] }
        }
    }

    /// The vector–Jacobian product of the recorded ``forward``: given ∂L/∂v (row-major count × d),
    /// adds ∂L/∂θ to `parameterGradient` and, if given, overwrites `pointGradient` with ∂L/∂x
    /// (row-major count × d; the time is not differentiated).
    public func backward(parameters: UnsafePointer<Double>, count n: Int, workspace w: Workspace,
                         velocityGradient: UnsafePointer<Double>, parameterGradient: UnsafeMutablePointer<Double>,
                         pointGradient: UnsafeMutablePointer<Double>?) {
        let d = dimension
        let g = mlp.outputGradient(tape: w.tape, count: n)
        for p in 0..<n {
            for j in 0..<d { g[j * n + p] = velocityGradient[p * d + j] }
        }
        mlp.backward(parameters: parameters, input: w.input, count: n, tape: w.tape,
                     inputGradient: pointGradient == nil ? nil : w.column, parameterGradient: parameterGradient)
        if let pointGradient {
            for p in 0..<n {
                for j in 0..<d { pointGradient[p * d + j] = w.column[j * n + p] }
            }
        }
    }

    /// ∂v/∂x_j at every point of the recorded ``forward``, row-major count × d.
    public func jacobianColumn(parameters: UnsafePointer<Double>, input j: Int, count n: Int, workspace w: Workspace,
                               into result: UnsafeMutablePointer<Double>) {
        let d = dimension
        mlp.inputTangent(parameters: parameters, input: j, count: n, tape: w.tape, scratch: w.scratch, into: w.column)
        for p in 0..<n {
            for i in 0..<d { result[p * d + i] = w.column[i * n + p] }
        }
    }

    /// The exact divergence ∇·v = Σⱼ ∂vⱼ/∂xⱼ at every point of the recorded ``forward``
    /// (count values): d forward-mode tangent passes, the diagonal of each kept.
    public func divergence(parameters: UnsafePointer<Double>, count n: Int, workspace w: Workspace,
                           into result: UnsafeMutablePointer<Double>) {
        for p in 0..<n { result[p] = 0 }
        for j in 0..<dimension {
            mlp.inputTangent(parameters: parameters, input: j, count: n, tape: w.tape, scratch: w.scratch, into: w.column)
            let diagonal = w.column + j * n
            for p in 0..<n { result[p] += diagonal[p] }
        }
    }

    /// The field with fixed parameters, as a ``VelocityField`` for ODE solves.
    public func fixed(parameters: [Double]) -> FixedNeuralVelocityField {
        precondition(parameters.count == parameterCount, "parameter count")
        return FixedNeuralVelocityField(network: self, parameters: parameters)
    }
}

/// A ``NeuralVelocityField`` with fixed (fitted) parameters.
public struct FixedNeuralVelocityField: VelocityField {
    public let network: NeuralVelocityField
    public let parameters: [Double]
    public var dimension: Int { network.dimension }

    public func makeEvaluator(capacity: Int) -> any VelocityEvaluator {
        Evaluator(field: self, workspace: network.makeWorkspace(capacity: capacity))
    }

    final class Evaluator: VelocityEvaluator {
        let field: FixedNeuralVelocityField
        let workspace: NeuralVelocityField.Workspace
        var capacity: Int { workspace.capacity }

        init(field: FixedNeuralVelocityField, workspace: NeuralVelocityField.Workspace) {
            self.field = field
            self.workspace = workspace
        }

        func evaluate(time: Double, points: UnsafePointer<Double>, count: Int,
                      velocity: UnsafeMutablePointer<Double>, divergence: UnsafeMutablePointer<Double>?) {
            field.parameters.withUnsafeBufferPointer { theta in
                let network = field.network
                network.forward(parameters: theta.baseAddress!, points: points, time: .shared(time), count: count,
                                workspace: workspace, velocity: velocity)
                if let divergence {
                    network.divergence(parameters: theta.baseAddress!, count: count, workspace: workspace, into: divergence)
                }
            }
        }
    }
}
