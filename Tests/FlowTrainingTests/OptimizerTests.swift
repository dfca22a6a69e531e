import XCTest
import FlowKit
import Foundation
import FlowTraining

final class OptimizerTests: XCTestCase {
    /// Three Adam steps (and AMSGrad) against the update formulas written out.
    func testAdamFollowsItsUpdateFormulas() {
        for amsgrad in [false, true] {
            var adam = Adam(beta1: 0.8, beta2: 0.9, epsilon: 1e-3, amsgrad: amsgrad)
            var theta = [1.0, -2.0]
            let gradients = [[0.5, -1.0], [-0.2, 3.0], [0.1, 0.1]]
            var m = [0.0, 0.0], v = [0.0, 0.0], vMax = [0.0, 0.0], expected = theta
            for (t, g) in gradients.enumerated() {
                adam.step(&theta, gradient: g, learningRate: 0.1)
                for i in 0..<2 {
                    m[i] = 0.8 * m[i] + 0.2 * g[i]
                    v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i]
                    vMax[i] = max(vMax[i], v[i])
                    let mHat = m[i] / (1 - pow(0.8, Double(t + 1)))
                    let vHat = (amsgrad ? vMax[i] : v[i]) / (1 - pow(0.9, Double(t + 1)))
                    expected[i] -= 0.1 * mHat / (vHat.squareRoot() + 1e-3)
                }
                for i in 0..<2 { XCTAssertEqual(theta[i], expected[i], accuracy: 1e-14, "amsgrad \(amsgrad) step \(t)") }
            }
        }
    }

    /// Adam updates four parameters at a time: over 11 parameters (two groups of four and a
    /// tail of three), every parameter gets exactly the scalar update, wherever it sits.
    func testAdamVectorLanesGiveTheScalarUpdateBitForBit() {
        var adam = Adam()
        var theta = (0..<11).map { 0.3 * Double($0) - 1 }
        var m = [Double](repeating: 0, count: 11), v = m, expected = theta
        for t in 1...5 {
            let g = (0..<11).map { sin(Double($0 * t)) * (1 + Double($0)) }
            adam.step(&theta, gradient: g, learningRate: 0.01)
            let c1 = 1 - pow(0.9, Double(t)), c2 = (1 - pow(0.999, Double(t))).squareRoot()
            for i in 0..<11 {
                m[i] = 0.9 * m[i] + (1 - 0.9) * g[i]
                v[i] = 0.999 * v[i] + (1 - 0.999) * g[i] * g[i]
                expected[i] -= (0.01 * c2 / c1) * m[i] / (v[i].squareRoot() + 1e-8 * c2)
            }
            XCTAssertEqual(theta, expected, "step \(t)")
        }
    }

    /// AMSGrad differs from Adam once the second moment falls.
    func testAMSGradKeepsTheMaximumSecondMoment() {
        var adam = Adam(amsgrad: false), ams = Adam(amsgrad: true)
        var a = [0.0], b = [0.0]
        for g in [10.0, 0.1, 0.1] {
            adam.step(&a, gradient: [g], learningRate: 0.1)
            ams.step(&b, gradient: [g], learningRate: 0.1)
        }
        XCTAssertLessThan(abs(b[0]), abs(a[0]))
    }

    func testRMSpropWithMomentumFollowsItsUpdateFormulas() {
        var rms = RMSprop(decay: 0.9, momentum: 0.9, epsilon: 1e-6)
        var theta = [0.5]
        var v = 0.0, buffer = 0.0, expected = 0.5
        for g in [1.0, -0.5, 2.0] {
            rms.step(&theta, gradient: [g], learningRate: 0.01)
            v = 0.9 * v + 0.1 * g * g
            buffer = 0.9 * buffer + g / (v.squareRoot() + 1e-6)
            expected -= 0.01 * buffer
            XCTAssertEqual(theta[0], expected, accuracy: 1e-15)
        }
    }

    /// Adam reaches the minimum of f(θ) = Σᵢ aᵢ(θᵢ − cᵢ)².
    func testAdamReachesTheMinimumOfAQuadratic() {
        let a = [1.0, 10.0, 0.1], c = [3.0, -1.0, 0.5]
        var theta = [0.0, 0.0, 0.0]
        var adam = Adam()
        let schedule = CosineSchedule(base: 0.1, iterations: 3000)
        for t in 0..<3000 {
            let g = (0..<3).map { 2 * a[$0] * (theta[$0] - c[$0]) }
            adam.step(&theta, gradient: g, learningRate: schedule.rate(at: t))
        }
        for i in 0..<3 { XCTAssertEqual(theta[i], c[i], accuracy: 1e-4) }
    }

    func testSchedulesAndClipping() {
        XCTAssertEqual(ConstantSchedule(0.3).rate(at: 1000), 0.3)
        let cosine = CosineSchedule(base: 1, iterations: 100, minimum: 0.1)
        XCTAssertEqual(cosine.rate(at: 0), 1)
        XCTAssertEqual(cosine.rate(at: 50), 0.55, accuracy: 1e-15)
        XCTAssertEqual(cosine.rate(at: 100), 0.1, accuracy: 1e-15)
        XCTAssertEqual(cosine.rate(at: 500), 0.1, accuracy: 1e-15)
        let step = StepSchedule(base: 1, every: 10, factor: 0.5)
        XCTAssertEqual(step.rate(at: 9), 1)
        XCTAssertEqual(step.rate(at: 10), 0.5)
        XCTAssertEqual(step.rate(at: 35), 0.125)
        var g = [3.0, 4.0]
        XCTAssertEqual(GradientClipping(maximumNorm: 1).clip(&g), 5)
        XCTAssertEqual(g[0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(g[1], 0.8, accuracy: 1e-15)
        var small = [0.1, 0.1]
        GradientClipping(maximumNorm: 1).clip(&small)
        XCTAssertEqual(small, [0.1, 0.1])
    }
}

/// The elementwise passes that run by ranges of parameters on several threads.
final class ElementwiseParallelTests: XCTestCase {
    /// Ranges cover 0..<count in order, cut at multiples of 64, at most `jobs` of them; short
    /// vectors stay whole.
    func testRangesCoverTheVectorInOrder() {
        for (count, jobs) in [(20_000, 2), (20_001, 3), (8192, 2), (100, 4), (0, 2)] {
            let ranges = ElementwiseParallel.ranges(count: count, jobs: jobs)
            XCTAssertLessThanOrEqual(ranges.count, max(1, jobs))
            XCTAssertEqual(ranges.first?.lowerBound, 0)
            XCTAssertEqual(ranges.last?.upperBound, count)
            for (a, b) in zip(ranges, ranges.dropFirst()) {
                XCTAssertEqual(a.upperBound, b.lowerBound)
                XCTAssertEqual(a.upperBound % 64, 0)
            }
            if count < ElementwiseParallel.minimumCount { XCTAssertEqual(ranges.count, 1) }
        }
        XCTAssertEqual(ElementwiseParallel.ranges(count: 20_000, jobs: 2).count, 2)
    }

    /// The chunk-gradient merge gives the same values for any jobs, equal to the sums in chunk
    /// order, and reports a non-finite value in any range.
    func testMergeIsTheSameForAnyJobsAndFindsNonFiniteValues() {
        let count = 20_003
        var stream = RandomStream(seed: 8)
        let sums = (0..<4).map { _ in (0..<count).map { _ in stream.nextStandardNormal() * 1e3 } }
        var expected = [Double](repeating: 0, count: count)
        for i in 0..<count {
            var total: Double = 0 + sums[0][i]
            total += sums[1][i]
            total += sums[2][i]
            total += sums[3][i]
            expected[i] = total * (1 / 256.0)
        }
        for jobs in [1, 2, 3] {
            var merged = [Double](repeating: .nan, count: count)
            XCTAssertTrue(BatchGradient.merge(sums, scale: 1 / 256.0, into: &merged, jobs: jobs))
            XCTAssertEqual(merged, expected, "jobs \(jobs)")
            for bad in [Double.nan, .infinity] {
                for position in [5, count / 2 + 7, count - 1] {
                    var broken = sums
                    broken[2][position] = bad
                    XCTAssertFalse(BatchGradient.merge(broken, scale: 1 / 256.0, into: &merged, jobs: jobs), "\(bad) at \(position)")
                }
            }
        }
        var single = [Double](repeating: 0, count: 9000)
        XCTAssertTrue(BatchGradient.merge([(0..<9000).map(Double.init)], scale: 0.5, into: &single, jobs: 2))
        XCTAssertEqual(single[8999], 4499.5)
    }

    /// Adam and RMSprop on two threads give the parameters of one thread, bit for bit.
    func testOptimizerStepsAreTheSameForAnyJobs() {
        let count = 20_001
        var stream = RandomStream(seed: 9)
        let start = (0..<count).map { _ in stream.nextStandardNormal() }
        let gradients = (0..<3).map { _ in (0..<count).map { _ in stream.nextStandardNormal() } }
        for amsgrad in [false, true] {
            var one = Adam(amsgrad: amsgrad), two = Adam(amsgrad: amsgrad)
            var a = start, b = start
            for g in gradients {
                one.step(&a, gradient: g, learningRate: 1e-2, jobs: 1)
                two.step(&b, gradient: g, learningRate: 1e-2, jobs: 2)
            }
            XCTAssertEqual(a, b, "amsgrad \(amsgrad)")
            XCTAssertNotEqual(a, start)
        }
    }
}
