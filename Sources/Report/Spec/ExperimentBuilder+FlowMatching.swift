import FlowKit
import FlowTraining
import Yams

/// `flow_matching` flow entries, their `fit:` section (`objective: flow_matching`), the
/// top-level `ode:` section and data sets as bases (`base: {dataset: 8gaussians}`).
extension ExperimentBuilder {
    /// The base entry naming a data set: `base: {dataset: 8gaussians}`.
    static let datasetBaseName = "dataset"

    /// A built-in data set with a closed-form density as a base (``ToyDatasetDensity``), e.g.
    /// the source of torchcfm's 8gaussians → moons; nil after a diagnostic.
    func datasetBase(_ entry: NamedEntry) -> (any MultivariateDistribution)? {
        let withDensity = ToyDatasetDensity.allCases.map(\.rawValue)
        guard let node = entry.parameters, let scalar = node.scalar, node.tagName != .null else {
            sink.error(at: entry.parameters ?? entry.nameNode, "base: dataset needs the name of a data set, e.g. {dataset: 8gaussians}",
                       hint: "data sets with a density in closed form (usable as a base): " + withDensity.joined(separator: ", "))
            return nil
        }
        guard let dataset = ToyDataset(rawValue: scalar.string) else {
            sink.error(at: node, "base: unknown data set '\(scalar.string)'",
                       hint: Suggestion.hint(for: scalar.string, in: ToyDataset.allCases.map(\.rawValue), kind: "data sets"))
            return nil
        }
        guard let density = ToyDatasetDensity(dataset) else {
            sink.error(at: node, "base: data set '\(scalar.string)' has no density in closed form, so it cannot be a base (a base needs log p₀ for the densities)",
                       hint: "data sets usable as a base: " + withDensity.joined(separator: ", ") + "; '\(scalar.string)' can be the data of a fit (fit: {data: \(scalar.string)})")
            return nil
        }
        return density
    }

    // MARK: - ode:

    /// Reads `ode:`; nil after a diagnostic.
    func odeSettings(_ node: Node) -> ODESettings? {
        guard let mapping = read.mapping(node, "ode") else { return nil }
        read.checkKeys(mapping, allowed: ODESettings.keys, context: "ode")
        let before = sink.diagnostics.count
        var method = "dopri5"
        if let methodNode = mapping["method"] {
            guard let name = read.string(methodNode, "ode: method") else { return nil }
            guard ODESettings.methods.contains(name) else {
                sink.error(at: methodNode, "ode: unknown method '\(name)'",
                           hint: Suggestion.hint(for: name, in: ODESettings.methods, kind: "methods") + " (dopri5: adaptive, rtol and atol; rk4: fixed steps)")
                return nil
            }
            method = name
        }
        func tolerance(_ key: String) -> Double {
            guard let n = mapping[key] else { return 1e-5 }
            guard let v = read.number(n, "ode: \(key)") else { return 1e-5 }
            if v <= 0 {
                sink.error(at: n, "ode: \(key) must be > 0, found \(n.scalar?.string ?? "")", hint: "e.g. \(key): 1e-5")
            } else if v >= 1 {
                sink.error(at: n, "ode: \(key) must be below 1, found \(n.scalar?.string ?? "")", hint: "tolerances are small numbers, e.g. \(key): 1e-5")
            }
            return v
        }
        let settings: ODESettings
        if method == "rk4" {
            for key in ["rtol", "atol"] {
                if let n = mapping[key] {
                    sink.error(at: n, "ode: \(key) applies to dopri5; rk4 takes fixed steps", hint: "write steps: 100, or method: dopri5")
                }
            }
            var steps = ODESettings.defaultSteps
            if let n = mapping["steps"] {
                steps = read.integer(n, "ode: steps", in: 1...100_000, requirement: "a positive integer ≤ 100000") ?? steps
            }
            settings = ODESettings(method: .rk4(steps: steps))
        } else {
            if let n = mapping["steps"] {
                sink.error(at: n, "ode: steps applies to rk4; dopri5 chooses its steps from rtol and atol",
                           hint: "remove 'steps', or write method: rk4")
            }
            settings = ODESettings(method: .dopri5(relativeTolerance: tolerance("rtol"), absoluteTolerance: tolerance("atol")))
        }
        return sink.diagnostics.count == before ? settings : nil
    }

    // MARK: - The flow entry

    /// The entry `{flow_matching: {...}}` and its map (the field at its starting parameters,
    /// from stream 1 of the seed, or at the given `parameters`); nil after a diagnostic.
    func flowMatchingEntry(_ entry: NamedEntry, what: String, dimension: Int?) -> (entry: FlowMatchingEntry, map: ContinuousFlowMap)? {
        let name = FlowMatchingEntry.name
        var result = FlowMatchingEntry()
        var ok = true
        let mapping: Node.Mapping
        if let parameters = entry.parameters, parameters.null == nil {
            guard let m = read.mapping(parameters, "\(what) '\(name)'") else { return nil }
            mapping = m
        } else {
            mapping = Node.Mapping([])
        }
        read.checkKeys(mapping, allowed: FlowMatchingEntry.keys, context: "\(what) '\(name)'")
        if let node = mapping["hidden"] {
            if let items = node.sequence, !items.isEmpty {
                let widths = items.compactMap { read.integer($0, "\(what) '\(name)': hidden", in: 1...4096, requirement: "a width in 1 … 4096") }
                if widths.count == items.count { result.hidden = widths } else { ok = false }
            } else if node.scalar != nil, let single = read.integer(node, "\(what) '\(name)': hidden", in: 1...4096, requirement: "a width in 1 … 4096") {
                result.hidden = [single]
            } else {
                if node.scalar == nil { sink.error(at: node, "\(what) '\(name)': hidden must be a list of widths, e.g. [64, 64, 64]") }
                ok = false
            }
        }
        if let node = mapping["sigma_min"] {
            if let v = read.number(node, "\(what) '\(name)': sigma_min") {
                if v >= 0, v < 1 { result.sigmaMin = v } else {
                    sink.error(at: node, "\(what) '\(name)': sigma_min must be in [0, 1), found \(node.scalar?.string ?? "\(v)")",
                               hint: "σ_min is the width left at t = 1 by the path; 0 gives the straight I-CFM path of Tong et al. (2024)")
                    ok = false
                }
            } else { ok = false }
        }
        if let node = mapping["pairing"] {
            if let text = read.string(node, "\(what) '\(name)': pairing") {
                if let pairing = ConditionalFlowMatching.Pairing(rawValue: text) { result.pairing = pairing } else {
                    sink.error(at: node, "\(what) '\(name)': unknown pairing '\(text)'",
                               hint: Suggestion.hint(for: text, in: ConditionalFlowMatching.Pairing.allCases.map(\.rawValue), kind: "pairings")
                                   + " (independent draws, or ot: exact minibatch optimal transport)")
                    ok = false
                }
            } else { ok = false }
        }
        guard ok, let d = dimension else { return nil }
        let network = result.network(dimension: d)
        var values: [Double]
        if let node = mapping["parameters"] {
            guard let items = node.sequence else {
                sink.error(at: node, "\(what) '\(name)': parameters must be a list of numbers (the field's flat parameter vector)")
                return nil
            }
            values = items.compactMap { read.number($0, "\(what) '\(name)': parameters") }
            guard values.count == items.count else { return nil }
            guard values.count == network.parameterCount else {
                sink.error(at: node, "\(what) '\(name)' has \(network.parameterCount) parameters with hidden \(result.hidden), found \(values.count)",
                           hint: "remove 'parameters' to fit the field, or give all \(network.parameterCount) values (fitted.yaml writes them)")
                return nil
            }
            result.fixed = values
        } else {
            var stream = RandomStream(seed: fitSeed, stream: 1)
            values = network.initialParameters(using: &stream)
        }
        do {
            return (result, try ContinuousFlowMap(network: network, parameters: values, method: (odeSettingsRead ?? .standard).method))
        } catch {
            sink.error(at: entry.nameNode, "\(what) '\(name)': \(error.description)")
            return nil
        }
    }

    // MARK: - The fit

    /// The flow-matching fit of a chain holding `flow_matching` entries, or nil (a fixed field,
    /// or after a diagnostic). A `flow_matching` entry is the whole flow.
    func buildFlowMatchingPlan(_ fitNode: Node?, chain: BuiltChain, base: (any MultivariateDistribution)?,
                               dimension: Int?, what: String, othersFitted: Bool) -> FlowMatchingPlan? {
        guard let (index, entry) = chain.flowMatching.min(by: { $0.key < $1.key }) else { return nil }
        if chain.maps.count > 1 {
            let other = index == 0 ? 1 : 0
            sink.error(at: chain.nodes[other], "\(what)[\(other)] '\(chain.steps[other].name)': a flow_matching entry is a whole continuous flow and cannot be combined with other maps",
                       hint: "keep only the flow_matching entry in \(what); its base is the source of the paths (base: {dataset: 8gaussians} starts from a data set)")
            return nil
        }
        if entry.fixed != nil {
            if let fitNode, !othersFitted {
                sink.error(at: fitNode, "fit: nothing to fit: \(what)[\(index)] 'flow_matching' gives its parameters",
                           hint: "remove the fit: section (this is a fitted flow), or remove 'parameters' to fit the field again")
            }
            return nil
        }
        guard let fitNode else {
            sink.error(at: chain.nodes[index], "\(what)[\(index)] 'flow_matching' has no parameters, so it is fitted, but the spec has no fit: section",
                       hint: "add fit: {objective: flow_matching, data: moons} (flowreport list shows the defaults), or give its parameters")
            return nil
        }
        guard let mapping = read.mapping(fitNode, "fit") else { return nil }
        let before = sink.diagnostics.count
        for key in mapping.keys {
            guard let name = key.scalar?.string, !FlowMatchingSettings.keys.contains(name) else { continue }
            if FitSettings.keys.contains(name) {
                let why = ["target": "flow matching regresses onto paths to data; it has no target energy",
                           "anneal": "annealing tempers the target energy of reverse_kl",
                           "train_base": "the base is the source of the paths and stays as written",
                           "checks": "flow matching has no fit checks; the run's checks (eq4_vs_eq5, round_trip) judge the solver"][name] ?? ""
                sink.error(at: key, "fit: '\(name)' does not apply to objective flow_matching (\(why))", hint: "remove '\(name)'")
            } else {
                sink.error(at: key, "unknown key '\(name)' in fit", hint: Suggestion.hint(for: name, in: FlowMatchingSettings.keys, kind: "keys"))
            }
        }
        guard let objectiveNode = mapping["objective"] else {
            sink.error(at: fitNode, "fit: missing 'objective'", hint: "objective: flow_matching (the flow is a flow_matching field)")
            return nil
        }
        guard let objective = read.string(objectiveNode, "fit: objective") else { return nil }
        guard objective == FlowMatchingSettings.objective else {
            sink.error(at: objectiveNode, "fit: \(what)[\(index)] 'flow_matching' is fitted by objective flow_matching (conditional flow matching), not '\(objective)'",
                       hint: "write objective: flow_matching, or use fittable layers (planar, coupling, …) for \(objective)")
            return nil
        }
        guard let dataNode = mapping["data"] else {
            sink.error(at: objectiveNode, "fit: objective flow_matching needs 'data' (the points the flow carries the base to at t = 1)",
                       hint: "add data: moons (a built-in data set) or data: {file: points.csv}")
            return nil
        }
        guard let data = fitData(dataNode, dimension: dimension) else { return nil }
        var settings = FlowMatchingSettings(data: data)
        readTrainingLoop(mapping, into: &settings)
        guard sink.diagnostics.count == before, let base else { return nil }
        return FlowMatchingPlan(entry: entry, settings: settings, base: base, ode: odeSettingsRead ?? .standard)
    }

    /// Whether the list `node` has an entry named `flow_matching` (built or not): its `fit:` is
    /// a flow-matching fit, never read as one of layers.
    static func namesFlowMatching(_ node: Node) -> Bool {
        node.sequence?.contains { item in
            (item.scalar?.string ?? item.mapping?.first?.key.scalar?.string) == FlowMatchingEntry.name
        } ?? false
    }

    /// The number of parameters `fitted.yaml` writes for flow-matching fits.
    static func flowMatchingParameters(_ plans: [FlowMatchingPlan?]) -> Int {
        plans.compactMap { $0 }.reduce(0) { $0 + $1.entry.network(dimension: $1.dimension).parameterCount }
    }

    /// Limits of the solver-bound checks for a flow with a continuous map, unless the spec's
    /// `checks:` sets them (``ODESettings/checkLimits``).
    func adjustChecks(_ checks: [CheckSetting], ode: ODESettings, checksNode: Node?) -> [CheckSetting] {
        let given = Set(checksNode?.mapping?.keys.compactMap { $0.scalar?.string } ?? [])
        var out = checks
        for (name, limit) in ode.checkLimits where !given.contains(name.rawValue) {
            if let k = out.firstIndex(where: { $0.name == name }) { out[k].limit = limit }
        }
        if !given.contains(CheckName.logDetVsFiniteDifference.rawValue),
           let k = out.firstIndex(where: { $0.name == .logDetVsFiniteDifference }) {
            out[k].enabled = false
        }
        return out
    }
}
