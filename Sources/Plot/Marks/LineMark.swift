/// A polyline through (x[i], y[i]).
///
/// Points with a NaN or infinite coordinate (or a non-positive one on a log axis) are not
/// drawn and break the line: the segments on either side are separate sub-paths, so missing
/// values never produce stray strokes (matplotlib's behaviour for NaN).
public struct LineMark: Mark {
    public var x: [Double]
    public var y: [Double]
    public var style: StrokeStyle
    public var label: String?

    public init(x: [Double], y: [Double], style: StrokeStyle, label: String? = nil) {
        self.x = x
        self.y = y
        self.style = style
        self.label = label
    }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        DataBounds(x: x, y: y, xScale: xs, yScale: ys)
    }

    /// The page path: one sub-path per run of drawable points.
    public func path(in c: PlotContext) -> Path {
        var p = Path()
        let n = min(x.count, y.count)
        p.reserveCapacity(n)
        var penDown = false
        for i in 0..<n {
            let q = c.point(x[i], y[i])
            if q.x.isFinite && q.y.isFinite {
                if penDown { p.line(to: q) } else { p.move(to: q); penDown = true }
            } else {
                penDown = false
            }
        }
        return p
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let p = path(in: c)
        if !p.isEmpty { renderer.stroke(p, style: style) }
    }

    public var legendEntry: LegendEntry? { label.map { LegendEntry(label: $0, symbol: .line(style)) } }

    public func coverage(in c: PlotContext) -> [Point] { densify(path(in: c), spacing: 4) }
}

/// Points along a path's straight segments at most `spacing` points apart.
func densify(_ path: Path, spacing: Double) -> [Point] {
    var out: [Point] = []
    var last: Point?
    for e in path.elements {
        switch e {
        case .move(let p):
            out.append(p); last = p
        case .line(let p), .curve(_, _, let p):
            if let a = last {
                let d = ((p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y)).squareRoot()
                let n = min(Int(d / spacing), 2000)
                if n > 1 {
                    for k in 1..<n {
                        let t = Double(k) / Double(n)
                        out.append(Point(a.x + (p.x - a.x) * t, a.y + (p.y - a.y) * t))
                    }
                }
            }
            out.append(p); last = p
        case .close:
            break
        }
    }
    return out
}
