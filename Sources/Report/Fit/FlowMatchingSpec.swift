import FlowKit
import Foundation
import Yams

/// `fitted.yaml` of a flow-matching spec: the spec with each `flow_matching` entry's fitted
/// field written out and no `fit:` section, which `flowreport run`, `eval` and `sample` accept
/// as it is.
///
/// The entry keeps its architecture (`hidden`, and `sigma_min` and `pairing` as a record of the
/// fit) and gains `parameters`: the field's flat vector in its layout order (for each layer of
/// the MLP of widths [d + 1, hidden…, d], the weight matrix row by row, then the biases; see
/// ``NeuralVelocityField``), in Swift's shortest round-trip form, so the file gives the fitted
/// values to the last bit. The base stays as written (it is the source of the paths, not
/// fitted); `ode:` is kept (written out with its defaults when the spec has none), so the file
/// integrates exactly as the report did. `reference` is added when the spec has none and the
/// data are a built-in data set.
enum FlowMatchingSpec {
    static func text(source: String, chains: [FlowMatchingExperiment.Chain]) throws(ReportError) -> String {
        let top = try FittedSpec.mapping(of: source)
        let main = chains.first { $0.variant == nil }
        guard let first = chains.first?.fit else { throw .rendering("fitted.yaml: the spec has no fit") }
        var out = FittedSpec.header(iterations: first.losses.count, objective: "flow_matching", on: first.plan.settings.dataName,
                                    more: chains.count > 1 ? "\(chains.count) fits" : nil)
        let hasReference = top["reference"] != nil
        for (key, value) in top {
            guard let name = key.scalar?.string else { continue }
            switch name {
            case "fit": continue
            case "flow":
                if let main {
                    out += "flow:\n  - " + entry(main.fit) + "\n"
                    if !hasReference, case let .dataset(dataset) = main.fit.plan.settings.data { out += "reference: \(dataset.rawValue)\n" }
                } else {
                    out += try FittedSpec.serialize(key, value)
                }
            case "variants":
                out += try variants(value, chains: chains)
            default:
                out += try FittedSpec.serialize(key, value)
            }
        }
        if top["ode"] == nil { out += "ode: " + ode(first.plan.ode) + "\n" }
        return out
    }

    /// `{flow_matching: {hidden: [...], sigma_min: ..., pairing: ..., parameters: [...]}}`.
    static func entry(_ fit: FlowMatchingRun) -> String {
        let e = fit.plan.entry
        return "{flow_matching: {hidden: [\(e.hidden.map(String.init).joined(separator: ", "))], sigma_min: \(FittedSpec.number(e.sigmaMin)), "
            + "pairing: \(e.pairing.rawValue), parameters: \(FittedSpec.list(fit.parameters))}}"
    }

    static func ode(_ settings: ODESettings) -> String {
        switch settings.method {
        case let .rk4(steps): return "{method: rk4, steps: \(steps)}"
        case let .dopri5(rtol, atol): return "{method: dopri5, rtol: \(FittedSpec.number(rtol)), atol: \(FittedSpec.number(atol))}"
        }
    }

    /// The `variants:` block: fitted variants with their field, the others as written.
    static func variants(_ node: Node, chains: [FlowMatchingExperiment.Chain]) throws(ReportError) -> String {
        try FittedSpec.variants(node) { (name: String, value: Node) throws(ReportError) -> String? in
            guard let chain = chains.first(where: { $0.variant == name }) else { return nil }
            var out = "    # fitted: \(chain.fit.losses.count) iterations of flow_matching on \(chain.fit.plan.settings.dataName)\n"
            for field in ["label", "base"] {
                if let node = value.mapping?[field] { out += FittedSpec.indent(try FittedSpec.serialize(Node(field), node), "    ") }
            }
            return out + "    flow:\n      - " + entry(chain.fit) + "\n"
        }
    }
}
