/// Label markup placed at data coordinates (x, y) with an alignment about that point.
/// Does not affect automatic limits. The font is the figure's, at `size` when given.
public struct TextMark: Mark {
    public var text: String
    public var x: Double
    public var y: Double
    public var size: Double?
    public var color: Color
    public var horizontal: HorizontalAlignment
    public var vertical: VerticalAlignment

    public init(_ text: String, x: Double, y: Double, size: Double? = nil, color: Color = .black,
                horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline) {
        self.text = text
        self.x = x
        self.y = y
        self.size = size
        self.color = color
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public func bounds(x: ScaleKind, y: ScaleKind) -> DataBounds { DataBounds() }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let p = c.point(x, y)
        guard p.x.isFinite, p.y.isFinite else { return }
        renderer.drawLabel(text, font: c.font.withSize(size ?? c.font.size), color: color, at: p,
                           horizontal: horizontal, vertical: vertical)
    }
}
