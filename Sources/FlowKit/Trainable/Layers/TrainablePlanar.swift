import Foundation

/// The planar flow [`planar`] as a trainable layer (Rezende & Mohamed 2015, §4.1 and appendix
/// A.1; flows.md §3), sampling direction only (the inverse is a root search, see
/// ``PlanarTransform``; ``evaluate(_:parameters:batch:logAbsDet:)`` uses it).
///
/// Parameters: `u` (d), `w` (d), `b` (scalar), all unconstrained. The map uses
///
///     û = u + [m(wᵀu) − wᵀu]·w/‖w‖²,  m(x) = −1 + softplus(x),   so c = wᵀû = m(wᵀu) > −1,
///     f(z) = z + û·tanh(a),  a = wᵀz + b,
///     log|det ∂f/∂z| = log(1 + c·sech²a) = log(tanh²a + softplus(wᵀu)·sech²a) > −∞.
///
/// (w = 0 gives the translation z + û·tanh b; the correction term is then taken as 0.)
///
/// Backward, for g = ∂L/∂f and γ = ∂L/∂log|det|, with t = tanh a, s = sech²a, D = 1 + c·s:
///
///     ∂L/∂a = s·gᵀû − 2γ·c·t·s/D,        ∂L/∂z = g + (∂L/∂a)·w,      ∂L/∂b = ∂L/∂a,
///     ∂L/∂û = t·g + γ(s/D)·w,            ∂L/∂w|_û = (∂L/∂a)·z + γ(s/D)·û,
///
/// then through û(u, w) with α = wᵀu, κ = m(α) − α, κ' = σ(α) − 1, n = ‖w‖², G = ∂L/∂û:
///
///     ∂L/∂u = G + κ'(Gᵀw/n)·w,
///     ∂L/∂w += κG/n + (Gᵀw)·(κ'u/n − 2κw/n²).
///
/// Tape (n points): û (d), tanh a (n), sech²a (n), then 2d accumulators.
public struct TrainablePlanar: TrainableLayer {
    public let name = "planar"
    public let dimension: Int
    public let layout: ParameterLayout

    public init(dimension: Int) {
        self.dimension = dimension
        var builder = ParameterLayout.Builder()
        builder.add("u", shape: [dimension])
        builder.add("w", shape: [dimension])
        builder.add("b", shape: [])
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.sampling] }
    public var cheapDirection: TrainableDirection { .sampling }

    /// u, w uniform on (−1/√d, 1/√d) (w then never exactly 0 in practice), b = 0.
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        let bound = 1 / Double(dimension).squareRoot()
        let uw = (0..<(2 * dimension)).map { _ in bound * (2 * stream.nextUniform() - 1) }
        return uw + [0]
    }

    public func tapeCount(_ direction: TrainableDirection, count: Int) -> Int { 3 * dimension + 2 * count }

    /// The spec parameters (the raw u: ``PlanarTransform`` applies the same correction).
    public func parameters(from values: [Double]) -> PlanarParameters {
        PlanarParameters(u: Array(values[0..<dimension]), w: Array(values[dimension..<(2 * dimension)]), b: values[2 * dimension])
    }

    /// Writes û into `uHat` and returns (c = wᵀû, softplus(wᵀu), κ, κ', ‖w‖²).
    @inline(__always)
    private func correctedU(_ theta: UnsafePointer<Double>, into uHat: UnsafeMutablePointer<Double>)
        -> (c: Double, softplus: Double, kappa: Double, kappaPrime: Double, normSquared: Double) {
        let d = dimension
        let u = theta, w = theta + d
        var alpha = 0.0, n2 = 0.0
        for j in 0..<d {
            alpha += w[j] * u[j]
            n2 += w[j] * w[j]
        }
        let sp = TrainableMath.softplus(alpha)
        let kappa = sp - 1 - alpha
        let factor = n2 > 0 ? kappa / n2 : 0
        for j in 0..<d { uHat[j] = u[j] + factor * w[j] }
        return (sp - 1, sp, kappa, TrainableMath.logistic(alpha) - 1, n2)
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        precondition(direction == .sampling, "planar: density direction has no recording pass")
        let d = dimension, n = buffers.count
        let uHat = buffers.tape, tanhA = buffers.tape + d, sech2A = tanhA + n
        let info = correctedU(theta, into: uHat)
        let w = theta + d, b = theta[2 * d]
        let z = buffers.input, y = buffers.output
        if d == 2 {
            // The common two-dimensional case without inner loops (about twice as fast).
            let w0 = w[0], w1 = w[1], u0 = uHat[0], u1 = uHat[1], sp = info.softplus
            for p in 0..<n {
                let z0 = z[2 * p], z1 = z[2 * p + 1]
                let (t, s) = TrainableMath.tanhAndSech2(b + w0 * z0 + w1 * z1)
                tanhA[p] = t
                sech2A[p] = s
                y[2 * p] = z0 + u0 * t
                y[2 * p + 1] = z1 + u1 * t
                buffers.logAbsDet[p] += log(t * t + sp * s)
            }
            return
        }
        for p in 0..<n {
            var a = b
            for j in 0..<d { a += w[j] * z[p * d + j] }
            let (t, s) = TrainableMath.tanhAndSech2(a)
            tanhA[p] = t
            sech2A[p] = s
            for j in 0..<d { y[p * d + j] = z[p * d + j] + uHat[j] * t }
            buffers.logAbsDet[p] += log(t * t + info.softplus * s)
        }
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension, n = buffers.count
        let uHat = buffers.tape, tanhA = buffers.tape + d, sech2A = tanhA + n
        let gUHat = sech2A + n, gW = gUHat + d
        let info = correctedU(theta, into: uHat)
        let c = info.c
        let u = theta, w = theta + d
        for j in 0..<d { gUHat[j] = 0; gW[j] = 0 }
        var gB = 0.0
        let z = buffers.input
        for p in 0..<n {
            let t = tanhA[p], s = sech2A[p]
            let g = gradient.output + p * d
            let gamma = gradient.logAbsDet[p]
            let D = t * t + info.softplus * s
            var gu = 0.0
            for j in 0..<d { gu += g[j] * uHat[j] }
            let sOverD = s / D
            let gA = s * gu - 2 * gamma * c * t * sOverD
            let gz = gradient.input + p * d
            for j in 0..<d {
                gz[j] = g[j] + gA * w[j]
                gUHat[j] += t * g[j] + gamma * sOverD * w[j]
                gW[j] += gA * z[p * d + j] + gamma * sOverD * uHat[j]
            }
            gB += gA
        }
        // Through û(u, w).
        let n2 = info.normSquared
        var gDotW = 0.0
        for j in 0..<d { gDotW += gUHat[j] * w[j] }
        let gp = gradient.parameters
        for j in 0..<d {
            var du = gUHat[j], dw = gW[j]
            if n2 > 0 {
                du += info.kappaPrime * gDotW / n2 * w[j]
                dw += info.kappa * gUHat[j] / n2 + gDotW * (info.kappaPrime * u[j] / n2 - 2 * info.kappa * w[j] / (n2 * n2))
            }
            gp[j] += du
            gp[d + j] += dw
        }
        gp[2 * d] += gB
    }

    public func canEvaluate(_ direction: TrainableDirection) -> Bool { true }

    /// Sampling by the recording pass; density by ``PlanarTransform``'s safeguarded Newton
    /// inverse (throws when w = 0, which ``PlanarTransform`` rejects).
    public func evaluate(_ direction: TrainableDirection, parameters: [Double], batch: inout PointBatch,
                         logAbsDet: inout [Double]) throws(FlowKitError) {
        switch direction {
        case .sampling:
            try recordingEvaluate(.sampling, parameters: parameters, batch: &batch, logAbsDet: &logAbsDet)
        case .density:
            let transform = try PlanarTransform(self.parameters(from: parameters), dimension: dimension)
            transform.inverse(&batch, logAbsDet: &logAbsDet)
        }
    }
}
