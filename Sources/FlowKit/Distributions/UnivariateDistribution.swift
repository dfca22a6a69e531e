import Foundation

/// A probability distribution on the real line.
///
/// Requirements are the primitives; `density` and batch sampling have default
/// implementations. Log densities are computed in log space so that they stay finite and
/// accurate far into the tails; points outside the support have log density −∞.
public protocol UnivariateDistribution: Sendable {
    /// log p(x); −∞ outside the support.
    func logDensity(_ x: Double) -> Double
    /// F(x) = P(X ≤ x).
    func cdf(_ x: Double) -> Double
    /// 1 − F(x) = P(X > x), accurate in the right tail where 1 − F would cancel.
    /// Default: 1 − cdf(x).
    func survival(_ x: Double) -> Double
    /// F⁻¹(p) for p in [0, 1].
    func quantile(_ p: Double) -> Double
    /// One draw, using only `stream` (never a global generator).
    func sample(using stream: inout RandomStream) -> Double
    /// The closed support (end points may be open or closed).
    var support: Interval { get }
    /// E[X], or nil where it is not finite (Cauchy, Pareto with α ≤ 1, …).
    var mean: Double? { get }
    /// Var[X], or nil where it is not finite.
    var variance: Double? { get }
    /// Fills `buffer` with independent draws, in order: the same values as `buffer.count`
    /// calls of ``sample(using:)``. Default: that loop (one dynamic call per batch when the
    /// distribution is an existential).
    func sample(into buffer: UnsafeMutableBufferPointer<Double>, using stream: inout RandomStream)
    /// out[i] = log p(x[i]), the same values as ``logDensity(_:)``; counts must match.
    func logDensity(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>)
    /// out[i] = F(x[i]): the same values as ``cdf(_:)``, or within the few ulps a distribution
    /// states where it has a batch kernel (normal, log-normal); counts must match.
    func cdf(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>)
}

// MARK: - Default implementations
extension UnivariateDistribution {
    public func survival(_ x: Double) -> Double { 1 - cdf(x) }

    /// p(x) = exp(log p(x)).
    public func density(_ x: Double) -> Double { Foundation.exp(logDensity(x)) }

    /// Fills `buffer` with independent draws.
    public func sample(into buffer: inout [Double], using stream: inout RandomStream) {
        buffer.withUnsafeMutableBufferPointer { sample(into: $0, using: &stream) }
    }

    public func sample(into buffer: UnsafeMutableBufferPointer<Double>, using stream: inout RandomStream) {
        for i in buffer.indices { buffer[i] = sample(using: &stream) }
    }

    public func logDensity(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "one output per input")
        for i in x.indices { out[i] = logDensity(x[i]) }
    }

    public func cdf(of x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == out.count, "one output per input")
        for i in x.indices { out[i] = cdf(x[i]) }
    }
}
