import Foundation

/// A strictly monotone, differentiable map of the real line, T: domain → codomain, with the
/// log absolute derivative fused into each direction. ``Elementwise`` applies one per
/// coordinate of a ``PointBatch``.
///
/// `inverse` computes log|dT⁻¹/dy| from its own closed form (for exp: −log y), never as the
/// negation of the forward one, so that comparing "Eq. 4" with "Eq. 5" (flows.md §1) checks
/// both. Callers keep inputs inside `domain` (forward) or `codomain` (inverse); outside, the
/// result is unspecified (NaN or ±∞ but never a trap).
public protocol ScalarBijection: Sendable {
    /// The catalog name (`"exp"`, `"sigmoid"`, …).
    var name: String { get }
    /// The set of inputs of `forward`.
    var domain: Interval { get }
    /// T(domain), the set of inputs of `inverse`.
    var codomain: Interval { get }
    /// Whether T is increasing (false: strictly decreasing).
    var isIncreasing: Bool { get }
    /// Whether the inverse has a closed form (true for every map of the catalog).
    var hasClosedFormInverse: Bool { get }
    /// Whether log|T'(x)| does not depend on x (affine).
    var hasConstantJacobian: Bool { get }
    /// x ↦ (T(x), log|T'(x)|).
    func forward(_ x: Double) -> (value: Double, logAbsDet: Double)
    /// y ↦ (T⁻¹(y), log|(T⁻¹)'(y)|).
    func inverse(_ y: Double) -> (value: Double, logAbsDet: Double)
    /// Applies ``forward(_:)`` to every value in place, `dimension` values per point, and adds
    /// each point's Σ_j log|T'(x_j)| (summed from 0 in coordinate order) to `logAbsDet[i]`.
    /// Default: that loop, specialised for each conforming type, so that ``Elementwise``
    /// makes one dynamic call per batch rather than one per value.
    func forward(_ values: UnsafeMutableBufferPointer<Double>, dimension: Int, logAbsDet: UnsafeMutableBufferPointer<Double>)
    /// The batch form of ``inverse(_:)``, as ``forward(_:dimension:logAbsDet:)``.
    func inverse(_ values: UnsafeMutableBufferPointer<Double>, dimension: Int, logAbsDet: UnsafeMutableBufferPointer<Double>)
}

// MARK: - Default implementations
extension ScalarBijection {
    public var hasClosedFormInverse: Bool { true }
    public var hasConstantJacobian: Bool { false }

    public func forward(_ values: UnsafeMutableBufferPointer<Double>, dimension d: Int, logAbsDet sums: UnsafeMutableBufferPointer<Double>) {
        precondition(values.count == sums.count * d, "one log-det entry per point")
        for i in 0..<sums.count {
            var sum = 0.0
            for j in (i * d)..<((i + 1) * d) {
                let result = forward(values[j])
                values[j] = result.value
                sum += result.logAbsDet
            }
            sums[i] += sum
        }
    }

    public func inverse(_ values: UnsafeMutableBufferPointer<Double>, dimension d: Int, logAbsDet sums: UnsafeMutableBufferPointer<Double>) {
        precondition(values.count == sums.count * d, "one log-det entry per point")
        for i in 0..<sums.count {
            var sum = 0.0
            for j in (i * d)..<((i + 1) * d) {
                let result = inverse(values[j])
                values[j] = result.value
                sum += result.logAbsDet
            }
            sums[i] += sum
        }
    }

    /// T(interval ∩ domain) from monotonicity: the images of the end points, ordered, with
    /// the closedness of the end each comes from. Infinite end points are mapped by their
    /// limit (exp(−∞) = 0), which `forward` returns for ±∞ inputs.
    public func image(of interval: Interval) -> Interval {
        guard let clipped = interval.clipped(to: domain) else { return codomain }
        return Self.monotoneImage(of: clipped, increasing: isIncreasing, fallback: codomain) { forward($0).value }
    }

    /// T⁻¹(interval ∩ codomain), the set of inputs that T maps into `interval`.
    public func preimage(of interval: Interval) -> Interval {
        guard let clipped = interval.clipped(to: codomain) else { return domain }
        return Self.monotoneImage(of: clipped, increasing: isIncreasing, fallback: domain) { inverse($0).value }
    }

    private static func monotoneImage(of interval: Interval, increasing: Bool, fallback: Interval,
                                      map: (Double) -> Double) -> Interval {
        var a = map(interval.lower), b = map(interval.upper)
        if a.isNaN { a = increasing ? fallback.lower : fallback.upper }
        if b.isNaN { b = increasing ? fallback.upper : fallback.lower }
        if increasing {
            return Interval(lower: a, upper: b, lowerClosed: interval.lowerClosed, upperClosed: interval.upperClosed)
        }
        return Interval(lower: b, upper: a, lowerClosed: interval.upperClosed, upperClosed: interval.lowerClosed)
    }
}
