import XCTest
import Foundation
import FlowKit
import FlowTraining

/// Fits with known answers.
final class FitTests: XCTestCase {
    /// A learnable normal base fitted by maximum likelihood to normal data recovers the mean and
    /// standard deviation: the fit matches the sample's maximum-likelihood estimates, and those
    /// are within 4 standard errors of the truth.
    func testNormalBaseFittedByMaximumLikelihoodRecoversMeanAndStd() throws {
        let n = 2000
        let trueMean = [1.0, -2.0], trueStd = [0.5, 2.0]
        var stream = RandomStream(seed: 21)
        var values = [Double](repeating: 0, count: 2 * n)
        for p in 0..<n { for j in 0..<2 { values[2 * p + j] = trueMean[j] + trueStd[j] * stream.nextStandardNormal() } }
        let data = PointBatch(dimension: 2, values: values)
        let flow = TrainableFlow(dimension: 2, layers: [])
        let trainer = Trainer(flow: flow, objective: MaximumLikelihood(data: .points(data)),
                              configuration: TrainingConfiguration(iterations: 1500, batchSize: 256, chunkSize: 64, seed: 3))
        var adam = Adam()
        let result = try trainer.fit(from: flow.initialParameters(seed: 1), optimizer: &adam,
                                     schedule: CosineSchedule(base: 0.05, iterations: 1500, minimum: 1e-4))
        let (mean, std) = flow.base.meanAndStandardDeviation(result.parameters)
        for j in 0..<2 {
            let column = (0..<n).map { values[2 * $0 + j] }
            let sampleMean = column.reduce(0, +) / Double(n)
            let sampleStd = (column.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / Double(n)).squareRoot()
            XCTAssertEqual(mean[j], sampleMean, accuracy: 0.02 * trueStd[j], "mean \(j)")
            XCTAssertEqual(std[j], sampleStd, accuracy: 0.02 * trueStd[j], "std \(j)")
            XCTAssertEqual(mean[j], trueMean[j], accuracy: 4 * trueStd[j] / Double(n).squareRoot())
            XCTAssertEqual(std[j], trueStd[j], accuracy: 4 * trueStd[j] / (2 * Double(n)).squareRoot() + 0.02 * trueStd[j])
        }
        XCTAssertTrue(result.skippedIterations.isEmpty)
    }

    /// One affine layer (LU linear map on a learnable diagonal normal) fitted by reverse KL to a
    /// correlated Gaussian energy reaches KL(q ‖ p) < 1e-3 (closed form).
    func testAffineLayerFittedByReverseKLToAGaussianEnergy() throws {
        let target = GaussianEnergy(mean: [1, -0.5], covariance: [[2, 0.8], [0.8, 0.6]])
        let layer = TrainableLULinear(dimension: 2)
        let flow = TrainableFlow(dimension: 2, layers: [layer])
        let iterations = 1500
        let trainer = Trainer(flow: flow, objective: ReverseKL(target: target, annealingIterations: 100),
                              configuration: TrainingConfiguration(iterations: iterations, batchSize: 128, chunkSize: 64, seed: 4))
        var adam = Adam()
        let result = try trainer.fit(from: flow.initialParameters(seed: 2), optimizer: &adam,
                                     schedule: CosineSchedule(base: 0.02, iterations: iterations))
        let (mu0, sigma0) = flow.base.meanAndStandardDeviation(result.parameters)
        let linear = layer.parameters(from: flow.parameters(ofLayer: 0, in: result.parameters))
        let A = linear.matrix, c = linear.shift ?? [0, 0]
        let mean = (0..<2).map { i in c[i] + A[i][0] * mu0[0] + A[i][1] * mu0[1] }
        let covariance = (0..<2).map { i in (0..<2).map { k in
            A[i][0] * sigma0[0] * sigma0[0] * A[k][0] + A[i][1] * sigma0[1] * sigma0[1] * A[k][1]
        } }
        let kl = target.kl(fromMean: mean, covariance: covariance)
        XCTAssertLessThan(kl, 1e-3, "KL(q ‖ p) = \(kl)")
        XCTAssertGreaterThanOrEqual(kl, 0)
    }

    /// The same seed gives bit-identical parameters for 1 and 2 threads after 200 iterations.
    func testJobsOneAndTwoGiveIdenticalParameters() throws {
        let flow = TrainableFlow(dimension: 2, layers: [
            TrainableAffineCoupling(dimension: 2, parity: 0, hidden: [8]), TrainableActNorm(dimension: 2),
            TrainableAffineCoupling(dimension: 2, parity: 1, hidden: [8]),
        ])
        func run(jobs: Int) throws -> [Double] {
            let trainer = Trainer(flow: flow, objective: MaximumLikelihood(data: .toy(.eightGaussians)),
                                  configuration: TrainingConfiguration(iterations: 200, batchSize: 200, chunkSize: 64, jobs: jobs, seed: 9))
            var adam = Adam()
            return try trainer.fit(from: flow.initialParameters(seed: 5), optimizer: &adam, schedule: ConstantSchedule(1e-2)).parameters
        }
        let one = try run(jobs: 1), two = try run(jobs: 2)
        XCTAssertEqual(one.map(\.bitPattern), two.map(\.bitPattern))
        XCTAssertNotEqual(one, flow.initialParameters(seed: 5), "the fit moved")
    }

    /// Non-finite steps are skipped and counted; past the limit the fit stops naming the
    /// iteration and the layer.
    func testNonFiniteStepsAreSkippedThenStopTheFit() {
        struct Broken: TrainingTarget {
            var dimension: Int { 2 }
            func logDensityAndGradient(points: UnsafePointer<Double>, count: Int, logDensity: UnsafeMutablePointer<Double>,
                                       gradient: UnsafeMutablePointer<Double>) {
                for p in 0..<count { logDensity[p] = .nan; gradient[2 * p] = 0; gradient[2 * p + 1] = 0 }
            }
        }
        let flow = TrainableFlow(dimension: 2, layers: [TrainablePlanar(dimension: 2)])
        let trainer = Trainer(flow: flow, objective: ReverseKL(target: Broken()),
                              configuration: TrainingConfiguration(iterations: 20, batchSize: 8, chunkSize: 4, maximumSkippedSteps: 3))
        var adam = Adam()
        XCTAssertThrowsError(try trainer.fit(from: flow.initialParameters(seed: 1), optimizer: &adam, schedule: ConstantSchedule(0.01))) { error in
            XCTAssertEqual(error as? FlowTrainingError, .nonFiniteSteps(iteration: 3, layer: "loss (the base or the target)", skipped: 4))
        }
        // A layer that overflows is named.
        var theta = flow.initialParameters(seed: 1)
        theta[2] = 1e300; theta[4] = 1e300   // u₀ and w₀ huge: û·tanh overflows
        let flowTrainer = Trainer(flow: flow, objective: ReverseKL(target: GaussianEnergy(mean: [0, 0], covariance: [[1, 0], [0, 1]])),
                                  configuration: TrainingConfiguration(iterations: 5, batchSize: 8, chunkSize: 4, maximumSkippedSteps: 0))
        XCTAssertThrowsError(try flowTrainer.fit(from: theta, optimizer: &adam, schedule: ConstantSchedule(0.01))) { error in
            guard case let .nonFiniteSteps(iteration, layer, _) = error as? FlowTrainingError else { return XCTFail("\(error)") }
            XCTAssertEqual(iteration, 0)
            XCTAssertTrue(layer.contains("planar"), layer)
        }
    }
}
