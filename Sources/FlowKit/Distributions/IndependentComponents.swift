/// The product distribution of independent univariate components: log p(x) = Σᵢ log pᵢ(xᵢ).
/// A one-dimensional flow's base is `IndependentComponents([normal])`.
public struct IndependentComponents: MultivariateDistribution {
    public let components: [any UnivariateDistribution]

    public init(_ components: [any UnivariateDistribution]) {
        precondition(!components.isEmpty, "at least one component")
        self.components = components
    }

    public var dimension: Int { components.count }

    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == components.count)
        var sum = 0.0
        for (i, component) in components.enumerated() { sum += component.logDensity(x[i]) }
        return sum
    }

    /// Point by point, coordinate by coordinate (so a batch is the same whatever its size).
    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        precondition(batch.dimension == components.count)
        let d = components.count
        for p in 0..<batch.count {
            for i in 0..<d { batch.values[p * d + i] = components[i].sample(using: &stream) }
        }
    }

    public var support: [Interval] { components.map(\.support) }
}
