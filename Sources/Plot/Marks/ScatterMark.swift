/// Markers at (x[i], y[i]) of diameter `size` points in `color` (use alpha for dense clouds).
/// Points with a non-finite coordinate are skipped.
public struct ScatterMark: Mark {
    public var x: [Double]
    public var y: [Double]
    public var marker: Marker
    public var size: Double
    public var color: Color
    public var edge: StrokeStyle?
    public var label: String?

    public init(x: [Double], y: [Double], marker: Marker = .circle, size: Double = 4, color: Color,
                edge: StrokeStyle? = nil, label: String? = nil) {
        self.x = x
        self.y = y
        self.marker = marker
        self.size = size
        self.color = color
        self.edge = edge
        self.label = label
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        DataBounds(x: x, y: y, xScale: xs, yScale: ys)
    }

    public func coverage(in c: PlotContext) -> [Point] {
        (0..<min(x.count, y.count)).map { c.point(x[$0], y[$0]) }.filter { $0.x.isFinite && $0.y.isFinite }
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        renderer.drawMarkers(marker, at: coverage(in: c), size: size, fill: color, edge: edge)
    }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, symbol: .marker(marker, size: max(size, 5), color: color)) }
    }
}
