import FlowKit

/// The output density of a one-dimensional flow on a grid of points, computed three ways:
/// "Eq. 4" (forward Jacobians at the preimages), "Eq. 5" (inverse Jacobians) and, when the
/// spec gives one, the analytic reference (Zdybał, "Intro to normalizing flows", eqs. 4–5).
public struct DensityGrid: Sendable {
    public let y: [Double]
    public let logEq4: [Double]
    public let logEq5: [Double]
    public let logReference: [Double]?

    /// `count` equally spaced points on `range`, the end points nudged inside by a thousandth
    /// of a step so that a range that starts at a support boundary (0 for a log-normal) is
    /// evaluated inside the support.
    public init(flow: Flow, reference: (any UnivariateDistribution)?, range: ClosedRange<Double>, count: Int) {
        var points = range.equallySpaced(count)
        let inset = (points[1] - points[0]) * 1e-3
        points[0] += inset
        points[points.count - 1] -= inset
        y = points
        let batch = PointBatch(scalars: points)
        logEq4 = flow.logDensityByForward(batch)
        logEq5 = flow.logDensityByInverse(batch)
        logReference = reference.map { r in points.map { r.logDensity($0) } }
    }

    /// max |a − b| over the points where both are finite; +∞ when exactly one of them is
    /// finite somewhere (the two disagree about the support), 0 when neither is anywhere.
    public static func maxAbsoluteDifference(_ a: [Double], _ b: [Double]) -> Double {
        var worst = 0.0
        for (u, v) in zip(a, b) {
            if u.isFinite && v.isFinite {
                worst = max(worst, abs(u - v))
            } else if u.isFinite != v.isFinite {
                return .infinity
            } else if u.isNaN || v.isNaN {
                return .nan
            }
        }
        return worst
    }
}
