import Foundation
import Plot
import PlotCairo

/// Plot speed: the reference figure — two panels, each with a 200-bin step histogram
/// and two 1,000-point curves — rendered to PNG at 150 dpi and to PDF. Timed on the thread's
/// CPU-time clock (see ``Timing``), so that other work on a shared machine does not count.
enum PlotBenchmark {
    static func referenceFigure() -> Figure {
        var fig = Figure(width: 460.8, height: 345.6, rows: 2, columns: 1)
        for row in 0..<2 {
            var p = Panel(title: row == 0 ? "$X \\sim \\mathcal{N}(0,1)$" : "$Y = \\exp(X)$")
            let edges = (0...200).map { -4 + 8 * Double($0) / 200 }
            let heights = (0..<200).map { i -> Double in
                let x = (edges[i] + edges[i + 1]) / 2
                return exp(-x * x / 2) / (2 * Double.pi).squareRoot() * (1 + 0.1 * sin(Double(i) * 1.7 + Double(row)))
            }
            p.histogram(edges: edges, heights: heights, alpha: 0.4, label: "samples")
            let xs = (0..<1000).map { -4 + 8 * Double($0) / 999 }
            p.line(x: xs, y: xs.map { exp(-$0 * $0 / 2) / (2 * Double.pi).squareRoot() }, color: .black, width: 2, label: "density")
            p.line(x: xs, y: xs.map { 0.5 * exp(-($0 - 1) * ($0 - 1) / 2) / (2 * Double.pi).squareRoot() }, dash: .dashed, label: "shifted")
            p.x.label = row == 1 ? "$x$" : nil
            p.y.label = "$p_X(x)$"
            fig[row, 0] = p
        }
        return fig
    }

    static let twoPanelPNGAndPDF = Benchmark(
        name: "plot-two-panel",
        summary: "two panels, 2×200-bin histograms, 4×1000-point curves → PNG 150 dpi + PDF"
    ) {
        let fig = referenceFigure()
        var times: [Double] = []
        var pngBytes = 0, pdfBytes = 0
        for _ in 0..<25 {
            let t0 = Timing.now(.thread)
            let png = try fig.pngData(dpi: 150)
            let pdf = try fig.pdfData()
            let t1 = Timing.now(.thread)
            pngBytes = png.count
            pdfBytes = pdf.count
            times.append(Double(t1 - t0) / 1e6)
        }
        times.sort()
        let median = times[times.count / 2]
        // Breakdown: each part alone (median of 15).
        func med(_ body: () throws -> Void) rethrows -> Double {
            var t: [Double] = []
            for _ in 0..<15 {
                let a = Timing.now(.thread)
                try body()
                t.append(Double(Timing.now(.thread) - a) / 1e6)
            }
            return t.sorted()[t.count / 2]
        }
        let png = try med { _ = try fig.pngData(dpi: 150) }
        let pdf = try med { _ = try fig.pdfData() }
        let layout = med { _ = FigureRenderer.layout(fig, renderer: RecordingRenderer()) }
        return BenchmarkOutput(rows: [BenchmarkRow(
            name: "plot two panels PNG+PDF", value: median, unit: "ms", reference: nil, target: .below(50),
            detail: String(format: "median, CPU time; min %.1f ms, max %.1f ms over %d runs (PNG %d B, PDF %d B); "
                           + "alone: PNG %.1f ms, PDF %.1f ms, layout (recording renderer) %.2f ms",
                           times[0], times[times.count - 1], times.count, pngBytes, pdfBytes, png, pdf, layout))])
    }
}

extension PlotBenchmark {
    /// Rasterization alone (no PNG encoding, but with the copy out to straight-alpha RGBA) and
    /// PNG encoding alone of that RGBA image, for the breakdown. With `FLOWBENCH_OUT=DIR` set,
    /// also writes the reference figure to DIR/plot-two-panel.png and .pdf for inspection.
    static let rasterOnly = Benchmark(name: "plot-raster", summary: "rasterize the reference figure at 150 dpi; encode its pixels") {
        let fig = referenceFigure()
        if let dir = ProcessInfo.processInfo.environment["FLOWBENCH_OUT"] {
            try fig.write(to: (dir as NSString).appendingPathComponent("plot-two-panel.png"), dpi: 150)
            try fig.write(to: (dir as NSString).appendingPathComponent("plot-two-panel.pdf"))
        }
        var raster: [Double] = [], encode: [Double] = []
        var bytes = 0
        for _ in 0..<15 {
            let a = Timing.now(.thread)
            let image = try PNGImage.rasterize(fig, dpi: 150)
            let b = Timing.now(.thread)
            bytes = try PNGEncoder.encode(image, dpi: 150).count
            raster.append(Double(b - a) / 1e6)
            encode.append(Double(Timing.now(.thread) - b) / 1e6)
        }
        return BenchmarkOutput(rows: [
            BenchmarkRow(name: "plot raster only (to RGBA)", value: raster.sorted()[raster.count / 2], unit: "ms",
                         reference: nil, target: nil, detail: "median of 15, CPU time"),
            BenchmarkRow(name: "plot PNG encoding only", value: encode.sorted()[encode.count / 2], unit: "ms",
                         reference: nil, target: nil, detail: "median of 15, CPU time; \(bytes) B"),
        ])
    }
}
