import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1) with the AMSGrad option (Reddi et al. 2018), in
/// PyTorch's form: at step t = 1, 2, …
///
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   v̂ ← max(v̂, v) (AMSGrad) or v,
///     θ ← θ − (η/(1 − β₁ᵗ))·m / (√v̂/√(1 − β₂ᵗ) + ε),
///
/// computed as θ ← θ − (η·√(1 − β₂ᵗ)/(1 − β₁ᵗ))·m / (√v̂ + ε·√(1 − β₂ᵗ)): the same quantity with
/// one division per parameter instead of two (the divider bounds this pass).
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
        step(&parameters, gradient: gradient, learningRate: learningRate, jobs: 1)
    }

    /// The update on up to `jobs` threads, each on its own range of parameters
    /// (``ElementwiseParallel``): the same values for any `jobs`.
    public mutating func step(_ parameters: inout [Double], gradient: [Double], learningRate: Double, jobs: Int) {
        let n = parameters.count
        precondition(gradient.count == n, "Adam: one gradient entry per parameter")
        if m.count != n {
            m = [Double](repeating: 0, count: n)
            v = m
            vMax = amsgrad ? m : []
        }
        step += 1
        let correction1 = 1 - pow(beta1, Double(step))
        let correction2 = (1 - pow(beta2, Double(step))).squareRoot()
        let update = Update(beta1: beta1, beta2: beta2, scaledEpsilon: epsilon * correction2,
                            stepSize: learningRate * correction2 / correction1)
        let amsgrad = self.amsgrad
        // Raw buffers (no per-element bounds or uniqueness checks); each element's arithmetic
        // is exactly the formula above, whichever range or lane it falls in.
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { grad in
                m.withUnsafeMutableBufferPointer { mBuffer in
                    v.withUnsafeMutableBufferPointer { vBuffer in
                        vMax.withUnsafeMutableBufferPointer { maxBuffer in
                            guard let t = theta.baseAddress, let g = grad.baseAddress, let m = mBuffer.baseAddress,
                                  let v = vBuffer.baseAddress else { return }
                            let vMax = maxBuffer.baseAddress
                            ElementwiseParallel.run(count: n, jobs: jobs) { range in
                                if amsgrad, let vMax {
                                    update.amsgrad(range, t, g, m, v, vMax)
                                } else {
                                    update.plain(range, t, g, m, v)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One step's constants and its update of a range of parameters.
    struct Update {
        let beta1: Double, beta2: Double, scaledEpsilon: Double, stepSize: Double

        func amsgrad(_ range: Range<Int>, _ t: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>,
                     _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>, _ vMax: UnsafeMutablePointer<Double>) {
            let c1 = 1 - beta1, c2 = 1 - beta2
            for i in range {
                let gi = g[i]
                let mi = beta1 * m[i] + c1 * gi, vi = beta2 * v[i] + c2 * gi * gi
                let second = max(vMax[i], vi)
                m[i] = mi
                v[i] = vi
                vMax[i] = second
                t[i] -= stepSize * mi / (second.squareRoot() + scaledEpsilon)
            }
        }

        /// Four lanes at a time (vector square roots and divisions), the same arithmetic per
        /// element as the scalar tail.
        func plain(_ range: Range<Int>, _ t: UnsafeMutablePointer<Double>, _ g: UnsafePointer<Double>,
                   _ m: UnsafeMutablePointer<Double>, _ v: UnsafeMutablePointer<Double>) {
            typealias V = SIMD4<Double>
            let c1 = 1 - beta1, c2 = 1 - beta2
            let vb1 = V(repeating: beta1), vc1 = V(repeating: c1), vb2 = V(repeating: beta2), vc2 = V(repeating: c2)
            let vStep = V(repeating: stepSize), vEps = V(repeating: scaledEpsilon)
            var i = range.lowerBound
            while i + 4 <= range.upperBound {
                let gi = Adam.load(g + i)
                let mi = vb1 * Adam.load(m + i) + vc1 * gi, vi = vb2 * Adam.load(v + i) + vc2 * gi * gi
                Adam.store(mi, m + i)
                Adam.store(vi, v + i)
                Adam.store(Adam.load(t + i) - vStep * mi / (vi.squareRoot() + vEps), t + i)
                i += 4
            }
            while i < range.upperBound {
                let gi = g[i]
                let mi = beta1 * m[i] + c1 * gi, vi = beta2 * v[i] + c2 * gi * gi
                m[i] = mi
                v[i] = vi
                t[i] -= stepSize * mi / (vi.squareRoot() + scaledEpsilon)
                i += 1
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
