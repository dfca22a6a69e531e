import Foundation
import XCTest
@testable import FlowKit
import TestSupport

/// The assignment solver against brute force over all permutations, and the W₂ distance.
final class LinearAssignmentTests: XCTestCase {
    private func permutations(_ n: Int) -> [[Int]] {
        guard n > 0 else { return [[]] }
        return permutations(n - 1).flatMap { p in (0...p.count).map { i in var q = p; q.insert(n - 1, at: i); return q } }
    }

    /// The minimum over injective maps rows → columns (rows ≤ columns) by enumeration.
    private func bruteForce(_ costs: [[Double]]) -> Double {
        let n = costs.count, m = costs[0].count
        var best = Double.infinity
        for p in permutations(m) {
            best = min(best, (0..<n).reduce(0) { $0 + costs[$1][p[$1]] })
        }
        return best
    }

    func testMatchesBruteForceOnRandomProblems() throws {
        var stream = RandomStream(seed: 12)
        for trial in 0..<64 {
            let n = trial >= 60 ? 8 : 1 + trial % 7
            let m = trial % 3 == 0 && n < 7 ? n + 1 : n
            // Integer costs (many ties) every other trial, continuous otherwise.
            let costs = (0..<n).map { _ in
                (0..<m).map { _ in trial % 2 == 0 ? Double(Int(stream.nextUniform() * 5)) : 10 * stream.nextUniform() - 3 }
            }
            let solution = try LinearAssignment.solve(costs: costs)
            XCTAssertEqual(Set(solution.rowToColumn).count, n, "distinct columns")
            XCTAssertTrue(solution.rowToColumn.allSatisfy { $0 >= 0 && $0 < m })
            XCTAssertEqual(solution.cost, (0..<n).reduce(0) { $0 + costs[$1][solution.rowToColumn[$1]] }, accuracy: 1e-12)
            XCTAssertEqual(solution.cost, bruteForce(costs), accuracy: 1e-9, "trial \(trial): \(n) × \(m)")
        }
    }

    func testKnownProblemAndErrors() throws {
        // Classic 3 × 3 example: optimum 5 (rows → columns 1, 0, 2).
        let solution = try LinearAssignment.solve(costs: [[4, 1, 3], [2, 0, 5], [3, 2, 2]])
        XCTAssertEqual(solution.cost, 5)
        XCTAssertEqual(solution.rowToColumn, [1, 0, 2])
        XCTAssertThrowsError(try LinearAssignment.solve(costs: [[1], [2]]))
        XCTAssertThrowsError(try LinearAssignment.solve(costs: [[1, .nan], [2, 3]]))
        XCTAssertEqual(try LinearAssignment.solve(costs: []).cost, 0)
    }

    func testWassersteinOfShiftedSetIsTheShift() throws {
        // W₂ between a set and its translate by s is ‖s‖ (translation is the optimal map for
        // quadratic cost), whatever the order of the points.
        var stream = RandomStream(seed: 3)
        let a = ToyDataset.moons.sample(count: 50, using: &stream)
        var shifted = a
        for p in 0..<50 { shifted.values[2 * p] += 0.3; shifted.values[2 * p + 1] -= 0.4 }
        var reversed = PointBatch(dimension: 2, count: 50)
        for p in 0..<50 { reversed.values[2 * p] = shifted.values[2 * (49 - p)]; reversed.values[2 * p + 1] = shifted.values[2 * (49 - p) + 1] }
        XCTAssertEqual(try Wasserstein2.distance(a, reversed), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try Wasserstein2.distance(a, a), 0)
        // The sampling floor of moons at n = 200 is positive and shrinks with n.
        let small = try Wasserstein2.samplingFloor(of: .moons, count: 100, using: &stream)
        let large = try Wasserstein2.samplingFloor(of: .moons, count: 800, using: &stream)
        print("moons W2 sampling floor: n=100 \(small), n=800 \(large)")
        XCTAssertGreaterThan(small, large)
        XCTAssertGreaterThan(large, 0)
    }
}
