import FlowKit
import Foundation
import Plot

/// The `pairs` figure (issue 5: "a pair-plot grid of marginals and 2-D histograms when d > 2").
extension MultivariateFigurePlan {
    /// The closed-form law of the output coordinates, where the chain keeps one (see
    /// ``GaussianMarginals``).
    public var gaussianMarginals: GaussianMarginals? {
        GaussianMarginals(base: experiment.base, maps: experiment.maps)
    }

    /// P(edges[k] < X ≤ edges[k+1]) for X ~ N(μ, σ²): the expected fraction of all samples in
    /// each bin of a diagonal histogram.
    public static func binProbabilities(edges: [Double], mean: Double, standardDeviation sd: Double) -> [Double] {
        guard edges.count >= 2 else { return [] }
        return (0..<(edges.count - 1)).map {
            GaussianMarginals.probability(edges[$0], edges[$0 + 1], mean: mean, standardDeviation: sd)
        }
    }

    /// The streamed 2-D histogram of (x_j, x_i) as densities on a grid with x_j along the
    /// columns and x_i along the rows: the requested histogram of the pair j < i, or the
    /// transpose of that of (x_i, x_j).
    func pairGrid(row i: Int, column j: Int, ranges r: [ClosedRange<Double>], bins n: Int,
                  run: Run) -> (grid: Grid2D, histogram: FlowKit.Histogram2D)? {
        let (a, b) = j < i ? (j, i) : (i, j)
        let key = PlaneHistogramRequest(source: .flow, x: r[a], y: r[b], bins: n, xCoordinate: a, yCoordinate: b)
        guard let h = run.planes[key] else { return nil }
        let densities = h.densities(normalizedBy: .allSamples)
        if j < i { return (Grid2D(columns: h.xBinCount, rows: h.yBinCount, values: densities), h) }
        var transposed = [Double](repeating: 0, count: densities.count)
        for iy in 0..<h.yBinCount {
            for ix in 0..<h.xBinCount { transposed[ix * h.yBinCount + iy] = densities[iy * h.xBinCount + ix] }
        }
        return (Grid2D(columns: h.yBinCount, rows: h.xBinCount, values: transposed), h)
    }

    /// A d × d grid (row i, column j): on the diagonal the density-normalised histogram of x_i
    /// with its closed-form normal marginal N(μᵢ, Σᵢᵢ) where ``GaussianMarginals`` knows one;
    /// off the diagonal the 2-D histogram of (x_j, x_i). Axes are shared per column (x_j) and
    /// per row (x_i); tick labels and axis labels only on the bottom row and left column. The
    /// diagonal's heights are scaled into the row's range (the matplotlib/seaborn pair-plot
    /// convention), so its y ticks are those of x_i, not a density scale.
    func pairsFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let d = experiment.dimension
        let r = pairRanges(request)
        let n = bins(request)
        let side = d <= 4 ? 150.0 : 110.0
        var figure = newFigure(o, rows: d, columns: d,
                               size: FigureSize(width: Double(d) * side + 50, height: Double(d) * side + 40 + (o.title == nil ? 0 : 18)))
        let fill = o.color(ofPanel: 0).flatMap { Color($0) } ?? Color("#336B8B") ?? .black
        let map = colorMap(o)
        let closed = gaussianMarginals
        func label(_ k: Int) -> String { o.xLabel(ofPanel: k) ?? "$x_{\(k + 1)}$" }
        var notes: [String] = []
        var outside = 0.0
        for i in 0..<d {
            for j in 0..<d {
                var p = Panel()
                p.x.setLimits(r[j].lowerBound, r[j].upperBound)
                p.y.setLimits(r[i].lowerBound, r[i].upperBound)
                p.x.label = i == d - 1 ? label(j) : nil
                p.y.label = j == 0 ? label(i) : nil
                p.x.showsTickLabels = i == d - 1
                p.y.showsTickLabels = j == 0
                p.boxAspect = 1
                p.legend = nil
                if i == j {
                    let low = r[i].lowerBound, span = r[i].upperBound - r[i].lowerBound
                    let h = run.histograms[marginalRequest(coordinate: i, range: r[i], bins: n)]
                    let heights = h?.densities(normalizedBy: .allSamples) ?? []
                    let law = closed?.marginal(i)
                    let xs = r[i].equallySpaced(201)
                    let curve = law.map { m in xs.map { GaussianMarginals.density($0, mean: m.mean, standardDeviation: m.standardDeviation) } } ?? []
                    let top = max(heights.filter(\.isFinite).max() ?? 0, curve.max() ?? 0)
                    let scale = top > 0 ? 0.9 * span / top : 0
                    if let h {
                        p.add(StepHistogram(edges: h.edges, heights: heights.map { low + scale * $0 },
                                            fill: fill.withAlpha(fill.alpha * (o.alpha ?? 0.45)), baseline: low))
                        outside = max(outside, (h.underflow + h.overflow + h.nanCount) / max(h.totalCount, 1))
                    }
                    if let law {
                        p.line(x: xs, y: curve.map { low + scale * $0 }, color: .black, width: o.lineWidth ?? 1.5)
                        let mass = GaussianMarginals.probability(r[i].lowerBound, r[i].upperBound, mean: law.mean, standardDeviation: law.standardDeviation)
                        notes.append("x\(Self.subscriptDigits(i + 1)) ~ N(\(Run.format(law.mean)), \(Run.format(law.standardDeviation))²), mass \(Run.format(mass)) in range")
                    } else {
                        notes.append("x\(Self.subscriptDigits(i + 1)): none")
                    }
                } else if let pair = pairGrid(row: i, column: j, ranges: r, bins: n, run: run) {
                    p.histogram2D(xEdges: r[j].equallySpaced(n + 1), yEdges: r[i].equallySpaced(n + 1), counts: pair.grid,
                                  colorMap: map, emptyIsClear: true)
                }
                figure[i, j] = p
            }
        }
        let rangesText = (0..<d).map { "x\(Self.subscriptDigits($0 + 1)) ∈ [\(Run.format(r[$0].lowerBound)), \(Run.format(r[$0].upperBound))]" }
            .joined(separator: ", ")
        var caption = "Pair plot of the \(d) output coordinates over all \(run.samples) samples, streamed in chunks (\(rangesText)). "
            + "Diagonal: density-normalised \(n)-bin histogram of each coordinate with, as a black line, its closed-form normal marginal where the chain keeps one (normal base through linear, affine and permutation maps, and coordinates a coupling keeps): "
            + notes.joined(separator: "; ")
            + "; heights scaled to the panel (the y ticks are those of the row's coordinate). "
            + "Off-diagonal, row i and column j: the \(n) × \(n)-bin histogram of (x_j, x_i), each panel coloured from 0 to its own maximum density."
        if outside > 0 {
            caption += String(format: " At most %.2g %% of the samples fall outside a coordinate's range.", 100 * outside)
        }
        return BuiltFigure(id: "pairs", title: o.title ?? "Pair plot of the output", caption: caption, figure: figure)
    }

    /// Unicode subscript digits (`12` → `₁₂`) for captions.
    static func subscriptDigits(_ k: Int) -> String {
        String(String(k).compactMap { c in c.wholeNumberValue.flatMap { UnicodeScalar(0x2080 + $0).map(Character.init) } })
    }
}
