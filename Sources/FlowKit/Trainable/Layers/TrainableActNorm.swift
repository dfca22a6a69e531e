import Foundation

/// Activation normalisation [`actnorm`] (Kingma & Dhariwal 2018, Glow §3.1): a per-coordinate
/// affine map with unconstrained `log_scale` ℓ (d) and `shift` b (d), both directions cheap:
///
///     sampling: y = x ⊙ e^ℓ + b,   log|det| = Σⱼ ℓⱼ;     density: x = (y − b) ⊙ e^{−ℓ},   log|det| = −Σⱼ ℓⱼ.
///
/// Data-dependent initialisation: on the first batch reaching it from the data side, b = the
/// coordinate means and ℓ = log of the coordinate standard deviations, so the density
/// direction maps that batch to zero mean and unit variance.
/// Backward (sampling): ∂L/∂x = g ⊙ e^ℓ, ∂L/∂b = Σ_p g, ∂L/∂ℓ = Σ_p (g ⊙ x ⊙ e^ℓ + γ);
/// (density): ∂L/∂y = g ⊙ e^{−ℓ}, ∂L/∂b = −Σ_p g ⊙ e^{−ℓ}, ∂L/∂ℓ = −Σ_p (g ⊙ x + γ) with x the
/// output. No tape.
public struct TrainableActNorm: TrainableLayer {
    public let name = "actnorm"
    public let dimension: Int
    public let layout: ParameterLayout

    public init(dimension: Int) {
        self.dimension = dimension
        var builder = ParameterLayout.Builder()
        builder.add("log_scale", shape: [dimension])
        builder.add("shift", shape: [dimension])
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .density }

    /// The identity (before the data-dependent initialisation).
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        [Double](repeating: 0, count: 2 * dimension)
    }

    public func tapeCount(_ direction: TrainableDirection, count: Int) -> Int { 0 }

    public func initialize(parameters: inout [Double], densityInput: PointBatch) {
        let d = dimension, n = densityInput.count
        guard n >= 2, densityInput.dimension == d else { return }
        for j in 0..<d {
            var mean = 0.0
            for p in 0..<n { mean += densityInput[p, j] }
            mean /= Double(n)
            var variance = 0.0
            for p in 0..<n { let e = densityInput[p, j] - mean; variance += e * e }
            variance /= Double(n - 1)
            parameters[j] = 0.5 * log(max(variance, 1e-12))
            parameters[d + j] = mean
        }
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let d = dimension, n = buffers.count
        let logScale = theta, shift = theta + d
        var total = 0.0
        for j in 0..<d {
            total += logScale[j]
            let x = buffers.input + j, y = buffers.output + j
            if direction == .sampling {
                let e = exp(logScale[j]), b = shift[j]
                for p in 0..<n { y[p * d] = x[p * d] * e + b }
            } else {
                let e = exp(-logScale[j]), b = shift[j]
                for p in 0..<n { y[p * d] = (x[p * d] - b) * e }
            }
        }
        let sign: Double = direction == .sampling ? 1 : -1
        for p in 0..<n { buffers.logAbsDet[p] += sign * total }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension, n = buffers.count
        var gammaSum = 0.0
        for p in 0..<n { gammaSum += gradient.logAbsDet[p] }
        for j in 0..<d {
            let g = gradient.output + j, gx = gradient.input + j
            var gScale = 0.0, gShift = 0.0
            if direction == .sampling {
                let e = exp(theta[j])
                let x = buffers.input + j
                for p in 0..<n {
                    gx[p * d] = g[p * d] * e
                    gShift += g[p * d]
                    gScale += g[p * d] * x[p * d] * e
                }
                gScale += gammaSum
            } else {
                let e = exp(-theta[j])
                let x = buffers.output + j
                for p in 0..<n {
                    gx[p * d] = g[p * d] * e
                    gShift -= g[p * d] * e
                    gScale -= g[p * d] * x[p * d]
                }
                gScale -= gammaSum
            }
            gradient.parameters[j] += gScale
            gradient.parameters[d + j] += gShift
        }
    }
}
