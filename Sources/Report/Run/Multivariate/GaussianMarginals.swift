import FlowKit
import Foundation

/// The coordinates of a flow's output whose joint law is known in closed form to be normal,
/// with their means and covariances: the closed-form marginals N(μᵢ, Σᵢᵢ) drawn on the
/// diagonal of `pairs` figures.
///
/// Starting from a normal base N(μ, Σ = LLᵀ) (every coordinate known), each map of the chain
/// updates the set of known coordinates K, whose joint law stays N(μ_K, Σ_KK):
///
/// - `linear` y = A·x + c: yᵢ is known when row i of A is zero outside K; then
///   μ' = Aμ + c and Σ' = AΣAᵀ restricted to the known rows (a linear image of a normal vector
///   is normal; flows.md §8 in d dimensions);
/// - elementwise `affine` yⱼ = aⱼ·xⱼ + bⱼ: the diagonal case of `linear`;
/// - `permute`/`reverse` yᵢ = x_{order[i]}: K, μ and Σ permuted;
/// - `coupling` (RealNVP): the kept coordinates y_a = x_a are unchanged, so they stay known
///   if they were; the transformed ones are no longer normal;
/// - any other map (planar, radial, non-affine elementwise maps) makes every coordinate
///   unknown.
///
/// Any other base (uniform, independent non-normal components) has no closed form here.
public struct GaussianMarginals: Sendable, Equatable {
    public let dimension: Int
    public private(set) var mean: [Double]
    /// Σ, row-major d × d; entries involving an unknown coordinate are meaningless (kept 0).
    public private(set) var covariance: [Double]
    public private(set) var known: [Bool]

    /// The law of the output of `maps` applied to `base`, or nil when no coordinate is known.
    public init?(base: any MultivariateDistribution, maps: [any Bijection]) {
        guard let normal = base as? MultivariateNormalDistribution else { return nil }
        let d = normal.dimension
        dimension = d
        mean = normal.mean
        let l = normal.choleskyFactor
        var sigma = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                var s = 0.0
                for k in 0...min(i, j) { s += l[i * d + k] * l[j * d + k] }
                sigma[i * d + j] = s
            }
        }
        covariance = sigma
        known = Array(repeating: true, count: d)
        for map in maps {
            apply(map)
            if !known.contains(true) { return nil }
        }
    }

    /// N(μᵢ, σᵢ²) of output coordinate i, when known.
    public func marginal(_ i: Int) -> (mean: Double, standardDeviation: Double)? {
        guard i >= 0, i < dimension, known[i] else { return nil }
        let variance = covariance[i * dimension + i]
        guard variance > 0, variance.isFinite, mean[i].isFinite else { return nil }
        return (mean[i], variance.squareRoot())
    }

    /// The normal density φ((x − μ)/σ)/σ.
    public static func density(_ x: Double, mean: Double, standardDeviation sd: Double) -> Double {
        let z = (x - mean) / sd
        return exp(-0.5 * z * z) / (sd * (2 * Double.pi).squareRoot())
    }

    /// P(a < X ≤ b) for X ~ N(μ, σ²), by erfc for accuracy in both tails.
    public static func probability(_ a: Double, _ b: Double, mean: Double, standardDeviation sd: Double) -> Double {
        func cdf(_ x: Double) -> Double { 0.5 * erfc(-(x - mean) / (sd * 2.0.squareRoot())) }
        return cdf(b) - cdf(a)
    }

    // MARK: - Propagation

    private mutating func apply(_ map: any Bijection) {
        let d = dimension
        if let linear = map as? LinearTransform {
            affine(matrix: linear.parameters.matrix.flatMap { $0 }, shift: linear.parameters.shift ?? Array(repeating: 0, count: d))
        } else if let affine = map as? Elementwise<AffineMap> {
            var a = [Double](repeating: 0, count: d * d)
            for i in 0..<d { a[i * d + i] = affine.map.scale }
            self.affine(matrix: a, shift: Array(repeating: affine.map.shift, count: d))
        } else if let permutation = map as? PermutationTransform {
            let order = permutation.order
            mean = order.map { mean[$0] }
            known = order.map { known[$0] }
            covariance = (0..<(d * d)).map { covariance[order[$0 / d] * d + order[$0 % d]] }
        } else if let coupling = map as? AffineCouplingTransform {
            for j in coupling.transformedIndices { forget(j) }
        } else {
            for j in 0..<d { forget(j) }
        }
    }

    /// y = A·x + c on the known rows; rows touching an unknown coordinate become unknown.
    private mutating func affine(matrix a: [Double], shift c: [Double]) {
        let d = dimension
        let rows = (0..<d).map { i in (0..<d).allSatisfy { j in a[i * d + j] == 0 || known[j] } }
        var m = [Double](repeating: 0, count: d)
        var s = [Double](repeating: 0, count: d * d)
        for i in 0..<d where rows[i] {
            var sum = c[i]
            for j in 0..<d where known[j] { sum += a[i * d + j] * mean[j] }
            m[i] = sum
        }
        // AΣAᵀ over the known coordinates only (A is zero elsewhere on known rows).
        var product = [Double](repeating: 0, count: d * d)   // AΣ
        for i in 0..<d where rows[i] {
            for l in 0..<d where known[l] {
                var sum = 0.0
                for j in 0..<d where known[j] { sum += a[i * d + j] * covariance[j * d + l] }
                product[i * d + l] = sum
            }
        }
        for i in 0..<d where rows[i] {
            for k in 0..<d where rows[k] {
                var sum = 0.0
                for l in 0..<d where known[l] { sum += product[i * d + l] * a[k * d + l] }
                s[i * d + k] = sum
            }
        }
        mean = m
        covariance = s
        known = rows
    }

    private mutating func forget(_ j: Int) {
        known[j] = false
        mean[j] = 0
        for k in 0..<dimension {
            covariance[j * dimension + k] = 0
            covariance[k * dimension + j] = 0
        }
    }
}
