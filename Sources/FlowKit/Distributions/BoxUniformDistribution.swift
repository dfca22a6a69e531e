import Foundation

/// The uniform distribution on the box Πᵢ [lowᵢ, highᵢ] (spec name `uniform` in the
/// multivariate catalog; scalars broadcast). log p = −Σᵢ log(highᵢ − lowᵢ) inside, −∞ outside.
public struct BoxUniformDistribution: MultivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public var low: ScalarOrVector?
        public var high: ScalarOrVector?
        public init(low: ScalarOrVector? = nil, high: ScalarOrVector? = nil) {
            self.low = low
            self.high = high
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            self.init(low: try c?.decodeIfPresent(ScalarOrVector.self, forKey: .low),
                      high: try c?.decodeIfPresent(ScalarOrVector.self, forKey: .high))
        }
    }

    public let dimension: Int
    public let low: [Double]
    public let high: [Double]
    let logVolume: Double

    /// Defaults: low 0, high 1 in every coordinate; `dimension` broadcasts scalars.
    public init(_ parameters: Parameters, dimension given: Int? = nil) throws {
        let d = try ScalarOrVector.dimension(of: [("low", parameters.low), ("high", parameters.high)], given: given)
        try self.init(low: (parameters.low ?? .scalar(0)).values(dimension: d, key: "low"),
                      high: (parameters.high ?? .scalar(1)).values(dimension: d, key: "high"))
    }

    public init(low: [Double], high: [Double]) throws {
        guard !low.isEmpty, low.count == high.count else {
            throw FlowKitError.dimensionMismatch(what: "parameter 'high'", expected: low.count, found: high.count, parameter: "high")
        }
        var logVolume = 0.0
        for i in low.indices {
            try ParameterValidation.finite(low[i], "low")
            try ParameterValidation.finite(high[i], "high")
            guard high[i] > low[i] else {
                throw FlowKitError.invalidParameter(parameter: "high", value: "\(high[i])", requirement: "must be > low (\(low[i]))")
            }
            logVolume += Foundation.log(high[i] - low[i])
        }
        self.dimension = low.count
        self.low = low
        self.high = high
        self.logVolume = logVolume
    }

    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == dimension)
        for i in 0..<dimension where !(x[i] >= low[i] && x[i] <= high[i]) { return -.infinity }
        return -logVolume
    }

    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        precondition(batch.dimension == dimension)
        let d = dimension
        for p in 0..<batch.count {
            for i in 0..<d {
                batch.values[p * d + i] = min(high[i], low[i] + (high[i] - low[i]) * stream.nextUniform())
            }
        }
    }

    public var support: [Interval] {
        (0..<dimension).map { Interval(lower: low[$0], upper: high[$0], lowerClosed: true, upperClosed: true) }
    }
}
