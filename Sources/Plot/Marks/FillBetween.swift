/// The region between two curves y₁(x) and y₂(x) sampled at the same x, filled with `fill`.
/// A sample with any non-finite coordinate splits the region, like a NaN in a line.
public struct FillBetween: Mark {
    public var x: [Double]
    public var y1: [Double]
    public var y2: [Double]
    public var fill: Color
    public var label: String?

    public init(x: [Double], y1: [Double], y2: [Double], fill: Color, label: String? = nil) {
        self.x = x
        self.y1 = y1
        self.y2 = y2
        self.fill = fill
        self.label = label
    }

    var count: Int { min(x.count, y1.count, y2.count) }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        for i in 0..<count where x[i].isFinite && y1[i].isFinite && y2[i].isFinite {
            b.include(x: x[i], scale: xs)
            b.include(y: y1[i], scale: ys)
            b.include(y: y2[i], scale: ys)
        }
        return b
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        var path = Path()
        var run: [Int] = []
        func flush() {
            defer { run.removeAll(keepingCapacity: true) }
            guard run.count >= 2 else { return }
            path.move(to: c.point(x[run[0]], y1[run[0]]))
            for i in run.dropFirst() { path.line(to: c.point(x[i], y1[i])) }
            for i in run.reversed() { path.line(to: c.point(x[i], y2[i])) }
            path.close()
        }
        for i in 0..<count {
            let a = c.point(x[i], y1[i]), b = c.point(x[i], y2[i])
            if a.x.isFinite && a.y.isFinite && b.y.isFinite { run.append(i) } else { flush() }
        }
        flush()
        if !path.isEmpty { renderer.fill(path, color: fill) }
    }

    public var legendEntry: LegendEntry? { label.map { LegendEntry(label: $0, symbol: .patch(fill: fill, edge: nil)) } }

    public func coverage(in c: PlotContext) -> [Point] {
        var pts: [Point] = []
        for i in 0..<count {
            let a = c.point(x[i], y1[i]), b = c.point(x[i], y2[i])
            guard a.x.isFinite, a.y.isFinite, b.y.isFinite else { continue }
            var y = min(a.y, b.y)
            while y <= max(a.y, b.y) { pts.append(Point(a.x, y)); y += 6 }
        }
        return pts
    }
}
