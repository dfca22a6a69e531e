import FlowKit
import Foundation
import Plot
import PlotCairo

/// One figure of every mark and feature, plus the two figure shapes the report layer builds
/// (Zdybał's Figure 2 and a Rezende-style row of densities). `flowbench gallery DIR` writes
/// each as PNG (150 dpi) and PDF.
enum Gallery {
    static func render(into dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, fig) in figures() {
            let base = (dir as NSString).appendingPathComponent(name)
            try fig.write(to: base + ".png", dpi: 150)
            try fig.write(to: base + ".pdf")
            print("wrote \(base).png, .pdf")
        }
    }

    // MARK: - Data helpers (fixed seeds, Box–Muller on FlowKit's Philox stream)

    static func normals(_ n: Int, seed: UInt64, mean: Double = 0, sd: Double = 1) -> [Double] {
        var rng = RandomStream(seed: seed)
        var out: [Double] = []
        out.reserveCapacity(n)
        while out.count < n {
            let u1 = rng.nextOpenUniform(), u2 = rng.nextUniform()
            let r = (-2 * log(u1)).squareRoot()
            out.append(mean + sd * r * cos(2 * Double.pi * u2))
            if out.count < n { out.append(mean + sd * r * sin(2 * Double.pi * u2)) }
        }
        return out
    }

    /// Density histogram: edges and heights normalized to integrate to 1.
    static func histogram(_ xs: [Double], bins: Int, range: ClosedRange<Double>) -> (edges: [Double], heights: [Double]) {
        let w = (range.upperBound - range.lowerBound) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for x in xs where x >= range.lowerBound && x < range.upperBound { counts[Int((x - range.lowerBound) / w)] += 1 }
        let edges = (0...bins).map { range.lowerBound + Double($0) * w }
        return (edges, counts.map { $0 / (Double(xs.count) * w) })
    }

    static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
    }

    static func normalPDF(_ x: Double, _ m: Double = 0, _ s: Double = 1) -> Double {
        exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * (2 * Double.pi).squareRoot())
    }

    // MARK: - Figures

    static func figures() -> [(String, Figure)] {
        [
            ("01-lines", lines()), ("02-histograms", histograms()), ("03-bars", bars()),
            ("04-fill-between", fillBetween()), ("05-scatter", scatter()), ("06-reference-text", referenceAndText()),
            ("07-heatmap-contour", heatMapContour()), ("08-contour", contours()), ("09-hist2d", hist2D()),
            ("10-log-axes", logAxes()), ("11-mathtext", mathText()), ("12-colormaps", colorMaps()),
            ("13-grid-spans-shared", gridSpans()), ("14-zdybal-figure2", zdybal()), ("15-rezende-row", rezendeRow()),
            ("16-stress-labels", stress()), ("17-serif", serif()), ("18-nan-breaks", nanBreaks()),
        ]
    }

    static func lines() -> Figure {
        var f = Figure(title: "Lines: solid, dashed, dotted, dash-dot")
        let x = linspace(0, 10, 400)
        f.panel.line(x: x, y: x.map { sin($0) }, label: "$\\sin x$")
        f.panel.line(x: x, y: x.map { cos($0) }, dash: .dashed, label: "$\\cos x$")
        f.panel.line(x: x, y: x.map { 0.5 * sin(2 * $0) }, width: 2, dash: .dotted, label: "$\\frac{1}{2}\\sin 2x$")
        f.panel.line(x: x, y: x.map { exp(-$0 / 3) }, dash: .dashDot, label: "$e^{-x/3}$")
        f.panel.x.label = "$x$"
        f.panel.y.label = "$f(x)$"
        f.panel.x.showsGrid = true
        f.panel.y.showsGrid = true
        return f
    }

    static func histograms() -> Figure {
        var f = Figure(title: "Step histograms with density")
        let a = normals(20_000, seed: 1), b = normals(20_000, seed: 2, mean: 1.5, sd: 0.7)
        let ha = histogram(a, bins: 60, range: -4...4), hb = histogram(b, bins: 60, range: -4...4)
        f.panel.histogram(edges: ha.edges, heights: ha.heights, alpha: 0.4, label: "$\\mathcal{N}(0,1)$")
        f.panel.histogram(edges: hb.edges, heights: hb.heights, alpha: 0.4,
                          edge: StrokeStyle(color: Palette.default[1], width: 1), label: "$\\mathcal{N}(1.5,0.7^2)$")
        let x = linspace(-4, 4, 300)
        f.panel.line(x: x, y: x.map { normalPDF($0) }, color: .black, width: 1.5, label: "$p_X(x)$")
        f.panel.x.label = "$x$"
        f.panel.y.label = "density"
        return f
    }

    static func bars() -> Figure {
        var f = Figure(title: "Bars")
        f.panel.bars(x: [1, 2, 3, 4, 5], heights: [3, 7, 2, 5, 4.5], width: 0.35, label: "method A")
        f.panel.bars(x: [1.4, 2.4, 3.4, 4.4, 5.4], heights: [2, 5, 3.5, 6, 1], width: 0.35, label: "method B")
        f.panel.x.ticks = [1.2, 2.2, 3.2, 4.2, 5.2]
        f.panel.x.label = "experiment"
        f.panel.y.label = "KL divergence (nats)"
        f.panel.y.showsGrid = true
        return f
    }

    static func fillBetween() -> Figure {
        var f = Figure(title: "Mean ± 2 sd band")
        let x = linspace(0, 6, 200)
        let m = x.map { sin($0) * exp(-$0 / 6) }
        f.panel.fillBetween(x: x, y1: m.map { $0 - 0.3 }, y2: m.map { $0 + 0.3 }, alpha: 0.25, label: "$\\pm 2\\sigma$")
        f.panel.line(x: x, y: m, color: Palette.default[0], label: "mean")
        f.panel.x.label = "time $t$"
        f.panel.y.label = "$\\mu(t)$"
        return f
    }

    static func scatter() -> Figure {
        var f = Figure(title: "Scatter with alpha")
        let x1 = normals(800, seed: 3), y1 = normals(800, seed: 4)
        let x2 = normals(800, seed: 5, mean: 3, sd: 0.6), y2 = normals(800, seed: 6, mean: 2, sd: 1.2)
        f.panel.scatter(x: x1, y: y1, size: 4, alpha: 0.4, label: "base samples")
        f.panel.scatter(x: x2, y: y2, size: 4, alpha: 0.4, marker: .diamond, label: "pushed forward")
        f.panel.x.label = "$z_1$"
        f.panel.y.label = "$z_2$"
        return f
    }

    static func referenceAndText() -> Figure {
        var f = Figure(title: "Reference lines and annotations")
        let x = linspace(-3, 3, 300)
        f.panel.line(x: x, y: x.map { tanh($0) }, label: "$\\tanh x$")
        f.panel.hline(0, color: Color(r8: 128, g8: 128, b8: 128), width: 0.8, dash: .solid)
        f.panel.vline(1, color: Palette.default[3], label: "$x = 1$")
        f.panel.hline(tanh(1), color: Palette.default[3], dash: .dotted)
        f.panel.text("$\\tanh(1) \\approx 0.762$", x: 1.1, y: tanh(1) - 0.12)
        f.panel.text("saturation", x: -2.8, y: -0.9)
        f.panel.x.label = "$x$"
        f.panel.y.label = "$y$"
        return f
    }

    static func banana(_ x: Double, _ y: Double) -> Double {
        let u = y - 0.5 * x * x + 1
        return exp(-0.5 * (x * x / 2 + u * u / 0.4))
    }

    static func heatMapContour() -> Figure {
        var f = Figure(title: "Heat map with colour bar and contours")
        let g = Grid2D(columns: 120, rows: 120, x: -3...3, y: -2...4) { banana($0, $1) }
        f.panel.heatMap(g, x: -3...3, y: -2...4, colorMap: .viridis, colorBarLabel: "$p(x, y)$")
        let nodes = Grid2D(columns: 61, rows: 61, values: (0..<(61 * 61)).map { k in
            banana(-3 + 6 * Double(k % 61) / 60, -2 + 6 * Double(k / 61) / 60)
        })
        f.panel.contour(nodes, x: -3...3, y: -2...4, levels: [0.1, 0.3, 0.5, 0.7, 0.9], colors: [.white], width: 0.8)
        f.panel.x.label = "$x_1$"
        f.panel.y.label = "$x_2$"
        f.panel.boxAspect = 1
        return f
    }

    static func contours() -> Figure {
        var f = Figure(title: "Contour lines (marching squares)")
        let n = 81
        let vals = (0..<(n * n)).map { k -> Double in
            let x = -3 + 6 * Double(k % n) / Double(n - 1), y = -3 + 6 * Double(k / n) / Double(n - 1)
            return sin(x) * cos(y) + 0.1 * x * y
        }
        let g = Grid2D(columns: n, rows: n, values: vals)
        f.panel.contour(g, x: -3...3, y: -3...3, levels: ContourMark.niceLevels(g, count: 9), colorMap: .magma, width: 1.2)
        f.panel.x.label = "$x$"
        f.panel.y.label = "$y$"
        f.panel.boxAspect = 1
        return f
    }

    static func hist2D() -> Figure {
        var f = Figure(title: "2-D histogram")
        let x = normals(50_000, seed: 7), e = normals(50_000, seed: 8)
        let y = zip(x, e).map { 0.6 * $0 * $0 + 0.5 * $1 - 1 }
        let bins = 60
        let xe = linspace(-3.5, 3.5, bins + 1), ye = linspace(-2.5, 5, bins + 1)
        var c = [Double](repeating: 0, count: bins * bins)
        for (a, b) in zip(x, y) {
            let i = Int((a + 3.5) / 7 * Double(bins)), j = Int((b + 2.5) / 7.5 * Double(bins))
            if i >= 0 && i < bins && j >= 0 && j < bins { c[j * bins + i] += 1 }
        }
        f.panel.histogram2D(xEdges: xe, yEdges: ye, counts: Grid2D(columns: bins, rows: bins, values: c),
                            colorMap: .cividis, colorBarLabel: "count")
        f.panel.x.label = "$x$"
        f.panel.y.label = "$0.6x^2 + \\epsilon - 1$"
        return f
    }

    static func logAxes() -> Figure {
        var f = Figure(width: 640, height: 300, rows: 1, columns: 2, title: "Logarithmic axes")
        var a = Panel(title: "log–log")
        let n = (1...60).map { pow(10, Double($0) / 10) }
        a.line(x: n, y: n.map { 1 / $0.squareRoot() }, label: "$n^{-1/2}$")
        a.line(x: n, y: n.map { 1 / $0 }, dash: .dashed, label: "$n^{-1}$")
        a.x.scale = .log
        a.y.scale = .log
        a.x.label = "samples $n$"
        a.y.label = "error"
        a.x.showsGrid = true
        a.y.showsGrid = true
        var b = Panel(title: "semilog $y$")
        let x = linspace(0, 5, 100)
        b.line(x: x, y: x.map { exp(2 * $0) })
        b.y.scale = .log
        b.x.label = "$t$"
        b.y.label = "$e^{2t}$"
        f[0, 0] = a
        f[0, 1] = b
        return f
    }

    static func mathText() -> Figure {
        var f = Figure(width: 460, height: 300, title: "Math text")
        var p = Panel()
        let items = [
            "$p_Y(y)$", "$Y = \\exp(X)$", "$X \\in \\mathcal{N}(0,1)$", "$\\sigma^2$",
            "$\\log|\\det J_{T^{-1}}|$", "$x_i^2 \\le \\infty$, $\\partial f / \\partial x \\approx \\nabla f$",
            "$\\sqrt{2\\pi}\\,\\sigma \\cdot e^{-x^2/2}$", "$\\alpha, \\beta, \\Gamma, \\mu \\times \\nu \\sim \\Omega$",
        ]
        for (k, s) in items.enumerated() {
            p.text(s, x: 0.05, y: 0.93 - Double(k) * 0.12, size: 13, vertical: .center)
        }
        p.x.setLimits(0, 1)
        p.y.setLimits(0, 1)
        p.showsAxes = false
        f.panel = p
        return f
    }

    static func colorMaps() -> Figure {
        let maps: [ColorMap] = [.viridis, .magma, .cividis, .jet, .rezende]
        var f = Figure(width: 460, height: 200, rows: maps.count, columns: 1, title: "Colour maps")
        let g = Grid2D(columns: 256, rows: 1, values: (0..<256).map(Double.init))
        for (r, m) in maps.enumerated() {
            var p = Panel()
            p.heatMap(g, x: 0...1, y: 0...1, colorMap: m)
            p.showsAxes = false
            p.text(m.name, x: 0.01, y: 0.5, size: 9, color: m.name == "jet" || m.name == "rezende" ? .white : .white, vertical: .center)
            f[r, 0] = p
        }
        return f
    }

    static func gridSpans() -> Figure {
        var f = Figure(width: 560, height: 420, rows: 2, columns: 3, title: "Spanning panel and shared y axes")
        f.sharedY = true
        f.span(row: 0, column: 0, rowSpan: 1, columnSpan: 3)
                let xm = linspace(-4, 4, 400)
        for c in 0..<3 {
            let s = 1 + 0.3 * Double(c)
            f[0, 0].line(x: xm, y: xm.map { normalPDF($0, 0, s) }, color: Palette.default[c + 1], label: "$\\sigma = \(String(format: "%.1f", s))$")
        }
        f[0, 0].title = "wide panel (spans 3 columns)"
        f[0, 0].x.label = "$x$"
        for c in 0..<3 {
            let xs = normals(3000, seed: UInt64(10 + c), sd: 1 + 0.3 * Double(c))
            let h = histogram(xs, bins: 40, range: -4...4)
            f[1, c].histogram(edges: h.edges, heights: h.heights, fill: Palette.default[c + 1], alpha: 0.5)
            f[1, c].title = "$\\sigma = \(String(format: "%.1f", 1 + 0.3 * Double(c)))$"
            f[1, c].x.label = "$x$"
        }
        f[1, 0].y.label = "density"
        return f
    }

    /// Zdybał's Figure 2 style: two stacked panels, density histograms (alpha 0.4) with a
    /// 3 pt black analytic curve.
    static func zdybal() -> Figure {
        var f = Figure(width: 360, height: 430, rows: 2, columns: 1)
        let xs = normals(100_000, seed: 42)
        let hx = histogram(xs, bins: 80, range: -4...4)
        var top = Panel()
        top.histogram(edges: hx.edges, heights: hx.heights, fill: Color("#F0B51F"), alpha: 0.4)
        let gx = linspace(-4, 4, 400)
        top.line(x: gx, y: gx.map { normalPDF($0) }, color: .black, width: 3)
        top.x.label = "$X \\in \\mathcal{N}(0,1)$"
        top.y.label = "$p_X(X)$"
        var bottom = Panel()
        let ys = xs.map(exp)
        let hy = histogram(ys, bins: 80, range: 0...8)
        bottom.histogram(edges: hy.edges, heights: hy.heights, fill: Color("#336B8B"), alpha: 0.4)
        let gy = linspace(0.005, 8, 600)
        bottom.line(x: gy, y: gy.map { normalPDF(log($0)) / $0 }, color: .black, width: 3)
        bottom.x.label = "$Y = \\exp(X)$"
        bottom.y.label = "$p_Y(Y)$"
        f[0, 0] = top
        f[1, 0] = bottom
        return f
    }

    /// A Rezende & Mohamed Figure 1 style row: seven square density panels without axes.
    static func rezendeRow() -> Figure {
        var f = Figure(width: 700, height: 125, rows: 1, columns: 7)
        f.padding = 4
        for k in 0..<7 {
            let a = Double(k) * 0.35
            let g = Grid2D(columns: 100, rows: 100, x: -4...4, y: -4...4) { x, y in
                let u = 0.5 * pow(((x * x + y * y).squareRoot() - 2) / 0.4, 2)
                let w = sin(2 * Double.pi * x / 4 + a)
                return exp(-u) + exp(-0.5 * pow((y - w) / 0.4, 2)) * (k % 2 == 0 ? 0.6 : 0.3)
            }
            var p = Panel(title: "$\\mathcal{K}=\(k + 2)$")
            p.heatMap(g, x: -4...4, y: -4...4, colorMap: .rezende)
            p.showsAxes = false
            p.boxAspect = 1
            f[0, k] = p
        }
        return f
    }

    static func stress() -> Figure {
        var f = Figure(width: 620, height: 460, rows: 2, columns: 2, title: "Stress: long labels, tiny, huge and negative values")
        let x = linspace(0, 1, 50)
        f[0, 0].line(x: x.map { $0 * 1e-7 }, y: x.map { -$0 * $0 * 3e6 })
        f[0, 0].x.label = "a very long x label describing a quantity measured in tiny units (m)"
        f[0, 0].y.label = "huge negative values"
        f[0, 1].line(x: x.map { $0 * 1000 - 500 }, y: x.map { 1e-5 + $0 * 1e-6 })
        f[0, 1].title = "offset and tiny spans"
        f[1, 0].scatter(x: x.map { $0 * 12345.678 }, y: x.map { sin($0 * 20) * 0.0004 })
        f[1, 0].y.label = "$\\Delta \\log p(x) \\; [\\mathrm{nats}]$"
        f[1, 0].x.label = "iteration"
        f[1, 1].line(x: x, y: x.map { $0 * 0 + 2.5 }, label: "constant")
        f[1, 1].x.label = "$x$"
        return f
    }

    static func serif() -> Figure {
        var f = Figure(width: 400, height: 300, title: "Serif figure", font: Font(family: .serif, size: 10))
        let x = linspace(-3, 3, 300)
        f.panel.line(x: x, y: x.map { normalPDF($0) }, label: "$\\mathcal{N}(0,1)$")
        f.panel.line(x: x, y: x.map { 0.5 * exp(-abs($0)) }, dash: .dashed, label: "Laplace$(0,1)$")
        f.panel.x.label = "$x$"
        f.panel.y.label = "$p(x)$"
        return f
    }

    static func nanBreaks() -> Figure {
        var f = Figure(width: 400, height: 260, title: "NaN and ±∞ break lines")
        let x = linspace(-2, 2, 401)
        f.panel.line(x: x, y: x.map { v in abs(v - 0.5) < 0.2 ? .nan : (abs(v + 1) < 0.005 ? .infinity : sin(3 * v)) }, label: "$\\sin 3x$ with gaps")
        f.panel.line(x: x, y: x.map { 1 / $0 }, dash: .dashed, label: "$1/x$")
        f.panel.y.setLimits(-3, 3)
        f.panel.x.label = "$x$"
        return f
    }
}
