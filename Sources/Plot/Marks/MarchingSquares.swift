/// Iso-lines of a sampled field by marching squares (Lorensen & Cline's cube method in 2-D).
///
/// Grid nodes sit at x_i = x₀ + i·(x₁ − x₀)/(columns − 1), y_j likewise. Each cell's corners
/// are classified against the level; crossings are placed on cell edges by linear
/// interpolation t = (level − v_a)/(v_b − v_a); the two saddle cases are resolved by the mean
/// of the four corners (the "asymptotic decider" simplified). Cells with a NaN corner are
/// skipped, which breaks lines there. Segments are joined into polylines through shared edges.
public enum MarchingSquares {
    /// Polylines (in data coordinates) where the field equals `level`.
    public static func isolines(_ grid: Grid2D, x: ClosedRange<Double>, y: ClosedRange<Double>, level: Double) -> [[Point]] {
        let nx = grid.columns, ny = grid.rows
        guard nx >= 2, ny >= 2, level.isFinite else { return [] }
        let dx = (x.upperBound - x.lowerBound) / Double(nx - 1)
        let dy = (y.upperBound - y.lowerBound) / Double(ny - 1)
        // Edge ids: horizontal edge (i,j)-(i+1,j) → j·nx + i; vertical (i,j)-(i,j+1) → H + j·nx + i.
        let hCount = nx * ny
        func hEdge(_ i: Int, _ j: Int) -> Int { j * nx + i }
        func vEdge(_ i: Int, _ j: Int) -> Int { hCount + j * nx + i }
        func crossing(_ edge: Int) -> Point {
            if edge < hCount {
                let j = edge / nx, i = edge % nx
                let a = grid[i, j], b = grid[i + 1, j]
                let t = (level - a) / (b - a)
                return Point(x.lowerBound + (Double(i) + t) * dx, y.lowerBound + Double(j) * dy)
            }
            let e = edge - hCount
            let j = e / nx, i = e % nx
            let a = grid[i, j], b = grid[i, j + 1]
            let t = (level - a) / (b - a)
            return Point(x.lowerBound + Double(i) * dx, y.lowerBound + (Double(j) + t) * dy)
        }
        var segments: [(Int, Int)] = []
        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let v0 = grid[i, j], v1 = grid[i + 1, j], v2 = grid[i + 1, j + 1], v3 = grid[i, j + 1]
                guard v0.isFinite, v1.isFinite, v2.isFinite, v3.isFinite else { continue }
                var code = 0
                if v0 >= level { code |= 1 }
                if v1 >= level { code |= 2 }
                if v2 >= level { code |= 4 }
                if v3 >= level { code |= 8 }
                let bottom = hEdge(i, j), right = vEdge(i + 1, j), top = hEdge(i, j + 1), left = vEdge(i, j)
                switch code {
                case 0, 15: break
                case 1, 14: segments.append((left, bottom))
                case 2, 13: segments.append((bottom, right))
                case 3, 12: segments.append((left, right))
                case 4, 11: segments.append((right, top))
                case 6, 9: segments.append((bottom, top))
                case 7, 8: segments.append((left, top))
                case 5, 10:
                    let centreHigh = (v0 + v1 + v2 + v3) / 4 >= level
                    // code 5: corners 0 and 2 high. If the centre is high they connect.
                    if (code == 5) == centreHigh {
                        segments.append((left, top)); segments.append((bottom, right))
                    } else {
                        segments.append((left, bottom)); segments.append((right, top))
                    }
                default: break
                }
            }
        }
        return join(segments).map { $0.map(crossing) }
    }

    /// Chains segments that share an edge id into polylines (closed loops repeat their first id).
    static func join(_ segments: [(Int, Int)]) -> [[Int]] {
        var byEdge: [Int: [Int]] = [:]
        for (k, s) in segments.enumerated() {
            byEdge[s.0, default: []].append(k)
            byEdge[s.1, default: []].append(k)
        }
        var used = [Bool](repeating: false, count: segments.count)
        var lines: [[Int]] = []
        func extend(_ line: inout [Int]) {
            while let end = line.last, let next = byEdge[end]?.first(where: { !used[$0] }) {
                used[next] = true
                let s = segments[next]
                line.append(s.0 == end ? s.1 : s.0)
            }
        }
        for k in segments.indices where !used[k] {
            used[k] = true
            var forward = [segments[k].0, segments[k].1]
            extend(&forward)
            var backward = [segments[k].0]
            extend(&backward)
            lines.append(backward.reversed() + forward.dropFirst())
        }
        return lines
    }
}
