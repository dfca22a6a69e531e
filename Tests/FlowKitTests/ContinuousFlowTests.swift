import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// v(t, x) = (1 + κt)·(A x + b): with α(t) = t + κt²/2 the flow map is
/// x₁ = M x₀ + A⁻¹(M − I) b, M = exp(α(1)·A), so a Gaussian base N(μ, Σ) goes to
/// N(M μ + A⁻¹(M − I) b, M Σ Mᵀ); ∇·v = (1 + κt)·tr A.
private struct LinearField: VelocityField {
    let a: [Double]       // 2 × 2 row-major
    let b: [Double]
    let kappa: Double
    var dimension: Int { 2 }

    func makeEvaluator(capacity: Int) -> any VelocityEvaluator { Evaluator(field: self, capacity: capacity) }

    final class Evaluator: VelocityEvaluator {
        let field: LinearField
        let capacity: Int
        init(field: LinearField, capacity: Int) { self.field = field; self.capacity = capacity }

        func evaluate(time: Double, points: UnsafePointer<Double>, count: Int,
                      velocity: UnsafeMutablePointer<Double>, divergence: UnsafeMutablePointer<Double>?) {
            let s = 1 + field.kappa * time, a = field.a, b = field.b
            for p in 0..<count {
                let x = points[2 * p], y = points[2 * p + 1]
                velocity[2 * p] = s * (a[0] * x + a[1] * y + b[0])
                velocity[2 * p + 1] = s * (a[2] * x + a[3] * y + b[1])
                divergence?[p] = s * (a[0] + a[3])
            }
        }
    }
}

final class ContinuousFlowTests: XCTestCase {
    private typealias Matrix = [[Double]]

    private func multiply(_ x: Matrix, _ y: Matrix) -> Matrix {
        (0..<2).map { i in (0..<2).map { j in x[i][0] * y[0][j] + x[i][1] * y[1][j] } }
    }

    /// exp(X) by scaling and squaring of a 20-term Taylor series.
    private func exponential(_ x: Matrix) -> Matrix {
        let scaled = x.map { $0.map { $0 / 1024 } }
        var result: Matrix = [[1, 0], [0, 1]], term: Matrix = [[1, 0], [0, 1]]
        for k in 1...20 {
            term = multiply(term, scaled).map { $0.map { $0 / Double(k) } }
            result = (0..<2).map { i in (0..<2).map { j in result[i][j] + term[i][j] } }
        }
        for _ in 0..<10 { result = multiply(result, result) }
        return result
    }

    func testLinearFieldDensityByBothRoutesMatchesTheGaussianPushforward() throws {
        let a: Matrix = [[-0.4, 0.9], [-0.7, 0.3]]
        let b = [0.5, -0.2], kappa = 0.8
        let alpha = 1 + kappa / 2
        let m = exponential(a.map { $0.map { $0 * alpha } })
        // c = A⁻¹(M − I) b.
        let det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
        let inverse: Matrix = [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]]
        let mMinusI: Matrix = [[m[0][0] - 1, m[0][1]], [m[1][0], m[1][1] - 1]]
        let k = multiply(inverse, mMinusI)
        let c = [k[0][0] * b[0] + k[0][1] * b[1], k[1][0] * b[0] + k[1][1] * b[1]]
        let mu = [0.3, -0.1], sigma = [0.8, 1.3]
        let pushedMean = [m[0][0] * mu[0] + m[0][1] * mu[1] + c[0], m[1][0] * mu[0] + m[1][1] * mu[1] + c[1]]
        let baseCovariance: Matrix = [[sigma[0] * sigma[0], 0], [0, sigma[1] * sigma[1]]]
        let mT: Matrix = [[m[0][0], m[1][0]], [m[0][1], m[1][1]]]
        let pushedCovariance = multiply(multiply(m, baseCovariance), mT)
        let analytic = try MultivariateNormalDistribution(.init(mean: .vector(pushedMean), cov: pushedCovariance))
        let base = try MultivariateNormalDistribution(.init(mean: .vector(mu), std: .vector(sigma)))
        let flow = try ContinuousFlow(base: base, field: LinearField(a: a.flatMap { $0 }, b: b, kappa: kappa))

        var stream = RandomStream(seed: 9)
        var points = PointBatch(dimension: 2, count: 40)
        analytic.sample(into: &points, using: &stream)
        let expected = analytic.logDensity(points)

        for (solver, tolerance) in [(try DormandPrince54(relativeTolerance: 1e-9, absoluteTolerance: 1e-9) as any ODESolver, 1e-7),
                                    (try RungeKutta4(steps: 100), 1e-6)] {
            let density = try flow.logDensity(of: points, solver: solver)
            var worst5 = 0.0, worst4 = 0.0
            for p in 0..<points.count {
                worst5 = max(worst5, abs(density.logDensity[p] - expected[p]))
                worst4 = max(worst4, abs(density.forwardLogDensity[p] - expected[p]))
            }
            print("linear field, \(solver.name): max |Eq.5 − exact| \(worst5), max |Eq.4 − exact| \(worst4), "
                  + "routes differ by \(density.maximumRouteDifference), round trip \(density.maximumRoundTripError), "
                  + "evaluations \(density.backwardStatistics.evaluations) + \(density.forwardStatistics.evaluations)")
            XCTAssertLessThan(worst5, tolerance, solver.name)
            XCTAssertLessThan(worst4, tolerance, solver.name)
            XCTAssertLessThan(density.maximumRoundTripError, tolerance, solver.name)
            // The recovered base points are the exact preimages: M⁻¹(x₁ − c).
            let detM = m[0][0] * m[1][1] - m[0][1] * m[1][0]
            for p in 0..<points.count {
                let u = points[p, 0] - c[0], v = points[p, 1] - c[1]
                XCTAssertEqual(density.basePoints[p, 0], (m[1][1] * u - m[0][1] * v) / detM, accuracy: tolerance)
                XCTAssertEqual(density.basePoints[p, 1], (-m[1][0] * u + m[0][0] * v) / detM, accuracy: tolerance)
            }
        }
    }

    func testNeuralFieldDensityMatchesTheFlowMapJacobian() throws {
        // A random (untrained) MLP field: log p₁(x₁) = log p₀(x₀) − log|det ∂x₁/∂x₀|, the
        // Jacobian of the ODE's flow map by finite differences of tight solves.
        let network = NeuralVelocityField(dimension: 2, hidden: [8, 8], activation: .tanh)
        var stream = RandomStream(seed: 21)
        var theta = network.initialParameters(using: &stream)
        for i in theta.indices { theta[i] *= 2 }
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        let flow = try ContinuousFlow(base: base, field: network.fixed(parameters: theta))
        let solver = try DormandPrince54(relativeTolerance: 1e-11, absoluteTolerance: 1e-11)
        let start = PointBatch(dimension: 2, values: [0.3, -0.8, -1.2, 0.4, 1.5, 1.1])
        let end = try flow.transport(start, from: 0, to: 1, solver: solver).points
        let density = try flow.logDensity(of: end, solver: solver)
        let baseLog = base.logDensity(start)
        for p in 0..<3 {
            let logDet = FiniteDifference.logAbsDeterminantOfJacobian(of: { x in
                (try? flow.transport(PointBatch(dimension: 2, values: x), from: 0, to: 1, solver: solver).points.values) ?? [.nan, .nan]
            }, at: start.point(p), step: 0.01)
            XCTAssertEqual(density.logDensity[p], baseLog[p] - logDet, accuracy: 1e-6, "Eq. 5, point \(p)")
            XCTAssertEqual(density.forwardLogDensity[p], baseLog[p] - logDet, accuracy: 1e-6, "Eq. 4, point \(p)")
            XCTAssertEqual(density.basePoints[p, 0], start[p, 0], accuracy: 1e-8)
            XCTAssertEqual(density.basePoints[p, 1], start[p, 1], accuracy: 1e-8)
        }
        XCTAssertLessThan(density.maximumRouteDifference, 1e-8)
        XCTAssertLessThan(density.maximumRoundTripError, 1e-8)
    }

    func testZeroFieldFromEightGaussiansKeepsTheBaseDensity() throws {
        // A zero field is the identity flow: the density of a toy-data base (8gaussians, as a
        // MultivariateDistribution) comes back unchanged by both routes.
        let network = NeuralVelocityField(dimension: 2, hidden: [4])
        let flow = try ContinuousFlow(base: ToyDatasetDensity.eightGaussians,
                                      field: network.fixed(parameters: [Double](repeating: 0, count: network.parameterCount)))
        var stream = RandomStream(seed: 2)
        let points = ToyDataset.eightGaussians.sample(count: 16, using: &stream)
        let density = try flow.logDensity(of: points, solver: try RungeKutta4(steps: 3))
        let expected = try ToyDatasetDensity.eightGaussians.logDensities(points)
        XCTAssertEqual(density.logDensity, expected)
        XCTAssertEqual(density.forwardLogDensity, expected)
        XCTAssertEqual(density.basePoints, points)
        XCTAssertEqual(density.backwardStatistics.evaluations, 12)
    }

    func testTrajectoriesEndWhereTransportEnds() throws {
        // Positions at t = 0, 0.25, …, 1 (piecewise solves) follow the closed form of a linear
        // field, v = A x (κ = 0, b = 0): x(t) = exp(tA) x₀.
        let a: Matrix = [[0, -1], [1, 0]]
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        let flow = try ContinuousFlow(base: base, field: LinearField(a: a.flatMap { $0 }, b: [0, 0], kappa: 0))
        let start = PointBatch(dimension: 2, values: [1, 0, 0.5, -2])
        let times = [0, 0.25, 0.5, 0.75, 1.0]
        let solver = try DormandPrince54(relativeTolerance: 1e-10, absoluteTolerance: 1e-10)
        let result = try flow.trajectories(start, times: times, solver: solver)
        XCTAssertEqual(result.positions.count, times.count)
        XCTAssertEqual(result.positions[0], start)
        for (k, t) in times.enumerated() {
            for p in 0..<2 {
                let x = start[p, 0], y = start[p, 1]
                XCTAssertEqual(result.positions[k][p, 0], cos(t) * x - sin(t) * y, accuracy: 1e-8)
                XCTAssertEqual(result.positions[k][p, 1], sin(t) * x + cos(t) * y, accuracy: 1e-8)
            }
        }
        let direct = try flow.transport(start, from: 0, to: 1, solver: solver).points
        for k in 0..<4 { XCTAssertEqual(direct.values[k], result.positions[4].values[k], accuracy: 1e-8) }
        XCTAssertGreaterThan(result.statistics.evaluations, 0)
    }
}

