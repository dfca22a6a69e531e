/// A ``ScalarBijection`` applied to every coordinate: T(x)_j = t(x_j), so the Jacobian is
/// diagonal and log|det J_T(x)| = Σ_j log|t'(x_j)|.
///
/// Generic over the map, so that the per-sample loop calls `Map.forward` directly rather
/// than through an existential.
public struct Elementwise<Map: ScalarBijection>: Bijection {
    public let map: Map

    public init(_ map: Map) { self.map = map }

    public var name: String { map.name }
    public var dimension: Int? { nil }
    public var hasClosedFormInverse: Bool { map.hasClosedFormInverse }
    public var hasConstantJacobian: Bool { map.hasConstantJacobian }

    public func domain(dimension: Int) -> [Interval] {
        [Interval](repeating: map.domain, count: dimension)
    }

    public func codomain(dimension: Int) -> [Interval] {
        [Interval](repeating: map.codomain, count: dimension)
    }

    public func image(of box: [Interval]) -> [Interval] {
        box.map { map.image(of: $0) }
    }

    public func preimage(of box: [Interval]) -> [Interval] {
        box.map { map.preimage(of: $0) }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = batch.dimension
        precondition(logAbsDet.count == batch.count, "one log-det entry per point")
        batch.values.withUnsafeMutableBufferPointer { values in
            logAbsDet.withUnsafeMutableBufferPointer { sums in
                for i in 0..<sums.count {
                    var sum = 0.0
                    for j in (i * d)..<((i + 1) * d) {
                        let result = map.forward(values[j])
                        values[j] = result.value
                        sum += result.logAbsDet
                    }
                    sums[i] += sum
                }
            }
        }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = batch.dimension
        precondition(logAbsDet.count == batch.count, "one log-det entry per point")
        batch.values.withUnsafeMutableBufferPointer { values in
            logAbsDet.withUnsafeMutableBufferPointer { sums in
                for i in 0..<sums.count {
                    var sum = 0.0
                    for j in (i * d)..<((i + 1) * d) {
                        let result = map.inverse(values[j])
                        values[j] = result.value
                        sum += result.logAbsDet
                    }
                    sums[i] += sum
                }
            }
        }
    }
}
