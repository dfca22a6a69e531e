import FlowKit
import Foundation
import Plot

/// The figures of flow-matching fits (one row or column per fit):
///
/// - `loss`: the mini-batch flow-matching loss (moving average over 1 % of the iterations) and
///   the validation loss on fixed draws, per fit;
/// - `fit`: data | density | samples (the layout of the `fit` figure of the fitting issues, the
///   BNAF and FFJORD toy figures): held-out data points, the fitted density by Eq. 5 (backward
///   solve with the exact divergence) on ``resolution``² cells, and samples of the flow;
/// - `trajectories`: particles from the base (t = 0, black) to the data (t = 1, coloured) with
///   their paths (Tong et al. 2024, Fig. 1 / torchcfm's tutorial plots): OT pairing straightens
///   them;
/// - `field`: the vector field v_θ(t, ·) at t = 0, ¼, ½, ¾, 1 as arrows on a regular grid over
///   the data range, over the particles at that time (the probability path p_t).
enum FlowMatchingFigures {
    /// Cells per axis of the density panels (a dopri5 solve with the exact divergence per cell).
    static let resolution = 60
    static let scatterPoints = 1000
    static let trajectoryPoints = 250
    static let trajectoryTimes = 21
    static let fieldTimes: [Double] = [0, 0.25, 0.5, 0.75, 1]
    static let arrowsPerAxis = 17
    static let palette = ["#336B8B", "#D9822B", "#6A994E", "#A23B72", "#3B3B98", "#8C564B"]

    /// `samples` (the run's) caps the particles drawn.
    static func figures(chains: [FlowMatchingExperiment.Chain], flows: [Flow], report: FlowMatchingReport, samples: Int,
                        jobs: Int) -> [BuiltFigure] {
        guard let first = chains.first else { return [] }
        var out = [loss(chains)]
        guard first.fit.plan.dimension == 2 else { return out }
        let b = box(chains: chains, flows: flows)
        let paths = ChunkedReduction(jobs: jobs).run(chunkCount: chains.count, into: [(particles: [PointBatch], paths: [PointBatch])](), work: { k in
            trajectories(flow: flows[k], seed: chains[k].fit.seed, count: max(1, min(scatterPoints, samples)))
        }, merge: { $0.append($1) })
        out.append(fitFigure(chains: chains, flows: flows, report: report, box: b, jobs: jobs))
        out.append(trajectoryFigure(chains: chains, paths: paths, box: b))
        out.append(fieldFigure(chains: chains, flows: flows, paths: paths, box: b))
        return out
    }

    static func color(_ k: Int) -> Color { Color(palette[k % palette.count]) ?? .black }

    // MARK: - loss

    static func loss(_ chains: [FlowMatchingExperiment.Chain]) -> BuiltFigure {
        var figure = Figure(width: 520, height: 300)
        var panel = Panel(title: "Flow-matching loss")
        var low = Double.infinity, high = -Double.infinity
        for (k, chain) in chains.enumerated() {
            let losses = chain.fit.losses
            let n = losses.count
            guard n > 0 else { continue }
            let window = max(1, n / 100)
            var averaged: [Double] = [], sum = 0.0, count = 0
            for (t, value) in losses.enumerated() {
                if value.isFinite { sum += value; count += 1 }
                if t >= window, losses[t - window].isFinite { sum -= losses[t - window]; count -= 1 }
                averaged.append(count > 0 ? sum / Double(count) : .nan)
            }
            let x = (1...n).map(Double.init)
            panel.line(x: x, y: averaged, color: color(k), width: 1.2, label: chain.label)
            let tail = averaged.dropFirst(n / 20).filter(\.isFinite)
            low = min(low, tail.min() ?? low)
            high = max(high, tail.max() ?? high)
            let validation = chain.fit.validation
            if !validation.isEmpty {
                panel.scatter(x: validation.map { Double($0.iteration) }, y: validation.map(\.loss), size: 4, color: color(k))
                low = min(low, validation.map(\.loss).min() ?? low)
            }
        }
        if low.isFinite, high.isFinite, high > low {
            let pad = 0.08 * (high - low)
            panel.y.setLimits(low - pad, high + pad)
        }
        panel.x.label = "iteration"
        panel.y.label = "$\\|v_\\theta(t, x_t) - u_t\\|^2$"
        figure[0, 0] = panel
        let fit = chains[0].fit
        let caption = "The conditional flow-matching loss E‖v_θ(t, x_t) − u_t‖² (Lipman et al. 2023, Eq. 9; Tong et al. 2024) of each mini-batch of \(fit.plan.settings.batch) pairs, as a moving average over 1 % of the iterations (lines), and on \(FlowMatchingRun.validationPoints) fixed draws never trained on every \(fit.plan.settings.validationEvery) iterations (dots). The loss does not go to zero: the conditional target u_t = x₁ − (1 − σ_min)x₀ varies for a given x_t; its minimum is the variance of u_t given x_t, smaller with OT pairing."
        return BuiltFigure(id: "loss", title: "Fit: loss against iteration", caption: caption, figure: figure)
    }

    // MARK: - geometry

    /// The box over the data and the base: central 99.6 % of held-out points and base draws, padded by 10 %.
    static func box(chains: [FlowMatchingExperiment.Chain], flows: [Flow]) -> [ClosedRange<Double>] {
        var columns: [[Double]] = [[], []]
        for (chain, flow) in zip(chains, flows) {
            let data = chain.fit.heldOut.prefix(2000)
            var stream = RandomStream(seed: chain.fit.seed, stream: FlowMatchingReport.sampleStream + 1)
            var base = PointBatch(dimension: 2, count: 2000)
            flow.base.sample(into: &base, using: &stream)
            for batch in [data, base] {
                for i in 0..<batch.count { for j in 0..<2 { columns[j].append(batch[i, j]) } }
            }
        }
        return columns.map { values in
            let sorted = values.filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { return -4...4 }
            let low = sorted[Int(0.002 * Double(sorted.count - 1))], high = sorted[Int(0.998 * Double(sorted.count - 1))]
            let pad = 0.1 * max(high - low, 1e-6)
            return (low - pad)...(high + pad)
        }
    }

    static func plane(_ title: String?, _ b: [ClosedRange<Double>], axes: Bool = true) -> Panel {
        var p = FitFigures.plane(title, b)
        if !axes { p.y.label = nil }
        return p
    }

    // MARK: - fit

    static func fitFigure(chains: [FlowMatchingExperiment.Chain], flows: [Flow], report: FlowMatchingReport,
                          box b: [ClosedRange<Double>], jobs: Int) -> BuiltFigure {
        let rows = chains.count
        var figure = Figure(width: 760, height: 40 + 240 * Double(rows), rows: rows, columns: 3)
        let n = resolution
        for (k, chain) in chains.enumerated() {
            let data = chain.fit.heldOut.prefix(scatterPoints)
            var left = plane(rows > 1 ? "\(chain.label): data" : "data", b)
            left.scatter(x: (0..<data.count).map { data[$0, 0] }, y: (0..<data.count).map { data[$0, 1] }, size: 2,
                         color: Color("#444444") ?? .black, alpha: 0.5)
            let density = PlaneDensity(flow: flows[k], x: b[0], y: b[1], columns: n, rows: n, eq4: false, jobs: jobs)
            let values = MultivariateFigurePlan.densityGrid(density.logEq5, columns: n, rows: n)
            var middle = plane("density $q$ (Eq. 5)", b, axes: false)
            middle.heatMap(values, x: b[0], y: b[1], colorMap: .viridis, lower: 0, upper: MultivariateFigurePlan.robustMaximum(values.values))
            let drawn = k < report.samples.count ? report.samples[k].prefix(scatterPoints) : PointBatch(dimension: 2, count: 0)
            var right = plane("samples of $q$", b, axes: false)
            right.scatter(x: (0..<drawn.count).map { drawn[$0, 0] }, y: (0..<drawn.count).map { drawn[$0, 1] }, size: 2,
                          color: color(k), alpha: 0.5)
            figure[k, 0] = left
            figure[k, 1] = middle
            figure[k, 2] = right
        }
        let ode = chains[0].fit.plan.ode.summary
        let caption = "Rows: " + chains.map(\.label).joined(separator: "; ") + ". Left: \(min(scatterPoints, chains[0].fit.heldOut.count)) held-out data points. Middle: the density of the fitted continuous flow by Eq. 5 — each cell centre integrated backward t: 1 → 0 jointly with the exact divergence (\(ode)) — on \(n) × \(n) cells of \(Run.boxText(b)). Right: \(min(scatterPoints, report.samples.first?.count ?? 0)) samples (base draws integrated t: 0 → 1). The layout of the BNAF and FFJORD toy figures."
        return BuiltFigure(id: "fit", title: "Fit: data, fitted density, samples", caption: caption, figure: figure)
    }

    // MARK: - trajectories

    /// ``scatterPoints`` base draws at the ``fieldTimes`` (the particles of the `field` figure),
    /// and the first ``trajectoryPoints`` of them at ``trajectoryTimes`` equally spaced times (the
    /// paths of the `trajectories` figure).
    static func trajectories(flow: Flow, seed: UInt64, count: Int) -> (particles: [PointBatch], paths: [PointBatch]) {
        guard let map = flow.chain.maps.first as? ContinuousFlowMap else { return ([], []) }
        var stream = RandomStream(seed: seed, stream: FlowMatchingReport.sampleStream + 3)
        var start = PointBatch(dimension: flow.dimension, count: count)
        flow.base.sample(into: &start, using: &stream)
        let times = (0..<trajectoryTimes).map { Double($0) / Double(trajectoryTimes - 1) }
        return (map.trajectories(start, times: fieldTimes).positions,
                map.trajectories(start.prefix(min(trajectoryPoints, count)), times: times).positions)
    }

    static func trajectoryFigure(chains: [FlowMatchingExperiment.Chain], paths: [(particles: [PointBatch], paths: [PointBatch])],
                                 box b: [ClosedRange<Double>]) -> BuiltFigure {
        let columns = min(chains.count, 2)
        let rows = (chains.count + columns - 1) / columns
        var figure = Figure(width: 300 * Double(columns) + 40, height: 300 * Double(rows) + 20, rows: rows, columns: columns)
        for (k, chain) in chains.enumerated() {
            var panel = plane(chain.label, b, axes: k % columns == 0)
            let positions = paths[k].paths
            guard let first = paths[k].particles.first, let last = paths[k].particles.last else { continue }
            let shown = positions.first?.count ?? 0
            var x: [Double] = [], y: [Double] = []
            for i in 0..<shown {
                for p in positions { x.append(p[i, 0]); y.append(p[i, 1]) }
                x.append(.nan); y.append(.nan)
            }
            panel.line(x: x, y: y, color: Color("#8A9BA8") ?? .black, width: 0.35)
            panel.scatter(x: (0..<first.count).map { first[$0, 0] }, y: (0..<first.count).map { first[$0, 1] }, size: 1.6,
                          color: .black, alpha: 0.6, label: "$x_0$ (t = 0)")
            panel.scatter(x: (0..<last.count).map { last[$0, 0] }, y: (0..<last.count).map { last[$0, 1] }, size: 1.6,
                          color: color(k), alpha: 0.8, label: "$x_1$ (t = 1)")
            panel.legend = .best
            figure[k / columns, k % columns] = panel
        }
        let particles = paths.first?.particles.first?.count ?? 0
        let caption = "\(particles) base draws (black, t = 0) carried by the fitted field to t = 1 (coloured), with the paths of \(paths.first?.paths.first?.count ?? 0) of them through \(trajectoryTimes) equally spaced times (\(chains[0].fit.plan.ode.summary)). Minibatch OT pairing (Tong et al. 2024) gives straighter, non-crossing paths than independent pairing (Lipman et al. 2023)."
        return BuiltFigure(id: "trajectories", title: "Trajectories from the base to the data", caption: caption, figure: figure)
    }

    // MARK: - field

    static func fieldFigure(chains: [FlowMatchingExperiment.Chain], flows: [Flow], paths: [(particles: [PointBatch], paths: [PointBatch])],
                            box b: [ClosedRange<Double>]) -> BuiltFigure {
        let times = fieldTimes
        let rows = chains.count
        var figure = Figure(width: 170 * Double(times.count) + 40, height: 175 * Double(rows) + 30, rows: rows, columns: times.count)
        let m = arrowsPerAxis
        let dx = (b[0].upperBound - b[0].lowerBound) / Double(m), dy = (b[1].upperBound - b[1].lowerBound) / Double(m)
        var grid = PointBatch(dimension: 2, count: m * m)
        for j in 0..<m {
            for i in 0..<m {
                grid.values[2 * (j * m + i)] = b[0].lowerBound + (Double(i) + 0.5) * dx
                grid.values[2 * (j * m + i) + 1] = b[1].lowerBound + (Double(j) + 0.5) * dy
            }
        }
        for (k, chain) in chains.enumerated() {
            guard let map = flows[k].chain.maps.first as? ContinuousFlowMap else { continue }
            let workspace = map.network.makeWorkspace(capacity: grid.count)
            // One arrow scale per row: the longest arrow of the row is 0.9 cells.
            var fields: [[Double]] = []
            for t in times {
                var v = [Double](repeating: 0, count: grid.count * 2)
                map.parameters.withUnsafeBufferPointer { theta in
                    grid.values.withUnsafeBufferPointer { x in
                        v.withUnsafeMutableBufferPointer { out in
                            map.network.forward(parameters: theta.baseAddress!, points: x.baseAddress!, time: .shared(t), count: grid.count,
                                                workspace: workspace, velocity: out.baseAddress!)
                        }
                    }
                }
                fields.append(v)
            }
            var longest = 0.0
            for v in fields {
                for q in 0..<grid.count {
                    let a: Double = v[2 * q], c: Double = v[2 * q + 1]
                    if (a * a + c * c).isFinite { longest = max(longest, (a * a + c * c).squareRoot()) }
                }
            }
            let scale = 0.9 * min(dx, dy) / max(longest, 1e-12)
            for (c, t) in times.enumerated() {
                var panel = plane(k == 0 ? "$t = \(Run.format(t))$" : nil, b, axes: c == 0)
                if c == 0 { panel.y.label = chain.label }
                if c > 0 { panel.y.label = nil }
                panel.x.label = k == rows - 1 ? "$x_1$" : nil
                // The particles at time t (the probability path p_t).
                if c < paths[k].particles.count {
                    let p = paths[k].particles[c]
                    panel.scatter(x: (0..<p.count).map { p[$0, 0] }, y: (0..<p.count).map { p[$0, 1] }, size: 1.3,
                                  color: color(k), alpha: 0.35)
                }
                let v = fields[c]
                var x: [Double] = [], y: [Double] = []
                for q in 0..<grid.count {
                    let x0: Double = grid[q, 0], y0: Double = grid[q, 1]
                    let ax: Double = scale * v[2 * q], ay: Double = scale * v[2 * q + 1]
                    let length: Double = (ax * ax + ay * ay).squareRoot()
                    guard length.isFinite, length > 1e-9 else { continue }
                    let x1: Double = x0 + ax, y1: Double = y0 + ay
                    // Arrow head: two strokes of 35 % of the length at ±25°.
                    let head: Double = 0.35 * length
                    let ux: Double = -ax / length, uy: Double = -ay / length
                    let c25: Double = Foundation.cos(0.436), s25: Double = Foundation.sin(0.436)
                    let hx1: Double = x1 + head * (ux * c25 - uy * s25)
                    let hy1: Double = y1 + head * (ux * s25 + uy * c25)
                    let hx2: Double = x1 + head * (ux * c25 + uy * s25)
                    let hy2: Double = y1 + head * (uy * c25 - ux * s25)
                    x += [x0, x1, .nan, hx1, x1, hx2, .nan]
                    y += [y0, y1, .nan, hy1, y1, hy2, .nan]
                }
                panel.line(x: x, y: y, color: Color("#1B1B1B") ?? .black, width: 0.6)
                panel.legend = nil
                figure[k, c] = panel
            }
        }
        let caption = "The fitted vector field v_θ(t, x) at t = " + times.map { Run.format($0) }.joined(separator: ", ") + " (columns; rows: " + chains.map(\.label).joined(separator: "; ") + ") as arrows on a \(m) × \(m) grid over \(Run.boxText(b)), one length scale per row (the longest arrow 0.9 cells), over \(paths.first?.particles.first?.count ?? 0) particles at that time: the probability path p_t from the base (t = 0) to the data (t = 1) that the field generates (Lipman et al. 2023, Fig. 3)."
        return BuiltFigure(id: "field", title: "The vector field at five times", caption: caption, figure: figure)
    }
}
