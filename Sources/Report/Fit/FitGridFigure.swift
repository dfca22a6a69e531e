import FlowKit
import Foundation
import Plot

/// The figures of a spec with several fits (its own flow and fitted variants):
///
/// - `fit`: a grid with one row per target or data set and, per flow label, the fitted density
///   (and its samples when there are at most two labels), after a first column with the target
///   exp(−U)/Z or the data: Rezende & Mohamed's Figure 3(a–c) and the BNAF / FFJORD toy
///   figures.
/// - `bound`: the bound in nats (−ELBO at β = 1 for reverse KL, held-out NLL for maximum
///   likelihood) against flow length K, one line per layer family, one panel per target:
///   Rezende & Mohamed's Figure 3(d).
enum FitGridFigure {
    static let resolution = 120
    /// Each cell's colour is the mean density over s × s points inside it (the cell's mass over
    /// its area, up to quadrature), not the density at its centre: a thin filament of a
    /// volume-preserving flow (NICE), whose density equals the base's near its peak but whose
    /// mass is small, then shows with its true weight instead of as a dotted line of peak-valued
    /// centres.
    static let supersampling = 3

    /// The s × s block means of a (n·s) × (n·s) grid of densities (row-major, row 0 lowest).
    static func cellMeans(_ values: [Double], cells n: Int, s: Int) -> Grid2D {
        var means = [Double](repeating: 0, count: n * n)
        let m = n * s
        for row in 0..<m {
            for column in 0..<m {
                means[(row / s) * n + column / s] += values[row * m + column]
            }
        }
        let scale = 1 / Double(s * s)
        return Grid2D(columns: n, rows: n, values: means.map { $0 * scale })
    }

    /// What a fit was fitted to, as a row key.
    static func targetName(_ fit: FitRun) -> String { FittedSpec.describe(fit.plan.settings) }

    static func ordered<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }

    /// The row label drawn left of a row: $U_1$ … for an energy, the data's name otherwise.
    static func rowLabel(_ fit: FitRun) -> String {
        let settings = fit.plan.settings
        if settings.objective == .reverseKL, let energy = settings.target {
            return "$U_{\(energy.name.dropFirst())}$"
        }
        return targetName(fit)
    }

    static func figure(chains allChains: [FittedExperiment.Chain], experiment: Experiment) -> BuiltFigure {
        // Variants with `fit_figure: false` stay out of the grid (they are in `bound`).
        let chains = allChains.filter { chain in
            chain.variant.map { name in experiment.variants.first { $0.name == name }?.inFitFigure ?? true } ?? true
        }
        let rows = ordered(chains.map { targetName($0.fit) })
        let labels = ordered(chains.map(\.label))
        let withSamples = labels.count <= 2
        let columns = 1 + labels.count * (withSamples ? 2 : 1)
        let cell = 150.0
        var figure = Figure(width: Double(columns) * cell + 20, height: Double(rows.count) * cell + 40, rows: rows.count, columns: columns)
        let n = resolution
        for (r, row) in rows.enumerated() {
            guard let first = chains.first(where: { targetName($0.fit) == row }) else { continue }
            let b = FitFigures.box(first.fit)
            var target = FitFigures.plane(r == 0 ? "target" : nil, b)
            target.showsAxes = false
            let settings = first.fit.plan.settings
            if settings.objective == .reverseKL, let energy = settings.target {
                let logZ = EnvelopedEnergy(energy).logNormalizer
                let fine = Grid2D(columns: n * supersampling, rows: n * supersampling, x: b[0], y: b[1]) {
                    exp(-EnvelopedEnergy(energy).potential($0, $1) - logZ)
                }
                target.heatMap(cellMeans(fine.values, cells: n, s: supersampling), x: b[0], y: b[1], colorMap: .viridis, lower: 0)
            } else if let points = first.fit.heldOut {
                let shown = min(FitFigures.scatterPoints, points.count)
                target.scatter(x: (0..<shown).map { points[$0, 0] }, y: (0..<shown).map { points[$0, 1] }, size: 1.5,
                               color: Color("#444444") ?? .black, alpha: 0.5)
            }
            target.title = r == 0 ? (settings.objective == .reverseKL ? "$\\exp(-U)$" : "data") : nil
            target.x.label = nil
            target.y.label = rowLabel(first.fit)
            target.showsAxes = false
            figure[r, 0] = target
            for (c, label) in labels.enumerated() {
                guard let chain = chains.first(where: { targetName($0.fit) == row && $0.label == label }) else { continue }
                let flow = chain.variant.flatMap { experiment.chain(named: $0)?.flow } ?? experiment.flow
                let m = n * supersampling
                let density = PlaneDensity(flow: flow, x: b[0], y: b[1], columns: m, rows: m, eq4: false, jobs: 1)
                let values = cellMeans(MultivariateFigurePlan.densityGrid(density.logEq5, columns: m, rows: m).values, cells: n, s: supersampling)
                var p = FitFigures.plane(r == 0 ? label : nil, b)
                p.heatMap(values, x: b[0], y: b[1], colorMap: .viridis, lower: 0, upper: MultivariateFigurePlan.robustMaximum(values.values))
                p.showsAxes = false
                p.x.label = nil
                p.y.label = nil
                let column = 1 + c * (withSamples ? 2 : 1)
                figure[r, column] = p
                if withSamples {
                    var stream = RandomStream(seed: chain.fit.seed, stream: FitRun.estimateStream + 1)
                    let drawn = flow.sample(count: FitFigures.scatterPoints, using: &stream).points
                    var q = FitFigures.plane(r == 0 ? "\(label) samples" : nil, b)
                    q.scatter(x: (0..<drawn.count).map { drawn[$0, 0] }, y: (0..<drawn.count).map { drawn[$0, 1] }, size: 1.5,
                              color: Color("#336B8B") ?? .black, alpha: 0.5)
                    q.showsAxes = false
                    q.x.label = nil
                    q.y.label = nil
                    figure[r, column + 1] = q
                }
            }
        }
        let caption = "Rows (labelled left): " + rows.joined(separator: ", ") + ". First column: the target exp(−U)/Z (reverse KL) or held-out data points (maximum likelihood); then per flow (" + labels.joined(separator: ", ") + ") the fitted density by Eq. 5 of the flow in fitted.yaml (each of \(n) × \(n) cells coloured by the mean of \(supersampling) × \(supersampling) densities inside it)" + (withSamples ? " and \(FitFigures.scatterPoints) of its samples" : "") + ", each density coloured up to its 99.5th percentile."
        return BuiltFigure(id: "fit", title: "Fits: targets and fitted densities", caption: caption, figure: figure)
    }

    /// The name a layer family goes by in the papers: `additive_coupling` is NICE (Dinh et al.
    /// 2015), `coupling` RealNVP (Dinh et al. 2017), `spline_coupling` a neural spline flow
    /// (Durkan et al. 2019); the others keep their spec names.
    static func familyLabel(_ family: String) -> String {
        family.split(separator: "+").map { name -> String in
            switch name {
            case "additive_coupling": return "NICE"
            case "coupling": return "RealNVP"
            case "spline_coupling": return "NSF"
            default: return String(name)
            }
        }.joined(separator: "+")
    }

    /// Rezende & Mohamed's Figure 3(d), when some layer family has fits of two lengths or more.
    static func bound(chains: [FittedExperiment.Chain], bounds: [Double]) -> BuiltFigure? {
        struct Point { var family: String; var k: Int; var bound: Double }
        let rows = ordered(chains.map { targetName($0.fit) })
        var byRow: [String: [Point]] = [:]
        for (chain, value) in zip(chains, bounds) {
            let family = ordered(chain.fit.plan.layers.map(\.layer.name)).joined(separator: "+")
            byRow[targetName(chain.fit), default: []].append(Point(family: family, k: chain.fit.plan.layers.count, bound: value))
        }
        let families = ordered(byRow.values.flatMap { $0.map(\.family) })
        guard families.contains(where: { family in Set(byRow.values.flatMap { $0.filter { $0.family == family }.map(\.k) }).count >= 2 }) else {
            return nil
        }
        var figure = Figure(width: Double(rows.count) * 230 + 30, height: 260, rows: 1, columns: rows.count)
        let isKL = chains[0].fit.plan.settings.objective == .reverseKL
        let colors = ["#1F4E79", "#D9822B", "#6A994E", "#8E44AD", "#C0392B"].compactMap { Color($0) }
        for (r, row) in rows.enumerated() {
            let first = chains.first { targetName($0.fit) == row }
            var p = Panel(title: first.map { rowLabel($0.fit) } ?? row)
            for (f, family) in families.enumerated() {
                let points = (byRow[row] ?? []).filter { $0.family == family }.sorted { $0.k < $1.k }
                guard !points.isEmpty else { continue }
                let color = colors[f % colors.count]
                p.line(x: points.map { Double($0.k) }, y: points.map(\.bound), color: color, width: 1.2, label: familyLabel(family))
                p.scatter(x: points.map { Double($0.k) }, y: points.map(\.bound), size: 4, color: color)
            }
            if isKL, let settings = first?.fit.plan.settings, let energy = settings.target {
                // The bound's floor: −ELBO ≥ −log Z, with equality only when q is the target.
                p.hline(-EnvelopedEnergy(energy).logNormalizer, color: Color("#777777") ?? .black, width: 0.8,
                        label: r == 0 ? "$-\\log Z$" : nil)
            }
            p.x.label = "flow length K"
            p.y.label = r == 0 ? (isKL ? "−ELBO (nats)" : "held-out NLL (nats)") : nil
            p.legend = r == 0 ? .best : nil
            figure[0, r] = p
        }
        let caption = isKL
            ? "The variational bound −ELBO = E_q[log q − log p̃] at β = 1 (65,536 fresh samples; lower is better; its floor is −log Z) against the number of layers K, per layer family (NICE = additive coupling), with the floor −log Z of each target dashed: Rezende & Mohamed 2015, Figure 3(d)."
            : "Held-out NLL against the number of layers K, per layer family."
        return BuiltFigure(id: "bound", title: "Bound against flow length", caption: caption, figure: figure)
    }
}
