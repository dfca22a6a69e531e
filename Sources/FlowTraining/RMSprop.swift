/// RMSprop (Tieleman & Hinton 2012) with momentum, as Rezende & Mohamed 2015 §6 trained
/// (PyTorch's form):
///
///     v ← αv + (1 − α)g²,   b ← μb + g/(√v + ε),   θ ← θ − η·b      (μ = 0: θ ← θ − η·g/(√v + ε)).
public struct RMSprop: Optimizer {
    public let decay: Double
    public let momentum: Double
    public let epsilon: Double
    var v: [Double] = []
    var buffer: [Double] = []

    public init(decay: Double = 0.99, momentum: Double = 0, epsilon: Double = 1e-8) {
        self.decay = decay
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double) {
        let n = parameters.count
        if v.count != n {
            v = [Double](repeating: 0, count: n)
            buffer = v
        }
        let alpha = decay, beta = 1 - decay, mu = momentum, eps = epsilon
        // Raw buffers, one vectorisable pass; each element's arithmetic is the formula above.
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { grad in
                v.withUnsafeMutableBufferPointer { vBuffer in
                    buffer.withUnsafeMutableBufferPointer { bBuffer in
                        guard let t = theta.baseAddress, let g = grad.baseAddress, let v = vBuffer.baseAddress,
                              let b = bBuffer.baseAddress else { return }
                        for i in 0..<n {
                            let gi = g[i]
                            let vi = alpha * v[i] + beta * gi * gi
                            v[i] = vi
                            let bi = mu * b[i] + gi / (vi.squareRoot() + eps)
                            b[i] = bi
                            t[i] -= learningRate * bi
                        }
                    }
                }
            }
        }
    }
}
