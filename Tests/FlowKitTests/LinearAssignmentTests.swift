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

/// Edge cases of the assignment (ties, duplicated points, one row, rectangular problems) and a
/// check against an independent O(n³) Hungarian method on the clustered OT batches of flow
/// matching, larger than brute force reaches.
final class LinearAssignmentEdgeCaseTests: XCTestCase {
    /// The minimum cost by the Hungarian method with potentials (Kuhn 1955, Munkres 1957), in the
    /// classic row-by-row form, for rows ≤ columns.
    private func hungarian(_ c: [[Double]]) -> Double {
        let n = c.count, m = c[0].count
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1), way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: m + 1), used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1...m where !used[j] {
                    let cur = c[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...m {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat { let j1 = way[j0]; p[j0] = p[j1]; j0 = j1 } while j0 != 0
        }
        var cost = 0.0
        for j in 1...m where p[j] != 0 { cost += c[p[j] - 1][j - 1] }
        return cost
    }

    private func check(_ costs: [[Double]], expected: Double, _ message: String) throws {
        let solution = try LinearAssignment.solve(costs: costs)
        let m = costs.first?.count ?? 0
        XCTAssertEqual(Set(solution.rowToColumn).count, costs.count, "distinct columns: \(message)")
        XCTAssertTrue(solution.rowToColumn.allSatisfy { $0 >= 0 && $0 < m }, message)
        XCTAssertEqual(solution.cost, expected, accuracy: 1e-9, message)
    }

    func testTiesDuplicatesOneRowAndRectangularProblems() throws {
        // All costs equal: any permutation is optimal.
        try check([[Double]](repeating: [Double](repeating: 2, count: 5), count: 5), expected: 10, "all ties")
        // n = 1, square and rectangular.
        try check([[3.5]], expected: 3.5, "1 × 1")
        try check([[4, -1, 2]], expected: -1, "1 × 3")
        // Rectangular with ties: two rows, four columns, cheapest columns shared.
        try check([[1, 1, 5, 5], [1, 1, 5, 5]], expected: 2, "2 × 4 ties")
        try check([[0, 7, 7], [0, 9, 1]], expected: 1, "2 × 3 shared cheapest column")
        try check([[0, 7, 7], [0, 9, 8]], expected: 7, "2 × 3 shared cheapest column, displaced")
        // Duplicated points on both sides: rows 0, 1 and columns 0, 2 coincide.
        let a: [(Double, Double)] = [(0, 0), (0, 0), (1, 2), (3, -1), (1, 2)]
        let b: [(Double, Double)] = [(0.5, 0), (2, 2), (0.5, 0), (3, -1), (1, 1)]
        let costs = a.map { p in b.map { q in (p.0 - q.0) * (p.0 - q.0) + (p.1 - q.1) * (p.1 - q.1) } }
        try check(costs, expected: hungarian(costs), "duplicated points")
        // Integer costs with many ties, against the Hungarian method.
        var stream = RandomStream(seed: 31)
        for trial in 0..<20 {
            let n = 5 + trial, m = n + trial % 3
            let costs = (0..<n).map { _ in (0..<m).map { _ in Double(Int(stream.nextUniform() * 3)) } }
            try check(costs, expected: hungarian(costs), "integer ties \(n) × \(m)")
        }
    }

    func testMatchesTheHungarianMethodOnClusteredBatches() throws {
        var stream = RandomStream(seed: 17)
        for n in [1, 2, 31, 64, 130] {
            let a = ToyDataset.eightGaussians.sample(count: n, using: &stream)
            let b = ToyDataset.moons.sample(count: n, using: &stream)
            let solution = try LinearAssignment.pairing(a, b)
            let costs = (0..<n).map { i in (0..<n).map { j in
                (a[i, 0] - b[j, 0]) * (a[i, 0] - b[j, 0]) + (a[i, 1] - b[j, 1]) * (a[i, 1] - b[j, 1])
            } }
            XCTAssertEqual(Set(solution.rowToColumn).count, n)
            XCTAssertEqual(solution.cost, hungarian(costs), accuracy: 1e-9 * max(1, solution.cost), "n = \(n)")
        }
    }
}
