import FlowKit
import Foundation
import Yams

/// `fitted.yaml`: the spec of a fitted flow, every fitted parameter written out and no `fit`
/// section, which `flowreport run`, `eval` and `sample` accept as it is (a fitted flow is just
/// a spec).
///
/// The base becomes `normal` with the fitted mean and std; `planar` and `radial` are written
/// with the transform catalog's parameters (u, w, b; z0, alpha, beta), every other layer with
/// its architecture options and its whole `parameters` vector. Numbers are written in Swift's
/// shortest round-trip form (with a decimal point, so YAML reads them as floats), so reading
/// the file gives the fitted values to the last bit. The other top-level keys are the spec's;
/// `reference` is added when the spec has none and the fit's target or data set can be one.
public enum FittedSpec {
    /// The text of `fitted.yaml` for the spec `source` and its fit `fit`.
    public static func text(source: String, fit: FitRun) throws(ReportError) -> String {
        try text(source: source, chains: [FittedExperiment.Chain(variant: nil, label: "flow", fit: fit)])
    }

    /// The text of `fitted.yaml` for the spec `source` and its fits (the spec's own first, then
    /// the variants').
    static func text(source: String, chains: [FittedExperiment.Chain]) throws(ReportError) -> String {
        let top = try mapping(of: source)
        guard let main = chains.first?.fit else { throw .rendering("fitted.yaml: the spec has no fit") }
        let settings = main.plan.settings
        var out = header(iterations: main.losses.count, objective: settings.objective.rawValue, on: describe(settings),
                         more: chains.count > 1 ? "and \(chains.count - 1) fitted variants" : nil)
        var wroteBase = false, wroteFlow = false
        let hasReference = top["reference"] != nil
        for (key, value) in top {
            guard let name = key.scalar?.string else { continue }
            switch name {
            case "fit": continue
            case "base":
                out += "base: " + base(main) + "\n"
                wroteBase = true
            case "flow":
                out += "flow:\n" + flow(main, indent: "  ")
                wroteFlow = true
                if !hasReference, let reference = reference(settings) { out += "reference: \(reference)\n" }
            case "variants":
                out += try variants(value, chains: chains)
            case "checks":
                // The fit checks judge a fit; fitted.yaml has none.
                if let pairs = value.mapping {
                    let kept = pairs.filter { !FitSettings.checkNames.contains($0.key.scalar?.string ?? "") }
                    if !kept.isEmpty { out += try serialize(key, .mapping(Node.Mapping(Array(kept)))) }
                } else {
                    out += try serialize(key, value)
                }
            default:
                out += try serialize(key, value)
            }
        }
        if !wroteBase { out += "base: " + base(main) + "\n" }
        if !wroteFlow { out += "flow:\n" + flow(main, indent: "  ") }
        return out
    }

    static func describe(_ settings: FitSettings) -> String {
        switch settings.objective {
        case .reverseKL: return settings.target?.rawValue ?? "?"
        case .maximumLikelihood:
            switch settings.data {
            case let .dataset(dataset)?: return dataset.rawValue
            case let .points(_, file)?: return file
            case nil: return "?"
            }
        }
    }

    /// The spec's top-level mapping, parsed again from its text.
    static func mapping(of source: String) throws(ReportError) -> Node.Mapping {
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch {
            throw .rendering("fitted.yaml: cannot re-read the spec: \(error)")
        }
        guard let top = root?.mapping else { throw .rendering("fitted.yaml: the spec is not a mapping") }
        return top
    }

    /// The two comment lines that open every `fitted.yaml`.
    static func header(iterations: Int, objective: String, on data: String, more: String?) -> String {
        var out = "# Written by \(ReportRunner.toolVersion) after \(iterations) iterations of \(objective) on \(data)"
        if let more { out += " (\(more))" }
        return out + ".\n# Every fitted parameter is written out; run, eval and sample take this file as it is.\n"
    }

    /// The `variants:` block: each fitted variant as `fitted(name, value)` writes it (its lines
    /// indented by four spaces, after the `  name:` line), every other variant as written.
    static func variants(_ node: Node, fitted: (String, Node) throws(ReportError) -> String?) throws(ReportError) -> String {
        guard let mapping = node.mapping else { return "" }
        var out = "variants:\n"
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            if let lines = try fitted(name, value) {
                out += "  \(name):\n" + lines
            } else {
                out += indent(try serialize(key, value), "  ")
            }
        }
        return out
    }

    /// `text` with every non-empty line indented by `prefix`.
    static func indent(_ text: String, _ prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : prefix + $0 }.joined(separator: "\n")
    }

    static func serialize(_ key: Node, _ value: Node) throws(ReportError) -> String {
        do {
            return try Yams.serialize(node: .mapping(Node.Mapping([(key, value)])))
        } catch {
            throw .rendering("fitted.yaml: cannot write '\(key.scalar?.string ?? "?")': \(error)")
        }
    }

    /// The `variants:` block: fitted variants with their parameters, the others as written.
    static func variants(_ node: Node, chains: [FittedExperiment.Chain]) throws(ReportError) -> String {
        try variants(node) { (name: String, value: Node) throws(ReportError) -> String? in
            guard let chain = chains.first(where: { $0.variant == name }) else { return nil }
            var out = "    # fitted: \(chain.fit.losses.count) iterations of \(chain.fit.plan.settings.objective.rawValue) on \(describe(chain.fit.plan.settings))\n"
            if let label = value.mapping?["label"] { out += "    " + (try serialize(Node("label"), label)) }
            if let shown = value.mapping?["fit_figure"] { out += "    " + (try serialize(Node("fit_figure"), shown)) }
            out += "    base: " + base(chain.fit) + "\n"
            return out + "    flow:\n" + flow(chain.fit, indent: "      ")
        }
    }

    static func reference(_ settings: FitSettings) -> String? {
        switch settings.objective {
        case .reverseKL: return settings.target?.rawValue
        case .maximumLikelihood:
            if case let .dataset(dataset)? = settings.data { return dataset.rawValue }
            return nil
        }
    }

    static func base(_ fit: FitRun) -> String {
        let (mean, std) = fit.base
        return "{normal: {mean: \(list(mean)), std: \(list(std))}}"
    }

    static func flow(_ fit: FitRun, indent: String) -> String {
        var out = ""
        for (k, slot) in fit.plan.layers.enumerated() {
            out += indent + "- " + (slot.catalogEntry ?? entry(slot.layer, parameters: fit.layerParameters(k))) + "\n"
        }
        return out
    }

    /// One flow entry with its parameters.
    static func entry(_ layer: any TrainableLayer, parameters: [Double]) -> String {
        switch layer {
        case let planar as TrainablePlanar:
            let p = planar.parameters(from: parameters)
            return "{planar: {u: \(list(p.u)), w: \(list(p.w)), b: \(number(p.b))}}"
        case let radial as TrainableRadial:
            let p = radial.parameters(from: parameters)
            return "{radial: {z0: \(list(p.z0)), alpha: \(number(p.alpha)), beta: \(number(p.beta))}}"
        default:
            var options: [String] = []
            switch layer {
            case let l as TrainableAffineCoupling:
                options = ["hidden: \(hiddenWidths(l.conditioner))", "bound: \(number(l.scaleBound))", "parity: \(l.split.kept.first == 0 ? 0 : 1)"]
            case let l as TrainableAdditiveCoupling:
                options = ["hidden: \(hiddenWidths(l.conditioner))", "parity: \(l.split.kept.first == 0 ? 0 : 1)"]
            case let l as TrainableSplineCoupling:
                options = ["hidden: \(hiddenWidths(l.conditioner))", "bins: \(l.bins)", "bound: \(number(l.bound))", "parity: \(l.parity)"]
            case let l as TrainableMAF:
                options = ["hidden: \(hiddenWidths(l.conditioner))", "reversed: \(l.reversed)"]
            case let l as TrainableBNAF:
                options = ["hidden: \(l.hidden)", "layers: \(l.widths.count - 2)", "reversed: \(l.reversed)"]
            default:
                break
            }
            options.append("parameters: \(list(parameters))")
            return "{\(layer.name): {" + options.joined(separator: ", ") + "}}"
        }
    }

    static func hiddenWidths(_ mlp: TrainableMLP) -> String {
        "[" + mlp.widths.dropFirst().dropLast().map(String.init).joined(separator: ", ") + "]"
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }

    /// Swift's shortest round-trip text of `x`, with a decimal point (`1e-05` → `1.0e-05`).
    static func number(_ x: Double) -> String {
        var text = "\(x)"
        if !text.contains("."), let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            text.insert(contentsOf: ".0", at: e)
        }
        return text
    }
}
