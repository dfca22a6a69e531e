import FlowKit
import Foundation

/// The log density of a two-dimensional flow at the centres of a `columns × rows` grid of
/// cells tiling the box x × y, by "Eq. 5" (inverse pass with inverse log-dets) and optionally
/// by "Eq. 4" (forward log-dets at the preimages) (flows.md §1).
///
/// Rows are evaluated in parallel in blocks of ``rowsPerChunk`` by ``ChunkedReduction`` and
/// stored in row order, so the values do not depend on `jobs`. Layout: `logEq5[j * columns + i]`
/// is cell (i, j), row j at y = y₀ + (j + ½)·h_y (row 0 lowest, as ``Plot/Grid2D``).
public struct PlaneDensity: Sendable {
    public let x: ClosedRange<Double>
    public let y: ClosedRange<Double>
    public let columns: Int
    public let rows: Int
    public let logEq5: [Double]
    public let logEq4: [Double]?

    /// Rows per parallel chunk.
    public static let rowsPerChunk = 8

    public init(flow: Flow, x: ClosedRange<Double>, y: ClosedRange<Double>, columns: Int, rows: Int,
                eq4: Bool, jobs: Int) {
        precondition(flow.dimension == 2, "plane densities need a 2-D flow")
        self.x = x
        self.y = y
        self.columns = max(columns, 1)
        self.rows = max(rows, 1)
        let nx = self.columns, ny = self.rows
        let hx = (x.upperBound - x.lowerBound) / Double(nx), hy = (y.upperBound - y.lowerBound) / Double(ny)
        let x0 = x.lowerBound, y0 = y.lowerBound
        let chunks = (ny + Self.rowsPerChunk - 1) / Self.rowsPerChunk
        let result = ChunkedReduction(jobs: jobs).run(
            chunkCount: chunks, into: (eq5: [Double](), eq4: [Double]()),
            work: { chunk -> (eq5: [Double], eq4: [Double]) in
                let firstRow = chunk * Self.rowsPerChunk
                let lastRow = min(ny, firstRow + Self.rowsPerChunk)
                var batch = PointBatch(dimension: 2, count: (lastRow - firstRow) * nx)
                var k = 0
                for j in firstRow..<lastRow {
                    let yj = y0 + (Double(j) + 0.5) * hy
                    for i in 0..<nx {
                        batch.values[2 * k] = x0 + (Double(i) + 0.5) * hx
                        batch.values[2 * k + 1] = yj
                        k += 1
                    }
                }
                return (flow.logDensityByInverse(batch), eq4 ? flow.logDensityByForward(batch) : [])
            },
            merge: { total, part in
                total.eq5 += part.eq5
                total.eq4 += part.eq4
            })
        logEq5 = result.eq5
        logEq4 = eq4 ? result.eq4 : nil
    }

    public var cellWidth: Double { (x.upperBound - x.lowerBound) / Double(columns) }
    public var cellHeight: Double { (y.upperBound - y.lowerBound) / Double(rows) }
    public var cellArea: Double { cellWidth * cellHeight }

    /// Σ p_Eq5 · ΔA: the midpoint rule for ∫∫_box p (error O(h²) for a smooth density).
    public var integral: Double {
        let area = cellArea
        return logEq5.reduce(0) { $0 + ($1.isFinite ? Foundation.exp($1) : 0) } * area
    }

    /// p_Eq5 at every cell (0 where log p = −∞).
    public var densities: [Double] { logEq5.map { $0.isFinite ? Foundation.exp($0) : 0 } }

    /// The Eq. 5 mass of each bin of a `bins × bins` histogram on the same box, by summing the
    /// cells inside it (`columns` and `rows` must be multiples of `bins`); layout of
    /// ``FlowKit/Histogram2D/counts``.
    public func binMasses(bins: Int) -> [Double]? {
        guard bins > 0, columns % bins == 0, rows % bins == 0 else { return nil }
        let fx = columns / bins, fy = rows / bins
        let p = densities, area = cellArea
        var masses = [Double](repeating: 0, count: bins * bins)
        for j in 0..<rows {
            for i in 0..<columns { masses[(j / fy) * bins + i / fx] += p[j * columns + i] * area }
        }
        return masses
    }
}
