import Foundation

/// The one draw walk that serves every output format.
///
/// Layout is explicit rectangle splitting: the page minus padding loses a band for the figure
/// title; the rest is divided into grid cells. Each panel needs insets around its plot area
/// for its title (top), x tick labels and label (bottom), y tick labels and label (left), and
/// colour bar (right), plus the overhang of end tick labels. Insets are aggregated per grid
/// column and row so plot areas align, and the solve repeats with the element-wise maximum of
/// the insets until every panel's decorations fit (tick counts depend on plot size, and label
/// sizes on tick choice). Every text is measured through the renderer. Tick counts shrink until
/// neighbouring labels keep a gap of at least half an em.
public enum FigureRenderer {
    static let tickLength = 3.5
    static let minorTickLength = 2.0
    static let tickPad = 3.5
    static let labelPad = 4.0
    static let titlePad = 6.0
    static let cellGap = 12.0
    static let colorBarGap = 10.0
    static let colorBarWidth = 12.0
    static let spineWidth = 0.8

    struct Insets: Equatable {
        var top = 0.0, left = 0.0, bottom = 0.0, right = 0.0
        func covers(_ o: Insets) -> Bool {
            top >= o.top - 1e-6 && left >= o.left - 1e-6 && bottom >= o.bottom - 1e-6 && right >= o.right - 1e-6
        }
        func union(_ o: Insets) -> Insets {
            Insets(top: max(top, o.top), left: max(left, o.left), bottom: max(bottom, o.bottom), right: max(right, o.right))
        }
    }

    /// An axis's ticks with their laid-out labels.
    struct AxisTicks {
        var ticks: [Tick] = []
        var labels: [TextLayout?] = []
        var maxWidth: Double { labels.compactMap { $0?.width }.max() ?? 0 }
        var maxHeight: Double { labels.compactMap { $0?.height }.max() ?? 0 }
    }

    /// Everything measured for one panel at one plot rectangle.
    struct Decor {
        var plotRect: Rect
        var x: Scale
        var y: Scale
        var xTicks = AxisTicks()
        var yTicks = AxisTicks()
        var showXLabels = true
        var showYLabels = true
        var xLabel: TextLayout?
        var yLabel: TextLayout?
        var title: TextLayout?
        var colorScale: ColorScale?
        var cbScale: Scale?
        var cbTicks = AxisTicks()
        var cbLabel: TextLayout?
        var insets = Insets()
    }

    // MARK: - Limits

    /// Automatic or explicit limits for one axis from the union of the marks' extents.
    static func limits(_ axis: Axis, min dMin: Double, max dMax: Double, sticky: [Double]) -> (Double, Double) {
        let kind = axis.scale
        func t(_ v: Double) -> Double { kind == .log ? log10(v) : v }
        func u(_ v: Double) -> Double { kind == .log ? pow(10, v) : v }
        var lo: Double, hi: Double
        if dMin > dMax {
            (lo, hi) = kind == .log ? (1, 10) : (0, 1)
        } else if dMin == dMax {
            if kind == .log { (lo, hi) = (dMin / 3.1622776601683795, dMax * 3.1622776601683795) }
            else if dMin == 0 { (lo, hi) = (-1, 1) }
            else { (lo, hi) = (dMin - 0.1 * abs(dMin), dMax + 0.1 * abs(dMax)) }
        } else {
            // The margin from half spans: t(dMax) − t(dMin) overflows for extents near ±1.8e308.
            // (Scaling by 2 is exact, so this equals margin·span whenever that is finite.)
            let marginSpan = axis.margin * (t(dMax) / 2 - t(dMin) / 2) * 2
            lo = u(t(dMin) - marginSpan)
            hi = u(t(dMax) + marginSpan)
            if !lo.isFinite { lo = dMin }
            if !hi.isFinite { hi = dMax }
            for s in sticky where s <= dMin && s > lo { lo = s }
            for s in sticky where s >= dMax && s < hi { hi = s }
        }
        if let l = axis.lower, l.isFinite, kind == .linear || l > 0 { lo = l }
        if let h = axis.upper, h.isFinite, kind == .linear || h > 0 { hi = h }
        if !(hi > lo) { hi = kind == .log ? lo * 10 : lo + 1 }
        // Degenerate limits (too narrow to label, non-finite, overflowing) become the nearest
        // drawable ones, so that no scale maps to non-finite page positions.
        let drawable = AxisRange.drawable(lower: lo, upper: hi, kind: kind)
        return (drawable.lower, drawable.upper)
    }

    static func resolveLimits(_ f: Figure) -> [(x: (Double, Double), y: (Double, Double))] {
        let bounds: [DataBounds] = f.slots.map { slot in
            var b = DataBounds()
            for m in slot.panel.marks { b.formUnion(m.bounds(x: slot.panel.x.scale, y: slot.panel.y.scale)) }
            return b
        }
        var all = DataBounds()
        for b in bounds { all.formUnion(b) }
        let firstX = f.slots.first?.panel.x ?? Axis(), firstY = f.slots.first?.panel.y ?? Axis()
        return f.slots.indices.map { k in
            let p = f.slots[k].panel
            let bx = f.sharedX ? all : bounds[k], by = f.sharedY ? all : bounds[k]
            var ax = p.x, ay = p.y
            if f.sharedX { ax.lower = ax.lower ?? firstX.lower; ax.upper = ax.upper ?? firstX.upper; ax.scale = firstX.scale }
            if f.sharedY { ay.lower = ay.lower ?? firstY.lower; ay.upper = ay.upper ?? firstY.upper; ay.scale = firstY.scale }
            return (limits(ax, min: bx.xMin, max: bx.xMax, sticky: bx.stickyX),
                    limits(ay, min: by.yMin, max: by.yMax, sticky: by.stickyY))
        }
    }

    // MARK: - Ticks

    static func makeTicks(_ axis: Axis, kind: ScaleKind, lo: Double, hi: Double, maxIntervals: Int) -> [Tick] {
        if let explicit = axis.ticks {
            let inRange = explicit.filter { $0.isFinite && $0 >= min(lo, hi) && $0 <= max(lo, hi) && (kind == .linear || $0 > 0) }.sorted()
            if kind == .log { return inRange.map { Tick(value: $0, label: TickFormatter.log($0, decade: false)) } }
            let gaps = zip(inRange.dropFirst(), inRange).map { $0 - $1 }.filter { $0 > 0 }
            let labels = TickFormatter.linear(inRange, step: gaps.min() ?? abs(inRange.first ?? 1))
            return zip(inRange, labels).map { Tick(value: $0, label: $1) }
        }
        if kind == .log {
            let t = TickLocator.log(lower: lo, upper: hi, maxIntervals: maxIntervals)
            var ticks = t.major.map { Tick(value: $0, label: TickFormatter.log($0, decade: t.decades)) }
            ticks += t.minor.map { Tick(value: $0, label: "", isMajor: false) }
            return ticks
        }
        let t = TickLocator.linear(lower: lo, upper: hi, maxIntervals: maxIntervals)
        return zip(t.values, TickFormatter.linear(t.values, step: t.step)).map { Tick(value: $0, label: $1) }
    }

    /// Ticks for an axis of `length` points, as many as fit without crowding.
    static func fittedTicks(_ axis: Axis, kind: ScaleKind, lo: Double, hi: Double, length: Double,
                            horizontal: Bool, showLabels: Bool, font: Font, renderer: Renderer) -> AxisTicks {
        let em = font.size
        // matplotlib's Axis.get_tick_space: a tick per 3 em across, per 2 em up; the label
        // collision test below thins them when the labels are wider.
        var n = max(1, min(horizontal ? Int(length / (em * 3)) : Int(length / (em * 2)), 9))
        let scale = Scale(kind: kind, domain: (lo, hi), range: (0, length))
        while true {
            let ticks = makeTicks(axis, kind: kind, lo: lo, hi: hi, maxIntervals: n)
            let labels: [TextLayout?] = ticks.map { t in
                showLabels && t.isMajor && !t.label.isEmpty ? TextLayout(t.label, font: font, renderer: renderer) : nil
            }
            var fits = true
            var prev: (Double, TextLayout)?
            for (t, l) in zip(ticks, labels) {
                guard let l else { continue }
                let p = scale.map(t.value)
                if let (q, m) = prev {
                    let need = horizontal ? (l.width + m.width) / 2 + 0.6 * em : (l.height + m.height) / 2 + 0.2 * em
                    if abs(p - q) < need { fits = false; break }
                }
                prev = (p, l)
            }
            if fits { return AxisTicks(ticks: ticks, labels: labels) }
            if n <= 1 || axis.ticks != nil {
                // Still crowded: keep labels greedily from the first, dropping any that would touch.
                var kept = labels
                var last: (Double, TextLayout)?
                for (i, t) in ticks.enumerated() {
                    guard let l = kept[i] else { continue }
                    let p = scale.map(t.value)
                    if let (q, m) = last {
                        let need = horizontal ? (l.width + m.width) / 2 + 0.6 * em : (l.height + m.height) / 2 + 0.2 * em
                        if abs(p - q) < need { kept[i] = nil; continue }
                    }
                    last = (p, l)
                }
                return AxisTicks(ticks: ticks, labels: kept)
            }
            n -= 1
        }
    }

    /// `markup` laid out to fit `maxWidth`: the font shrinks (down to half size) and then plain
    /// text is truncated with an ellipsis, so a label can never be wider than its space.
    static func fitted(_ markup: String, font: Font, maxWidth: Double, renderer: Renderer) -> TextLayout {
        var l = TextLayout(markup, font: font, renderer: renderer)
        guard l.width > maxWidth, maxWidth > 0 else { return l }
        let factor = max(0.5, maxWidth / l.width)
        l = TextLayout(markup, font: font.withSize(font.size * factor * 0.999), renderer: renderer)
        if l.width <= maxWidth || MathText.containsMath(markup) { return l }
        // The longest prefix that fits with an ellipsis, by bisection on its length (widths grow
        // with the prefix): O(log n) layouts, so labels of any length lay out in milliseconds.
        let chars = Array(markup)
        let small = font.withSize(font.size * factor * 0.999)
        func truncated(_ count: Int) -> TextLayout {
            TextLayout(String(chars[..<count]) + "…", font: small, renderer: renderer)
        }
        var fits = 0, tooWide = chars.count   // prefix lengths known to fit / not to fit
        while tooWide - fits > 1 {
            let middle = fits + (tooWide - fits) / 2
            if truncated(middle).width <= maxWidth { fits = middle } else { tooWide = middle }
        }
        return truncated(fits)
    }

    // MARK: - Layout

    static func hasNeighbour(_ f: Figure, _ k: Int, below: Bool) -> Bool {
        let s = f.slots[k]
        return f.slots.indices.contains { j in
            guard j != k else { return false }
            let o = f.slots[j]
            if below {
                return o.row >= s.row + s.rowSpan && o.column < s.column + s.columnSpan && s.column < o.column + o.columnSpan
            }
            return o.column + o.columnSpan <= s.column && o.row < s.row + s.rowSpan && s.row < o.row + o.rowSpan
        }
    }

    static func decorate(_ f: Figure, slot k: Int, plotRect r: Rect, limits: (x: (Double, Double), y: (Double, Double)),
                         area: Rect, renderer: Renderer) -> Decor {
        let p = f.slots[k].panel
        let s = f.slots[k]
        // The most a label may span: its share of the grid.
        let cellW = max(area.width * Double(s.columnSpan) / Double(f.columns) - cellGap, 1)
        let cellH = max(area.height * Double(s.rowSpan) / Double(f.rows) - cellGap, 1)
        let font = f.font
        let xKind = f.sharedX ? (f.slots.first?.panel.x.scale ?? p.x.scale) : p.x.scale
        let yKind = f.sharedY ? (f.slots.first?.panel.y.scale ?? p.y.scale) : p.y.scale
        var d = Decor(plotRect: r,
                      x: Scale(kind: xKind, domain: limits.x, range: (r.minX, r.maxX)),
                      y: Scale(kind: yKind, domain: limits.y, range: (r.maxY, r.minY)))
        var ins = Insets()
        if let t = p.title {
            d.title = fitted(t, font: font.withSize(font.size * 1.2), maxWidth: cellW, renderer: renderer)
            ins.top = titlePad + (d.title?.height ?? 0)
        }
        if let cs = p.marks.lazy.compactMap({ $0.colorScale }).first {
            d.colorScale = cs
            let cbScale = Scale(kind: .linear, domain: (cs.lower, cs.upper > cs.lower ? cs.upper : cs.lower + 1), range: (r.maxY, r.minY))
            d.cbScale = cbScale
            d.cbTicks = fittedTicks(Axis(), kind: .linear, lo: cbScale.domain.lower, hi: cbScale.domain.upper, length: r.height,
                                    horizontal: false, showLabels: true, font: font, renderer: renderer)
            var right = colorBarGap + colorBarWidth + tickLength + tickPad + d.cbTicks.maxWidth
            if let l = cs.label {
                d.cbLabel = fitted(l, font: font, maxWidth: cellH, renderer: renderer)
                right += labelPad + (d.cbLabel?.height ?? 0)
            }
            ins.right = right
            for (t, l) in zip(d.cbTicks.ticks, d.cbTicks.labels) {
                guard let l else { continue }
                let py = cbScale.map(t.value)
                ins.top = max(ins.top, l.height / 2 - (py - r.minY))
                ins.bottom = max(ins.bottom, l.height / 2 - (r.maxY - py))
            }
        }
        guard p.showsAxes else {
            // Without axes, a y label still names the row (Rezende & Mohamed's Figure 3 grid).
            if let l = p.y.label {
                d.yLabel = fitted(l, font: font, maxWidth: cellH, renderer: renderer)
                ins.left = max(ins.left, labelPad + (d.yLabel?.height ?? 0))
            }
            d.insets = overhang(d, ins)
            return d
        }
        d.showXLabels = p.x.showsTickLabels && !(f.sharedX && hasNeighbour(f, k, below: true))
        d.showYLabels = p.y.showsTickLabels && !(f.sharedY && hasNeighbour(f, k, below: false))
        d.xTicks = fittedTicks(p.x, kind: xKind, lo: limits.x.0, hi: limits.x.1, length: r.width, horizontal: true,
                               showLabels: d.showXLabels, font: font, renderer: renderer)
        d.yTicks = fittedTicks(p.y, kind: yKind, lo: limits.y.0, hi: limits.y.1, length: r.height, horizontal: false,
                               showLabels: d.showYLabels, font: font, renderer: renderer)
        var bottom = tickLength, left = tickLength
        if d.showXLabels, d.xTicks.labels.contains(where: { $0 != nil }) { bottom += tickPad + d.xTicks.maxHeight }
        if d.showYLabels, d.yTicks.labels.contains(where: { $0 != nil }) { left += tickPad + d.yTicks.maxWidth }
        if let l = p.x.label {
            d.xLabel = fitted(l, font: font, maxWidth: cellW, renderer: renderer)
            bottom += labelPad + (d.xLabel?.height ?? 0)
        }
        if let l = p.y.label {
            d.yLabel = fitted(l, font: font, maxWidth: cellH, renderer: renderer)
            left += labelPad + (d.yLabel?.height ?? 0)
        }
        ins.bottom = max(ins.bottom, bottom)
        ins.left = max(ins.left, left)
        for (t, l) in zip(d.xTicks.ticks, d.xTicks.labels) {
            guard let l else { continue }
            let px = d.x.map(t.value)
            ins.left = max(ins.left, l.width / 2 - (px - r.minX))
            ins.right = max(ins.right, l.width / 2 - (r.maxX - px))
        }
        for (t, l) in zip(d.yTicks.ticks, d.yTicks.labels) {
            guard let l else { continue }
            let py = d.y.map(t.value)
            ins.top = max(ins.top, l.height / 2 - (py - r.minY))
            ins.bottom = max(ins.bottom, l.height / 2 - (r.maxY - py))
        }
        // Labels longer than their side of the plot area overhang it equally on both ends.
        if let l = d.xLabel { let o = (l.width - r.width) / 2; ins.left = max(ins.left, o); ins.right = max(ins.right, o) }
        if let l = d.yLabel { let o = (l.width - r.height) / 2; ins.top = max(ins.top, o); ins.bottom = max(ins.bottom, o) }
        d.insets = overhang(d, ins)
        return d
    }

    /// Insets grown so that a title or colour-bar label longer than its side still fits.
    static func overhang(_ d: Decor, _ i: Insets) -> Insets {
        var ins = i
        let r = d.plotRect
        if let l = d.title { let o = (l.width - r.width) / 2; ins.left = max(ins.left, o); ins.right = max(ins.right, o) }
        if let l = d.cbLabel { let o = (l.width - r.height) / 2; ins.top = max(ins.top, o); ins.bottom = max(ins.bottom, o) }
        return ins
    }

    /// Plot rectangles for all slots given their insets.
    static func solve(_ f: Figure, insets: [Insets], area: Rect) -> [Rect] {
        var L = [Double](repeating: 0, count: f.columns), R = L
        var T = [Double](repeating: 0, count: f.rows), B = T
        for (s, i) in zip(f.slots, insets) {
            L[s.column] = max(L[s.column], i.left)
            R[s.column + s.columnSpan - 1] = max(R[s.column + s.columnSpan - 1], i.right)
            T[s.row] = max(T[s.row], i.top)
            B[s.row + s.rowSpan - 1] = max(B[s.row + s.rowSpan - 1], i.bottom)
        }
        let w = max((area.width - L.reduce(0, +) - R.reduce(0, +) - cellGap * Double(f.columns - 1)) / Double(f.columns), 1)
        let h = max((area.height - T.reduce(0, +) - B.reduce(0, +) - cellGap * Double(f.rows - 1)) / Double(f.rows), 1)
        var colStart = [Double](repeating: 0, count: f.columns), rowStart = [Double](repeating: 0, count: f.rows)
        var x = area.minX
        for c in 0..<f.columns { colStart[c] = x + L[c]; x += L[c] + w + R[c] + cellGap }
        var y = area.minY
        for r in 0..<f.rows { rowStart[r] = y + T[r]; y += T[r] + h + B[r] + cellGap }
        return f.slots.map { s in
            let x0 = colStart[s.column], x1 = colStart[s.column + s.columnSpan - 1] + w
            let y0 = rowStart[s.row], y1 = rowStart[s.row + s.rowSpan - 1] + h
            var r = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
            if let a = s.panel.boxAspect, a > 0 {
                if r.height / r.width > a {
                    let nh = r.width * a
                    r = Rect(x: r.x, y: r.y + (r.height - nh) / 2, width: r.width, height: nh)
                } else {
                    let nw = r.height / a
                    r = Rect(x: r.x + (r.width - nw) / 2, y: r.y, width: nw, height: r.height)
                }
            }
            return r
        }
    }

    static func computeDecor(_ f: Figure, renderer: Renderer) -> (decor: [Decor], title: TextLayout?, area: Rect) {
        let page = Rect(x: 0, y: 0, width: f.width, height: f.height)
        var area = page.inset(by: f.padding)
        var title: TextLayout?
        if let t = f.title {
            let l = fitted(t, font: f.font.withSize(f.font.size * 1.4), maxWidth: area.width, renderer: renderer)
            title = l
            area = area.slice(from: .top, amount: l.height + titlePad).rest
        }
        let lim = resolveLimits(f)
        var used = [Insets](repeating: Insets(), count: f.slots.count)
        var decor: [Decor] = []
        for _ in 0..<8 {
            let rects = solve(f, insets: used, area: area)
            decor = f.slots.indices.map { decorate(f, slot: $0, plotRect: rects[$0], limits: lim[$0], area: area, renderer: renderer) }
            let required = decor.map(\.insets)
            if zip(used, required).allSatisfy({ $0.covers($1) }) { break }
            used = zip(used, required).map { $0.union($1) }
        }
        return (decor, title, area)
    }

    // MARK: - Legend

    struct LegendBox {
        var rect: Rect
        var entries: [(LegendEntry, TextLayout)]
        var rowHeight: Double
        var placement: LegendPlacement
    }

    static func legend(_ p: Panel, context c: PlotContext, font: Font, renderer: Renderer) -> LegendBox? {
        guard let placement = p.legend else { return nil }
        let entries = p.marks.compactMap(\.legendEntry)
        guard !entries.isEmpty else { return nil }
        let lf = font.withSize(font.size * 0.9)
        let em = lf.size
        let laid = entries.map { ($0, TextLayout($0.label, font: lf, renderer: renderer)) }
        let rowH = max(laid.map { $0.1.height }.max() ?? em, em)
        let pad = 0.4 * em, handle = 2 * em, handlePad = 0.8 * em, spacing = 0.5 * em, border = 0.5 * em
        let w = 2 * pad + handle + handlePad + (laid.map { $0.1.width }.max() ?? 0)
        let h = 2 * pad + Double(laid.count) * rowH + Double(laid.count - 1) * spacing
        let r = c.plotRect
        func rect(_ pl: LegendPlacement) -> Rect {
            let left = r.minX + border, right = r.maxX - border - w, cx = r.midX - w / 2
            let top = r.minY + border, bottom = r.maxY - border - h, cy = r.midY - h / 2
            switch pl {
            case .best, .upperRight: return Rect(x: right, y: top, width: w, height: h)
            case .upperLeft: return Rect(x: left, y: top, width: w, height: h)
            case .lowerLeft: return Rect(x: left, y: bottom, width: w, height: h)
            case .lowerRight: return Rect(x: right, y: bottom, width: w, height: h)
            case .centerRight: return Rect(x: right, y: cy, width: w, height: h)
            case .centerLeft: return Rect(x: left, y: cy, width: w, height: h)
            case .upperCenter: return Rect(x: cx, y: top, width: w, height: h)
            case .lowerCenter: return Rect(x: cx, y: bottom, width: w, height: h)
            case .center: return Rect(x: cx, y: cy, width: w, height: h)
            }
        }
        var chosen = placement
        if placement == .best {
            let pts = p.marks.flatMap { $0.coverage(in: c) }
            var best = Int.max
            for cand in LegendPlacement.candidates {
                let box = rect(cand)
                let n = pts.reduce(0) { box.contains($1) ? $0 + 1 : $0 }
                if n < best { best = n; chosen = cand }
                if n == 0 { break }
            }
        }
        return LegendBox(rect: rect(chosen), entries: laid, rowHeight: rowH, placement: chosen)
    }

    static func drawLegend(_ box: LegendBox, font: Font, renderer: Renderer) {
        let em = font.size * 0.9
        let pad = 0.4 * em, handle = 2 * em, handlePad = 0.8 * em, spacing = 0.5 * em
        renderer.fill(box.rect, color: Color.white.withAlpha(0.8))
        renderer.stroke(box.rect, style: StrokeStyle(color: Color(r8: 0xCC, g8: 0xCC, b8: 0xCC), width: 0.8))
        var y = box.rect.minY + pad
        for (entry, text) in box.entries {
            let cy = y + box.rowHeight / 2
            let hx = box.rect.minX + pad
            switch entry.symbol {
            case .line(let s):
                renderer.line(from: Point(hx, cy), to: Point(hx + handle, cy), style: s)
            case .patch(let fill, let edge):
                let pr = Rect(x: hx, y: cy - 0.35 * em, width: handle, height: 0.7 * em)
                renderer.fill(pr, color: fill)
                if let e = edge { renderer.stroke(pr, style: e) }
            case .marker(let m, let size, let color):
                renderer.drawMarkers(m, at: [Point(hx + handle / 2, cy)], size: size, fill: color)
            }
            let (origin, _) = text.placed(at: Point(hx + handle + handlePad, cy), horizontal: .left, vertical: .center)
            renderer.draw(text, at: origin, color: .black)
            y += box.rowHeight + spacing
        }
    }

    // MARK: - Drawing

    /// Computes the layout without drawing (text is measured through `renderer`).
    public static func layout(_ f: Figure, renderer: Renderer) -> FigureLayout {
        walk(f, renderer: renderer, drawing: false)
    }

    /// Draws `f` through `renderer` and returns where everything went.
    @discardableResult
    public static func draw(_ f: Figure, renderer: Renderer) -> FigureLayout {
        walk(f, renderer: renderer, drawing: true)
    }

    static func walk(_ f: Figure, renderer: Renderer, drawing: Bool) -> FigureLayout {
        let (decor, title, area) = computeDecor(f, renderer: renderer)
        let page = Rect(x: 0, y: 0, width: f.width, height: f.height)
        var labels: [FigureLayout.LabelBox] = []
        var panels: [FigureLayout.PanelLayout] = []
        let font = f.font
        if drawing && f.background.alpha > 0 { renderer.fill(page, color: f.background) }

        func label(_ l: TextLayout, _ text: String, role: FigureLayout.Role, panel: Int?, at a: Point,
                   h: HorizontalAlignment, v: VerticalAlignment, angle: Double = 0) {
            let (origin, box) = l.placed(at: a, horizontal: h, vertical: v, angle: angle)
            if drawing { renderer.draw(l, at: origin, color: .black, angle: angle) }
            labels.append(.init(role: role, text: text, rect: box, panel: panel))
        }

        for (k, d) in decor.enumerated() {
            let p = f.slots[k].panel
            let r = d.plotRect
            let ctx = PlotContext(plotRect: r, x: d.x, y: d.y, font: font)
            if drawing, let bg = p.background { renderer.fill(r, color: bg) }
            // Grid lines under the marks.
            if drawing && p.showsAxes {
                var grid = Path()
                if p.x.showsGrid { for t in d.xTicks.ticks where t.isMajor { let x = d.x.map(t.value); grid.append(.segment(Point(x, r.minY), Point(x, r.maxY))) } }
                if p.y.showsGrid { for t in d.yTicks.ticks where t.isMajor { let y = d.y.map(t.value); grid.append(.segment(Point(r.minX, y), Point(r.maxX, y))) } }
                if !grid.isEmpty { renderer.stroke(grid, style: StrokeStyle(color: Color(r8: 0xB0, g8: 0xB0, b8: 0xB0).withAlpha(0.6), width: 0.8)) }
            }
            if drawing {
                renderer.save()
                renderer.clip(to: r)
                for m in p.marks { m.draw(in: ctx, renderer: renderer) }
                renderer.restore()
            }
            var cbRect: Rect?
            if p.showsAxes {
                if drawing {
                    renderer.stroke(r, style: StrokeStyle(color: .black, width: spineWidth, join: .miter))
                    var major = Path(), minor = Path()
                    for t in d.xTicks.ticks {
                        let x = d.x.map(t.value)
                        guard x.isFinite else { continue }
                        if t.isMajor { major.append(.segment(Point(x, r.maxY), Point(x, r.maxY + tickLength))) }
                        else { minor.append(.segment(Point(x, r.maxY), Point(x, r.maxY + minorTickLength))) }
                    }
                    for t in d.yTicks.ticks {
                        let y = d.y.map(t.value)
                        guard y.isFinite else { continue }
                        if t.isMajor { major.append(.segment(Point(r.minX, y), Point(r.minX - tickLength, y))) }
                        else { minor.append(.segment(Point(r.minX, y), Point(r.minX - minorTickLength, y))) }
                    }
                    if !major.isEmpty { renderer.stroke(major, style: StrokeStyle(color: .black, width: spineWidth)) }
                    if !minor.isEmpty { renderer.stroke(minor, style: StrokeStyle(color: .black, width: 0.6)) }
                }
                for (t, l) in zip(d.xTicks.ticks, d.xTicks.labels) {
                    guard let l else { continue }
                    label(l, t.label, role: .xTickLabel, panel: k, at: Point(d.x.map(t.value), r.maxY + tickLength + tickPad), h: .center, v: .top)
                }
                for (t, l) in zip(d.yTicks.ticks, d.yTicks.labels) {
                    guard let l else { continue }
                    label(l, t.label, role: .yTickLabel, panel: k, at: Point(r.minX - tickLength - tickPad, d.y.map(t.value)), h: .right, v: .center)
                }
                if let l = d.xLabel, let text = p.x.label {
                    let below = r.maxY + tickLength + (d.xTicks.labels.contains { $0 != nil } ? tickPad + d.xTicks.maxHeight : 0) + labelPad
                    label(l, text, role: .xLabel, panel: k, at: Point(r.midX, below), h: .center, v: .top)
                }
                if let l = d.yLabel, let text = p.y.label {
                    let leftOf = r.minX - tickLength - (d.yTicks.labels.contains { $0 != nil } ? tickPad + d.yTicks.maxWidth : 0) - labelPad
                    label(l, text, role: .yLabel, panel: k, at: Point(leftOf, r.midY), h: .center, v: .bottom, angle: Double.pi / 2)
                }
            }
            if !p.showsAxes, let l = d.yLabel, let text = p.y.label {
                label(l, text, role: .yLabel, panel: k, at: Point(r.minX - labelPad, r.midY), h: .center, v: .bottom, angle: Double.pi / 2)
            }
            if let l = d.title, let text = p.title {
                label(l, text, role: .panelTitle, panel: k, at: Point(r.midX, r.minY - titlePad), h: .center, v: .bottom)
            }
            if let cs = d.colorScale, let cbScale = d.cbScale {
                let cb = Rect(x: r.maxX + colorBarGap, y: r.minY, width: colorBarWidth, height: r.height)
                cbRect = cb
                if drawing {
                    var img = RGBAImage(width: 1, height: 256)
                    for i in 0..<256 { img[0, 255 - i] = cs.map.color(at: (Double(i) + 0.5) / 256) }
                    renderer.drawImage(img, in: cb, smooth: false)
                    renderer.stroke(cb, style: StrokeStyle(color: .black, width: spineWidth, join: .miter))
                    var ticks = Path()
                    for t in d.cbTicks.ticks {
                        let y = cbScale.map(t.value)
                        ticks.append(.segment(Point(cb.maxX, y), Point(cb.maxX + tickLength, y)))
                    }
                    if !ticks.isEmpty { renderer.stroke(ticks, style: StrokeStyle(color: .black, width: spineWidth)) }
                }
                for (t, l) in zip(d.cbTicks.ticks, d.cbTicks.labels) {
                    guard let l else { continue }
                    label(l, t.label, role: .colorBarTickLabel, panel: k, at: Point(cb.maxX + tickLength + tickPad, cbScale.map(t.value)), h: .left, v: .center)
                }
                if let l = d.cbLabel, let text = cs.label {
                    let x = cb.maxX + tickLength + tickPad + d.cbTicks.maxWidth + labelPad
                    label(l, text, role: .colorBarLabel, panel: k, at: Point(x, r.midY), h: .center, v: .top, angle: Double.pi / 2)
                }
            }
            var legendRect: Rect?
            var legendPlacement: LegendPlacement?
            if let box = legend(p, context: ctx, font: font, renderer: renderer) {
                if drawing { drawLegend(box, font: font, renderer: renderer) }
                legendRect = box.rect
                legendPlacement = box.placement
                labels.append(.init(role: .legend, text: box.entries.map(\.0.label).joined(separator: "\n"), rect: box.rect, panel: k))
            }
            panels.append(.init(plotRect: r, x: d.x, y: d.y, xTicks: d.xTicks.ticks, yTicks: d.yTicks.ticks,
                                colorBarRect: cbRect, legendRect: legendRect, legendPlacement: legendPlacement))
        }
        if let l = title, let text = f.title {
            label(l, text, role: .figureTitle, panel: nil, at: Point(area.midX, f.padding), h: .center, v: .top)
        }
        return FigureLayout(bounds: page, panels: panels, labels: labels)
    }
}
