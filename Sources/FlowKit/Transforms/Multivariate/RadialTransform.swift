import Foundation

/// The radial flow of Rezende & Mohamed 2015 (§4.1, appendix A.2), `radial` in specs:
///
///     f(z) = z + β·h(α, r)·(z − z₀),   r = ‖z − z₀‖,   h = 1/(α + r),   h' = −1/(α + r)²,
///     |det ∂f/∂z| = [1 + βh]^{d−1}·[1 + βh + βh'r] = [1 + β/(α + r)]^{d−1}·[1 + αβ/(α + r)²]
///
/// (the PMLR PDF drops the second β in the last factor, a typo; flows.md §3). Both factors are
/// evaluated with log1p. The map is evaluated as f(z) = z₀ + [(α + β + r)/(α + r)]·(z − z₀), whose
/// factor has no cancellation near β = −α (1 + β/(α + r) would lose digits there). α > 0 and β ≥ −α are taken as given (see ``RadialParameters``): then
/// the radius map ρ(r) = r + βr/(α + r) is increasing and f is a bijection of ℝᵈ. At β = −α
/// the Jacobian vanishes at z₀ only (log-det −∞ there).
///
/// **Inverse** (closed form, flows.md §3): f keeps the direction of z − z₀ and maps its length
/// r to γ = ‖y − z₀‖ = ρ(r), so r is the positive root of r² + (α + β − γ)·r − αγ = 0,
///
///     r = [√(B² + 4αγ) − B]/2 = 2αγ/[√(B² + 4αγ) + B],   B = α + β − γ
///
/// (the second form when B > 0, to avoid cancellation; the root is a hypot), and
/// z = z₀ + (α + r)/(α + β + r)·(y − z₀). The inverse log-det is its own evaluation,
/// −(d−1)·log1p(β/(α + r)) − log1p(αβ/(α + r)²), at the recovered r.
public struct RadialTransform: Bijection {
    public let name = "radial"
    public let parameters: RadialParameters
    public let size: Int
    public let z0: [Double]
    public let alpha: Double
    public let beta: Double
    /// α + β ≥ 0.
    let alphaPlusBeta: Double

    public init(_ parameters: RadialParameters, dimension: Int? = nil) throws(FlowKitError) {
        self.size = try parameters.validate(dimension: dimension)
        self.parameters = parameters
        self.z0 = parameters.z0
        self.alpha = parameters.alpha
        self.beta = parameters.beta
        self.alphaPlusBeta = parameters.alpha + parameters.beta
    }

    /// log|det ∂f/∂z| as a function of the radius r = ‖z − z₀‖.
    /// Each factor is log1p of its excess over 1 unless that excess is below −½ (β near −α, r
    /// small); then the factors are taken in the cancellation-free forms 1 + βh = (α + β + r)·h
    /// and 1 + αβh² = [α(α + β) + r(2α + r)]·h², sums of non-negative terms as β ≥ −α.
    @inline(__always)
    func logAbsDeterminant(radius r: Double) -> Double {
        let h = 1 / (alpha + r)
        let radialExcess = alpha * beta * h * h
        let radialFactor = radialExcess > -0.5 ? log1p(radialExcess) : log((alpha * alphaPlusBeta + r * (2 * alpha + r)) * h * h)
        if size == 1 { return radialFactor }
        let tangentialExcess = beta * h
        let tangentialFactor = tangentialExcess > -0.5 ? log1p(tangentialExcess) : log((alphaPlusBeta + r) * h)
        return Double(size - 1) * tangentialFactor + radialFactor
    }

    /// The radius r with ρ(r) = γ.
    @inline(__always)
    func radius(imageRadius gamma: Double) -> Double {
        let bq = alphaPlusBeta - gamma
        let root = hypot(bq, 2 * (alpha * gamma).squareRoot())
        return bq > 0 ? 2 * alpha * gamma / (root + bq) : 0.5 * (root - bq)
    }

    // MARK: - Bijection

    public var dimension: Int? { size }
    public var hasClosedFormInverse: Bool { true }
    public var hasConstantJacobian: Bool { false }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }

    /// A box containing f(box): f(z) − z₀ = g(r)·(z − z₀) with g(r) = 1 + β/(α + r), which lies
    /// in [1, 1 + β/α] for β ≥ 0 and in [1 + β/α, 1] for β < 0 (g ≥ 0 as β ≥ −α); so
    /// coordinate i lies in z₀ᵢ + [g₁, g₂]·([lᵢ, uᵢ] − z₀ᵢ).
    public func image(of box: [Interval]) -> [Interval] {
        precondition(box.count == size, "radial: box has \(box.count) coordinates, expected \(size)")
        let g = 1 + beta / alpha   // two roundings: widen by two ulps
        let gRange = beta >= 0 ? (1.0, g.nextUp.nextUp) : (max(0, g.nextDown.nextDown), 1.0)
        return (0..<size).map { i in
            let centred = BoxArithmetic.sum(BoxArithmetic.ends(box[i]), (-z0[i], -z0[i]))
            return BoxArithmetic.interval(BoxArithmetic.sum(BoxArithmetic.product(gRange, centred), (z0[i], z0[i])))
        }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        z0.withUnsafeBufferPointer { c in
            batch.updateEachPoint(logAbsDet: &logAbsDet, transform: "radial", dimension: d) { z, logDet in
                var squared = 0.0
                for j in 0..<d {
                    let e = z[j] - c[j]
                    squared += e * e
                }
                let r = squared.squareRoot()
                let factor = (alphaPlusBeta + r) / (alpha + r)
                for j in 0..<d { z[j] = c[j] + factor * (z[j] - c[j]) }
                logDet += logAbsDeterminant(radius: r)
            }
        }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        z0.withUnsafeBufferPointer { c in
            batch.updateEachPoint(logAbsDet: &logAbsDet, transform: "radial", dimension: d) { y, logDet in
                var squared = 0.0
                for j in 0..<d {
                    let e = y[j] - c[j]
                    squared += e * e
                }
                let gamma = squared.squareRoot()
                let r = radius(imageRadius: gamma)
                if gamma > 0 {
                    let factor = (alpha + r) / (alphaPlusBeta + r)
                    for j in 0..<d { y[j] = c[j] + factor * (y[j] - c[j]) }
                } else {
                    for j in 0..<d { y[j] = c[j] }
                }
                logDet -= logAbsDeterminant(radius: r)
            }
        }
    }
}
