import FlowKit
import Foundation
import Plot

/// Turns the figure requests of a one-dimensional experiment into the histograms the
/// streaming pass must fill and, after the run, into Plot figures.
///
/// Figures follow Zdybał's tutorial (Figures 1 and 2) for histograms and densities; the
/// others are this tool's: agreement of the two change-of-variables formulas with the
/// reference on a log axis, the map and its log-derivative, per-stage densities and
/// calibration (PIT histogram or Q–Q plot).
public struct UnivariateFigurePlan: FigurePlanner {
    public let experiment: Experiment
    /// The automatic plotting range of each stage (0 = base, K = output), from the pilot.
    public let stageRanges: [ClosedRange<Double>]

    public init(experiment: Experiment, stageRanges: [ClosedRange<Double>]) {
        self.experiment = experiment
        self.stageRanges = stageRanges
    }

    /// The plan with each stage's automatic range from the pilot's values of that stage
    /// (``AutomaticRange``, snapped to the stage's propagated support).
    public init(experiment: Experiment, pilot: SamplePass.Pilot) {
        let ranges = zip(pilot.stages, experiment.flow.stageSupports).map { stage, support in
            AutomaticRange.range(of: stage.values, support: support[0]) ?? -1...1
        }
        self.init(experiment: experiment, stageRanges: ranges)
    }

    /// The output's automatic range: the checks' grid.
    public var checkBox: [ClosedRange<Double>] { [stageRanges[stageRanges.count - 1]] }

    var outputStage: Int { experiment.maps.count }

    /// The stages drawn by each panel of a figure kind.
    func stages(of kind: FigureKind) -> [Int] {
        switch kind {
        case .histograms, .densities, .map: return [0, outputStage]
        case .stages: return Array(0...outputStage)
        case .agreement, .calibration: return [outputStage]
        default: return []   // 2-D kinds: rejected for 1-D specs by the loader
        }
    }

    /// The x range of panel `panel` (drawing stage `stage`) of `request`.
    func range(_ request: FigureRequest, panel: Int, stage: Int) -> ClosedRange<Double> {
        if request.kind == .map { return request.options.range(ofPanel: 0) ?? stageRanges[0] }
        return request.options.range(ofPanel: panel) ?? stageRanges[stage]
    }

    /// The number of bins of a figure (PIT histograms default to 20 bins, the others to the
    /// resolved default of 100).
    func bins(_ request: FigureRequest) -> Int {
        if request.kind == .calibration, request.options.bins == nil { return 20 }
        return request.resolvedOptions(maps: experiment.maps.count).bins ?? 100
    }

    func histogramRequest(_ request: FigureRequest, panel: Int, stage: Int) -> HistogramRequest {
        if request.kind == .calibration {
            return HistogramRequest(source: .probabilityIntegralTransform, low: 0, high: 1, bins: bins(request))
        }
        return HistogramRequest(stage: stage, range: range(request, panel: panel, stage: stage), bins: bins(request))
    }

    /// Every histogram the figures need, without duplicates, in figure order.
    public var histogramRequests: [HistogramRequest] {
        var seen = Set<HistogramRequest>()
        var out: [HistogramRequest] = []
        for request in experiment.figures {
            switch request.kind {
            case .histograms, .densities, .stages:
                for (panel, stage) in stages(of: request.kind).enumerated() {
                    let h = histogramRequest(request, panel: panel, stage: stage)
                    if seen.insert(h).inserted { out.append(h) }
                }
            case .calibration:
                let kind = request.resolvedOptions(maps: experiment.maps.count).calibration ?? .pit
                if kind == .pit, experiment.reference != nil {
                    let h = histogramRequest(request, panel: 0, stage: outputStage)
                    if seen.insert(h).inserted { out.append(h) }
                }
            default:
                break
            }
        }
        return out
    }

    // MARK: - Labels

    /// The default axis label of stage `stage`: x and y for a single map, x_0 … x_K for a chain.
    func stageLabel(_ stage: Int) -> String {
        let k = experiment.maps.count
        if stage == 0 {
            let name = k == 1 ? "$x$" : "$x_0$"
            return "\(name) ∼ \(experiment.baseDescription.displayText)"
        }
        let step = experiment.steps[stage - 1].displayText
        if k == 1 { return "$y$ = \(step)$(x)$" }
        return "$x_{\(stage)}$ = \(step)$(x_{\(stage - 1)})$"
    }

    func densityLabel(_ stage: Int) -> String {
        let k = experiment.maps.count
        if k == 1 { return stage == 0 ? "$p_X(x)$" : "$p_Y(y)$" }
        return "$p_{\(stage)}(x_{\(stage)})$"
    }

    /// The spec's x label of a panel, or the stage's default label.
    func xLabel(_ options: FigureOptions, panel: Int, stage: Int) -> String {
        options.xLabel(ofPanel: panel) ?? stageLabel(stage)
    }

    // MARK: - Building

    /// Builds every requested figure from the run's results.
    public func figures(run: Run) -> [BuiltFigure] {
        numbered(experiment.figures) { build($0, run: run) }
    }

    func newFigure(_ request: FigureRequest, rows: Int) -> (Figure, FigureOptions) {
        let options = request.resolvedOptions(maps: experiment.maps.count)
        let size = options.size ?? FigureSize(width: 432, height: 288)
        let family: Font.Family = experiment.output.font == .serif ? .serif : .sans
        var figure = Figure(width: size.width, height: size.height, rows: rows, columns: 1,
                            title: options.title, font: Font(family: family, size: 10))
        figure.sharedX = false
        return (figure, options)
    }

    func color(_ options: FigureOptions, panel: Int, fallback: String) -> Color {
        Color(options.color(ofPanel: panel) ?? fallback) ?? Color("#336B8B") ?? .black
    }

    func build(_ request: FigureRequest, run: Run) -> BuiltFigure {
        switch request.kind {
        case .histograms: return histograms(request, run: run)
        case .densities: return densities(request, run: run)
        case .agreement: return agreement(request, run: run)
        case .map: return map(request, run: run)
        case .stages: return stagesFigure(request, run: run)
        case .calibration: return calibration(request, run: run)
        default:   // 2-D kinds: rejected for 1-D specs by the loader
            return BuiltFigure(id: request.kind.rawValue, title: request.kind.rawValue, caption: "", figure: Figure())
        }
    }

    /// Counts outside a histogram's range, as a caption sentence (nil when none).
    func outsideNote(_ histogram: Histogram, stage: Int) -> String? {
        let outside = histogram.underflow + histogram.overflow
        guard outside > 0 else { return nil }
        let total = histogram.totalCount
        return String(format: "%.0f of %.0f samples (%.2g %%) of stage %d lie outside the plotted range [%@, %@] and are not drawn.",
                      outside, total, 100 * outside / max(total, 1), stage,
                      Run.format(histogram.low), Run.format(histogram.high))
    }

    func histograms(_ request: FigureRequest, run: Run) -> BuiltFigure {
        var (figure, options) = newFigure(request, rows: 2)
        let defaults = ["#F0B51F", "#336B8B"]
        var notes: [String] = []
        for (panel, stage) in stages(of: .histograms).enumerated() {
            let key = histogramRequest(request, panel: panel, stage: stage)
            guard let h = run.histograms[key] else { continue }
            var p = Panel()
            p.histogram(edges: h.edges, heights: h.counts, fill: color(options, panel: panel, fallback: defaults[panel]),
                        alpha: options.alpha ?? 1)
            p.x.label = xLabel(options, panel: panel, stage: stage)
            p.x.setLimits(h.low, h.high)
            p.y.label = options.yLabel(ofPanel: panel) ?? "count"
            p.y.lower = 0
            p.x.showsGrid = options.grid ?? false
            p.y.showsGrid = options.grid ?? false
            figure[panel, 0] = p
            if let note = outsideNote(h, stage: stage) { notes.append(note) }
        }
        return BuiltFigure(id: "histograms", title: options.title ?? "Histograms of the base samples and of the output",
                           caption: (["Counts of \(run.samples) samples in \(bins(request)) equal bins (Zdybał, Figure 1)."] + notes).joined(separator: " "),
                           figure: figure)
    }

    func densities(_ request: FigureRequest, run: Run) -> BuiltFigure {
        var (figure, options) = newFigure(request, rows: 2)
        let defaults = ["#F0B51F", "#336B8B"]
        let width = options.lineWidth ?? 3
        var notes: [String] = []
        for (panel, stage) in stages(of: .densities).enumerated() {
            let key = histogramRequest(request, panel: panel, stage: stage)
            guard let h = run.histograms[key] else { continue }
            var p = Panel()
            let c = color(options, panel: panel, fallback: defaults[panel])
            p.histogram(edges: h.edges, heights: h.densities(normalizedBy: .allSamples), fill: c,
                        alpha: options.alpha ?? 0.4, label: "samples")
            let r = range(request, panel: panel, stage: stage)
            let points = options.points ?? 801
            if stage == 0 {
                if let base = experiment.univariateBase {
                    let grid = r.equallySpaced(points)
                    p.line(x: grid, y: grid.map { base.density($0) }, color: .black, width: width, label: "analytic")
                }
            } else {
                let densityGrid = DensityGrid(flow: experiment.flow, reference: experiment.reference, range: r, count: points)
                if let logReference = densityGrid.logReference {
                    p.line(x: densityGrid.y, y: logReference.map(Self.expOrNaN), color: .black, width: width, label: "analytic")
                }
                p.line(x: densityGrid.y, y: densityGrid.logEq5.map(Self.expOrNaN), color: Color("#D55E00") ?? .black,
                       width: max(1, width / 2), dash: .dashed, label: "Eq. 5 (inverse Jacobian)")
                p.line(x: densityGrid.y, y: densityGrid.logEq4.map(Self.expOrNaN), color: Color("#56B4E9") ?? .black,
                       width: max(1, width / 2), dash: .dotted, label: "Eq. 4 (forward Jacobian)")
            }
            p.x.label = xLabel(options, panel: panel, stage: stage)
            p.x.setLimits(h.low, h.high)
            p.y.label = options.yLabel(ofPanel: panel) ?? densityLabel(stage)
            p.y.lower = 0
            p.legend = .best
            p.x.showsGrid = options.grid ?? false
            p.y.showsGrid = options.grid ?? false
            figure[panel, 0] = p
            if let note = outsideNote(h, stage: stage) { notes.append(note) }
        }
        let caption = "Density-normalised histograms of \(run.samples) samples with the density of the base and of the output by Eq. 4 (forward Jacobian at the preimages), Eq. 5 (inverse Jacobian)" + (experiment.reference != nil ? " and the analytic reference" : "") + " (Zdybał, Figure 2)."
        return BuiltFigure(id: "densities", title: options.title ?? "Probability densities of the base and of the output",
                           caption: ([caption] + notes).joined(separator: " "), figure: figure)
    }

    /// The floor at which exact agreement is drawn on the log axis of the agreement figure.
    static let agreementFloor = 1e-18

    func agreement(_ request: FigureRequest, run: Run) -> BuiltFigure {
        var (figure, options) = newFigure(request, rows: 1)
        let r = range(request, panel: 0, stage: outputStage)
        let grid = DensityGrid(flow: experiment.flow, reference: experiment.reference, range: r, count: options.points ?? 801)
        var p = Panel()
        let width = min(options.lineWidth ?? 1.5, 2)
        func differences(_ a: [Double], _ b: [Double]) -> [Double] {
            zip(a, b).map { u, v in
                guard u.isFinite, v.isFinite else { return .nan }
                return max(abs(u - v), Self.agreementFloor)
            }
        }
        if let logReference = grid.logReference {
            p.line(x: grid.y, y: differences(grid.logEq4, logReference), color: Color("#0072B2"), width: width,
                   label: "$|\\log p_{Eq4} - \\log p_{ref}|$")
            p.line(x: grid.y, y: differences(grid.logEq5, logReference), color: Color("#D55E00"), width: width,
                   dash: .dashed, label: "$|\\log p_{Eq5} - \\log p_{ref}|$")
        }
        p.line(x: grid.y, y: differences(grid.logEq4, grid.logEq5), color: Color("#009E73"), width: width,
               dash: .dotted, label: "$|\\log p_{Eq4} - \\log p_{Eq5}|$")
        p.hline(Double.ulpOfOne, color: Color("#777777") ?? .black, width: 0.8, dash: .dashed, label: "machine ε")
        p.x.label = xLabel(options, panel: 0, stage: outputStage)
        p.x.setLimits(r.lowerBound, r.upperBound)
        p.y.label = options.yLabel(ofPanel: 0) ?? "absolute difference of log densities"
        p.y.scale = .log
        p.y.lower = Self.agreementFloor / 2
        p.legend = .best
        p.x.showsGrid = options.grid ?? true
        p.y.showsGrid = options.grid ?? true
        figure[0, 0] = p
        return BuiltFigure(id: "agreement", title: options.title ?? "Agreement of Eq. 4 and Eq. 5 with the reference",
                           caption: "Absolute differences of log densities on \(grid.y.count) points; exact agreement (difference 0) is drawn at 10⁻¹⁸. Points where a density is zero (outside the support) are left out.",
                           figure: figure)
    }

    func map(_ request: FigureRequest, run: Run) -> BuiltFigure {
        var (figure, options) = newFigure(request, rows: 2)
        let r = range(request, panel: 0, stage: 0)
        let domain = experiment.maps.first?.domain(dimension: 1)[0] ?? .real
        let x = r.equallySpaced(options.points ?? 801).filter { domain.contains($0) }
        var batch = PointBatch(scalars: x)
        var logAbsDet = [Double](repeating: 0, count: x.count)
        experiment.flow.chain.forward(&batch, logAbsDet: &logAbsDet)
        let c = color(options, panel: 0, fallback: "#336B8B")
        let width = options.lineWidth.map { min($0, 2.5) } ?? 2
        var top = Panel()
        top.line(x: x, y: batch.values.map { $0.isFinite ? $0 : .nan }, color: c, width: width)
        top.x.label = xLabel(options, panel: 0, stage: 0)
        top.y.label = options.yLabel(ofPanel: 0) ?? (experiment.maps.count == 1 ? "$y = T(x)$" : "$x_{\(experiment.maps.count)} = T(x_0)$")
        top.x.setLimits(r.lowerBound, r.upperBound)
        var bottom = Panel()
        bottom.line(x: x, y: logAbsDet.map { $0.isFinite ? $0 : .nan }, color: c, width: width)
        bottom.x.label = xLabel(options, panel: 1, stage: 0)
        bottom.y.label = options.yLabel(ofPanel: 1) ?? "$\\log|T'(x)|$"
        bottom.x.setLimits(r.lowerBound, r.upperBound)
        for p in [0, 1] {
            var panel = p == 0 ? top : bottom
            panel.x.showsGrid = options.grid ?? true
            panel.y.showsGrid = options.grid ?? true
            figure[p, 0] = panel
        }
        let chain = experiment.steps.map(\.displayText).joined(separator: " ∘ ")
        return BuiltFigure(id: "map", title: options.title ?? "The map and its log-derivative",
                           caption: "T = \(chain) (applied left to right) and log|T′(x)|, the log-det each sample's density is divided by (Eq. 4).",
                           figure: figure)
    }

    func stagesFigure(_ request: FigureRequest, run: Run) -> BuiltFigure {
        let stageList = stages(of: .stages)
        var (figure, options) = newFigure(request, rows: stageList.count)
        let width = options.lineWidth ?? 2
        var notes: [String] = []
        for (panel, stage) in stageList.enumerated() {
            let key = histogramRequest(request, panel: panel, stage: stage)
            guard let h = run.histograms[key] else { continue }
            var p = Panel()
            let palette = Palette.default
            let c = options.color(ofPanel: panel).flatMap { Color($0) } ?? palette[panel]
            p.histogram(edges: h.edges, heights: h.densities(normalizedBy: .allSamples), fill: c, alpha: options.alpha ?? 0.4,
                        label: "samples")
            let r = range(request, panel: panel, stage: stage)
            let grid = r.equallySpaced(options.points ?? 801)
            if let partial = try? TransformChain(maps: Array(experiment.maps.prefix(stage)), dimension: 1),
               let flow = try? Flow(base: experiment.base, chain: partial) {
                let logP = flow.logDensityByInverse(PointBatch(scalars: grid))
                p.line(x: grid, y: logP.map(Self.expOrNaN), color: .black, width: width, label: "Eq. 5")
            }
            p.x.label = xLabel(options, panel: panel, stage: stage)
            p.x.setLimits(h.low, h.high)
            p.y.label = options.yLabel(ofPanel: panel) ?? densityLabel(stage)
            p.y.lower = 0
            p.legend = panel == 0 ? .best : nil
            figure[panel, 0] = p
            if let note = outsideNote(h, stage: stage) { notes.append(note) }
        }
        return BuiltFigure(id: "stages", title: options.title ?? "The density after each map of the chain",
                           caption: (["Density histograms of every stage x_k = f_k(x_{k−1}) with the density of the partial flow by Eq. 5."] + notes).joined(separator: " "),
                           figure: figure)
    }

    func calibration(_ request: FigureRequest, run: Run) -> BuiltFigure {
        var (figure, options) = newFigure(request, rows: 1)
        let kind = options.calibration ?? .pit
        var p = Panel()
        let c = color(options, panel: 0, fallback: "#336B8B")
        var caption: String
        if kind == .pit, let h = run.histograms[histogramRequest(request, panel: 0, stage: outputStage)] {
            // ±2 binomial standard deviations of a bin's density under a perfect fit, behind the bars.
            let bins = Double(h.binCount), n = max(h.totalCount, 1)
            let halfWidth = 2 * (1 / bins * (1 - 1 / bins) / n).squareRoot() * bins
            p.fillBetween(x: [0, 1], y1: [1 - halfWidth, 1 - halfWidth], y2: [1 + halfWidth, 1 + halfWidth],
                          color: .black, alpha: 0.15, label: "±2σ of a perfect fit")
            p.histogram(edges: h.edges, heights: h.densities(normalizedBy: .allSamples), fill: c, alpha: options.alpha ?? 0.35,
                        edge: StrokeStyle(color: c, width: 1.2), label: "samples")
            p.hline(1, color: .black, width: 1, dash: .dashed)
            p.x.label = options.xLabel(ofPanel: 0) ?? "$u = F_{ref}(y)$"
            p.y.label = options.yLabel(ofPanel: 0) ?? "density of u"
            p.x.setLimits(0, 1)
            p.y.lower = 0
            p.legend = .lowerCenter   // the bars fill the panel up to ≈ 1; the legend sits on them, not on the band
            caption = "Probability integral transform of \(run.samples) samples through the reference CDF: flat at 1 when the samples follow the reference; the band is ±2 binomial standard deviations."
        } else {
            let sorted = run.pilot.output.values.filter(\.isFinite).sorted()
            let n = sorted.count
            let shown = min(n, 1000)
            var theoretical: [Double] = [], observed: [Double] = []
            if let reference = experiment.reference, n > 0 {
                for j in 0..<shown {
                    let i = Int((Double(j) + 0.5) / Double(shown) * Double(n))
                    theoretical.append(reference.quantile((Double(i) + 0.5) / Double(n)))
                    observed.append(sorted[i])
                }
            }
            p.scatter(x: theoretical, y: observed, size: 3, color: c, alpha: 0.7, label: "samples")
            p.legend = .upperLeft
            if let lo = theoretical.first, let hi = theoretical.last {
                p.line(x: [lo, hi], y: [lo, hi], color: .black, width: 1, dash: .dashed, label: "y = x")
            }
            p.x.label = options.xLabel(ofPanel: 0) ?? "reference quantile"
            p.y.label = options.yLabel(ofPanel: 0) ?? "sample quantile"
            caption = "Q–Q plot of \(shown) evenly spaced order statistics of the first \(n) samples against the reference quantiles."
        }
        p.x.showsGrid = options.grid ?? false
        p.y.showsGrid = options.grid ?? false
        figure[0, 0] = p
        return BuiltFigure(id: "calibration", title: options.title ?? (kind == .pit ? "Calibration: PIT histogram" : "Calibration: Q–Q plot"),
                           caption: caption, figure: figure)
    }

    // MARK: - Helpers

    /// exp of a log density, NaN (a break in the line) where it is not finite.
    static func expOrNaN(_ logP: Double) -> Double { logP.isFinite ? exp(logP) : (logP == -.infinity ? 0 : .nan) }
}
