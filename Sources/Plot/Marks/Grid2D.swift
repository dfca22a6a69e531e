/// Values on a regular grid: `columns` samples along x by `rows` samples along y, stored
/// row-major with row 0 at the lowest y (matplotlib's `origin="lower"`): value(i, j) is at
/// column i, row j.
public struct Grid2D: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    public var values: [Double]

    public init(columns: Int, rows: Int, values: [Double]) {
        precondition(columns >= 0 && rows >= 0 && values.count == columns * rows, "Grid2D: values.count must be columns·rows")
        self.columns = columns
        self.rows = rows
        self.values = values
    }

    /// Samples f at the centres of `columns × rows` cells covering x ∈ xRange, y ∈ yRange.
    public init(columns: Int, rows: Int, x xRange: ClosedRange<Double>, y yRange: ClosedRange<Double>,
                cellCentres f: (Double, Double) -> Double) {
        var v = [Double](repeating: 0, count: columns * rows)
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(max(columns, 1))
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(max(rows, 1))
        for j in 0..<rows {
            for i in 0..<columns {
                v[j * columns + i] = f(xRange.lowerBound + (Double(i) + 0.5) * dx, yRange.lowerBound + (Double(j) + 0.5) * dy)
            }
        }
        self.init(columns: columns, rows: rows, values: v)
    }

    public subscript(i: Int, j: Int) -> Double { values[j * columns + i] }

    /// Smallest and largest finite values (nil when there are none).
    public var finiteRange: (Double, Double)? {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? (lo, hi) : nil
    }
}
