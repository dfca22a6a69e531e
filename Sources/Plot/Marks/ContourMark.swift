/// Contour lines of a field sampled at grid nodes spanning x ∈ xRange, y ∈ yRange, one
/// polyline set per level (matplotlib's `contour`), by `MarchingSquares`. Each level's colour
/// comes from `colors` (cycled) or, when nil, from the colour map over the levels' range.
public struct ContourMark: Mark {
    public var grid: Grid2D
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var levels: [Double]
    public var colors: [Color]?
    public var colorMap: ColorMap
    public var width: Double
    public var dash: StrokeStyle.Dash
    public var label: String?

    public init(grid: Grid2D, x: ClosedRange<Double>, y: ClosedRange<Double>, levels: [Double],
                colors: [Color]? = nil, colorMap: ColorMap = .viridis, width: Double = 1,
                dash: StrokeStyle.Dash = .solid, label: String? = nil) {
        self.grid = grid
        self.xRange = x
        self.yRange = y
        self.levels = levels
        self.colors = colors
        self.colorMap = colorMap
        self.width = width
        self.dash = dash
        self.label = label
    }

    /// `count` nice levels strictly inside the field's finite range (1-2-5 steps).
    public static func niceLevels(_ grid: Grid2D, count: Int) -> [Double] {
        guard let (lo, hi) = grid.finiteRange, hi > lo else { return [] }
        return TickLocator.linear(lower: lo, upper: hi, maxIntervals: count + 1).values.filter { $0 > lo && $0 < hi }
    }

    func color(level k: Int) -> Color {
        if let cs = colors, !cs.isEmpty { return cs[k % cs.count] }
        guard let lo = levels.min(), let hi = levels.max() else { return .black }
        return colorMap.color(for: levels[k], low: lo, high: hi)
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        b.include(x: xRange.lowerBound, scale: xs); b.include(x: xRange.upperBound, scale: xs)
        b.include(y: yRange.lowerBound, scale: ys); b.include(y: yRange.upperBound, scale: ys)
        b.stickyX = [xRange.lowerBound, xRange.upperBound]
        b.stickyY = [yRange.lowerBound, yRange.upperBound]
        return b
    }

    func paths(_ c: PlotContext) -> [(Color, Path)] {
        levels.indices.map { k in
            var p = Path()
            for line in MarchingSquares.isolines(grid, x: xRange, y: yRange, level: levels[k]) {
                guard let first = line.first else { continue }
                p.move(to: c.point(first.x, first.y))
                for q in line.dropFirst() { p.line(to: c.point(q.x, q.y)) }
            }
            return (color(level: k), p)
        }
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        for (col, p) in paths(c) where !p.isEmpty {
            renderer.stroke(p, style: StrokeStyle(color: col, width: width, dash: dash, join: .round))
        }
    }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, symbol: .line(StrokeStyle(color: color(level: levels.count / 2), width: width, dash: dash))) }
    }

    public func coverage(in c: PlotContext) -> [Point] { paths(c).flatMap { densify($0.1, spacing: 4) } }
}
