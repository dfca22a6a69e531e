import Foundation

/// The multivariate normal N(μ, Σ) with Σ = LLᵀ (spec name `normal` in the multivariate
/// catalog; `mean` and either `std` (diagonal, Σ = diag(std²)) or `cov` (full, factorised by
/// Cholesky)).
///
/// log p(x) = −½‖L⁻¹(x − μ)‖² − Σᵢ log Lᵢᵢ − (d/2) log 2π (forward substitution, no
/// inverse formed); samples are μ + Lz with z ~ N(0, I) from the ziggurat.
public struct MultivariateNormalDistribution: MultivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public var mean: ScalarOrVector?
        public var std: ScalarOrVector?
        public var cov: [[Double]]?
        public init(mean: ScalarOrVector? = nil, std: ScalarOrVector? = nil, cov: [[Double]]? = nil) {
            self.mean = mean
            self.std = std
            self.cov = cov
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            self.init(mean: try c?.decodeIfPresent(ScalarOrVector.self, forKey: .mean),
                      std: try c?.decodeIfPresent(ScalarOrVector.self, forKey: .std),
                      cov: try c?.decodeIfPresent([[Double]].self, forKey: .cov))
        }
    }

    public let dimension: Int
    public let mean: [Double]
    /// The lower Cholesky factor L, row-major d × d.
    public let choleskyFactor: [Double]
    let logNormalizer: Double

    /// Builds from spec parameters; `dimension` broadcasts scalars (default 1 when nothing
    /// fixes it). Defaults: mean 0, std 1.
    public init(_ parameters: Parameters, dimension given: Int? = nil) throws {
        if parameters.std != nil, parameters.cov != nil {
            throw FlowKitError.invalidParameter(parameter: "cov", value: "given with std", requirement: "give either std or cov, not both")
        }
        let d = try ScalarOrVector.dimension(of: [("mean", parameters.mean), ("std", parameters.std)],
                                             given: given ?? parameters.cov.map(\.count))
        let mean = try (parameters.mean ?? .scalar(0)).values(dimension: d, key: "mean")
        for value in mean { try ParameterValidation.finite(value, "mean") }
        var factor = [Double](repeating: 0, count: d * d)
        if let cov = parameters.cov {
            guard cov.count == d, cov.allSatisfy({ $0.count == d }) else {
                throw FlowKitError.dimensionMismatch(what: "parameter 'cov'", expected: d, found: cov.count, parameter: "cov")
            }
            factor = try Self.cholesky(cov)
        } else {
            let std = try (parameters.std ?? .scalar(1)).values(dimension: d, key: "std")
            for (i, s) in std.enumerated() {
                try ParameterValidation.positive(s, "std")
                factor[i * d + i] = s
            }
        }
        try self.init(mean: mean, choleskyFactor: factor)
    }

    /// From μ and a lower-triangular L with positive diagonal (row-major).
    public init(mean: [Double], choleskyFactor: [Double]) throws {
        let d = mean.count
        guard d > 0, choleskyFactor.count == d * d else {
            throw FlowKitError.dimensionMismatch(what: "Cholesky factor", expected: d * d, found: choleskyFactor.count)
        }
        var logDet = 0.0
        for i in 0..<d {
            let l = choleskyFactor[i * d + i]
            guard l > 0, l.isFinite else {
                throw FlowKitError.invalidParameter(parameter: "cov", value: "\(l)", requirement: "Cholesky diagonal must be > 0")
            }
            logDet += Foundation.log(l)
        }
        self.dimension = d
        self.mean = mean
        self.choleskyFactor = choleskyFactor
        logNormalizer = logDet + Double(d) * Special.halfLogTwoPi
    }

    /// Cholesky–Banachiewicz: Lᵢⱼ = (Σᵢⱼ − Σₖ<ⱼ LᵢₖLⱼₖ)/Lⱼⱼ, Lⱼⱼ = √(Σⱼⱼ − Σₖ<ⱼ Lⱼₖ²) (Golub & Van
    /// Loan, Alg. 4.2.1). Throws for a non-symmetric or non-positive-definite matrix.
    public static func cholesky(_ matrix: [[Double]]) throws -> [Double] {
        let d = matrix.count
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                let a = matrix[i][j]
                guard a.isFinite, relativeDifference(a, matrix[j][i]) <= 1e-12 else {
                    throw FlowKitError.invalidParameter(parameter: "cov", value: "[\(i)][\(j)] = \(a)",
                                                        requirement: "must be finite and symmetric")
                }
                var sum = a
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                if i == j {
                    guard sum > 0 else {
                        throw FlowKitError.invalidParameter(parameter: "cov", value: "pivot \(i) = \(sum)",
                                                            requirement: "must be positive definite")
                    }
                    l[i * d + i] = sum.squareRoot()
                } else {
                    l[i * d + j] = sum / l[j * d + j]
                }
            }
        }
        return l
    }

    static func relativeDifference(_ a: Double, _ b: Double) -> Double {
        a == b ? 0 : abs(a - b) / max(abs(a), abs(b))
    }

    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == dimension)
        let d = dimension
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { y in
            var squares = 0.0
            for i in 0..<d {
                var r = x[i] - mean[i]
                for k in 0..<i { r -= choleskyFactor[i * d + k] * y[k] }
                y[i] = r / choleskyFactor[i * d + i]
                squares += y[i] * y[i]
            }
            return -0.5 * squares - logNormalizer
        }
    }

    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        precondition(batch.dimension == dimension)
        let d = dimension
        withUnsafeTemporaryAllocation(of: Double.self, capacity: d) { z in
            for p in 0..<batch.count {
                for i in 0..<d { z[i] = stream.nextStandardNormal() }
                for i in 0..<d {
                    var v = mean[i]
                    for k in 0...i { v += choleskyFactor[i * d + k] * z[k] }
                    batch.values[p * d + i] = v
                }
            }
        }
    }

    public var support: [Interval] { [Interval](repeating: .real, count: dimension) }
}
