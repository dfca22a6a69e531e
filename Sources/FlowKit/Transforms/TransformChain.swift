/// A composition of bijections in the generative order, x_K = f_K ∘ … ∘ f_1(x_0): `maps[0]`
/// is f_1, applied first. Log-dets add up (Rezende & Mohamed 2015, eq. 6–7):
///
///     log|det J(x_0)| = Σ_k log|det ∂f_k/∂x_{k−1}|,
///
/// and the inverse applies f_K⁻¹ first, then down to f_1⁻¹, adding their inverse log-dets.
/// The chain checks once, at construction, that every map fits its dimension, and can
/// propagate supports through the maps to find a map whose domain they leave (`log` after a
/// normal) before anything runs.
public struct TransformChain: Bijection {
    /// The maps in generative order (`maps[0]` is applied first).
    public let maps: [any Bijection]
    /// The number of coordinates of every point.
    public let pointDimension: Int
    /// ``pointDimension``, as the ``Bijection`` requirement (a chain always has one).
    public var dimension: Int? { pointDimension }

    /// Throws ``FlowKitError/dimensionMismatch`` if `dimension` < 1 or some map has a fixed
    /// dimension other than `dimension` (elementwise maps fit any).
    public init(maps: [any Bijection], dimension: Int) throws(FlowKitError) {
        guard dimension >= 1 else { throw .dimensionMismatch(what: "transform chain", expected: 1, found: dimension) }
        for (k, map) in maps.enumerated() {
            if let d = map.dimension, d != dimension {
                throw .dimensionMismatch(what: "transform \(k + 1) (\(map.name))", expected: dimension, found: d)
            }
        }
        self.maps = maps
        self.pointDimension = dimension
    }

    /// The identity chain.
    public static func identity(dimension: Int) throws(FlowKitError) -> TransformChain {
        try TransformChain(maps: [], dimension: dimension)
    }

    /// "f_K ∘ … ∘ f_1" by name, or "identity".
    public var name: String {
        maps.isEmpty ? "identity" : maps.reversed().map(\.name).joined(separator: " ∘ ")
    }

    public var hasClosedFormInverse: Bool { maps.allSatisfy(\.hasClosedFormInverse) }
    public var hasConstantJacobian: Bool { maps.allSatisfy(\.hasConstantJacobian) }

    /// The domain of f_1 (ℝᵈ for the identity). Points inside it may still leave a later
    /// map's domain; see ``firstDomainViolation(startingFrom:)`` and ``forwardChecked(_:)``.
    public func domain(dimension: Int) -> [Interval] {
        maps.first?.domain(dimension: dimension) ?? [Interval](repeating: .real, count: dimension)
    }

    /// The image of the whole domain, propagated map by map.
    public func codomain(dimension: Int) -> [Interval] {
        image(of: domain(dimension: dimension))
    }

    /// The box propagated through every map: f_K(…f_1(box)).
    public func image(of box: [Interval]) -> [Interval] {
        maps.reduce(box) { $1.image(of: $0) }
    }

    /// The box pulled back through every map, f_K⁻¹ first.
    public func preimage(of box: [Interval]) -> [Interval] {
        maps.reversed().reduce(box) { $1.preimage(of: $0) }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for map in maps { map.forward(&batch, logAbsDet: &logAbsDet) }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        for map in maps.reversed() { map.inverse(&batch, logAbsDet: &logAbsDet) }
    }

    /// The K + 1 stages x_0, x_1 = f_1(x_0), …, x_K of the forward pass.
    public func stages(_ x0: PointBatch) -> [PointBatch] {
        var result = [x0]
        result.reserveCapacity(maps.count + 1)
        var current = x0
        var ignored = [Double](repeating: 0, count: x0.count)
        for map in maps {
            map.forward(&current, logAbsDet: &ignored)
            result.append(current)
        }
        return result
    }

    /// The chain of the inverses in reverse order, f_1⁻¹ ∘ … ∘ f_K⁻¹, as a value.
    public var inverted: TransformChain {
        // The maps keep their dimensions, so this cannot fail.
        (try? TransformChain(maps: maps.reversed().map(invertedExistential), dimension: pointDimension)) ?? self
    }

    /// Checks every step: x_{k−1} must lie in the domain of f_k. Throws
    /// ``FlowKitError/outsideDomain`` naming the first map whose domain is left.
    public func forwardChecked(_ x: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        guard x.count == pointDimension else { throw .dimensionMismatch(what: "input of \(name)", expected: pointDimension, found: x.count) }
        var value = x
        var sum = 0.0
        for map in maps {
            let step = try map.forwardChecked(value)
            value = step.value
            sum += step.logAbsDet
        }
        return (value, sum)
    }

    /// Checks every step of the inverse pass: y_k must lie in the codomain of f_k.
    public func inverseChecked(_ y: [Double]) throws(FlowKitError) -> (value: [Double], logAbsDet: Double) {
        guard y.count == pointDimension else { throw .dimensionMismatch(what: "input of \(name)", expected: pointDimension, found: y.count) }
        var value = y
        var sum = 0.0
        for map in maps.reversed() {
            let step = try map.inverseChecked(value)
            value = step.value
            sum += step.logAbsDet
        }
        return (value, sum)
    }

    /// The support of every stage: `support` (the base's box, stage 0) propagated map by map
    /// by ``Bijection/image(of:)``, K + 1 boxes. This is the one place where supports travel
    /// through a chain; it assumes every step fits (see ``firstDomainViolation(startingFrom:)``).
    public func stageSupports(from support: [Interval]) -> [[Interval]] {
        var boxes = [support]
        boxes.reserveCapacity(maps.count + 1)
        for map in maps { boxes.append(map.image(of: boxes[boxes.count - 1])) }
        return boxes
    }

    /// Propagates `support` (the base distribution's box) through the maps and returns the
    /// first map that does not admit the incoming box (``Bijection/admits(support:)``: `log`
    /// after uniform(0, 1) is fine, `log` after a normal is not), or nil when every step fits.
    ///
    /// `step` is the 0-based index into ``maps`` (map f_{step+1}), `name` its name,
    /// `support` the box reaching it and `domain` its domain.
    public func firstDomainViolation(startingFrom support: [Interval])
        -> (step: Int, name: String, support: [Interval], domain: [Interval])? {
        var box = support
        for (k, map) in maps.enumerated() {
            if !map.admits(support: box) { return (k, map.name, box, map.domain(dimension: box.count)) }
            box = map.image(of: box)
        }
        return nil
    }
}
