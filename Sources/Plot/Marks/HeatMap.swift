/// A grid of values drawn as coloured cells through a colour map (matplotlib's `imshow` with
/// `origin="lower"`, nearest-neighbour). The grid's cells tile x ∈ xRange, y ∈ yRange; values
/// are normalized linearly over [lower, upper] (the finite data range by default). NaN cells
/// are transparent. Drawn as one image, so cost does not grow with the number of cells in
/// vector formats. Heat maps assume linear axes.
public struct HeatMap: Mark {
    public var grid: Grid2D
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var colorMap: ColorMap
    public var lower: Double?
    public var upper: Double?
    /// Colour-bar label; nil draws no colour bar.
    public var colorBarLabel: String?
    public var showsColorBar: Bool

    public init(grid: Grid2D, x: ClosedRange<Double>, y: ClosedRange<Double>, colorMap: ColorMap = .viridis,
                lower: Double? = nil, upper: Double? = nil, colorBar: Bool = false, colorBarLabel: String? = nil) {
        self.grid = grid
        self.xRange = x
        self.yRange = y
        self.colorMap = colorMap
        self.lower = lower
        self.upper = upper
        self.showsColorBar = colorBar || colorBarLabel != nil
        self.colorBarLabel = colorBarLabel
    }

    /// The normalization interval actually used.
    public var valueRange: (Double, Double) {
        let r = grid.finiteRange ?? (0, 1)
        return (lower ?? r.0, upper ?? r.1)
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        b.include(x: xRange.lowerBound, scale: xs); b.include(x: xRange.upperBound, scale: xs)
        b.include(y: yRange.lowerBound, scale: ys); b.include(y: yRange.upperBound, scale: ys)
        b.stickyX = [xRange.lowerBound, xRange.upperBound]
        b.stickyY = [yRange.lowerBound, yRange.upperBound]
        return b
    }

    /// The image: one pixel per cell, top row = highest y.
    public func image() -> RGBAImage {
        var img = RGBAImage(width: grid.columns, height: grid.rows)
        let (lo, hi) = valueRange
        for j in 0..<grid.rows {
            for i in 0..<grid.columns {
                img[i, grid.rows - 1 - j] = colorMap.color(for: grid[i, j], low: lo, high: hi)
            }
        }
        return img
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let x0 = c.x.map(xRange.lowerBound), x1 = c.x.map(xRange.upperBound)
        let y0 = c.y.map(yRange.upperBound), y1 = c.y.map(yRange.lowerBound)
        guard x0.isFinite, x1.isFinite, y0.isFinite, y1.isFinite, grid.columns > 0, grid.rows > 0 else { return }
        renderer.drawImage(image(), in: Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)), smooth: false)
    }

    public var colorScale: ColorScale? {
        guard showsColorBar else { return nil }
        let (lo, hi) = valueRange
        return ColorScale(map: colorMap, lower: lo, upper: hi, label: colorBarLabel)
    }

    public func coverage(in c: PlotContext) -> [Point] {
        // A heat map covers its whole extent; sample a coarse lattice.
        let r = Rect(x: min(c.x.map(xRange.lowerBound), c.x.map(xRange.upperBound)),
                     y: min(c.y.map(yRange.lowerBound), c.y.map(yRange.upperBound)),
                     width: abs(c.x.map(xRange.upperBound) - c.x.map(xRange.lowerBound)),
                     height: abs(c.y.map(yRange.upperBound) - c.y.map(yRange.lowerBound)))
        guard r.width.isFinite, r.height.isFinite else { return [] }
        var pts: [Point] = []
        var y = r.minY
        while y <= r.maxY { var x = r.minX; while x <= r.maxX { pts.append(Point(x, y)); x += 8 }; y += 8 }
        return pts
    }
}
