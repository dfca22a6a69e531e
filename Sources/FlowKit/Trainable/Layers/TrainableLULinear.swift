import Foundation

/// A learnable invertible linear map by LU factors [`lu_linear`] (Glow's invertible 1×1
/// convolution in d dimensions, Kingma & Dhariwal 2018 §3.2), both directions cheap:
///
///     sampling: y = P·L·U·x + c,   log|det| = Σᵢ ℓᵢ
///     density:  x = U⁻¹·L⁻¹·Pᵀ·(y − c) (two triangular solves),   log|det| = −Σᵢ ℓᵢ
///
/// with L unit lower triangular (free strictly-lower entries `lower`, row by row), U upper
/// triangular with free strictly-upper entries `upper` (row by row) and diagonal Uᵢᵢ = exp(ℓᵢ)
/// (`log_diagonal`), the shift c (`bias`) and a fixed permutation P, (P·w)ᵢ = w_{π(i)}
/// (default: the reversal). Any finite parameters give an invertible map.
///
/// Backward (sampling), with v = U·x, w = L·v and g = ∂L/∂y: ∂L/∂w_{π(i)} = gᵢ, ∂L/∂c = g,
/// ∂L/∂L_ij = (∂L/∂w)ᵢ·vⱼ (i > j), ∂L/∂v = Lᵀ·∂L/∂w, ∂L/∂U_ij = (∂L/∂v)ᵢ·xⱼ (j ≥ i),
/// ∂L/∂x = Uᵀ·∂L/∂v, ∂L/∂ℓᵢ = Uᵢᵢ·∂L/∂Uᵢᵢ + γ. (Density), with v = L⁻¹·Pᵀ(y − c) and the
/// output x: ∂L/∂v = U⁻ᵀ·g, ∂L/∂U_ij = −(∂L/∂v)ᵢ·xⱼ, ∂L/∂w = L⁻ᵀ·∂L/∂v, ∂L/∂L_ij =
/// −(∂L/∂w)ᵢ·vⱼ, (∂L/∂y)ᵢ = (∂L/∂w)_{π(i)}, ∂L/∂c = −∂L/∂y, ∂L/∂ℓᵢ = Uᵢᵢ·∂L/∂Uᵢᵢ − γ.
///
/// Tape (n points): L and U as dense d × d matrices, their gradient accumulators (2d²), v (n·d).
public struct TrainableLULinear: TrainableLayer {
    public let name = "lu_linear"
    public let dimension: Int
    public let permutation: [Int]
    public let layout: ParameterLayout
    let triangle: Int

    /// `permutation` π (default: reversal d − 1, …, 0).
    public init(dimension: Int, permutation: [Int]? = nil) {
        self.dimension = dimension
        let pi = permutation ?? Array((0..<dimension).reversed())
        precondition(pi.sorted() == Array(0..<dimension), "lu_linear: permutation of 0..<d")
        self.permutation = pi
        triangle = dimension * (dimension - 1) / 2
        var builder = ParameterLayout.Builder()
        builder.add("lower", shape: [triangle])
        builder.add("upper", shape: [triangle])
        builder.add("log_diagonal", shape: [dimension])
        builder.add("bias", shape: [dimension])
        layout = builder.layout
    }

    public var trainableDirections: [TrainableDirection] { [.sampling, .density] }
    public var cheapDirection: TrainableDirection { .density }

    /// Small random triangles (std 0.1), ℓ = 0, c = 0.
    public func initialParameters(using stream: inout RandomStream) -> [Double] {
        (0..<(2 * triangle)).map { _ in 0.1 * stream.nextStandardNormal() } + [Double](repeating: 0, count: 2 * dimension)
    }

    public func tapeCount(_ direction: TrainableDirection, count n: Int) -> Int { 4 * dimension * dimension + n * dimension }

    /// The spec parameters: the matrix P·L·U and the shift.
    public func parameters(from values: [Double]) -> LinearParameters {
        let d = dimension
        var tape = [Double](repeating: 0, count: 2 * d * d)
        values.withUnsafeBufferPointer { theta in
            tape.withUnsafeMutableBufferPointer { t in fillFactors(theta.baseAddress!, t.baseAddress!) }
        }
        var lu = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 0..<d { for j in 0..<d { for k in 0..<d { lu[i][j] += tape[i * d + k] * tape[d * d + k * d + j] } } }
        let matrix = (0..<d).map { lu[permutation[$0]] }
        return LinearParameters(matrix: matrix, shift: Array(values[(2 * triangle + d)..<(2 * triangle + 2 * d)]))
    }

    /// Writes L (d × d) and U (d × d) at `factors`.
    private func fillFactors(_ theta: UnsafePointer<Double>, _ factors: UnsafeMutablePointer<Double>) {
        let d = dimension
        let L = factors, U = factors + d * d
        var lower = 0, upper = 0
        for i in 0..<d {
            for j in 0..<d {
                L[i * d + j] = i == j ? 1 : 0
                U[i * d + j] = 0
            }
        }
        for i in 0..<d {
            for j in 0..<i { L[i * d + j] = theta[lower]; lower += 1 }
            U[i * d + i] = exp(theta[2 * triangle + i])
            for j in (i + 1)..<max(i + 1, d) { U[i * d + j] = theta[triangle + upper]; upper += 1 }
        }
    }

    public func pass(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass) {
        let d = dimension, n = buffers.count
        let L = buffers.tape, U = L + d * d, V = U + 3 * d * d
        fillFactors(theta, L)
        let bias = theta + 2 * triangle + d
        var total = 0.0
        for i in 0..<d { total += theta[2 * triangle + i] }
        for p in 0..<n {
            let v = V + p * d
            if direction == .sampling {
                let x = buffers.input + p * d, y = buffers.output + p * d
                for i in 0..<d {
                    var s = 0.0
                    for j in i..<d { s += U[i * d + j] * x[j] }
                    v[i] = s
                }
                for i in 0..<d {
                    var w = v[i]
                    for j in 0..<i { w += L[i * d + j] * v[j] }
                    // y_k = w_{π(k)}: scatter w_i to every k with π(k) = i.
                    y[inversePermutationIndex(i)] = w + bias[inversePermutationIndex(i)]
                }
                buffers.logAbsDet[p] += total
            } else {
                let y = buffers.input + p * d, x = buffers.output + p * d
                // w = Pᵀ(y − c): w_{π(k)} = y_k − c_k; v = L⁻¹w (forward substitution).
                for k in 0..<d { v[permutation[k]] = y[k] - bias[k] }
                // Reuse v in place: v_i = w_i − Σ_{j<i} L_ij v_j.
                for i in 0..<d {
                    var s = v[i]
                    for j in 0..<i { s -= L[i * d + j] * v[j] }
                    v[i] = s
                }
                for i in stride(from: d - 1, through: 0, by: -1) {
                    var s = v[i]
                    for j in (i + 1)..<max(i + 1, d) { s -= U[i * d + j] * x[j] }
                    x[i] = s / U[i * d + i]
                }
                buffers.logAbsDet[p] -= total
            }
        }
    }

    @inline(__always)
    private func inversePermutationIndex(_ i: Int) -> Int {
        var k = 0
        while permutation[k] != i { k += 1 }
        return k
    }

    public func vjp(_ direction: TrainableDirection, parameters theta: UnsafePointer<Double>, _ buffers: TrainablePass,
                    _ gradient: TrainableGradient) {
        let d = dimension, n = buffers.count
        let L = buffers.tape, U = L + d * d, gL = U + d * d, gU = gL + d * d, V = gU + d * d
        fillFactors(theta, L)
        for i in 0..<(2 * d * d) { gL[i] = 0 }
        var gammaSum = 0.0
        let gBias = gradient.parameters + 2 * triangle + d
        for p in 0..<n {
            gammaSum += gradient.logAbsDet[p]
            let g = gradient.output + p * d, gIn = gradient.input + p * d, v = V + p * d
            if direction == .sampling {
                let x = buffers.input + p * d
                // gw (in gIn as scratch): gw_{π(k)} = g_k.
                for k in 0..<d {
                    gIn[permutation[k]] = g[k]
                    gBias[k] += g[k]
                }
                for i in 0..<d { for j in 0..<i { gL[i * d + j] += gIn[i] * v[j] } }
                // gv = Lᵀ gw, in place from the top row down (gv_j uses gw_i for i > j only).
                for j in 0..<d {
                    var s = gIn[j]
                    for i in (j + 1)..<max(j + 1, d) { s += L[i * d + j] * gIn[i] }
                    gIn[j] = s
                }
                for i in 0..<d { for j in i..<d { gU[i * d + j] += gIn[i] * x[j] } }
                // gx = Uᵀ gv, in place from the bottom (gx_j uses gv_i for i ≤ j).
                for j in stride(from: d - 1, through: 0, by: -1) {
                    var s = 0.0
                    for i in 0...j { s += U[i * d + j] * gIn[i] }
                    gIn[j] = s
                }
            } else {
                let x = buffers.output + p * d
                // gv = U⁻ᵀ g: forward substitution with Uᵀ (lower).
                for i in 0..<d {
                    var s = g[i]
                    for k in 0..<i { s -= U[k * d + i] * gIn[k] }
                    gIn[i] = s / U[i * d + i]
                }
                for i in 0..<d { for j in i..<d { gU[i * d + j] -= gIn[i] * x[j] } }
                // gw = L⁻ᵀ gv: back substitution with Lᵀ (unit upper).
                for i in stride(from: d - 1, through: 0, by: -1) {
                    var s = gIn[i]
                    for k in (i + 1)..<max(i + 1, d) { s -= L[k * d + i] * gIn[k] }
                    gIn[i] = s
                }
                for i in 0..<d { for j in 0..<i { gL[i * d + j] -= gIn[i] * v[j] } }
                // gy_k = gw_{π(k)}: permute through v's slot (v is no longer needed).
                for k in 0..<d { v[k] = gIn[permutation[k]] }
                for k in 0..<d {
                    gIn[k] = v[k]
                    gBias[k] -= v[k]
                }
            }
        }
        var lower = 0, upper = 0
        for i in 0..<d {
            for j in 0..<i { gradient.parameters[lower] += gL[i * d + j]; lower += 1 }
            for j in (i + 1)..<max(i + 1, d) { gradient.parameters[triangle + upper] += gU[i * d + j]; upper += 1 }
            let sign: Double = direction == .sampling ? 1 : -1
            gradient.parameters[2 * triangle + i] += gU[i * d + i] * U[i * d + i] + sign * gammaSum
        }
    }
}
