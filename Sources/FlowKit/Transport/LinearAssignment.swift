/// The linear assignment problem: given costs c_ij (rows × columns, rows ≤ columns), the
/// injective map σ from rows to columns minimising Σᵢ c_{iσ(i)} — the exact optimal transport
/// between two uniform point sets of the same size (a Birkhoff vertex is optimal).
///
/// Solved by shortest augmenting paths with dual potentials (the Hungarian method of Kuhn
/// 1955 in the O(n²·m) form of Jonker & Volgenant 1987, "A shortest augmenting path algorithm
/// for dense and sparse linear assignment problems", Computing 38): rows are added one at a
/// time; a Dijkstra search over reduced costs c_ij − uᵢ − v_j ≥ 0 finds the cheapest path to a
/// free column, the potentials absorb the distances, and the path is flipped. The duals stay
/// feasible throughout, so the result is optimal (complementary slackness).
public enum LinearAssignment {
    /// An optimal assignment.
    public struct Solution: Sendable, Equatable {
        /// The column of each row.
        public var rowToColumn: [Int]
        /// Σᵢ c_{iσ(i)}.
        public var cost: Double
    }

    /// Solves the problem for `costs` (row-major rows × columns, finite, rows ≤ columns).
    public static func solve(costs: UnsafePointer<Double>, rows n: Int, columns m: Int) throws(FlowKitError) -> Solution {
        guard n >= 0, m >= n else {
            throw .invalidParameter(parameter: "assignment", value: "\(n) × \(m)", requirement: "at most as many rows as columns")
        }
        for k in 0..<(n * m) where !costs[k].isFinite {
            throw .invalidParameter(parameter: "cost[\(k / m)][\(k % m)]", value: "\(costs[k])", requirement: "finite")
        }
        guard n > 0 else { return Solution(rowToColumn: [], cost: 0) }
        // Index 0 is a virtual column / row (1-based arrays, as in the textbook formulation).
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var owner = [Int](repeating: 0, count: m + 1)       // row assigned to column j (0: free)
        var way = [Int](repeating: 0, count: m + 1)         // previous column on the shortest path
        var minimum = [Double](repeating: 0, count: m + 1)
        var used = [Bool](repeating: false, count: m + 1)
        u.withUnsafeMutableBufferPointer { ub in
        v.withUnsafeMutableBufferPointer { vb in
        owner.withUnsafeMutableBufferPointer { pb in
        way.withUnsafeMutableBufferPointer { wb in
        minimum.withUnsafeMutableBufferPointer { mb in
        used.withUnsafeMutableBufferPointer { usedb in
            let u = ub.baseAddress!, v = vb.baseAddress!, owner = pb.baseAddress!, way = wb.baseAddress!
            let minimum = mb.baseAddress!, used = usedb.baseAddress!
            for i in 1...n {
                owner[0] = i
                var j0 = 0
                for j in 0...m { minimum[j] = .infinity; used[j] = false }
                repeat {
                    used[j0] = true
                    let i0 = owner[j0]
                    let row = costs + (i0 - 1) * m - 1   // row[j] = c_{i0, j} for j ≥ 1
                    let ui = u[i0]
                    var delta = Double.infinity
                    var j1 = 0
                    for j in 1...m where !used[j] {
                        let reduced = row[j] - ui - v[j]
                        if reduced < minimum[j] { minimum[j] = reduced; way[j] = j0 }
                        if minimum[j] < delta { delta = minimum[j]; j1 = j }
                    }
                    for j in 0...m {
                        if used[j] {
                            u[owner[j]] += delta
                            v[j] -= delta
                        } else {
                            minimum[j] -= delta
                        }
                    }
                    j0 = j1
                } while owner[j0] != 0
                // Flip the augmenting path.
                repeat {
                    let j1 = way[j0]
                    owner[j0] = owner[j1]
                    j0 = j1
                } while j0 != 0
            }
        }}}}}}
        var rowToColumn = [Int](repeating: 0, count: n)
        for j in 1...m where owner[j] != 0 { rowToColumn[owner[j] - 1] = j - 1 }
        var cost = 0.0
        for i in 0..<n { cost += costs[i * m + rowToColumn[i]] }
        return Solution(rowToColumn: rowToColumn, cost: cost)
    }

    /// Solves the problem for a cost matrix given as rows.
    public static func solve(costs: [[Double]]) throws(FlowKitError) -> Solution {
        let n = costs.count, m = costs.first?.count ?? 0
        guard costs.allSatisfy({ $0.count == m }), m >= n else {
            throw .invalidParameter(parameter: "assignment", value: "ragged cost matrix", requirement: "rows of equal length, at least as many columns as rows")
        }
        let flat = costs.flatMap { $0 }
        return try flat.withUnsafeBufferPointer { buffer throws(FlowKitError) in
            guard let base = buffer.baseAddress else { return Solution(rowToColumn: [], cost: 0) }
            return try solve(costs: base, rows: n, columns: m)
        }
    }

    /// The optimal pairing of two point sets of the same size for the squared Euclidean cost
    /// ‖aᵢ − b_σ(i)‖² (exact optimal transport between their empirical measures).
    public static func pairing(_ a: PointBatch, _ b: PointBatch) throws(FlowKitError) -> Solution {
        guard a.dimension == b.dimension else {
            throw .dimensionMismatch(what: "optimal pairing", expected: a.dimension, found: b.dimension)
        }
        guard a.count == b.count else {
            throw .invalidParameter(parameter: "points", value: "\(a.count) and \(b.count)", requirement: "two sets of the same size")
        }
        let n = a.count
        var costs = [Double](repeating: 0, count: n * n)
        squaredDistances(a.values, b.values, count: n, dimension: a.dimension, into: &costs)
        return try costs.withUnsafeBufferPointer { buffer throws(FlowKitError) in
            guard let base = buffer.baseAddress else { return Solution(rowToColumn: [], cost: 0) }
            return try solve(costs: base, rows: n, columns: n)
        }
    }

    /// costs[i·n + j] = ‖aᵢ − b_j‖² for two row-major sets of n points in ℝᵈ.
    public static func squaredDistances(_ a: [Double], _ b: [Double], count n: Int, dimension d: Int, into costs: inout [Double]) {
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<d {
                    let e = a[i * d + k] - b[j * d + k]
                    s += e * e
                }
                costs[i * n + j] = s
            }
        }
    }
}
