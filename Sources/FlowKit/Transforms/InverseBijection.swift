/// The inverse T⁻¹ of a bijection T, as a value: its forward pass is T's inverse pass and
/// vice versa (Bijectors.jl's `inverse(t)`, zuko's `t.inv`). Domain and codomain swap;
/// log-dets come from T's own formulas in each direction.
public struct InverseBijection<Base: Bijection>: Bijection {
    public let base: Base

    public init(_ base: Base) { self.base = base }

    public var name: String { "inverse(\(base.name))" }
    public var dimension: Int? { base.dimension }
    public var hasClosedFormInverse: Bool { base.hasClosedFormInverse }
    public var hasConstantJacobian: Bool { base.hasConstantJacobian }

    public func domain(dimension: Int) -> [Interval] { base.codomain(dimension: dimension) }
    public func codomain(dimension: Int) -> [Interval] { base.domain(dimension: dimension) }
    public func image(of box: [Interval]) -> [Interval] { base.preimage(of: box) }
    public func preimage(of box: [Interval]) -> [Interval] { base.image(of: box) }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        base.inverse(&batch, logAbsDet: &logAbsDet)
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        base.forward(&batch, logAbsDet: &logAbsDet)
    }

    public func forwardChecked(_ x: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        try base.inverseChecked(x)
    }

    public func inverseChecked(_ y: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        try base.forwardChecked(y)
    }

    /// The inverse of the inverse is the original map.
    public var inverted: Base { base }
}

extension Bijection {
    /// T⁻¹ as a value.
    public var inverted: InverseBijection<Self> { InverseBijection(self) }
}

/// T⁻¹ of a map known only as an existential (opens it, then wraps it).
func invertedExistential(_ map: any Bijection) -> any Bijection {
    func wrap<B: Bijection>(_ b: B) -> any Bijection { InverseBijection(b) }
    return wrap(map)
}
