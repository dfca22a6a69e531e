import FlowKit

/// Reverse KL / the annealed free energy of Rezende & Mohamed 2015 §6 (flows.md §4, §9):
///
///     F_β = E_{z₀∼q₀}[log q₀(z₀) − Σₖ log|det ∂fₖ/∂zₖ₋₁| + β_t·U(z_K)] = E_q[log q(x) − β_t·log p̃(x)],
///     β_t = min(1, 0.01 + t/T)   (β = 1 when T = 0),
///
/// with pathwise gradients through x = f(μ + σ ⊙ ε), ε ∼ N(0, I), by the sampling direction.
/// At β = 1, F = KL(q ‖ p) − log Z.
public struct ReverseKL: TrainingObjective {
    public let target: any TrainingTarget
    /// T of the annealing schedule (0: no annealing).
    public let annealingIterations: Int

    public init(target: any TrainingTarget, annealingIterations: Int = 0) {
        self.target = target
        self.annealingIterations = annealingIterations
    }

    public var direction: TrainableDirection { .sampling }

    /// β_t = min(1, 0.01 + t/T).
    public func beta(at iteration: Int) -> Double {
        annealingIterations > 0 ? min(1, 0.01 + Double(iteration) / Double(annealingIterations)) : 1
    }

    public func chunkLoss(flow: TrainableFlow, parameters: UnsafePointer<Double>, iteration: Int, count n: Int,
                          stream: inout RandomStream, chunk: TrainingChunk) -> Double {
        let d = flow.dimension
        let w = chunk.workspace
        TrainableMath.fillStandardNormal(w.noise, count: n * d, using: &stream)
        flow.samplingPass(parameters: parameters, noise: w.noise, count: n, workspace: w)
        let beta = beta(at: iteration)
        var loss = 0.0
        chunk.values.withUnsafeMutableBufferPointer { logP in
            chunk.pointGradient.withUnsafeMutableBufferPointer { gx in
                target.logDensityAndGradient(points: w.finalState, count: n, logDensity: logP.baseAddress!, gradient: gx.baseAddress!)
                for p in 0..<n {
                    loss += w.logDensity[p] - beta * logP[p]
                    chunk.weights[p] = 1
                }
                for i in 0..<(n * d) { gx[i] *= -beta }
            }
        }
        chunk.pointGradient.withUnsafeBufferPointer { gx in
            chunk.weights.withUnsafeBufferPointer { g in
                chunk.gradient.withUnsafeMutableBufferPointer { grad in
                    flow.samplingBackward(parameters: parameters, count: n, workspace: w, pointGradient: gx.baseAddress!,
                                          logDensityGradient: g.baseAddress!, parameterGradient: grad.baseAddress!)
                }
            }
        }
        return loss
    }
}
