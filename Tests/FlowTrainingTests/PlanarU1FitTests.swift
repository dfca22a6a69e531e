import XCTest
import Foundation
import FlowKit
import FlowTraining

/// A short planar fit on U1 (Rezende & Mohamed 2015, Table 1; the enveloped target whose exact
/// log Z is stored) gets within 0.1 nats of log Z1: KL(q ‖ p) = log Z − ELBO < 0.1, the ELBO
/// estimated with 20,000 fresh samples.
final class PlanarU1FitTests: XCTestCase {
    func testShortPlanarFitOnU1ReachesLogZWithinATenthOfANat() throws {
        let flow = TrainableFlow(dimension: 2, layers: (0..<16).map { _ in TrainablePlanar(dimension: 2) })
        let iterations = 2000
        let trainer = Trainer(flow: flow, objective: ReverseKL(target: EnvelopedEnergy(.u1), annealingIterations: 300),
                              configuration: TrainingConfiguration(iterations: iterations, batchSize: 128, chunkSize: 64, seed: 11))
        var adam = Adam()
        let result = try trainer.fit(from: flow.initialParameters(seed: 3), optimizer: &adam,
                                     schedule: CosineSchedule(base: 1e-2, iterations: iterations, minimum: 1e-4))
        var stream = RandomStream(seed: 99)
        let (points, logQ) = flow.sample(parameters: result.parameters, count: 20_000, using: &stream)
        let target = EnvelopedEnergy(.u1)
        var sum = 0.0, sumSquares = 0.0
        for p in 0..<points.count {
            let value = -target.potential(points[p, 0], points[p, 1]) - logQ[p]
            sum += value
            sumSquares += value * value
        }
        let n = Double(points.count)
        let elbo = sum / n
        let standardError = ((sumSquares / n - elbo * elbo) / n).squareRoot()
        let kl = target.logNormalizer - elbo
        XCTAssertLessThan(kl, 0.1, "KL(q ‖ p) = log Z1 − ELBO = \(kl) ± \(standardError)")
        XCTAssertGreaterThan(kl, -4 * standardError, "the ELBO cannot exceed log Z beyond sampling error")
    }
}
