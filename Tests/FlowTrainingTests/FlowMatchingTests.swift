import Foundation
import XCTest
import FlowKit
@testable import FlowTraining
import TestSupport

/// Conditional flow matching: the batch gradient against finite differences of the batch
/// loss (both pairings), independence of the thread count, OT pairing's cost, and a short fit
/// whose samples (by the ODE) approach the data in W₂.
final class FlowMatchingTests: XCTestCase {
    /// A small field; tanh for finite differences (SELU's derivative jumps at 0, and a
    /// difference step across the kink of any of the batch's units spoils the comparison).
    private func objective(pairing: ConditionalFlowMatching.Pairing, sigmaMin: Double = 0,
                           hidden: [Int] = [6, 5], activation: MLPActivation = .tanh) throws -> ConditionalFlowMatching {
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        return try ConditionalFlowMatching(field: NeuralVelocityField(dimension: 2, hidden: hidden, activation: activation), source: .distribution(base),
                                           data: .toy(.moons), sigmaMin: sigmaMin, pairing: pairing)
    }

    func testBatchGradientMatchesFiniteDifferencesOfTheBatchLoss() throws {
        for (pairing, sigmaMin) in [(ConditionalFlowMatching.Pairing.independent, 0.0), (.optimalTransport, 0.1)] {
            let objective = try objective(pairing: pairing, sigmaMin: sigmaMin)
            let configuration = TrainingConfiguration(iterations: 1, batchSize: 10, chunkSize: 4, seed: 7)
            let batch = FlowMatchingBatch(objective: objective, configuration: configuration)
            var stream = RandomStream(seed: 1)
            let theta = objective.field.initialParameters(using: &stream)
            _ = try batch.compute(parameters: theta, iteration: 3)
            let gradient = batch.gradient
            var worst = 0.0
            for i in stride(from: 0, to: theta.count, by: 3) {
                let estimate = FiniteDifference.derivative(of: { value in
                    var moved = theta
                    moved[i] = value
                    return (try? batch.compute(parameters: moved, iteration: 3)) ?? .nan
                }, at: theta[i], step: 0.01)
                let error = abs(gradient[i] - estimate.value) / max(abs(estimate.value), 1e-2)
                worst = max(worst, error)
            }
            XCTAssertLessThan(worst, 1e-6, "\(pairing)")
        }
    }

    func testLossIsTheMeanSquaredVelocityError() throws {
        // With a zero field the loss is the mean of ‖u‖² = ‖x₁ − (1 − σ)x₀‖²: compare with a
        // direct computation from the same streams (x₀, then x₁, then t, chunk by chunk).
        let objective = try objective(pairing: .independent, sigmaMin: 0.2)
        let configuration = TrainingConfiguration(iterations: 1, batchSize: 6, chunkSize: 4, seed: 2)
        let batch = FlowMatchingBatch(objective: objective, configuration: configuration)
        let loss = try batch.compute(parameters: [Double](repeating: 0, count: objective.field.parameterCount), iteration: 0)
        var expected = 0.0
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        for (c, size) in [(0, 4), (1, 2)] {
            var stream = configuration.stream(iteration: 0, chunk: c)
            var x0 = PointBatch(dimension: 2, count: size), x1 = x0
            base.sample(into: &x0, using: &stream)
            ToyDataset.moons.sample(into: &x1, using: &stream)
            for k in 0..<(2 * size) {
                let u = x1.values[k] - 0.8 * x0.values[k]
                expected += u * u
            }
        }
        XCTAssertEqual(loss, expected / 6, accuracy: 1e-12)
    }

    func testResultsDoNotDependOnTheNumberOfThreads() throws {
        let objective = try objective(pairing: .optimalTransport, activation: .selu)
        var stream = RandomStream(seed: 4)
        let theta = objective.field.initialParameters(using: &stream)
        var results: [[Double]] = []
        for jobs in [1, 2] {
            let configuration = TrainingConfiguration(iterations: 5, batchSize: 40, chunkSize: 16, jobs: jobs, seed: 3)
            var adam = Adam()
            let fit = try FlowMatchingTrainer(objective: objective, configuration: configuration)
                .fit(from: theta, optimizer: &adam, schedule: ConstantSchedule(1e-2))
            results.append(fit.parameters + fit.losses)
        }
        XCTAssertEqual(results[0], results[1])
    }

    func testOptimalPairingShortensThePairs() throws {
        // The OT permutation never costs more than the independent pairing of the same draws.
        for pairing in ConditionalFlowMatching.Pairing.allCases {
            let objective = try objective(pairing: pairing)
            let batch = FlowMatchingBatch(objective: objective, configuration: TrainingConfiguration(iterations: 1, batchSize: 64, seed: 5))
            _ = try batch.compute(parameters: [Double](repeating: 0, count: objective.field.parameterCount), iteration: 0)
            var cost = 0.0
            for k in batch.source.indices { cost += (batch.source[k] - batch.paired[k]) * (batch.source[k] - batch.paired[k]) }
            print("\(pairing): mean squared pair distance \(cost / 64)")
            if pairing == .optimalTransport {
                var independent = 0.0
                for k in batch.source.indices { independent += (batch.source[k] - batch.data[k]) * (batch.source[k] - batch.data[k]) }
                XCTAssertLessThan(cost, 0.5 * independent)
                XCTAssertEqual(batch.paired.sorted(), batch.data.sorted())
            } else {
                XCTAssertEqual(batch.paired, batch.data)
            }
        }
    }

    func testShortFitCarriesTheBaseToAGaussianTarget() throws {
        // N(0, I) → N((2, −1), 0.5²I): the fitted field's samples (RK4) approach the target in W₂.
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        let target = try MultivariateNormalDistribution(.init(mean: .vector([2, -1]), std: .vector([0.5, 0.5])))
        let field = NeuralVelocityField(dimension: 2, hidden: [16, 16])
        let objective = try ConditionalFlowMatching(field: field, source: .distribution(base), data: .distribution(target),
                                                    pairing: .optimalTransport)
        var stream = RandomStream(seed: 8)
        let initial = field.initialParameters(using: &stream)
        var adam = Adam()
        let fit = try FlowMatchingTrainer(objective: objective, configuration: TrainingConfiguration(iterations: 300, batchSize: 64, seed: 1))
            .fit(from: initial, optimizer: &adam, schedule: ConstantSchedule(1e-2))
        XCTAssertTrue(fit.skippedIterations.isEmpty)
        let solver = try RungeKutta4(steps: 20)
        var w2: [Double] = []
        for theta in [initial, fit.parameters] {
            let flow = try ContinuousFlow(base: base, field: field.fixed(parameters: theta))
            var draw = RandomStream(seed: 30)
            let samples = try flow.sample(count: 300, using: &draw, solver: solver).points
            var reference = PointBatch(dimension: 2, count: 300)
            target.sample(into: &reference, using: &draw)
            w2.append(try Wasserstein2.distance(samples, reference))
        }
        var floorStream = RandomStream(seed: 31)
        var a = PointBatch(dimension: 2, count: 300), b = a
        target.sample(into: &a, using: &floorStream)
        target.sample(into: &b, using: &floorStream)
        let floor = try Wasserstein2.distance(a, b)
        print("Gaussian fit: W2 before \(w2[0]), after \(w2[1]), floor \(floor); loss \(fit.losses.first ?? .nan) → \(fit.losses.last ?? .nan)")
        XCTAssertGreaterThan(w2[0], 1.5)
        XCTAssertLessThan(w2[1], 3 * floor)
    }
}

/// The OT batch of the next iteration is prepared beside the current one's regression: the
/// losses, gradients and pairs must not depend on it, on the thread count, or on the order in
/// which iterations are computed.
final class FlowMatchingPrefetchTests: XCTestCase {
    func testPrefetchJobsAndOrderLeaveEveryValueUnchanged() throws {
        let base = try MultivariateNormalDistribution(.init(mean: .vector([0, 0]), std: .vector([1, 1])))
        for pairing in ConditionalFlowMatching.Pairing.allCases {
            let objective = try ConditionalFlowMatching(field: NeuralVelocityField(dimension: 2, hidden: [8], activation: .selu),
                                                        source: .distribution(base), data: .toy(.moons), pairing: pairing)
            var stream = RandomStream(seed: 9)
            let theta = objective.field.initialParameters(using: &stream)
            // Reference: one fresh batch per iteration, one thread, no prefetch.
            var reference: [[Double]] = []
            for t in 0..<4 {
                let batch = FlowMatchingBatch(objective: objective, configuration: TrainingConfiguration(iterations: 4, batchSize: 50, chunkSize: 16, jobs: 1, seed: 6))
                let loss = try batch.compute(parameters: theta, iteration: t)
                reference.append([loss] + batch.gradient + batch.paired)
            }
            for jobs in [1, 2] {
                let batch = FlowMatchingBatch(objective: objective, configuration: TrainingConfiguration(iterations: 4, batchSize: 50, chunkSize: 16, jobs: jobs, seed: 6))
                // In order with prefetch (two ahead every other iteration), then out of order.
                for (t, next) in [(0, [1, 2]), (1, [2, 3]), (2, [3]), (3, []), (1, [2, 3]), (3, [0, 2]), (0, [2]), (2, [])] as [(Int, [Int])] {
                    let loss = try batch.compute(parameters: theta, iteration: t, prefetch: next)
                    XCTAssertEqual([loss] + batch.gradient + batch.paired, reference[t], "\(pairing), jobs \(jobs), iteration \(t)")
                }
            }
            if pairing == .optimalTransport {
                XCTAssertNotEqual(reference[0].suffix(100), reference[1].suffix(100), "iterations draw different batches")
            }
        }
    }
}
