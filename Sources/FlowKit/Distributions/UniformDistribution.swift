import Foundation

/// The uniform distribution on [low, high] (spec name `uniform`).
///
/// log p = −log(high − low) inside, −∞ outside; F = (x − low)/(high − low) clamped to [0, 1];
/// F⁻¹(p) = low + p·(high − low); E = (low + high)/2, Var = (high − low)²/12.
public struct UniformDistribution: UnivariateDistribution {
    public struct Parameters: Codable, Sendable, Equatable {
        public let low: Double
        public let high: Double
        public init(low: Double = 0, high: Double = 1) throws {
            try ParameterValidation.finite(low, "low")
            try ParameterValidation.finite(high, "high")
            guard high > low, (high - low).isFinite else {
                throw FlowKitError.invalidParameter(parameter: "high", value: "\(high)", requirement: "must be > low (\(low))")
            }
            self.low = low
            self.high = high
        }
        public init(from decoder: any Decoder) throws {
            let c = try ParameterValidation.container(decoder, keyedBy: CodingKeys.self)
            try self.init(low: c?.number(.low, default: 0) ?? 0, high: c?.number(.high, default: 1) ?? 1)
        }
    }

    public let parameters: Parameters
    let low: Double, high: Double, width: Double

    public init(_ parameters: Parameters) {
        self.parameters = parameters
        low = parameters.low
        high = parameters.high
        width = parameters.high - parameters.low
    }

    public init(low: Double = 0, high: Double = 1) throws { self.init(try Parameters(low: low, high: high)) }

    public func logDensity(_ x: Double) -> Double { x >= low && x <= high ? -Foundation.log(width) : -.infinity }
    public func cdf(_ x: Double) -> Double { x <= low ? 0 : (x >= high ? 1 : (x - low) / width) }
    public func survival(_ x: Double) -> Double { x <= low ? 1 : (x >= high ? 0 : (high - x) / width) }
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return min(high, low + p * width)
    }
    public func sample(using stream: inout RandomStream) -> Double { min(high, low + width * stream.nextUniform()) }
    public var support: Interval { Interval(lower: low, upper: high, lowerClosed: true, upperClosed: true) }
    public var mean: Double? { 0.5 * (low + high) }
    public var variance: Double? { width * width / 12 }
}
