/// Vertical bars centred at x[i] with height y[i] above `baseline`, each `width` data units
/// wide. Non-finite values are skipped.
public struct BarMark: Mark {
    public var x: [Double]
    public var heights: [Double]
    public var width: Double
    public var fill: Color
    public var edge: StrokeStyle?
    public var baseline: Double
    public var label: String?

    public init(x: [Double], heights: [Double], width: Double = 0.8, fill: Color, edge: StrokeStyle? = nil,
                baseline: Double = 0, label: String? = nil) {
        self.x = x
        self.heights = heights
        self.width = width
        self.fill = fill
        self.edge = edge
        self.baseline = baseline
        self.label = label
    }

    func rects(_ c: PlotContext) -> [Rect] {
        var out: [Rect] = []
        for i in 0..<min(x.count, heights.count) where x[i].isFinite && heights[i].isFinite {
            let x0 = c.x.map(x[i] - width / 2), x1 = c.x.map(x[i] + width / 2)
            let y0 = c.y.map(baseline), y1 = c.y.map(heights[i])
            let yb = y0.isFinite ? y0 : c.plotRect.maxY + 1
            guard x0.isFinite, x1.isFinite, y1.isFinite else { continue }
            out.append(Rect(x: min(x0, x1), y: min(yb, y1), width: abs(x1 - x0), height: abs(yb - y1)))
        }
        return out
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        for i in 0..<min(x.count, heights.count) where x[i].isFinite && heights[i].isFinite {
            b.include(x: x[i] - width / 2, scale: xs)
            b.include(x: x[i] + width / 2, scale: xs)
            b.include(y: heights[i], scale: ys)
        }
        if b.hasY && ys == .linear { b.include(y: baseline, scale: ys); b.stickyY.append(baseline) }
        return b
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        var p = Path()
        for r in rects(c) { p.append(.rectangle(r)) }
        guard !p.isEmpty else { return }
        renderer.fill(p, color: fill)
        if let e = edge { renderer.stroke(p, style: e) }
    }

    public var legendEntry: LegendEntry? { label.map { LegendEntry(label: $0, symbol: .patch(fill: fill, edge: edge)) } }

    public func coverage(in c: PlotContext) -> [Point] {
        var pts: [Point] = []
        for r in rects(c) {
            var y = r.minY
            while y <= r.maxY { pts.append(Point(r.midX, y)); y += 6 }
        }
        return pts
    }
}
