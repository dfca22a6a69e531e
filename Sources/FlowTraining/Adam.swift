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
        let b1 = beta1, b2 = beta2, c1 = 1 - beta1, c2 = 1 - beta2, eps = epsilon
        // One pass over raw buffers (no per-element bounds or uniqueness checks), so the
        // compiler vectorises it; each element's arithmetic is exactly the formula above.
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { grad in
                m.withUnsafeMutableBufferPointer { mBuffer in
                    v.withUnsafeMutableBufferPointer { vBuffer in
                        guard let t = theta.baseAddress, let g = grad.baseAddress, let m = mBuffer.baseAddress,
                              let v = vBuffer.baseAddress else { return }
                        if amsgrad {
                            vMax.withUnsafeMutableBufferPointer { maxBuffer in
                                guard let vMax = maxBuffer.baseAddress else { return }
                                for i in 0..<n {
                                    let gi = g[i]
                                    let mi = b1 * m[i] + c1 * gi, vi = b2 * v[i] + c2 * gi * gi
                                    let second = max(vMax[i], vi)
                                    m[i] = mi
                                    v[i] = vi
                                    vMax[i] = second
                                    t[i] -= stepSize * mi / (second.squareRoot() / correction2 + eps)
                                }
                            }
                        } else {
                            // Four lanes at a time (vector square roots and divisions), the same
                            // arithmetic per element as the scalar tail.
                            typealias V = SIMD4<Double>
                            let vb1 = V(repeating: b1), vc1 = V(repeating: c1), vb2 = V(repeating: b2), vc2 = V(repeating: c2)
                            let vStep = V(repeating: stepSize), vCorrection = V(repeating: correction2), vEps = V(repeating: eps)
                            var i = 0
                            while i + 4 <= n {
                                let gi = Self.load(g + i)
                                let mi = vb1 * Self.load(m + i) + vc1 * gi, vi = vb2 * Self.load(v + i) + vc2 * gi * gi
                                Self.store(mi, m + i)
                                Self.store(vi, v + i)
                                Self.store(Self.load(t + i) - vStep * mi / (vi.squareRoot() / vCorrection + vEps), t + i)
                                i += 4
                            }
                            while i < n {
                                let gi = g[i]
                                let mi = b1 * m[i] + c1 * gi, vi = b2 * v[i] + c2 * gi * gi
                                m[i] = mi
                                v[i] = vi
                                t[i] -= stepSize * mi / (vi.squareRoot() / correction2 + eps)
                                i += 1
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Double>) -> SIMD4<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self) }

    @inline(__always)
    static func load(_ p: UnsafePointer<Double>) -> SIMD4<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self) }

    @inline(__always)
    static func store(_ x: SIMD4<Double>, _ p: UnsafeMutablePointer<Double>) {
        UnsafeMutableRawPointer(p).storeBytes(of: x, as: SIMD4<Double>.self)
    }
}
