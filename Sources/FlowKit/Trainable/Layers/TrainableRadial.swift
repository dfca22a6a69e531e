import Foundation

/// The radial flow [`radial`] as a trainable layer (Rezende & Mohamed 2015, §4.1 and appendix
/// A.2; flows.md §3), trained in the sampling direction; the density direction is evaluated by
/// the closed-form inverse.
///
/// Parameters: `z0` (d), `alpha` (α̃), `beta` (β̃), unconstrained, with α = softplus(α̃) and
/// β̂ = −α + s, s = softplus(β̃) > 0, so β̂ > −α and the map is invertible. With ρ = z − z₀,
/// r = ‖ρ‖, A = α + r:
///
///     f(z) = z + (β̂/A)·ρ = z₀ + φ·ρ,   φ = (r + s)/A,
///     log|det ∂f/∂z| = (d − 1)·log((r + s)/A) + log(Q/A²),   Q = r² + 2αr + αs,
///
/// (1 + β̂h = (r + s)/A and 1 + β̂h + β̂h'r = Q/A², written without the cancellation of β̂ + α,
/// so both stay positive for any finite parameters.) Backward, with g = ∂L/∂f, γ = ∂L/∂log|det|:
///
///     ∂L/∂r = −(gᵀρ)·β̂/A² + γ[(d − 1)(1/(r + s) − 1/A) + 2(r + α)/Q − 2/A]
///     ∂L/∂z = φ·g + (∂L/∂r)·ρ/r,     ∂L/∂z₀ = g − ∂L/∂z,
///     ∂L/∂α = −(gᵀρ)(r + s)/A² + γ[−(d + 1)/A + (2r + s)/Q],
///     ∂L/∂s = (gᵀρ)/A + γ[(d − 1)/(r + s) + α/Q],
///     ∂L/∂α̃ = σ(α̃)·∂L/∂α,   ∂L/∂β̃ = σ(β̃)·∂L/∂s.
///
/// Inverse: γ' = ‖y − z₀‖ solves r(r + s)/(α + r) = γ', i.e. r² + (s − γ')r − αγ' = 0, taken in
/// the cancellation-free form of the positive root; z = z₀ + (A/(r + s))·(y − z₀).
public struct TrainableRadial: TrainableLayer {
    public let name = "radial"
    public let dimension: Int
    public let layout: ParameterLayout

    public init(dimension: Int) {
        self.dimension = dimension
        var builder = ParameterLayout.Builder()
        builder.add("z0", shape: [dimension])
        builder.add("alpha", shape: [])
        builder.add("beta", shape: [])
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.sampling] }
    public var cheapDirection: TrainableDirection { .sampling }
    public func canEvaluate(_ direction: TrainableDirection) -> Bool { true }

    /// z₀ normal with std 1/√d, α̃ = β̃ = 0 (α = log 2, β̂ = 0: the identity).
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        let scale = 1 / Double(dimension).squareRoot()
        return (0..<dimension).map { _ in scale * stream.nextStandardNormal() } + [0, 0]
    }

    public func tapeCount(_ direction: TrainableDirection, count: Int) -> Int { 0 }

    /// The spec parameters: z₀, α = softplus(α̃), β = β̂ = −α + softplus(β̃).
    public func parameters(from values: [Double]) -> RadialParameters {
        let alpha = TrainableMath.softplus(values[dimension])
        return RadialParameters(z0: Array(values[0..<dimension]), alpha: alpha,
                                beta: -alpha + TrainableMath.softplus(values[dimension + 1]))
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        precondition(direction == .sampling, "radial: density direction has no recording pass")
        let d = dimension
        let z0 = theta
        let alpha = TrainableMath.softplus(theta[d]), s = TrainableMath.softplus(theta[d + 1])
        let dm1 = Double(d - 1)
        for p in 0..<buffers.count {
            let z = buffers.input + p * d, y = buffers.output + p * d
            var r2 = 0.0
            for j in 0..<d { let e = z[j] - z0[j]; r2 += e * e }
            let r = r2.squareRoot(), A = alpha + r
            let phi = (r + s) / A
            for j in 0..<d { y[j] = z0[j] + phi * (z[j] - z0[j]) }
            let q = r2 + 2 * alpha * r + alpha * s
            buffers.logAbsDet[p] += dm1 * log(phi) + log(q / (A * A))
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension
        let z0 = theta
        let alpha = TrainableMath.softplus(theta[d]), s = TrainableMath.softplus(theta[d + 1])
        let betaHat = s - alpha
        let dm1 = Double(d - 1)
        var gAlpha = 0.0, gS = 0.0
        let gz0 = gradient.parameters
        for p in 0..<buffers.count {
            let z = buffers.input + p * d
            let g = gradient.output + p * d, gz = gradient.input + p * d
            let gamma = gradient.logAbsDet[p]
            var r2 = 0.0, gRho = 0.0
            for j in 0..<d {
                let e = z[j] - z0[j]
                r2 += e * e
                gRho += g[j] * e
            }
            let r = r2.squareRoot(), A = alpha + r, rs = r + s
            let q = r2 + 2 * alpha * r + alpha * s
            let phi = rs / A
            let gR = -gRho * betaHat / (A * A) + gamma * (dm1 * (1 / rs - 1 / A) + 2 * (r + alpha) / q - 2 / A)
            let radial = r > 0 ? gR / r : 0
            for j in 0..<d {
                let v = phi * g[j] + radial * (z[j] - z0[j])
                gz[j] = v
                gz0[j] += g[j] - v
            }
            gAlpha += -gRho * rs / (A * A) + gamma * (-(dm1 + 2) / A + (2 * r + s) / q)
            gS += gRho / A + gamma * (dm1 / rs + alpha / q)
        }
        gradient.parameters[d] += gAlpha * TrainableMath.logistic(theta[d])
        gradient.parameters[d + 1] += gS * TrainableMath.logistic(theta[d + 1])
    }

    /// Sampling by the recording pass; density by the closed-form inverse.
    public func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                         logAbsDet: inout [Double]) throws(FlowKitError) {
        if direction == .sampling {
            try recordingEvaluate(.sampling, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
            return
        }
        let d = dimension
        guard batch.dimension == d, parameters.count == parameterCount else {
            throw .dimensionMismatch(what: "radial input", expected: d, found: batch.dimension)
        }
        let z0 = Array(parameters[0..<d])
        let alpha = TrainableMath.softplus(parameters[d]), s = TrainableMath.softplus(parameters[d + 1])
        let dm1 = Double(d - 1)
        batch.updateEachPoint(logAbsDet: &logAbsDet, transform: name, dimension: d) { y, logDet in
            var g2 = 0.0
            for j in 0..<d { let e = y[j] - z0[j]; g2 += e * e }
            let gamma = g2.squareRoot()
            let bq = s - gamma
            let root = (bq * bq + 4 * alpha * gamma).squareRoot()
            let r = bq < 0 ? (root - bq) / 2 : 2 * alpha * gamma / (bq + root)
            let A = alpha + r
            let factor = A / (r + s)
            for j in 0..<d { y[j] = z0[j] + factor * (y[j] - z0[j]) }
            let q = r * r + 2 * alpha * r + alpha * s
            logDet -= dm1 * log((r + s) / A) + log(q / (A * A))
        }
    }
}
