/// A 2-D histogram from binned counts (matplotlib's `hist2d`): cell (i, j) spans
/// [xEdges[i], xEdges[i+1]] × [yEdges[j], yEdges[j+1]] and is coloured by counts.values
/// (row j = y bin j) through the colour map over [0, max]. Edges may be uneven; cells are drawn
/// as one image when edges are even, else as rectangles. With `emptyIsClear`, zero cells are left transparent.
public struct Histogram2D: Mark {
    public var xEdges: [Double]
    public var yEdges: [Double]
    public var counts: Grid2D
    public var colorMap: ColorMap
    public var emptyIsClear: Bool
    public var colorBarLabel: String?
    public var showsColorBar: Bool

    public init(xEdges: [Double], yEdges: [Double], counts: Grid2D, colorMap: ColorMap = .viridis,
                emptyIsClear: Bool = false, colorBar: Bool = false, colorBarLabel: String? = nil) {
        self.xEdges = xEdges
        self.yEdges = yEdges
        self.counts = counts
        self.colorMap = colorMap
        self.emptyIsClear = emptyIsClear
        self.showsColorBar = colorBar || colorBarLabel != nil
        self.colorBarLabel = colorBarLabel
    }

    var valueRange: (Double, Double) { (0, max(counts.finiteRange?.1 ?? 1, 0)) }

    public func bounds(x xs: ScaleKind, y ys: ScaleKind) -> DataBounds {
        var b = DataBounds()
        for e in xEdges { b.include(x: e, scale: xs) }
        for e in yEdges { b.include(y: e, scale: ys) }
        if b.hasX { b.stickyX = [b.xMin, b.xMax] }
        if b.hasY { b.stickyY = [b.yMin, b.yMax] }
        return b
    }

    public func draw(in c: PlotContext, renderer: Renderer) {
        let nx = min(counts.columns, xEdges.count - 1), ny = min(counts.rows, yEdges.count - 1)
        guard nx > 0, ny > 0 else { return }
        let (lo, hi) = valueRange
        if Histogram2D.isUniform(xEdges.prefix(nx + 1)), Histogram2D.isUniform(yEdges.prefix(ny + 1)),
           c.x.kind == .linear, c.y.kind == .linear {
            // Even bins: one image, so neighbouring cells meet without anti-aliasing seams.
            var img = RGBAImage(width: nx, height: ny)
            for j in 0..<ny {
                for i in 0..<nx {
                    let v = counts[i, j]
                    img[i, ny - 1 - j] = !v.isFinite || (emptyIsClear && v == 0) ? .clear : colorMap.color(for: v, low: lo, high: hi)
                }
            }
            let x0 = c.x.map(xEdges[0]), x1 = c.x.map(xEdges[nx]), y0 = c.y.map(yEdges[ny]), y1 = c.y.map(yEdges[0])
            renderer.drawImage(img, in: Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)), smooth: false)
            return
        }
        let xs = xEdges.map(c.x.map), ys = yEdges.map(c.y.map)
        // Group cells by colour: one fill per distinct colour keeps output small.
        var byColor: [Color: Path] = [:]
        var order: [Color] = []
        for j in 0..<ny {
            for i in 0..<nx {
                let v = counts[i, j]
                if !v.isFinite || (emptyIsClear && v == 0) { continue }
                guard xs[i].isFinite, xs[i + 1].isFinite, ys[j].isFinite, ys[j + 1].isFinite else { continue }
                let col = colorMap.color(for: v, low: lo, high: hi)
                let r = Rect(x: min(xs[i], xs[i + 1]), y: min(ys[j], ys[j + 1]), width: abs(xs[i + 1] - xs[i]), height: abs(ys[j + 1] - ys[j]))
                if byColor[col] == nil { order.append(col); byColor[col] = Path() }
                byColor[col]?.append(.rectangle(r))
            }
        }
        for col in order { if let p = byColor[col] { renderer.fill(p, color: col) } }
    }

    /// Whether consecutive edges are equally spaced (to 1e-9 of the bin width).
    static func isUniform(_ e: ArraySlice<Double>) -> Bool {
        guard e.count >= 2, let f = e.first, let l = e.last else { return false }
        let w = (l - f) / Double(e.count - 1)
        guard w > 0 else { return false }
        for (k, v) in e.enumerated() where abs(v - (f + Double(k) * w)) > 1e-9 * w { return false }
        return true
    }

    public var colorScale: ColorScale? {
        guard showsColorBar else { return nil }
        return ColorScale(map: colorMap, lower: valueRange.0, upper: valueRange.1, label: colorBarLabel)
    }
}
