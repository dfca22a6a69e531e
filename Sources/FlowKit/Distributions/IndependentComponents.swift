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
    /// In one dimension the whole batch goes to the component's batch sampler (one dynamic
    /// call per batch, same draws in the same order).
    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        precondition(batch.dimension == components.count)
        let d = components.count
        if d == 1 {
            let component = components[0]
            batch.values.withUnsafeMutableBufferPointer { component.sample(into: $0, using: &stream) }
            return
        }
        for p in 0..<batch.count {
            for i in 0..<d { batch.values[p * d + i] = components[i].sample(using: &stream) }
        }
    }

    /// Σᵢ log pᵢ(xᵢ) for every point, summed from 0 in coordinate order as
    /// ``logDensity(_:)-(UnsafeBufferPointer<Double>)`` sums, one batch call per component.
    public func logDensity(_ batch: PointBatch) -> [Double] {
        let d = components.count
        precondition(batch.dimension == d)
        let n = batch.count
        if d == 1 {
            // One component: its batch log density written straight into the result, then
            // 0 + log p as the sum from 0 below gives (only −0 becomes +0).
            let component = components[0]
            return [Double](unsafeUninitializedCapacity: n) { out, count in
                batch.values.withUnsafeBufferPointer { component.logDensity(of: $0, into: out) }
                for p in 0..<n { out[p] = 0 + out[p] }
                count = n
            }
        }
        var out = [Double](repeating: 0, count: n)
        var column = [Double](repeating: 0, count: n)
        var coordinate = [Double](repeating: 0, count: d == 1 ? 0 : n)
        batch.values.withUnsafeBufferPointer { values in
            for (i, component) in components.enumerated() {
                column.withUnsafeMutableBufferPointer { lp in
                    if d == 1 {
                        component.logDensity(of: values, into: lp)
                    } else {
                        coordinate.withUnsafeMutableBufferPointer { xs in
                            for p in 0..<n { xs[p] = values[p * d + i] }
                            component.logDensity(of: UnsafeBufferPointer(xs), into: lp)
                        }
                    }
                }
                for p in 0..<n { out[p] += column[p] }
            }
        }
        return out
    }

    public var support: [Interval] { components.map(\.support) }
}
