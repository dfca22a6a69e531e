import FlowKit
import Foundation
import Plot

/// Turns the figure requests of a d-dimensional experiment (d ≥ 2) into the histograms the
/// streaming pass must fill and, after the run, into Plot figures: density heat maps by Eq. 5
/// and Eq. 4 and their difference, sample histograms and scatters, Rezende & Mohamed
/// (2015, Figure 1) style stage rows, Dinh et al. (2017, Figure 1) style warped grids,
/// marginals, and the energies and toy data sets of `flows.md` §4 and §6.
public struct MultivariateFigurePlan: FigurePlanner {
    public let experiment: Experiment
    /// Automatic plotting range of every output coordinate, from the pilot sample.
    public let automaticRanges: [ClosedRange<Double>]
    /// The first ``pilotPoints`` base draws of the pilot and their images: the points of
    /// scatters and warped grids, and of the automatic ranges.
    public let pilotBase: PointBatch
    public let pilotOutput: PointBatch

    /// Pilot points used for automatic ranges and scatters (sorting a whole chunk per
    /// coordinate is not needed for a plotting range).
    public static let pilotPoints = 4096

    /// Default heat-map resolution (cells per axis) and histogram bins per axis.
    public static let defaultResolution = 200
    public static let defaultBins = 100
    /// The box of `targets` figures without a `range`: (−4, 4)², the energies' box.
    public static let targetBox: [ClosedRange<Double>] = [-4...4, -4...4]

    /// The plan with the automatic range of each output coordinate from the first
    /// ``pilotPoints`` pilot samples (``AutomaticRange``, snapped to the output's support).
    public init(experiment: Experiment, pilot: SamplePass.Pilot) {
        let points = pilot.prefix(Self.pilotPoints)
        self.experiment = experiment
        pilotBase = points.base
        pilotOutput = points.output
        let output = points.output
        automaticRanges = (0..<experiment.dimension).map { j in
            let values = (0..<output.count).map { output[$0, j] }
            return AutomaticRange.range(of: values, support: experiment.flow.support[j]) ?? -4...4
        }
    }

    /// The plotted box of `request` (coordinates 0 and 1).
    public func box(_ request: FigureRequest) -> [ClosedRange<Double>] {
        if let box = request.options.box { return box }
        if request.kind == .targets { return Self.targetBox }
        return Array(automaticRanges.prefix(2))
    }

    /// The box of the checks: that of the first `density`, `stages` or `samples` figure, or the
    /// automatic box.
    public var checkBox: [ClosedRange<Double>] {
        if experiment.isTargetOnly { return Self.targetBox }
        for request in experiment.figures where [.density, .stages, .samples].contains(request.kind) {
            return box(request)
        }
        return Array(automaticRanges.prefix(2))
    }

    func bins(_ request: FigureRequest) -> Int {
        request.options.bins ?? (request.kind == .targets ? 200 : Self.defaultBins)
    }

    /// The targets a `targets` figure shows: its `names`, or the spec's reference target.
    func targets(_ request: FigureRequest) -> [TargetCatalog.Target] {
        if let names = request.options.targetNames { return names.compactMap { try? TargetCatalog.target(named: $0) } }
        return experiment.target.map { [$0] } ?? []
    }

    /// The 2-D histograms the figures need, without duplicates, in figure order.
    public var planeRequests: [PlaneHistogramRequest] {
        var out: [PlaneHistogramRequest] = []
        func add(_ r: PlaneHistogramRequest) { if !out.contains(r) { out.append(r) } }
        for request in experiment.figures {
            let b = box(request)
            switch request.kind {
            case .samples:
                add(PlaneHistogramRequest(source: .flow, x: b[0], y: b[1], bins: bins(request)))
            case .pairs:
                let r = pairRanges(request)
                for i in 0..<experiment.dimension {
                    for j in 0..<i {
                        add(PlaneHistogramRequest(source: .flow, x: r[j], y: r[i], bins: bins(request), xCoordinate: j, yCoordinate: i))
                    }
                }
            case .targets:
                for case let .dataset(d) in targets(request) {
                    add(PlaneHistogramRequest(source: .dataset(d), x: b[0], y: b[1], bins: bins(request)))
                }
            default: break
            }
        }
        return out
    }

    /// The 1-D histograms of output coordinates the `marginals` and `pairs` figures need.
    public var histogramRequests: [HistogramRequest] {
        var out: [HistogramRequest] = []
        for request in experiment.figures where request.kind == .marginals || request.kind == .pairs {
            let pairs = pairRanges(request)
            for j in 0..<experiment.dimension {
                let range = request.kind == .pairs ? pairs[j] : marginalRange(request, coordinate: j)
                let r = marginalRequest(coordinate: j, range: range, bins: bins(request))
                if !out.contains(r) { out.append(r) }
            }
        }
        return out
    }

    /// The histogram of output coordinate `coordinate` on `range`.
    func marginalRequest(coordinate: Int, range: ClosedRange<Double>, bins: Int) -> HistogramRequest {
        HistogramRequest(stage: experiment.maps.count, coordinate: coordinate, range: range, bins: bins)
    }

    /// The range of coordinate `coordinate` in a `marginals` figure: its `range` for the first
    /// two, the automatic range otherwise.
    func marginalRange(_ request: FigureRequest, coordinate j: Int) -> ClosedRange<Double> {
        j < 2 ? (request.options.box?[j] ?? automaticRanges[j]) : automaticRanges[j]
    }

    /// The range of every coordinate in a `pairs` figure: its `range` (one per coordinate), or
    /// the automatic ranges of the pilot sample.
    public func pairRanges(_ request: FigureRequest) -> [ClosedRange<Double>] {
        if let box = request.options.box, box.count == experiment.dimension { return box }
        return automaticRanges
    }

    /// The energies shown by `targets` figures, each with the box it is drawn on.
    public var energies: [(Energy, [ClosedRange<Double>])] {
        var out: [(Energy, [ClosedRange<Double>])] = []
        for request in experiment.figures where request.kind == .targets {
            for case let .energy(e) in targets(request) where !out.contains(where: { $0.0 == e }) {
                out.append((e, box(request)))
            }
        }
        return out
    }

    // MARK: - Building

    /// Builds every requested figure from the run's results.
    public func figures(run: Run) -> [BuiltFigure] {
        numbered(experiment.figures) { build($0, run: run) }
    }

    func build(_ request: FigureRequest, run: Run) -> BuiltFigure {
        switch request.kind {
        case .density: return density(request, run: run)
        case .samples: return samplesFigure(request, run: run)
        case .stages: return stagesFigure(request, run: run)
        case .warpedGrid: return warpedGrid(request, run: run)
        case .marginals: return marginalsFigure(request, run: run)
        case .targets: return targetsFigure(request, run: run)
        case .pairs: return pairsFigure(request, run: run)
        default:   // 1-D kinds: rejected for d ≥ 2 by the loader
            return BuiltFigure(id: request.kind.rawValue, title: request.kind.rawValue, caption: "", figure: Figure())
        }
    }

    func colorMap(_ options: FigureOptions, fallback: ColorMap = .viridis) -> ColorMap {
        options.colorMap.flatMap(ColorMap.named) ?? fallback
    }

    func newFigure(_ options: FigureOptions, rows: Int, columns: Int, size: FigureSize) -> Figure {
        let s = options.size ?? size
        let family: Font.Family = experiment.output.font == .serif ? .serif : .sans
        return Figure(width: s.width, height: s.height, rows: rows, columns: columns, title: options.title,
                      font: Font(family: family, size: 10))
    }

    /// A square-box panel with labels x₁, x₂ (or the spec's), axes per `axes`.
    func planePanel(_ options: FigureOptions, box b: [ClosedRange<Double>], title: String?, panel: Int = 0) -> Panel {
        var p = Panel(title: title)
        p.x.setLimits(b[0].lowerBound, b[0].upperBound)
        p.y.setLimits(b[1].lowerBound, b[1].upperBound)
        p.showsAxes = options.showsAxes ?? true
        p.x.label = options.xLabel(ofPanel: panel) ?? "$x_1$"
        // Without axes only a y label the spec gives is drawn (a row label).
        p.y.label = options.yLabel(ofPanel: panel) ?? (p.showsAxes ? "$x_2$" : nil)
        p.boxAspect = 1
        p.legend = nil
        p.x.showsGrid = options.grid ?? false
        p.y.showsGrid = options.grid ?? false
        return p
    }

    static func densityGrid(_ logP: [Double], columns: Int, rows: Int) -> Grid2D {
        Grid2D(columns: columns, rows: rows, values: logP.map { $0.isFinite ? exp($0) : ($0 == -.infinity ? 0 : .nan) })
    }

    func density(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let b = box(request)
        let n = o.resolution ?? Self.defaultResolution
        let grid = PlaneDensity(flow: experiment.flow, x: b[0], y: b[1], columns: n, rows: n, eq4: true, jobs: run.jobs)
        var figure = newFigure(o, rows: 1, columns: 3, size: FigureSize(width: 760, height: 270))
        let map = colorMap(o)
        let eq5 = Self.densityGrid(grid.logEq5, columns: n, rows: n)
        let eq4 = Self.densityGrid(grid.logEq4 ?? [], columns: n, rows: n)
        let top = Self.robustMaximum(eq5.values)
        var p5 = planePanel(o, box: b, title: "$p$ by Eq. 5 (inverse)", panel: 0)
        p5.heatMap(eq5, x: b[0], y: b[1], colorMap: map, lower: 0, upper: top, colorBarLabel: "density")
        let levels = o.contours ?? 0
        if levels > 0 {
            let clipped = Grid2D(columns: n, rows: n, values: eq5.values.map { min($0, top ?? $0) })
            p5.contour(eq5, x: b[0], y: b[1], levels: ContourMark.niceLevels(clipped, count: levels), colors: [.white], width: 0.6)
        }
        var p4 = planePanel(o, box: b, title: "$p$ by Eq. 4 (forward)", panel: 1)
        p4.heatMap(eq4, x: b[0], y: b[1], colorMap: map, lower: 0, upper: top, colorBarLabel: "density")
        // log10 |log p_Eq4 − log p_Eq5|, floored at 1e−18 (exact agreement).
        let difference = zip(grid.logEq4 ?? [], grid.logEq5).map { u, v -> Double in
            guard u.isFinite, v.isFinite else { return .nan }
            return log10(max(abs(u - v), 1e-18))
        }
        var pd = planePanel(o, box: b, title: "$\\log_{10}|\\log p_{Eq4} - \\log p_{Eq5}|$", panel: 2)
        pd.heatMap(Grid2D(columns: n, rows: n, values: difference), x: b[0], y: b[1], colorMap: .magma, colorBarLabel: "log₁₀ difference")
        figure[0, 0] = p5
        figure[0, 1] = p4
        figure[0, 2] = pd
        let worst = DensityGrid.maxAbsoluteDifference(grid.logEq4 ?? [], grid.logEq5)
        return BuiltFigure(id: "density", title: o.title ?? "Density of the flow on the plane",
                           caption: "The output density on the centres of \(n) × \(n) cells of \(Run.boxText(b)): by Eq. 5 (inverse pass with inverse log-dets)\(levels > 0 ? " with contours" : ""), by Eq. 4 (forward log-dets at the preimages), both coloured up to the 99.5th percentile of the Eq. 5 values, and log₁₀ of their absolute log difference (max \(Run.format(worst)); 10⁻¹⁸ marks exact agreement; blank where the density is zero). Midpoint-rule integral over the box: \(Run.format(grid.integral)).",
                           figure: figure)
    }

    func samplesFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let b = box(request)
        var figure = newFigure(o, rows: 1, columns: 2, size: FigureSize(width: 560, height: 280))
        let key = PlaneHistogramRequest(source: .flow, x: b[0], y: b[1], bins: bins(request))
        var left = planePanel(o, box: b, title: "2-D histogram of all samples", panel: 0)
        var note = ""
        if let h = run.planes[key] {
            left.histogram2D(xEdges: h.xEdges, yEdges: h.yEdges,
                             counts: Grid2D(columns: h.xBinCount, rows: h.yBinCount, values: h.densities(normalizedBy: .allSamples)),
                             colorMap: colorMap(o), colorBarLabel: "density")
            if h.outOfRange + h.nanCount > 0 {
                note = String(format: " %.0f samples (%.2g %%) fall outside the box.", h.outOfRange + h.nanCount,
                              100 * (h.outOfRange + h.nanCount) / max(h.totalCount, 1))
            }
        }
        let shown = min(o.points ?? 2000, pilotOutput.count)
        var right = planePanel(o, box: b, title: "\(shown) samples", panel: 1)
        let c = o.color(ofPanel: 0).flatMap { Color($0) } ?? Color("#336B8B") ?? .black
        right.scatter(x: (0..<shown).map { pilotOutput[$0, 0] }, y: (0..<shown).map { pilotOutput[$0, 1] },
                      size: 2, color: c, alpha: o.alpha ?? 0.5)
        figure[0, 0] = left
        figure[0, 1] = right
        let coords = experiment.dimension > 2 ? " (coordinates 1 and 2 of \(experiment.dimension))" : ""
        return BuiltFigure(id: "samples", title: o.title ?? "Samples of the flow",
                           caption: "Density-normalised \(bins(request)) × \(bins(request))-bin histogram of all \(run.samples) samples, streamed in chunks, and a scatter of the first \(shown)\(coords).\(note)",
                           figure: figure)
    }

    /// The panels of a stages figure: (chain, K) in row order.
    func stageRows(_ request: FigureRequest) -> [StageRow] {
        if let rows = request.options.stageRows { return rows }
        return [StageRow(entries: [StageRow.Entry(chain: "flow", stages: request.options.stageList ?? Array(0...experiment.maps.count))])]
    }

    func stagesFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let b = box(request)
        let n = o.resolution ?? Self.defaultResolution
        let rows = stageRows(request)
        let columns = rows.map(\.panelCount).max() ?? 1
        var figure = newFigure(o, rows: rows.count, columns: columns,
                               size: FigureSize(width: Double(columns) * 96 + 12, height: Double(rows.count) * 112 + (o.title == nil ? 12 : 30)))
        let map = colorMap(o, fallback: .rezende)
        var descriptions: [String] = []
        for (r, row) in rows.enumerated() {
            var column = 0
            for entry in row.entries {
                guard let chain = experiment.chain(named: entry.chain) else { continue }
                if r == 0 || !descriptions.contains(where: { $0.hasPrefix(entry.chain + ":") }) {
                    descriptions.append("\(entry.chain): base \(chain.baseDescription.displayText), \(chain.maps.count) × \(chain.label)")
                }
                for k in entry.stages {
                    var p = Panel(title: k == 0 ? "$q_0$" : "\(chain.label) K = \(k)")
                    if let partial = try? TransformChain(maps: Array(chain.maps.prefix(k)), dimension: 2),
                       let flow = try? Flow(base: chain.base, chain: partial) {
                        let grid = PlaneDensity(flow: flow, x: b[0], y: b[1], columns: n, rows: n, eq4: false, jobs: run.jobs)
                        let values = Self.densityGrid(grid.logEq5, columns: n, rows: n)
                        p.heatMap(values, x: b[0], y: b[1], colorMap: map, lower: 0, upper: Self.robustMaximum(values.values))
                    }
                    p.x.setLimits(b[0].lowerBound, b[0].upperBound)
                    p.y.setLimits(b[1].lowerBound, b[1].upperBound)
                    p.showsAxes = o.showsAxes ?? false
                    p.boxAspect = 1
                    p.legend = nil
                    figure[r, column] = p
                    column += 1
                }
            }
        }
        return BuiltFigure(id: "stages", title: o.title ?? "The density after K maps",
                           caption: "Density by Eq. 5 of the first K maps of each chain on \(Run.boxText(b)) (\(n) × \(n) cells; each panel coloured from 0 to the 99.5th percentile of its positive values; Rezende & Mohamed 2015, Figure 1). Rows: " + descriptions.joined(separator: "; ") + ".",
                           figure: figure)
    }

    /// The 99.5th percentile of the positive finite values: the top of a stage panel's colour
    /// scale, so that a near-singular spike (a contracting map's peak) does not turn the rest
    /// of the panel into the bottom colour; nil when there are none.
    static func robustMaximum(_ values: [Double]) -> Double? {
        let positive = values.filter { $0.isFinite && $0 > 0 }.sorted()
        guard !positive.isEmpty else { return nil }
        return positive[min(positive.count - 1, Int(0.995 * Double(positive.count)))]
    }

    /// The lines of a regular grid on `box` (`lines` per axis, `points` per line) mapped by
    /// `transform` (a batch map); each line is a polyline, NaN where the map fails.
    static func warpedLines(box: [ClosedRange<Double>], lines: Int, points: Int,
                            transform: (inout PointBatch) -> Void) -> [(x: [Double], y: [Double])] {
        let ticks = [box[0].equallySpaced(lines), box[1].equallySpaced(lines)]
        let along = [box[0].equallySpaced(points), box[1].equallySpaced(points)]
        var out: [(x: [Double], y: [Double])] = []
        for axis in 0..<2 {
            for t in ticks[1 - axis] {
                var batch = PointBatch(dimension: 2, count: points)
                for i in 0..<points {
                    batch[i, axis] = along[axis][i]
                    batch[i, 1 - axis] = t
                }
                transform(&batch)
                out.append(((0..<points).map { batch[$0, 0] }, (0..<points).map { batch[$0, 1] }))
            }
        }
        return out
    }

    func warpedGrid(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let outputBox = box(request)
        let lines = o.lines ?? 15, points = o.points ?? 200
        let chain = experiment.flow.chain
        let baseValues = (0..<2).map { j in (0..<pilotBase.count).map { pilotBase[$0, j] } }
        let baseBox = (0..<2).map { j in AutomaticRange.range(of: baseValues[j], support: experiment.base.support[j]) ?? -3...3 }
        var figure = newFigure(o, rows: 1, columns: 2, size: FigureSize(width: 600, height: 310))
        let shown = min(o.points ?? 2000, pilotOutput.count)
        let dots = o.color(ofPanel: 0).flatMap { Color($0) } ?? Color("#336B8B") ?? .black
        let lineColor = Color("#D55E00") ?? .black
        let codomain = chain.codomain(dimension: 2)
        let domain = chain.domain(dimension: 2)

        var left = planePanel(o, box: baseBox, title: "latent $z = T^{-1}(x)$: output grid pulled back", panel: 0)
        left.x.label = o.xLabel(ofPanel: 0) ?? "$z_1$"
        left.y.label = o.yLabel(ofPanel: 0) ?? "$z_2$"
        left.scatter(x: (0..<shown).map { pilotBase[$0, 0] }, y: (0..<shown).map { pilotBase[$0, 1] },
                     size: 2, color: dots, alpha: o.alpha ?? 0.35)
        for line in Self.warpedLines(box: outputBox, lines: lines, points: points, transform: { batch in
            var scratch = [Double](repeating: 0, count: batch.count)
            Self.masked(&batch, inside: codomain) { chain.inverse(&$0, logAbsDet: &scratch) }
        }) {
            left.line(x: line.x, y: line.y, color: lineColor, width: 0.7)
        }
        var right = planePanel(o, box: outputBox, title: "data $x = T(z)$: latent grid pushed forward", panel: 1)
        right.scatter(x: (0..<shown).map { pilotOutput[$0, 0] }, y: (0..<shown).map { pilotOutput[$0, 1] },
                      size: 2, color: dots, alpha: o.alpha ?? 0.35)
        for line in Self.warpedLines(box: baseBox, lines: lines, points: points, transform: { batch in
            var scratch = [Double](repeating: 0, count: batch.count)
            Self.masked(&batch, inside: domain) { chain.forward(&$0, logAbsDet: &scratch) }
        }) {
            right.line(x: line.x, y: line.y, color: lineColor, width: 0.7)
        }
        figure[0, 0] = left
        figure[0, 1] = right
        return BuiltFigure(id: "warped_grid", title: o.title ?? "Warped grid lines",
                           caption: "Left: \(shown) base samples z with a regular \(lines) × \(lines)-line grid on the output box \(Run.boxText(outputBox)) pulled back through T⁻¹. Right: their images x = T(z) with a regular grid on the base box \(Run.boxText(baseBox)) pushed through T (Dinh et al. 2017, Figure 1).",
                           figure: figure)
    }

    /// Applies `body` to `batch`, with points outside `box` replaced first and set to NaN after
    /// (a break in the line), so maps never see inputs outside their domain.
    static func masked(_ batch: inout PointBatch, inside box: [Interval], _ body: (inout PointBatch) -> Void) {
        var outside: [Int] = []
        for i in 0..<batch.count where !(box[0].contains(batch[i, 0]) && box[1].contains(batch[i, 1])) {
            outside.append(i)
            batch[i, 0] = interior(box[0])
            batch[i, 1] = interior(box[1])
        }
        body(&batch)
        for i in outside { batch[i, 0] = .nan; batch[i, 1] = .nan }
    }

    /// A point strictly inside `interval` (a midpoint, or one unit in from a finite end).
    static func interior(_ interval: Interval) -> Double {
        switch (interval.lower.isFinite, interval.upper.isFinite) {
        case (true, true): return interval.lower / 2 + interval.upper / 2
        case (true, false): return interval.lower + max(1, abs(interval.lower))
        case (false, true): return interval.upper - max(1, abs(interval.upper))
        case (false, false): return 0
        }
    }

    func marginalsFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let d = experiment.dimension
        var figure = newFigure(o, rows: 1, columns: d, size: FigureSize(width: Double(d) * 260, height: 260))
        let c = o.color(ofPanel: 0).flatMap { Color($0) } ?? Color("#336B8B") ?? .black
        let grid = d == 2 ? run.checkDensity : nil
        for j in 0..<d {
            let range = marginalRange(request, coordinate: j)
            var p = Panel()
            if let h = run.histograms[marginalRequest(coordinate: j, range: range, bins: bins(request))] {
                p.histogram(edges: h.edges, heights: h.densities(normalizedBy: .allSamples), fill: c, alpha: o.alpha ?? 0.4, label: "samples")
            }
            if let grid {
                // Marginal of the Eq. 5 density on the check grid: sum over the other axis.
                let p5 = grid.densities
                let n = j == 0 ? grid.columns : grid.rows
                let centres = (0..<n).map { k in
                    (j == 0 ? grid.x.lowerBound : grid.y.lowerBound) + (Double(k) + 0.5) * (j == 0 ? grid.cellWidth : grid.cellHeight)
                }
                let marginal = (0..<n).map { k -> Double in
                    var s = 0.0
                    if j == 0 { for r in 0..<grid.rows { s += p5[r * grid.columns + k] } } else {
                        for i in 0..<grid.columns { s += p5[k * grid.columns + i] }
                    }
                    return s * (j == 0 ? grid.cellHeight : grid.cellWidth)
                }
                p.line(x: centres, y: marginal, color: .black, width: o.lineWidth ?? 1.5,
                       label: "Eq. 5, integrated over \(Run.boxText([j == 0 ? grid.y : grid.x]))")
            }
            p.x.label = o.xLabel(ofPanel: j) ?? "$x_{\(j + 1)}$"
            p.y.label = o.yLabel(ofPanel: j) ?? "density"
            p.x.setLimits(range.lowerBound, range.upperBound)
            p.y.lower = 0
            p.legend = j == 0 ? .best : nil
            figure[0, j] = p
        }
        return BuiltFigure(id: "marginals", title: o.title ?? "Marginals of the output",
                           caption: "Density-normalised histograms of each output coordinate over all \(run.samples) samples" + (d == 2 ? ", with the marginal of the Eq. 5 density (midpoint rule over the other coordinate, within the check box)." : "."),
                           figure: figure)
    }

    func targetsFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let o = request.options
        let b = box(request)
        let shown = targets(request)
        let n = o.resolution ?? Self.defaultResolution
        var figure = newFigure(o, rows: 1, columns: max(shown.count, 1),
                               size: FigureSize(width: Double(max(shown.count, 1)) * 180 + 12, height: 205 + (o.title == nil ? 0 : 18)))
        let map = colorMap(o)
        var notes: [String] = []
        for (k, target) in shown.enumerated() {
            var p = planePanel(o, box: b, title: target.name, panel: k)
            switch target {
            case let .energy(e):
                let z = run.normalizers[e]?.value ?? 1
                let grid = Grid2D(columns: n, rows: n, x: b[0], y: b[1]) { exp(-e.potential($0, $1)) / z }
                p.heatMap(grid, x: b[0], y: b[1], colorMap: map, lower: 0)
                p.title = "$\\exp(-U_{\(e.name.dropFirst())})/Z$"
                notes.append("\(e.name): Z = \(Run.format(z))")
            case let .dataset(d):
                let key = PlaneHistogramRequest(source: .dataset(d), x: b[0], y: b[1], bins: bins(request))
                if let h = run.planes[key] {
                    p.histogram2D(xEdges: h.xEdges, yEdges: h.yEdges,
                                  counts: Grid2D(columns: h.xBinCount, rows: h.yBinCount, values: h.densities(normalizedBy: .allSamples)),
                                  colorMap: map)
                }
            }
            if k > 0 { p.y.label = nil }
            figure[0, k] = p
        }
        let energies = shown.filter { if case .energy = $0 { return true } else { return false } }
        var caption = energies.isEmpty ? "" : "Energies as normalised densities exp(−U)/Z on \(Run.boxText(b)) (\(n) × \(n) cells), Z by Simpson's rule on 1001² points (\(notes.joined(separator: ", ")); Rezende & Mohamed 2015, Table 1). "
        if energies.count < shown.count {
            caption += "Data sets as \(bins(request)) × \(bins(request))-bin histograms of \(run.samples) points each, streamed (flows.md §6)."
        }
        return BuiltFigure(id: "targets", title: o.title ?? "Targets", caption: caption, figure: figure)
    }
}
