/// A flow layer that can be fitted: its parameters are one flat vector of *unconstrained*
/// reals with a named ``ParameterLayout``, and any finite vector gives an invertible map
/// (constraints by reparametrisation, never by rejection: FlowJAX's rule, zuko's lazy modules).
/// The layer value itself holds only the architecture (dimension, widths, masks); it never owns
/// the parameters, so the optimiser changes vectors and nothing else.
///
/// ## Conventions (llm.c's shape: a recording forward pass and its vector–Jacobian product side
/// by side, over flat buffers, no allocation per step)
///
/// - Directions: see ``TrainableDirection`` (`.sampling` applies f, `.density` applies f⁻¹).
///   ``trainableDirections`` lists those with a recording ``pass(_:parameters:_:)`` and its
///   ``vjp(_:parameters:_:_:)``; ``cheapDirection`` names the one that costs a single
///   evaluation (the other may be an iteration, e.g. MAF sampling, or unavailable, e.g. planar's
///   density direction). ``evaluate(_:parameters:batch:logAbsDet:)`` runs any direction the layer
///   can compute, without recording (tests, sampling, drawing).
/// - Points are row-major, `count × dimension` (`input[p * dimension + j]`), as in
///   ``PointBatch``.
/// - `pass` reads `input`, writes `output` (never the same buffer), *adds* the log|det| of the
///   applied map to `logAbsDet[p]` (so a chain accumulates), and stores in `tape` (exactly
///   ``tapeCount(_:count:)`` doubles, preallocated by the caller, uninitialised on entry) what
///   the backward pass needs beyond `input` and `output`, which the caller keeps intact.
/// - `vjp` receives the same ``TrainablePass`` (input, output and tape as recorded) and a
///   ``TrainableGradient``: ∂L/∂output (count × dimension) and ∂L/∂(this layer's log|det|)
///   (count). It *overwrites* `gradient.input` with ∂L/∂input (count × dimension; a buffer
///   distinct from `gradient.output`) and *adds* ∂L/∂parameters to `gradient.parameters`
///   (layout order). It may use the tape as scratch (the tape is dead after the vjp).
/// - `parameters` points at this layer's block of the flow's flat vector (``parameterCount``
///   values).
/// - Per-step work must not allocate: everything goes into the tape.
///
/// ## Adding a layer
/// One file per layer in `Sources/FlowKit/Trainable/Layers/`; add a case to the single list of
/// trainable layers in `Tests/FlowKitTests/TrainableLayerCases.swift`, which runs the gradient
/// (∂L/∂input and ∂L/∂θ against central differences), log-det (finite-difference Jacobian),
/// round trip and large-parameter invertibility checks for every direction the layer supports.
public protocol TrainableLayer: Sendable {
    /// The spec name (`planar`, `coupling`, …).
    var name: String { get }
    /// The number of coordinates d.
    var dimension: Int { get }
    /// The named layout of the flat parameter vector.
    var layout: ParameterLayout { get }
    /// The directions that have a recording pass and a vector–Jacobian product.
    var trainableDirections: [TrainableDirection] { get }
    /// The direction that costs one evaluation.
    var cheapDirection: TrainableDirection { get }

    /// Starting parameters (e.g. small random weights, a zero last conditioner layer: the
    /// identity map where the papers start there).
    func initialParameters(using stream: inout RandomStream) -> [Double]

    /// Doubles of tape the recording pass in `direction` needs for `count` points.
    func tapeCount(_ direction: TrainableDirection, count: Int) -> Int

    /// The recording pass in `direction` (one of ``trainableDirections``).
    func pass(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass)

    /// The vector–Jacobian product of the pass recorded in `buffers`.
    func vjp(_ direction: TrainableDirection, parameters: UnsafePointer<Double>, _ buffers: TrainablePass,
             _ gradient: TrainableGradient)

    /// Whether ``evaluate(_:parameters:batch:logAbsDet:)`` can run `direction`.
    func canEvaluate(_ direction: TrainableDirection) -> Bool

    /// Maps `batch` in place in `direction` without recording and adds the log|det| of the
    /// applied map to `logAbsDet` (one entry per point). The default runs the recording pass
    /// with a temporary tape; layers whose other direction is iterative override it.
    func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                  logAbsDet: inout [Double]) throws(FlowKitError)

    /// Data-dependent initialisation (ActNorm): given `parameters` and the points that reach this
    /// layer in the density direction, may overwrite `parameters`. The default does nothing.
    func initialize(parameters: inout [Double], densityInput: PointBatch)

    /// Indices (into this layer's parameters) of coordinates that a fit keeps at their
    /// starting values: constants of the architecture stored with the parameters (BNAF's fixed
    /// residual share). Gradients still include them. The default is none.
    var untrainedParameters: [Int] { get }
}

/// The buffers of one recording pass (see ``TrainableLayer``). All pointers are owned by the
/// caller (a ``TrainableWorkspace``).
public struct TrainablePass {
    /// Points.
    public let count: Int
    /// count × d input points.
    public let input: UnsafePointer<Double>
    /// count × d output points.
    public let output: UnsafeMutablePointer<Double>
    /// count entries; the pass adds each point's log|det|.
    public let logAbsDet: UnsafeMutablePointer<Double>
    /// ``TrainableLayer/tapeCount(_:count:)`` doubles.
    public let tape: UnsafeMutablePointer<Double>

    public init(count: Int, input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>,
                logAbsDet: UnsafeMutablePointer<Double>, tape: UnsafeMutablePointer<Double>) {
        self.count = count
        self.input = input
        self.output = output
        self.logAbsDet = logAbsDet
        self.tape = tape
    }
}

/// The gradient buffers of one vector–Jacobian product (see ``TrainableLayer``).
public struct TrainableGradient {
    /// ∂L/∂output, count × d (read only).
    public let output: UnsafePointer<Double>
    /// ∂L/∂(the layer's log|det|) per point, count entries (read only).
    public let logAbsDet: UnsafePointer<Double>
    /// ∂L/∂input, count × d (overwritten).
    public let input: UnsafeMutablePointer<Double>
    /// ∂L/∂parameters, the layer's parameter count (accumulated).
    public let parameters: UnsafeMutablePointer<Double>

    public init(output: UnsafePointer<Double>, logAbsDet: UnsafePointer<Double>,
                input: UnsafeMutablePointer<Double>, parameters: UnsafeMutablePointer<Double>) {
        self.output = output
        self.logAbsDet = logAbsDet
        self.input = input
        self.parameters = parameters
    }
}

extension TrainableLayer {
    /// The number of parameters.
    public var parameterCount: Int { layout.count }

    public func canEvaluate(_ direction: TrainableDirection) -> Bool { trainableDirections.contains(direction) }

    public func initialize(parameters: inout [Double], densityInput: PointBatch) {}

    public var untrainedParameters: [Int] { [] }

    public func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                         logAbsDet: inout [Double]) throws(FlowKitError) {
        guard trainableDirections.contains(direction) else {
            throw .invalidParameter(parameter: "direction", value: direction.rawValue,
                                    requirement: "\(name) cannot evaluate this direction")
        }
        try recordingEvaluate(direction, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
    }

    /// Checks the arguments of an evaluation: the batch's dimension and the parameter count
    /// (thrown), one log-det entry per point (a programming error).
    public func checkEvaluation(parameters: [Double], batch: PointBatch, logAbsDet: [Double]) throws(FlowKitError) {
        guard batch.dimension == dimension else {
            throw .dimensionMismatch(what: "\(name) input", expected: dimension, found: batch.dimension)
        }
        guard parameters.count == parameterCount else {
            throw .dimensionMismatch(what: "\(name) parameter vector", expected: parameterCount, found: parameters.count)
        }
        precondition(logAbsDet.count == batch.count, "\(name): one log-det entry per point")
    }

    /// Runs the recording pass once with temporary buffers (the default ``evaluate``).
    public func recordingEvaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                                  logAbsDet: inout [Double]) throws(FlowKitError) {
        try checkEvaluation(parameters: parameters, batch: batch, logAbsDet: logAbsDet)
        let n = batch.count
        var output = [Double](repeating: 0, count: batch.values.count)
        var tape = [Double](repeating: 0, count: max(1, tapeCount(direction, count: n)))
        let input = batch.values
        input.withUnsafeBufferPointer { x in
            parameters.withUnsafeBufferPointer { theta in
                output.withUnsafeMutableBufferPointer { y in
                    logAbsDet.withUnsafeMutableBufferPointer { l in
                        tape.withUnsafeMutableBufferPointer { t in
                            guard let xb = x.baseAddress, let yb = y.baseAddress, let lb = l.baseAddress,
                                  let tb = t.baseAddress else { return }
                            let thetaBase = theta.baseAddress ?? UnsafePointer(tb)
                            pass(direction, parameters: thetaBase,
                                 TrainablePass(count: n, input: xb, output: yb, logAbsDet: lb, tape: tb))
                        }
                    }
                }
            }
        }
        batch.values = output
    }
}
