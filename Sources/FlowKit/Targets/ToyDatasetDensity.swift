import Foundation

/// The exact density of the toy data sets whose density is known in closed form (the
/// generators of ``ToyDataset``, `flows.md` §6), with their differential entropy, so that a
/// fit by maximum likelihood can report KL(p_data ‖ q) = NLL − H exactly (up to sampling
/// error of the NLL):
///
/// - `8gaussians`: the equal-weight mixture of eight isotropic normals with centres
///   μ_k = 4 c_k / 1.414 (c_k the unit vectors at angles kπ/4) and std σ = 0.5/1.414:
///
///       log p(x) = −log 8 − log(2πσ²) + log Σ_k exp(−‖x − μ_k‖² / (2σ²))
///
///   H has no closed form; ``eightGaussiansEntropy(tolerance:)`` integrates it (the value
///   ``entropy`` is 2.831880406138 ± 1e-10; the well-separated limit
///   log 8 + 1 + log(2πσ²) = 2.838179 is 0.0063 higher because neighbouring components,
///   6.1σ apart, overlap slightly).
/// - `checkerboard`: uniform on the eight 2 × 2 squares [2i, 2i + 2) × [2j, 2j + 2),
///   i, j ∈ {−2, −1, 0, 1}, i + j even, of [−4, 4)² — the generator draws x1 = 4U − 2 (column
///   ⌊x1⌋), x2 ∈ [p, p + 1) or [p − 2, p − 1) with p = ⌊x1⌋ mod 2 (so ⌊x2⌋ ≡ ⌊x1⌋ mod 2) and
///   doubles both: total area 8 · 4 = 32, log p = −log 32 inside, −∞ outside, H = log 32.
public enum ToyDatasetDensity: String, CaseIterable, Sendable {
    case eightGaussians = "8gaussians"
    case checkerboard

    /// The exact density of `dataset`, or nil when it has none in closed form.
    public init?(_ dataset: ToyDataset) {
        switch dataset {
        case .eightGaussians: self = .eightGaussians
        case .checkerboard: self = .checkerboard
        default: return nil
        }
    }

    /// The data set it is the density of.
    public var dataset: ToyDataset {
        switch self {
        case .eightGaussians: return .eightGaussians
        case .checkerboard: return .checkerboard
        }
    }

    /// The mixture's std σ = 0.5/1.414.
    public static let eightGaussiansStd = 0.5 / 1.414
    /// The mixture's centres μ_k = 4 c_k / 1.414, in the generator's order.
    public static let eightGaussiansCenters: [(Double, Double)] = ToyDataset.eightCenters.map { (4 * $0.0 / 1.414, 4 * $0.1 / 1.414) }

    /// log p(x, y).
    @inlinable
    public func logDensity(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .eightGaussians: return Self.eightGaussiansLogDensity(x, y)
        case .checkerboard: return Self.checkerboardLogDensity(x, y)
        }
    }

    /// log p at every point of a two-dimensional batch.
    public func logDensities(_ batch: PointBatch) throws -> [Double] {
        guard batch.dimension == 2 else {
            throw FlowKitError.dimensionMismatch(what: "data set \(dataset.name)", expected: 2, found: batch.dimension)
        }
        return (0..<batch.count).map { logDensity(batch.values[2 * $0], batch.values[2 * $0 + 1]) }
    }

    /// The differential entropy H = −E_p log p (nats): log 32 for the checkerboard, and for
    /// 8gaussians the value of ``eightGaussiansEntropy(tolerance:)``, 2.8318804061377 (its
    /// error estimate 9.4e-11; an independent composite Simpson sum of −p log p over
    /// [−8, 8]² agrees to 2e-15; recomputed in the tests).
    public var entropy: Double {
        switch self {
        case .eightGaussians: return Self.eightGaussiansEntropyValue
        case .checkerboard: return Foundation.log(32.0)
        }
    }

    /// KL(p_data ‖ q) = NLL − H from a held-out NLL estimate of q on data from p_data.
    public func klDivergence(negativeLogLikelihood nll: MonteCarloEstimate) -> MonteCarloEstimate { nll.minus(entropy) }

    static let eightGaussiansEntropyValue = 2.8318804061376666

    @usableFromInline
    static func eightGaussiansLogDensity(_ x: Double, _ y: Double) -> Double {
        let scale = -1 / (2 * eightGaussiansStd * eightGaussiansStd)
        var m = -Double.infinity
        for (cx, cy) in eightGaussiansCenters {
            m = Swift.max(m, scale * ((x - cx) * (x - cx) + (y - cy) * (y - cy)))
        }
        guard m > -.infinity else { return m.isNaN || x.isNaN || y.isNaN ? .nan : -.infinity }
        var sum = 0.0
        for (cx, cy) in eightGaussiansCenters {
            sum += Foundation.exp(scale * ((x - cx) * (x - cx) + (y - cy) * (y - cy)) - m)
        }
        return m + Foundation.log(sum) + eightGaussiansLogConstant
    }

    /// −log(8 · 2πσ²).
    @usableFromInline
    static let eightGaussiansLogConstant = -Foundation.log(8 * 2 * Double.pi * eightGaussiansStd * eightGaussiansStd)

    @usableFromInline
    static func checkerboardLogDensity(_ x: Double, _ y: Double) -> Double {
        guard x >= -4, x < 4, y >= -4, y < 4 else { return x.isNaN || y.isNaN ? .nan : -.infinity }
        let i = Int(Foundation.floor(x / 2)), j = Int(Foundation.floor(y / 2))
        return (i + j) & 1 == 0 ? -Foundation.log(32.0) : -.infinity
    }

    /// H(8gaussians) by nested adaptive Gauss–Kronrod quadrature. The mixture is invariant
    /// under the rotation by π/4 that maps each component to the next, so
    /// H = −E_{x ∼ N(μ_0, σ²I)} log p(x) = −∫∫ φ(u)φ(v) log p(μ_0 + σ(u, v)) du dv, integrated
    /// over (u, v) ∈ [−14, 14]² (the neglected Gaussian mass, < 1e-43, times |log p| ≤ 1e3
    /// there, is below 1e-39). `errorEstimate` is the outer rule's error plus the largest
    /// inner error (φ integrates to ≤ 1).
    public static func eightGaussiansEntropy(tolerance: Double = 1e-12) -> Integral {
        let (cx, cy) = eightGaussiansCenters[0], s = eightGaussiansStd
        let normal = 1 / (2 * Double.pi).squareRoot()
        var innerError = 0.0, evaluations = 0, converged = true
        let outer = AdaptiveIntegrator.integrate({ u in
            let pu = normal * Foundation.exp(-0.5 * u * u)
            let inner = AdaptiveIntegrator.integrate({ v in
                normal * Foundation.exp(-0.5 * v * v) * eightGaussiansLogDensity(cx + s * u, cy + s * v)
            }, from: -14, to: 14, relativeTolerance: tolerance, absoluteTolerance: tolerance * 1e-3)
            innerError = Swift.max(innerError, inner.errorEstimate)
            evaluations += inner.evaluations
            converged = converged && inner.converged
            return -pu * inner.value
        }, from: -14, to: 14, relativeTolerance: tolerance, absoluteTolerance: tolerance * 1e-3)
        return Integral(value: outer.value, errorEstimate: outer.errorEstimate + innerError,
                        evaluations: evaluations, converged: converged && outer.converged)
    }
}
