/// A horizontal line at y = value or a vertical line at x = value across the whole plot area
/// (matplotlib's `axhline`/`axvline`). Its value counts towards the automatic limits of its
/// own axis only.
public struct ReferenceLine: Mark {
    public enum Orientation: Sendable { case horizontal, vertical }

    public var orientation: Orientation
    public var value: Double
    public var style: StrokeStyle
    public var label: String?

    public init(_ orientation: Orientation, at value: Double, style: StrokeStyle, label: String? = nil) {
        self.orientation = orientation
        self.value = value
        self.style = style
        self.label = label
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        if orientation == .horizontal { b.include(y: value, scale: ys) } else { b.include(x: value, scale: xs) }
        return b
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let r = c.plotRect
        if orientation == .horizontal {
            let y = c.y.map(value)
            guard y.isFinite else { return }
            renderer.line(from: Point(r.minX, y), to: Point(r.maxX, y), style: style)
        } else {
            let x = c.x.map(value)
            guard x.isFinite else { return }
            renderer.line(from: Point(x, r.minY), to: Point(x, r.maxY), style: style)
        }
    }

    public var legendEntry: LegendEntry? { label.map { LegendEntry(label: $0, symbol: .line(style)) } }

    public func coverage(in c: PlotContext) -> [Point] {
        let r = c.plotRect
        if orientation == .horizontal {
            let y = c.y.map(value)
            return y.isFinite ? stride(from: r.minX, through: r.maxX, by: 4).map { Point($0, y) } : []
        }
        let x = c.x.map(value)
        return x.isFinite ? stride(from: r.minY, through: r.maxY, by: 4).map { Point(x, $0) } : []
    }
}
