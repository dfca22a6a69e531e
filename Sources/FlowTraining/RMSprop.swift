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
        for i in 0..<n {
            let g = gradient[i]
            v[i] = decay * v[i] + (1 - decay) * g * g
            let scaled = g / (v[i].squareRoot() + epsilon)
            buffer[i] = momentum * buffer[i] + scaled
            parameters[i] -= learningRate * buffer[i]
        }
    }
}
