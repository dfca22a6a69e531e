import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1) with the AMSGrad option (Reddi et al. 2018), in
/// PyTorch's form: at step t = 1, 2, …
///
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   v̂ ← max(v̂, v) (AMSGrad) or v,
///     θ ← θ − (η/(1 − β₁ᵗ))·m / (√v̂/√(1 − β₂ᵗ) + ε).
public struct Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let amsgrad: Bool
    public private(set) var step = 0
    var m: [Double] = []
    var v: [Double] = []
    var vMax: [Double] = []

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, amsgrad: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.amsgrad = amsgrad
    }

    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double) {
        let n = parameters.count
        if m.count != n {
            m = [Double](repeating: 0, count: n)
            v = m
            vMax = m
        }
        step += 1
        let correction1 = 1 - pow(beta1, Double(step))
        let correction2 = (1 - pow(beta2, Double(step))).squareRoot()
        let stepSize = learningRate / correction1
        for i in 0..<n {
            let g = gradient[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            var second = v[i]
            if amsgrad {
                vMax[i] = max(vMax[i], v[i])
                second = vMax[i]
            }
            parameters[i] -= stepSize * m[i] / (second.squareRoot() / correction2 + epsilon)
        }
    }
}
