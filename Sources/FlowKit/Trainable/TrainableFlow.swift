import Foundation

/// A trainable flow: a learnable diagonal normal base q₀ and layers f₁…f_K in sampling order,
/// x = f_K ∘ … ∘ f₁(z₀), with one flat parameter vector (base first, then each layer's block:
/// names `base.mean`, `base.log_std`, `layers[k].<block>`).
///
///     log q(x) = log q₀(z₀) − Σₖ log|det ∂fₖ/∂zₖ₋₁|      (sampling: z₀ = μ + σ ⊙ ε)
///     log q(x) = log q₀(z₀) + Σₖ log|det ∂fₖ⁻¹/∂zₖ|       (density: z₀ = f₁⁻¹ ∘ … ∘ f_K⁻¹(x))
///
/// (Rezende & Mohamed 2015, eq. 7; flows.md §1.) The recording passes write into a
/// ``TrainableWorkspace``; the backward passes take ∂L/∂log q per point (and, for sampling,
/// ∂L/∂x) and *add* ∂L/∂θ to a gradient vector of ``parameterCount`` entries.
public struct TrainableFlow: Sendable {
    public let base: TrainableDiagonalNormal
    public let layers: [any TrainableLayer]
    public let layout: ParameterLayout
    /// Offset of layer k's block in the flat vector.
    public let layerOffsets: [Int]

    public init(dimension: Int, layers: [any TrainableLayer]) {
        precondition(layers.allSatisfy { $0.dimension == dimension }, "every layer must have the flow's dimension")
        base = TrainableDiagonalNormal(dimension: dimension)
        self.layers = layers
        var builder = ParameterLayout.Builder()
        for block in base.layout.blocks { builder.add("base.\(block.name)", shape: block.shape) }
        var offsets: [Int] = []
        for (k, layer) in layers.enumerated() {
            offsets.append(builder.count)
            for block in layer.layout.blocks { builder.add("layers[\(k)].\(block.name)", shape: block.shape) }
        }
        layout = builder.layout
        layerOffsets = offsets
    }

    public var dimension: Int { base.dimension }
    public var parameterCount: Int { layout.count }

    /// Whether every layer has a recording pass in `direction`.
    public func supports(_ direction: TrainableDirection) -> Bool {
        layers.allSatisfy { $0.trainableDirections.contains(direction) }
    }

    /// Starting parameters: the standard normal base and each layer's own initialisation,
    /// layer k from stream k + 1 of `seed`.
    public func initialParameters(seed: UInt64) -> [Double] {
        var values = base.initialParameters()
        for (k, layer) in layers.enumerated() {
            var stream = RandomStream(seed: seed, stream: UInt64(k + 1))
            values += layer.initialParameters(using: &stream)
        }
        return values
    }

    /// Layer k's parameters.
    public func parameters(ofLayer k: Int, in values: [Double]) -> [Double] {
        Array(values[layerOffsets[k]..<(layerOffsets[k] + layers[k].parameterCount)])
    }

    /// A workspace for passes in `direction` on up to `capacity` points.
    public func makeWorkspace(_ direction: TrainableDirection, capacity: Int) -> TrainableWorkspace {
        TrainableWorkspace(flow: self, direction: direction, capacity: capacity)
    }

    /// Runs data-dependent initialisations (ActNorm) in the density direction on `points`,
    /// layer by layer from the data side.
    public func initializeFromData(_ parameters: inout [Double], points: PointBatch) throws(FlowKitError) {
        var batch = points
        for k in stride(from: layers.count - 1, through: 0, by: -1) {
            var own = self.parameters(ofLayer: k, in: parameters)
            layers[k].initialize(parameters: &own, densityInput: batch)
            parameters.replaceSubrange(layerOffsets[k]..<(layerOffsets[k] + own.count), with: own)
            guard layers[k].canEvaluate(.density) else { return }
            var logDet = [Double](repeating: 0, count: batch.count)
            try layers[k].evaluate(.density, parameters: own, batch: &batch, logAbsDet: &logDet)
        }
    }

    // MARK: - Density direction (maximum likelihood)

    /// log q(x) for `count` points at `points` (row-major), recorded in `workspace` (density);
    /// returns `workspace.logDensity`.
    @discardableResult
    public func densityPass(parameters: UnsafePointer<Double>, points: UnsafePointer<Double>, count n: Int,
                            workspace w: TrainableWorkspace) -> UnsafeMutablePointer<Double> {
        precondition(w.direction == .density && n <= w.capacity, "density workspace too small")
        let d = dimension, K = layers.count
        w.state(0).update(from: points, count: n * d)
        let logDet = w.logAbsDet
        logDet.update(repeating: 0, count: n)
        for step in 0..<K {
            let k = K - 1 - step
            layers[k].pass(.density, parameters: parameters + layerOffsets[k],
                           TrainablePass(count: n, input: w.state(step), output: w.state(step + 1), logAbsDet: logDet,
                                         tape: w.tape(k)))
        }
        base.logDensity(parameters: parameters, points: w.state(K), count: n, into: w.logDensity)
        for p in 0..<n { w.logDensity[p] += logDet[p] }
        return w.logDensity
    }

    /// Adds ∂L/∂θ for ∂L/∂log q(x_p) = `logDensityGradient[p]` after ``densityPass``.
    public func densityBackward(parameters: UnsafePointer<Double>, count n: Int, workspace w: TrainableWorkspace,
                                logDensityGradient: UnsafePointer<Double>, parameterGradient: UnsafeMutablePointer<Double>) {
        let d = dimension, K = layers.count
        var g = w.gradientA, other = w.gradientB
        g.update(repeating: 0, count: n * d)
        base.logDensityVJP(parameters: parameters, points: w.state(K), count: n, logDensityGradient: logDensityGradient,
                           pointGradient: g, parameterGradient: parameterGradient)
        w.logDetGradient.update(from: logDensityGradient, count: n)
        for step in stride(from: K - 1, through: 0, by: -1) {
            let k = K - 1 - step
            layers[k].vjp(.density, parameters: parameters + layerOffsets[k],
                          TrainablePass(count: n, input: w.state(step), output: w.state(step + 1), logAbsDet: w.logAbsDet,
                                        tape: w.tape(k)),
                          TrainableGradient(output: g, logAbsDet: w.logDetGradient, input: other,
                                            parameters: parameterGradient + layerOffsets[k]))
            swap(&g, &other)
        }
    }

    // MARK: - Sampling direction (reverse KL)

    /// x = f(μ + σ ⊙ ε) and log q(x) for `count` points of noise ε (row-major), recorded in
    /// `workspace` (sampling). The noise is copied to `workspace.noise`; x is
    /// `workspace.finalState`, log q(x) `workspace.logDensity`.
    public func samplingPass(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count n: Int,
                             workspace w: TrainableWorkspace) {
        precondition(w.direction == .sampling && n <= w.capacity, "sampling workspace too small")
        let d = dimension, K = layers.count
        if noise != UnsafePointer(w.noise) { w.noise.update(from: noise, count: n * d) }
        base.sample(parameters: parameters, noise: w.noise, count: n, into: w.state(0))
        base.logDensity(parameters: parameters, points: w.state(0), count: n, into: w.logDensity)
        let logDet = w.logAbsDet
        logDet.update(repeating: 0, count: n)
        for k in 0..<K {
            layers[k].pass(.sampling, parameters: parameters + layerOffsets[k],
                           TrainablePass(count: n, input: w.state(k), output: w.state(k + 1), logAbsDet: logDet,
                                         tape: w.tape(k)))
        }
        for p in 0..<n { w.logDensity[p] -= logDet[p] }
    }

    /// Adds ∂L/∂θ (pathwise) given ∂L/∂x (n × d) and ∂L/∂log q(x) per point after
    /// ``samplingPass``.
    public func samplingBackward(parameters: UnsafePointer<Double>, count n: Int, workspace w: TrainableWorkspace,
                                 pointGradient: UnsafePointer<Double>, logDensityGradient: UnsafePointer<Double>,
                                 parameterGradient: UnsafeMutablePointer<Double>) {
        let d = dimension, K = layers.count
        var g = w.gradientA, other = w.gradientB
        g.update(from: pointGradient, count: n * d)
        for p in 0..<n { w.logDetGradient[p] = -logDensityGradient[p] }
        for k in stride(from: K - 1, through: 0, by: -1) {
            layers[k].vjp(.sampling, parameters: parameters + layerOffsets[k],
                          TrainablePass(count: n, input: w.state(k), output: w.state(k + 1), logAbsDet: w.logAbsDet,
                                        tape: w.tape(k)),
                          TrainableGradient(output: g, logAbsDet: w.logDetGradient, input: other,
                                            parameters: parameterGradient + layerOffsets[k]))
            swap(&g, &other)
        }
        base.logDensityVJP(parameters: parameters, points: w.state(0), count: n, logDensityGradient: logDensityGradient,
                           pointGradient: g, parameterGradient: parameterGradient)
        base.sampleVJP(parameters: parameters, noise: w.noise, count: n, pointGradient: g, parameterGradient: parameterGradient)
    }

    /// The first layer (in the order the recorded pass applied them) whose output or log-det
    /// is not finite for some point, or nil; used to name the layer when a step fails.
    public func firstNonFiniteLayer(count n: Int, workspace w: TrainableWorkspace) -> Int? {
        let d = dimension, K = layers.count
        for step in 0..<K {
            let state = w.state(step + 1)
            for i in 0..<(n * d) where !state[i].isFinite {
                return w.direction == .sampling ? step : K - 1 - step
            }
        }
        return nil
    }

    // MARK: - Convenience (allocating; not for the training loop)

    /// log q(x) for every point of `batch` by the density direction.
    public func logDensity(parameters: [Double], of batch: PointBatch) -> [Double] {
        let n = batch.count
        let w = makeWorkspace(.density, capacity: n)
        parameters.withUnsafeBufferPointer { theta in
            batch.values.withUnsafeBufferPointer { x in
                guard let t = theta.baseAddress, let xb = x.baseAddress else { return }
                densityPass(parameters: t, points: xb, count: n, workspace: w)
            }
        }
        return Array(UnsafeBufferPointer(start: w.logDensity, count: n))
    }

    /// `count` samples and their log q by the sampling direction, noise from `stream`.
    public func sample(parameters: [Double], count n: Int, using stream: inout RandomStream) -> (points: PointBatch, logDensity: [Double]) {
        let d = dimension
        var noise = [Double](repeating: 0, count: n * d)
        for i in 0..<(n * d) { noise[i] = stream.nextStandardNormal() }
        let w = makeWorkspace(.sampling, capacity: n)
        parameters.withUnsafeBufferPointer { theta in
            noise.withUnsafeBufferPointer { e in
                guard let t = theta.baseAddress, let eb = e.baseAddress else { return }
                samplingPass(parameters: t, noise: eb, count: n, workspace: w)
            }
        }
        return (PointBatch(dimension: d, values: Array(UnsafeBufferPointer(start: w.finalState, count: n * d))),
                Array(UnsafeBufferPointer(start: w.logDensity, count: n)))
    }
}
