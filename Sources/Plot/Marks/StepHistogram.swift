/// A histogram drawn as stairs from bin edges and heights (matplotlib's `stairs` /
/// `hist(histtype="stepfilled")`): `edges.count == heights.count + 1`, bin i spans
/// [edges[i], edges[i+1]] at height heights[i]. The area down to the baseline is filled
/// with `fill` (use alpha for overlap), and the outline is stroked with `edge` when set.
/// Non-finite heights are drawn as gaps.
public struct StepHistogram: Mark {
    public var edges: [Double]
    public var heights: [Double]
    public var fill: Color?
    public var edge: StrokeStyle?
    public var baseline: Double
    public var label: String?

    public init(edges: [Double], heights: [Double], fill: Color?, edge: StrokeStyle? = nil,
                baseline: Double = 0, label: String? = nil) {
        self.edges = edges
        self.heights = heights
        self.fill = fill
        self.edge = edge
        self.baseline = baseline
        self.label = label
    }

    var binCount: Int { max(0, min(edges.count - 1, heights.count)) }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        guard binCount > 0 else { return b }
        for e in edges.prefix(binCount + 1) { b.include(x: e, scale: xs) }
        for h in heights.prefix(binCount) { b.include(y: h, scale: ys) }
        if ys == .linear { b.include(y: baseline, scale: ys); b.stickyY.append(baseline) }
        return b
    }

    /// Runs of consecutive bins with finite heights.
    private func segments() -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        for i in 0..<binCount {
            if heights[i].isFinite && edges[i].isFinite && edges[i + 1].isFinite {
                if start == nil { start = i }
            } else if let s = start {
                out.append(s..<i); start = nil
            }
        }
        if let s = start { out.append(s..<binCount) }
        return out
    }

    private func baseY(_ c: PlotContext) -> Double {
        let b = c.y.map(baseline)
        return b.isFinite ? b : c.plotRect.maxY + 1 // log axis: just below the plot area
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let base = baseY(c)
        func yPos(_ h: Double) -> Double {
            let v = c.y.map(h)
            return v.isFinite ? v : base
        }
        var area = Path(), outline = Path()
        for seg in segments() {
            let x0 = c.x.map(edges[seg.lowerBound])
            area.move(to: Point(x0, base))
            outline.move(to: Point(x0, base))
            for i in seg {
                let y = yPos(heights[i])
                let xa = c.x.map(edges[i]), xb = c.x.map(edges[i + 1])
                area.line(to: Point(xa, y)); area.line(to: Point(xb, y))
                outline.line(to: Point(xa, y)); outline.line(to: Point(xb, y))
            }
            let x1 = c.x.map(edges[seg.upperBound])
            area.line(to: Point(x1, base))
            area.close()
            outline.line(to: Point(x1, base))
        }
        if let f = fill, f.alpha > 0, !area.isEmpty { renderer.fill(area, color: f) }
        if let e = edge, !outline.isEmpty { renderer.stroke(outline, style: e) }
    }

    public var legendEntry: LegendEntry? {
        label.map { LegendEntry(label: $0, symbol: fill.map { .patch(fill: $0, edge: edge) } ?? .line(edge ?? StrokeStyle())) }
    }

    public func coverage(in c: PlotContext) -> [Point] {
        var pts: [Point] = []
        let base = baseY(c)
        for i in 0..<binCount where heights[i].isFinite {
            let xm = c.x.map((edges[i] + edges[i + 1]) / 2)
            let top = c.y.map(heights[i])
            guard xm.isFinite, top.isFinite else { continue }
            // Filled bins cover their whole column; sample it every 6 points.
            var y = top
            let stepY = 6.0
            pts.append(Point(xm, y))
            if fill != nil {
                while y < base && pts.count < 200_000 { y += stepY; pts.append(Point(xm, min(y, base))) }
            }
        }
        return pts
    }
}
