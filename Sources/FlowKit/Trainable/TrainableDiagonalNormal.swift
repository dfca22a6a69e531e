import Foundation

/// The learnable base q₀ = N(μ, diag σ²) of a trainable flow (Rezende & Mohamed 2015, §6),
/// with unconstrained parameters `mean` (μ, d values) then `log_std` (log σ, d values).
///
///     log q₀(z) = Σⱼ [−½((zⱼ − μⱼ)/σⱼ)² − log σⱼ − ½ log 2π]
///     ∂/∂zⱼ = −(zⱼ − μⱼ)/σⱼ²,  ∂/∂μⱼ = (zⱼ − μⱼ)/σⱼ²,  ∂/∂log σⱼ = ((zⱼ − μⱼ)/σⱼ)² − 1
///
/// Sampling is reparametrised (pathwise gradients): z = μ + σ ⊙ ε with ε ∼ N(0, I), so
/// ∂z/∂μ = 1 and ∂z/∂log σ = σ ⊙ ε.
public struct TrainableDiagonalNormal: Sendable {
    public let dimension: Int
    public let layout: ParameterLayout

    public init(dimension: Int) {
        self.dimension = dimension
        var builder = ParameterLayout.Builder()
        builder.add("mean", shape: [dimension])
        builder.add("log_std", shape: [dimension])
        layout = builder.layout
    }

    public var parameterCount: Int { 2 * dimension }

    /// μ = 0, σ = 1.
    public func initialParameters() -> [Double] { [Double](repeating: 0, count: 2 * dimension) }

    /// The mean and standard deviation.
    public func meanAndStandardDeviation(_ parameters: [Double]) -> (mean: [Double], std: [Double]) {
        (Array(parameters[0..<dimension]), parameters[dimension..<(2 * dimension)].map { exp($0) })
    }

    static let logTwoPi = log(2 * Double.pi)

    /// logDensity[p] = log q₀(z_p) for n points.
    public func logDensity(parameters: UnsafePointer<Double>, points z: UnsafePointer<Double>, count n: Int,
                           into logDensity: UnsafeMutablePointer<Double>) {
        let d = dimension
        let mean = parameters, logStd = parameters + d
        var constant = -0.5 * Double(d) * Self.logTwoPi
        for j in 0..<d { constant -= logStd[j] }
        for p in 0..<n {
            var s = 0.0
            for j in 0..<d {
                let e = (z[p * d + j] - mean[j]) * exp(-logStd[j])
                s += e * e
            }
            logDensity[p] = constant - 0.5 * s
        }
    }

    /// Given g[p] = ∂L/∂log q₀(z_p): *adds* g·∂log q₀/∂z to `pointGradient` (n × d) and
    /// g·∂log q₀/∂θ to `parameterGradient` (explicit dependence, z held fixed).
    public func logDensityVJP(parameters: UnsafePointer<Double>, points z: UnsafePointer<Double>, count n: Int,
                              logDensityGradient g: UnsafePointer<Double>,
                              pointGradient: UnsafeMutablePointer<Double>, parameterGradient: UnsafeMutablePointer<Double>) {
        let d = dimension
        let mean = parameters, logStd = parameters + d
        for j in 0..<d {
            let inverseStd = exp(-logStd[j])
            var gMean = 0.0, gLogStd = 0.0
            for p in 0..<n {
                let e = (z[p * d + j] - mean[j]) * inverseStd
                pointGradient[p * d + j] -= g[p] * e * inverseStd
                gMean += g[p] * e * inverseStd
                gLogStd += g[p] * (e * e - 1)
            }
            parameterGradient[j] += gMean
            parameterGradient[d + j] += gLogStd
        }
    }

    /// z = μ + σ ⊙ ε for n points of standard normal noise.
    public func sample(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count n: Int,
                       into z: UnsafeMutablePointer<Double>) {
        let d = dimension
        let mean = parameters, logStd = parameters + d
        for j in 0..<d {
            let s = exp(logStd[j]), m = mean[j]
            for p in 0..<n { z[p * d + j] = m + s * noise[p * d + j] }
        }
    }

    /// Adds ∂L/∂θ of z = μ + σ ⊙ ε given ∂L/∂z (n × d).
    public func sampleVJP(parameters: UnsafePointer<Double>, noise: UnsafePointer<Double>, count n: Int,
                          pointGradient: UnsafePointer<Double>, parameterGradient: UnsafeMutablePointer<Double>) {
        let d = dimension
        let logStd = parameters + d
        for j in 0..<d {
            let s = exp(logStd[j])
            var gMean = 0.0, gLogStd = 0.0
            for p in 0..<n {
                gMean += pointGradient[p * d + j]
                gLogStd += pointGradient[p * d + j] * s * noise[p * d + j]
            }
            parameterGradient[j] += gMean
            parameterGradient[d + j] += gLogStd
        }
    }
}
