/// A ``ScalarBijection`` applied to every coordinate: T(x)_j = t(x_j), so the Jacobian is
/// diagonal and log|det J_T(x)| = Σ_j log|t'(x_j)|.
///
/// Generic over the map; the per-value loop is the map's batch requirement
/// (``ScalarBijection/forward(_:dimension:logAbsDet:)``), specialised for each map type, so
/// that a chain of `any Bijection` makes one dynamic call per batch, not one per value.
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
            logAbsDet.withUnsafeMutableBufferPointer { sums in map.forward(values, dimension: d, logAbsDet: sums) }
        }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = batch.dimension
        precondition(logAbsDet.count == batch.count, "one log-det entry per point")
        batch.values.withUnsafeMutableBufferPointer { values in
            logAbsDet.withUnsafeMutableBufferPointer { sums in map.inverse(values, dimension: d, logAbsDet: sums) }
        }
    }
}
