/// A streaming, mergeable 2-D histogram with equal-width bins on the box
/// [xLow, xHigh] × [yLow, yHigh].
///
/// Bin (ix, iy) holds [xLow + ix·wx, xLow + (ix+1)·wx) × [yLow + iy·wy, …), the last bin of
/// each axis also holding its upper edge, as in ``Histogram``. `counts[iy * xBinCount + ix]`
/// is bin (ix, iy): rows run along y, so row `iy` is one horizontal strip of a heat map.
/// Points with any coordinate outside the box go to `outOfRange`, points with a NaN
/// coordinate to `nanCount`. Memory is constant in the number of samples, so 10⁸ samples
/// stream through chunk histograms that are merged. Counts are `Double` (exact integers up
/// to 2⁵³).
public struct Histogram2D: Sendable, Equatable {
    public let xLow: Double, xHigh: Double, xBinCount: Int
    public let yLow: Double, yHigh: Double, yBinCount: Int
    public let xInverseWidth: Double, yInverseWidth: Double
    /// Row-major counts, `counts[iy * xBinCount + ix]`.
    public private(set) var counts: [Double]
    public private(set) var outOfRange: Double = 0
    public private(set) var nanCount: Double = 0

    public init(x: (low: Double, high: Double, bins: Int), y: (low: Double, high: Double, bins: Int)) throws {
        // Reuse the 1-D validation for each axis.
        let hx = try Histogram(low: x.low, high: x.high, binCount: x.bins)
        let hy = try Histogram(low: y.low, high: y.high, binCount: y.bins)
        let (product, overflow) = x.bins.multipliedReportingOverflow(by: y.bins)
        guard !overflow, product <= 1 << 28 else {
            throw FlowKitError.invalidParameter(parameter: "bins", value: "\(x.bins) × \(y.bins)", requirement: "at most 2²⁸ bins")
        }
        xLow = x.low; xHigh = x.high; xBinCount = x.bins; xInverseWidth = hx.inverseWidth
        yLow = y.low; yHigh = y.high; yBinCount = y.bins; yInverseWidth = hy.inverseWidth
        counts = [Double](repeating: 0, count: product)
    }

    /// Square bins of the same count on both axes of the square [low, high]².
    public init(low: Double, high: Double, bins: Int) throws {
        try self.init(x: (low, high, bins), y: (low, high, bins))
    }

    public var xBinWidth: Double { (xHigh - xLow) / Double(xBinCount) }
    public var yBinWidth: Double { (yHigh - yLow) / Double(yBinCount) }

    /// The flat index of the bin holding (x, y), or nil outside the box or for NaN.
    @inlinable
    public func binIndex(_ x: Double, _ y: Double) -> Int? {
        guard x >= xLow && x <= xHigh && y >= yLow && y <= yHigh else { return nil }
        let ix = Swift.min(Int((x - xLow) * xInverseWidth), xBinCount - 1)
        let iy = Swift.min(Int((y - yLow) * yInverseWidth), yBinCount - 1)
        return iy * xBinCount + ix
    }

    public mutating func insert(_ x: Double, _ y: Double, weight: Double = 1) {
        if let i = binIndex(x, y) {
            counts[i] += weight
        } else if x.isNaN || y.isNaN {
            nanCount += weight
        } else {
            outOfRange += weight
        }
    }

    /// Adds the points (coordinates `xCoordinate`, `yCoordinate`) of a batch in one pass.
    public mutating func insert(_ batch: PointBatch, xCoordinate: Int = 0, yCoordinate: Int = 1) {
        precondition(xCoordinate < batch.dimension && yCoordinate < batch.dimension, "coordinate out of range")
        let dim = batch.dimension
        let x0 = xLow, x1 = xHigh, y0 = yLow, y1 = yHigh
        let ix = xInverseWidth, iy = yInverseWidth, nx = xBinCount, lastX = xBinCount - 1, lastY = yBinCount - 1
        var out = 0.0, nan = 0.0
        batch.values.withUnsafeBufferPointer { v in
            counts.withUnsafeMutableBufferPointer { c in
                var p = 0
                while p < v.count {
                    let x = v[p + xCoordinate], y = v[p + yCoordinate]
                    p += dim
                    if x >= x0 && x <= x1 && y >= y0 && y <= y1 {
                        let bx = Swift.min(Int((x - x0) * ix), lastX)
                        let by = Swift.min(Int((y - y0) * iy), lastY)
                        c[by * nx + bx] += 1
                    } else if x.isNaN || y.isNaN {
                        nan += 1
                    } else {
                        out += 1
                    }
                }
            }
        }
        outOfRange += out
        nanCount += nan
    }

    public func hasSameBinning(as other: Histogram2D) -> Bool {
        xLow == other.xLow && xHigh == other.xHigh && xBinCount == other.xBinCount
            && yLow == other.yLow && yHigh == other.yHigh && yBinCount == other.yBinCount
    }

    /// Adds the counts of `other`, which must have the same binning (a programming error
    /// otherwise).
    public mutating func merge(_ other: Histogram2D) {
        precondition(hasSameBinning(as: other), "merging 2-D histograms with different binning")
        for i in counts.indices { counts[i] += other.counts[i] }
        outOfRange += other.outOfRange
        nanCount += other.nanCount
    }

    public subscript(ix: Int, iy: Int) -> Double { counts[iy * xBinCount + ix] }

    public var inRangeCount: Double { counts.reduce(0, +) }
    public var totalCount: Double { inRangeCount + outOfRange + nanCount }

    /// Bin edges along x (xBinCount + 1 values, the last exactly xHigh).
    public var xEdges: [Double] {
        (0...xBinCount).map { i in i == xBinCount ? xHigh : xLow + (xHigh - xLow) * Double(i) / Double(xBinCount) }
    }
    public var yEdges: [Double] {
        (0...yBinCount).map { i in i == yBinCount ? yHigh : yLow + (yHigh - yLow) * Double(i) / Double(yBinCount) }
    }
    public var xCenters: [Double] { (0..<xBinCount).map { xLow + (xHigh - xLow) * (Double($0) + 0.5) / Double(xBinCount) } }
    public var yCenters: [Double] { (0..<yBinCount).map { yLow + (yHigh - yLow) * (Double($0) + 0.5) / Double(yBinCount) } }

    /// count / (N · wx · wy) in the layout of `counts`, N chosen as in
    /// ``Histogram/Normalization`` (`.allSamples` counts out-of-range and NaN points).
    public func densities(normalizedBy normalization: Histogram.Normalization = .allSamples) -> [Double] {
        let total = normalization == .allSamples ? totalCount : inRangeCount
        guard total > 0 else { return [Double](repeating: 0, count: counts.count) }
        let scale = xInverseWidth * yInverseWidth / total
        return counts.map { $0 * scale }
    }
}
