import FlowKit
import Foundation
import Plot

/// The figures of a fit:
///
/// - `loss`: the mini-batch loss against iteration (light) with its moving average over 1 % of
///   the iterations, and the validation estimates with ±2 standard errors (held-out NLL, or
///   −ELBO at β = 1 on fresh samples); β_t in a second panel while annealing.
/// - `fit`: target | fitted density | samples of the fitted flow, the layout of the BNAF (De Cao
///   et al. 2020, Fig. 3) and FFJORD (Grathwohl et al. 2019, Fig. 2) toy figures: exp(−U)/Z for
///   an energy, the data points for maximum likelihood; the fitted density by Eq. 5 of the
///   fitted flow (the flow of `fitted.yaml`); 2,000 samples of it.
enum FitFigures {
    static let resolution = 160
    static let scatterPoints = 2000

    static func figures(chains: [FittedExperiment.Chain], experiment: Experiment, report: FitReport) -> [BuiltFigure] {
        guard let main = chains.first?.fit else { return [] }
        var out = [loss(main)]
        guard experiment.dimension == 2 else { return out }
        if chains.count == 1 {
            out.append(fitFigure(fit: main, experiment: experiment))
        } else {
            out.append(FitGridFigure.figure(chains: chains, experiment: experiment))
            if let bound = FitGridFigure.bound(chains: chains, bounds: report.bounds) { out.append(bound) }
        }
        return out
    }

    static func loss(_ fit: FitRun) -> BuiltFigure {
        let annealing = !fit.betas.isEmpty
        var figure = Figure(width: annealing ? 720 : 460, height: 300, rows: 1, columns: annealing ? 2 : 1)
        var panel = Panel(title: "Training loss")
        let n = fit.losses.count
        let iterations = (1...max(n, 1)).map(Double.init)
        if n > 0 {
            panel.line(x: Array(iterations.prefix(n)), y: fit.losses.map { $0.isFinite ? $0 : .nan },
                       color: Color("#9DB9D3") ?? .black, width: 0.6, label: "mini-batch loss")
            let window = max(1, n / 100)
            var averaged: [Double] = []
            var sum = 0.0, count = 0
            for (t, value) in fit.losses.enumerated() {
                if value.isFinite { sum += value; count += 1 }
                if t >= window, fit.losses[t - window].isFinite { sum -= fit.losses[t - window]; count -= 1 }
                averaged.append(count > 0 ? sum / Double(count) : .nan)
            }
            panel.line(x: Array(iterations.prefix(n)), y: averaged, color: Color("#1F4E79") ?? .black, width: 1.5,
                       label: "moving average (\(window))")
        }
        let validationName = fit.plan.settings.objective == .maximumLikelihood ? "held-out NLL" : "−ELBO (β = 1)"
        if !fit.validation.isEmpty {
            let x = fit.validation.map { Double($0.iteration) }
            let y = fit.validation.map(\.value)
            let se = fit.validation.map(\.standardError)
            panel.fillBetween(x: x, y1: zip(y, se).map { $0 - 2 * $1 }, y2: zip(y, se).map { $0 + 2 * $1 },
                              color: Color("#D9822B") ?? .black, alpha: 0.25)
            panel.line(x: x, y: y, color: Color("#D9822B") ?? .black, width: 1.2, label: validationName)
            panel.scatter(x: x, y: y, size: 3, color: Color("#D9822B") ?? .black)
        }
        // Robust limits: the first iterations of a fit are far above the rest.
        let finite = fit.losses.filter(\.isFinite).sorted() + fit.validation.map(\.value)
        if let low = finite.min(), !finite.isEmpty {
            let sorted = finite.sorted()
            let high = sorted[min(sorted.count - 1, Int(0.98 * Double(sorted.count - 1)))]
            let pad = max(1e-9, 0.05 * (high - low))
            if high > low { panel.y.setLimits(low - pad, high + pad) }
        }
        panel.x.label = "iteration"
        panel.y.label = "nats"
        figure[0, 0] = panel
        if annealing {
            var beta = Panel(title: "Inverse temperature $\\beta_t$")
            beta.line(x: Array(iterations.prefix(fit.betas.count)), y: fit.betas, color: Color("#6A994E") ?? .black)
            beta.y.setLimits(0, 1.05)
            beta.x.label = "iteration"
            beta.y.label = "$\\beta$"
            beta.legend = nil
            figure[0, 1] = beta
        }
        let objective = fit.plan.settings.objective
        let lossText = objective == .maximumLikelihood
            ? "the mean −log q(x) of each mini-batch of \(fit.plan.settings.batch) points"
            : "the annealed free energy E_q[log q − β_t log p̃] of each mini-batch of \(fit.plan.settings.batch) samples"
        var caption = "Training loss (\(lossText)) against iteration, its moving average, and \(validationName) every \(fit.plan.settings.validationEvery) iterations with ±2 standard errors"
        caption += objective == .maximumLikelihood ? " (on \(fit.heldOut?.count ?? 0) points never trained on)." : " (\(FitMonitor.validationSamples) fresh samples, the same noise each time)."
        if annealing { caption += " Right: β_t = min(1, 0.01 + t/\(fit.plan.settings.anneal)) (Rezende & Mohamed 2015, §6)." }
        if fit.skippedSteps > 0 { caption += " \(fit.skippedSteps) steps were skipped (non-finite loss or gradient)." }
        return BuiltFigure(id: "loss", title: "Fit: loss against iteration", caption: caption, figure: figure)
    }

    /// The box of the `fit` figure: (−4, 4)² for energies, the data's range padded by 10 %.
    static func box(_ fit: FitRun) -> [ClosedRange<Double>] {
        guard fit.plan.settings.objective == .maximumLikelihood, let points = fit.heldOut, points.count > 0 else {
            return [-4...4, -4...4]
        }
        return (0..<2).map { j in
            let values = (0..<points.count).map { points[$0, j] }.sorted()
            let low = values[Int(0.002 * Double(values.count - 1))], high = values[Int(0.998 * Double(values.count - 1))]
            let pad = 0.1 * max(high - low, 1e-6)
            return (low - pad)...(high + pad)
        }
    }

    static func plane(_ title: String?, _ b: [ClosedRange<Double>]) -> Panel {
        var p = Panel(title: title)
        p.x.setLimits(b[0].lowerBound, b[0].upperBound)
        p.y.setLimits(b[1].lowerBound, b[1].upperBound)
        p.x.label = "$x_1$"
        p.y.label = "$x_2$"
        p.boxAspect = 1
        p.legend = nil
        return p
    }

    static func fitFigure(fit: FitRun, experiment: Experiment) -> BuiltFigure {
        let b = box(fit)
        let n = resolution
        var figure = Figure(width: 760, height: 270, rows: 1, columns: 3)
        var target: Panel
        let settings = fit.plan.settings
        var caption: String
        if settings.objective == .reverseKL, let energy = settings.target {
            let logZ = EnvelopedEnergy(energy).logNormalizer
            let grid = Grid2D(columns: n, rows: n, x: b[0], y: b[1]) { exp(-EnvelopedEnergy(energy).potential($0, $1) - logZ) }
            target = plane("$\\exp(-U_{\(energy.name.dropFirst())})/Z$", b)
            target.heatMap(grid, x: b[0], y: b[1], colorMap: .viridis, lower: 0)
            caption = "Left: the target exp(−U)/Z of \(energy.name) (with the envelope outside (−4, 4)²). "
        } else {
            target = plane("data", b)
            let points = fit.heldOut ?? PointBatch(dimension: 2, count: 0)
            let shown = min(scatterPoints, points.count)
            target.scatter(x: (0..<shown).map { points[$0, 0] }, y: (0..<shown).map { points[$0, 1] }, size: 2,
                           color: Color("#444444") ?? .black, alpha: 0.5)
            caption = "Left: \(shown) held-out data points. "
        }
        let density = PlaneDensity(flow: experiment.flow, x: b[0], y: b[1], columns: n, rows: n, eq4: false, jobs: 1)
        let values = MultivariateFigurePlan.densityGrid(density.logEq5, columns: n, rows: n)
        var fitted = plane("fitted density $q$", b)
        fitted.heatMap(values, x: b[0], y: b[1], colorMap: .viridis, lower: 0, upper: MultivariateFigurePlan.robustMaximum(values.values))
        fitted.y.label = nil
        var stream = RandomStream(seed: fit.seed, stream: FitRun.estimateStream + 1)
        let drawn = experiment.flow.sample(count: scatterPoints, using: &stream).points
        var samples = plane("samples of $q$", b)
        samples.scatter(x: (0..<drawn.count).map { drawn[$0, 0] }, y: (0..<drawn.count).map { drawn[$0, 1] }, size: 2,
                        color: Color("#336B8B") ?? .black, alpha: 0.5)
        samples.y.label = nil
        figure[0, 0] = target
        figure[0, 1] = fitted
        figure[0, 2] = samples
        caption += "Middle: the density of the fitted flow by Eq. 5 on \(n) × \(n) cells of \(Run.boxText(b)). Right: \(scatterPoints) samples of the fitted flow (the layout of the BNAF and FFJORD toy figures)."
        return BuiltFigure(id: "fit", title: "Fit: target, fitted density, samples", caption: caption, figure: figure)
    }
}
