import Foundation
import FlowKit
import Yams

/// Fittable layer entries in `flow:` and the `fit:` section.
extension ExperimentBuilder {
    /// Whether `entry` is a fittable layer written as one (no parameters, options, or a
    /// `parameters` vector) rather than a transform of the catalog with its own parameters.
    func isFitLayerForm(_ entry: NamedEntry) -> Bool {
        guard let fitEntry = FitLayerCatalog.entry(named: entry.name) else { return false }
        let keys = entry.parameters?.mapping?.keys.compactMap { $0.scalar?.string } ?? []
        if entry.parameters?.mapping == nil, let parameters = entry.parameters, parameters.null == nil { return false }
        let allowed = FitLayerCatalog.keys(of: fitEntry)
        if keys.isEmpty { return true }
        if keys.contains(FitLayerCatalog.parametersKey) || keys.contains(FitLayerCatalog.repeatKey) { return true }
        // Keys of the transform catalog (planar's u, w, b) go to the catalog.
        if let catalogEntry = catalogs.transforms.first(where: { $0.name == entry.name }),
           keys.contains(where: { key in catalogEntry.parameters.contains { $0.name == key } }) {
            return false
        }
        return keys.allSatisfy(allowed.contains) || catalogs.transforms.first(where: { $0.name == entry.name }) == nil
    }

    /// For a catalog entry that is also a fittable layer: the "in between" error when some but
    /// not all required parameters are given. Returns true when it recorded one.
    func reportPartialParameters(_ entry: NamedEntry, what: String) -> Bool {
        guard FitLayerCatalog.entry(named: entry.name) != nil,
              let catalogEntry = catalogs.transforms.first(where: { $0.name == entry.name }),
              let mapping = entry.parameters?.mapping else { return false }
        let given = Set(mapping.keys.compactMap { $0.scalar?.string })
        let required = catalogEntry.parameters.filter { $0.defaultValue == nil }.map(\.name)
        let missing = required.filter { !given.contains($0) }
        guard !missing.isEmpty, !given.isEmpty else { return false }
        sink.error(at: entry.nameNode, "\(what) '\(entry.name)' gives \(given.sorted().joined(separator: ", ")) but not \(missing.joined(separator: ", ")): a layer is either fixed (all its parameters) or fitted (none)",
                   hint: "give \(missing.joined(separator: ", ")) too, or remove the parameters and add a fit: section to fit it")
        return true
    }

    /// The layers of a fittable entry (K of them with `repeat: K`), or nil after a diagnostic.
    func fitLayers(_ entry: NamedEntry, what: String, dimension: Int?) -> [FitLayerSlot]? {
        guard let fitEntry = FitLayerCatalog.entry(named: entry.name) else { return nil }
        let mapping = entry.parameters?.mapping ?? Node.Mapping([])
        read.checkKeys(mapping, allowed: FitLayerCatalog.keys(of: fitEntry), context: "\(what) '\(entry.name)'")
        var options = FitLayerOptions()
        var count = 1
        var ok = true
        if let node = mapping[FitLayerCatalog.repeatKey] {
            if let k = read.integer(node, "\(what) '\(entry.name)': repeat", in: 1...1000, requirement: "an integer in 1 … 1000") {
                count = k
            } else { ok = false }
        }
        if let node = mapping["hidden"] {
            if let single = node.scalar.flatMap({ _ in read.integer(node, "\(what) '\(entry.name)': hidden", in: 1...4096, requirement: "a width in 1 … 4096") }) {
                options.hidden = [single]
            } else if let items = node.sequence {
                let widths = items.compactMap { read.integer($0, "\(what) '\(entry.name)': hidden", in: 1...4096, requirement: "a width in 1 … 4096") }
                if widths.count == items.count { options.hidden = widths } else { ok = false }
            } else {
                if node.scalar == nil { sink.error(at: node, "\(what) '\(entry.name)': hidden must be a list of widths, e.g. [64, 64]") }
                ok = false
            }
            if fitEntry.name == "bnaf", let hidden = options.hidden, hidden.count != 1 {
                sink.error(at: node, "\(what) 'bnaf': hidden is one number (hidden units per dimension), found \(hidden.count)")
                ok = false
            }
        }
        if let node = mapping["bins"] {
            if let v = read.integer(node, "\(what) '\(entry.name)': bins", in: 1...64, requirement: "an integer in 1 … 64") { options.bins = v } else { ok = false }
        }
        if let node = mapping["bound"] {
            if let v = read.number(node, "\(what) '\(entry.name)': bound", in: 1e-6...1e6, requirement: "a number > 0") { options.bound = v } else { ok = false }
        }
        if let node = mapping["layers"] {
            if let v = read.integer(node, "\(what) '\(entry.name)': layers", in: 0...8, requirement: "an integer in 0 … 8") { options.layers = v } else { ok = false }
        }
        if let node = mapping["parity"] {
            if let v = read.integer(node, "\(what) '\(entry.name)': parity", in: 0...1, requirement: "0 or 1") { options.parity = v } else { ok = false }
        }
        if let node = mapping["reversed"] {
            if let v = read.bool(node, "\(what) '\(entry.name)': reversed") { options.reversed = v } else { ok = false }
        }
        guard ok, let d = dimension else { return nil }
        if ["coupling", "additive_coupling", "spline_coupling"].contains(fitEntry.name), d < 2 {
            sink.error(at: entry.nameNode, "\(what) '\(entry.name)' splits the coordinates in two and needs d ≥ 2, but the experiment is \(d)-dimensional")
            return nil
        }
        let layers = (0..<count).map { fitEntry.make(d, options, $0) }
        guard let parametersNode = mapping[FitLayerCatalog.parametersKey] else {
            return layers.map { FitLayerSlot(layer: $0, fixed: nil) }
        }
        if count != 1 {
            sink.error(at: mapping[FitLayerCatalog.repeatKey] ?? entry.nameNode, "\(what) '\(entry.name)': repeat and parameters exclude each other",
                       hint: "a fixed layer is written once per copy, each with its own parameters")
            return nil
        }
        guard let items = parametersNode.sequence else {
            sink.error(at: parametersNode, "\(what) '\(entry.name)': parameters must be a list of numbers (the layer's flat parameter vector)")
            return nil
        }
        let values = items.compactMap { read.number($0, "\(what) '\(entry.name)': parameters") }
        guard values.count == items.count else { return nil }
        guard values.count == layers[0].parameterCount else {
            sink.error(at: parametersNode, "\(what) '\(entry.name)' has \(layers[0].parameterCount) parameters with these options, found \(values.count): a layer is either fixed (all its parameters) or fitted (none)",
                       hint: "remove 'parameters' to fit the layer, or give all \(layers[0].parameterCount) values (fitted.yaml writes them)")
            return nil
        }
        return [FitLayerSlot(layer: layers[0], fixed: values)]
    }

    // MARK: - The fit section

    /// Reads `fit:`; `layers` are the flow's (for the direction check) with their name nodes.
    func fitSettings(_ node: Node, dimension: Int?, layers: [(slot: FitLayerSlot, node: Node)]) -> FitSettings? {
        guard let mapping = read.mapping(node, "fit") else { return nil }
        read.checkKeys(mapping, allowed: FitSettings.keys, context: "fit")
        let before = sink.diagnostics.count
        guard let objectiveNode = mapping["objective"] else {
            sink.error(at: node, "fit: missing 'objective'", hint: "objective: reverse_kl (with target: u1 … u4) or maximum_likelihood (with data: 8gaussians or {file: points.csv})")
            return nil
        }
        guard let objectiveName = read.string(objectiveNode, "fit: objective") else { return nil }
        if objectiveName == FlowMatchingSettings.objective {
            sink.error(at: objectiveNode, "fit: objective flow_matching fits a flow_matching entry, but this flow has none",
                       hint: "write flow: [{flow_matching: {hidden: [64, 64, 64]}}], or fit these layers by reverse_kl or maximum_likelihood")
            return nil
        }
        guard let objective = FitSettings.Objective(rawValue: objectiveName) else {
            sink.error(at: objectiveNode, "fit: unknown objective '\(objectiveName)'",
                       hint: Suggestion.hint(for: objectiveName, in: FitSettings.Objective.allCases.map(\.rawValue), kind: "objectives"))
            return nil
        }
        var settings = FitSettings(objective: objective)
        switch objective {
        case .reverseKL:
            if let dataNode = mapping["data"] {
                sink.error(at: dataNode, "fit: reverse_kl fits an energy, not data", hint: "remove 'data', or use objective: maximum_likelihood")
            }
            if let targetNode = mapping["target"] {
                if let name = read.string(targetNode, "fit: target") {
                    if let energy = Energy(rawValue: name) {
                        settings.target = energy
                        if let d = dimension, d != 2 {
                            sink.error(at: targetNode, "fit: target '\(name)' is a density on the plane, but the experiment is \(d)-dimensional",
                                       hint: "use a 2-D base, e.g. base: {normal: {mean: [0, 0], std: [1, 1]}}")
                        }
                    } else {
                        sink.error(at: targetNode, "fit: unknown target '\(name)' for reverse_kl",
                                   hint: Suggestion.hint(for: name, in: Energy.allCases.map(\.rawValue), kind: "energies"))
                    }
                }
            } else {
                sink.error(at: objectiveNode, "fit: objective reverse_kl needs a 'target' (the energy to fit)", hint: "add target: u1 (u1 … u4)")
            }
        case .maximumLikelihood:
            if let targetNode = mapping["target"] {
                sink.error(at: targetNode, "fit: maximum_likelihood fits data, not a target energy", hint: "write data: 8gaussians (or {file: points.csv}), or use objective: reverse_kl")
            }
            if let dataNode = mapping["data"] {
                settings.data = fitData(dataNode, dimension: dimension)
            } else {
                sink.error(at: objectiveNode, "fit: objective maximum_likelihood needs 'data'",
                           hint: "add data: 8gaussians (a built-in data set) or data: {file: points.csv}")
            }
        }
        readTrainingLoop(mapping, into: &settings)
        if let n = mapping["clip"], let v = read.number(n, "fit: clip") {
            if v > 0, v.isFinite {
                settings.clip = v
            } else {
                sink.error(at: n, "fit: clip must be a finite number > 0 (the largest gradient norm a step may use), found \(n.scalar?.string ?? "")",
                           hint: "e.g. clip: 0.1, or remove 'clip' for no clipping")
            }
        }
        if let n = mapping["anneal"] {
            if objective != .reverseKL {
                sink.error(at: n, "fit: anneal applies to reverse_kl only (it tempers the target energy)", hint: "remove 'anneal'")
            } else if let v = read.integer(n, "fit: anneal", in: 0...10_000_000, requirement: "an integer ≥ 0 (0: no annealing)") {
                settings.anneal = v
            }
        }
        if let n = mapping["train_base"], let v = read.bool(n, "fit: train_base") { settings.trainBase = v }
        if let n = mapping["checks"] {
            // Fit check limits are set where every check's limit is: the top-level checks:.
            let example = (n.mapping?.keys.first?.scalar?.string).map { "\($0): {limit: …}" } ?? "kl_model_to_target: {limit: 0.5}"
            sink.error(at: n, "fit: checks is not read here: the limits of the fit checks (\(FitSettings.checkNames.joined(separator: ", "))) are set in the spec's top-level checks:, beside every other check",
                       hint: "move it: checks: {\(example)} at the top level of the spec")
        }
        // Every layer must be trainable in the objective's direction.
        for (slot, nameNode) in layers where slot.fixed == nil && !slot.layer.trainableDirections.contains(objective.direction) {
            let other: FitSettings.Objective = objective == .reverseKL ? .maximumLikelihood : .reverseKL
            sink.error(at: nameNode, "'\(slot.layer.name)' cannot be trained by \(objective.rawValue): it has no \(objective.direction.rawValue)-direction pass",
                       hint: "\(objective.rawValue) needs layers that run in the \(objective.direction.rawValue) direction; use '\(slot.layer.name)' with \(other.rawValue), or another layer (flowreport list)")
        }
        return sink.diagnostics.count == before ? settings : nil
    }

    /// The keys every `fit:` section shares, gradient fits and flow matching alike: `iterations`
    /// (validation then every iterations/20 unless `validation: {every: N}` says otherwise),
    /// `batch`, `optimizer`, `schedule`, `validation`.
    func readTrainingLoop<Settings: TrainingLoopSettings>(_ mapping: Node.Mapping, into settings: inout Settings) {
        if let n = mapping["iterations"],
           let v = read.integer(n, "fit: iterations", in: 1...10_000_000, requirement: "a positive integer ≤ 10^7") {
            settings.iterations = v
            settings.validationEvery = max(1, v / 20)
        }
        if let n = mapping["batch"],
           let v = read.integer(n, "fit: batch", in: 1...1_000_000, requirement: "a positive integer ≤ 10^6") {
            settings.batch = v
        }
        if let n = mapping["optimizer"] { settings.optimizer = optimizer(n) ?? settings.optimizer }
        if let n = mapping["schedule"] { settings.schedule = schedule(n) ?? settings.schedule }
        if let n = mapping["validation"], let fields = read.mapping(n, "fit: validation") {
            read.checkKeys(fields, allowed: ["every"], context: "fit: validation")
            if let every = fields["every"],
               let v = read.integer(every, "fit: validation every", in: 1...10_000_000, requirement: "a positive integer") {
                settings.validationEvery = v
            }
        }
    }

    /// `schedule: constant | cosine`.
    func schedule(_ node: Node) -> FitSettings.ScheduleChoice? {
        guard let name = read.string(node, "fit: schedule") else { return nil }
        guard let choice = FitSettings.ScheduleChoice(rawValue: name) else {
            let names = FitSettings.ScheduleChoice.allCases.map(\.rawValue)
            sink.error(at: node, "fit: unknown schedule '\(name)' (the learning rate's course over the fit)",
                       hint: Suggestion.hint(for: name, in: names, kind: "schedules"))
            return nil
        }
        return choice
    }

    func optimizer(_ node: Node) -> FitSettings.OptimizerChoice? {
        guard let entry = namedEntry(node, what: "fit: optimizer", kind: "optimizer") else { return nil }
        guard ["adam", "rmsprop"].contains(entry.name) else {
            sink.error(at: entry.nameNode, "fit: unknown optimizer '\(entry.name)'", hint: Suggestion.hint(for: entry.name, in: ["adam", "rmsprop"], kind: "optimizers"))
            return nil
        }
        let fields = entry.parameters.flatMap { $0.null != nil ? Node.Mapping([]) : read.mapping($0, "fit: optimizer \(entry.name)") } ?? Node.Mapping([])
        read.checkKeys(fields, allowed: entry.name == "adam" ? ["learning_rate", "amsgrad"] : ["learning_rate", "momentum"], context: "fit: optimizer \(entry.name)")
        var rate = entry.name == "adam" ? 1e-3 : 1e-5
        if let n = fields["learning_rate"] {
            guard let v = read.number(n, "fit: learning_rate") else { return nil }
            guard v > 0 else {
                sink.error(at: n, "fit: learning_rate must be > 0, found \(n.scalar?.string ?? "")", hint: "e.g. learning_rate: 1e-3")
                return nil
            }
            rate = v
        }
        if entry.name == "adam" {
            var amsgrad = false
            if let n = fields["amsgrad"] {
                guard let flag = read.bool(n, "fit: amsgrad") else { return nil }
                amsgrad = flag
            }
            return .adam(learningRate: rate, amsgrad: amsgrad)
        }
        var momentum = 0.9
        if let n = fields["momentum"] {
            guard let v = read.number(n, "fit: momentum", in: 0...0.999_999, requirement: "a number in [0, 1)") else { return nil }
            momentum = v
        }
        return .rmsprop(learningRate: rate, momentum: momentum)
    }

    /// The smallest number of points a data file may hold: enough for a held-out fifth of ≥ 2.
    static let minimumDataPoints = 10

    func fitData(_ node: Node, dimension: Int?) -> FitSettings.Data? {
        if let scalar = node.scalar, node.tagName != .null {
            guard let dataset = ToyDataset(rawValue: scalar.string) else {
                sink.error(at: node, "fit: unknown data set '\(scalar.string)'",
                           hint: Suggestion.hint(for: scalar.string, in: ToyDataset.allCases.map(\.rawValue), kind: "data sets") + " (or {file: points.csv})")
                return nil
            }
            if let d = dimension, d != 2 {
                sink.error(at: node, "fit: data set '\(scalar.string)' is 2-dimensional, but the experiment is \(d)-dimensional")
                return nil
            }
            return .dataset(dataset)
        }
        guard let fields = read.mapping(node, "fit: data") else { return nil }
        read.checkKeys(fields, allowed: ["file"], context: "fit: data")
        guard let fileNode = fields["file"] else {
            sink.error(at: node, "fit: data needs 'file' (a .csv or .npy of points, one per row)")
            return nil
        }
        guard let file = read.string(fileNode, "fit: data file") else { return nil }
        let folder = (path as NSString).deletingLastPathComponent
        let resolved = file.hasPrefix("/") ? file : (folder.isEmpty ? file : (folder as NSString).appendingPathComponent(file))
        let points: PointBatch
        do {
            points = try PointFile.read(path: resolved)
        } catch {
            sink.error(at: fileNode, "fit: data file '\(file)': \(error.message)", hint: error.hint)
            return nil
        }
        if let d = dimension, points.dimension != d {
            sink.error(at: fileNode, "fit: data file '\(file)' has \(points.dimension) columns but the experiment is \(d)-dimensional",
                       hint: "one point per row, \(d) numbers each; the base distribution sets the dimension")
            return nil
        }
        if points.count < Self.minimumDataPoints {
            sink.error(at: fileNode, "fit: data file '\(file)' has \(points.count) points, too few to split into training and held-out points",
                       hint: "give at least \(Self.minimumDataPoints) points (a fifth is held out for heldout_nll)")
            return nil
        }
        return .points(points, file: file)
    }
}

extension ExperimentBuilder {
    /// The fit of a spec: every map of its flow a fittable layer, a diagonal normal base, and
    /// the `fit:` settings. Without `fit:`, a layer without parameters is an error.
    func buildFitPlan(_ fitNode: Node?, chain: BuiltChain, base: (any MultivariateDistribution)?, baseNode: Node?,
                      root: Node, dimension: Int?, what: String) -> FitPlan? {
        guard let fitNode else {
            if let k = chain.slots.firstIndex(where: { $0 != nil && $0?.fixed == nil }) {
                let name = chain.steps[k].name
                sink.error(at: chain.nodes[k], "\(what)[\(k)] '\(name)' has no parameters, so it is fitted, but the spec has no fit: section",
                           hint: "add fit: {objective: reverse_kl, target: u1} (or maximum_likelihood with data), or give its parameters ('flowreport list' shows them)")
            }
            return nil
        }
        var layers: [(slot: FitLayerSlot, node: Node)] = []
        var ok = true
        for (k, slot) in chain.slots.enumerated() {
            if let slot {
                layers.append((slot, chain.nodes[k]))
            } else if let fixed = chain.maps[k] as? any FixedTrainableMap, let d = dimension {
                // A fixed map of the transform catalog among fitted layers (elementwise maps, the
                // catalog coupling): its log-det counts in the objective, its gradient passes
                // through, and fitted.yaml writes it as it is.
                let slot = FitLayerSlot(layer: fixed.trainableLayer(dimension: d), fixed: [], catalogEntry: Self.text(of: chain.entries[k]))
                layers.append((slot, chain.nodes[k]))
            } else if let d = dimension, chain.maps[k].hasConstantJacobian, chain.maps[k].dimension.map({ $0 == d }) ?? true {
                // A fixed map with a constant Jacobian (linear, permute, reverse): the same, with
                // its constant matrix in the gradient.
                let slot = FitLayerSlot(layer: TrainableFixedAffine(chain.maps[k], dimension: d), fixed: [],
                                        catalogEntry: Self.text(of: chain.entries[k]))
                layers.append((slot, chain.nodes[k]))
            } else {
                sink.error(at: chain.nodes[k], "\(what)[\(k)] '\(chain.steps[k].name)' cannot stand among fitted layers: a fit needs the gradient through every map, and this one has none here",
                           hint: "every map of the transform catalog with all its parameters may stand fixed in a fitted flow ('flowreport list'); or fit this step with a fittable layer (" + FitLayerCatalog.names.joined(separator: ", ") + ")")
                ok = false
            }
        }
        var mean: [Double] = [], std: [Double] = []
        if let normal = base as? MultivariateNormalDistribution {
            let d = normal.dimension
            let factor = normal.choleskyFactor
            let diagonal = (0..<d).allSatisfy { i in (0..<d).allSatisfy { j in i == j || factor[i * d + j] == 0 } }
            if diagonal {
                mean = normal.mean
                std = (0..<d).map { abs(factor[$0 * d + $0]) }
            } else {
                sink.error(at: baseNode, "a fitted flow's base is a normal with a diagonal covariance (mean and std)",
                           hint: "e.g. base: {normal: {mean: [0, 0], std: [1, 1]}}")
                ok = false
            }
        } else if base != nil {
            sink.error(at: baseNode, "a fitted flow's base must be 'normal' (its mean and std may be fitted with train_base)",
                       hint: "e.g. base: {normal: {mean: [0, 0], std: [1, 1]}}")
            ok = false
        }
        let settings = fitSettings(fitNode, dimension: dimension, layers: layers)
        guard ok, let settings, !layers.isEmpty else { return nil }
        return FitPlan(settings: settings, layers: layers.map(\.slot), baseMean: mean, baseStd: std)
    }

    /// The most bytes one fitted parameter takes in `fitted.yaml`: the longest shortest
    /// round-trip double (`-2.2250738585072014e-308`, 24 characters) and its separator.
    static let bytesPerFittedParameter = 26

    /// `fitted.yaml` must load like any spec (``SpecLimits/maximumBytes``): the spec text plus
    /// every fitted parameter at its longest must stay within the limit, checked before any fit
    /// runs (a fit of hours would otherwise end in a file no command accepts).
    func checkFittedSpecSize(plans: [FitPlan?], at node: Node, extraParameters: Int = 0) {
        let fitted = plans.compactMap { $0 }.flatMap(\.layers).filter { $0.fixed == nil }
        let parameters = fitted.reduce(extraParameters) { $0 + $1.layer.parameterCount }
        guard parameters > 0 else { return }
        let bytes = source.utf8.count + parameters * Self.bytesPerFittedParameter
        guard bytes > SpecLimits.maximumBytes else { return }
        let most = (SpecLimits.maximumBytes - source.utf8.count) / Self.bytesPerFittedParameter
        sink.error(at: node, "the fits of this spec have \(parameters) parameters; written out in fitted.yaml they could take \(bytes) bytes, beyond the \(SpecLimits.maximumBytes)-byte (1 MiB) limit of a spec",
                   hint: "use fewer or smaller layers (repeat, hidden, bins) or fewer variants: at most about \(max(0, most)) fitted parameters")
    }
}

extension ExperimentBuilder {
    /// The limits of the fit checks (``FitSettings/checkNames``) in the top-level `checks:`,
    /// written like every other check's (`{limit: x}`, a number, `on` or `off`): name → limit,
    /// nil for `off`. `heldout_nll` and `kl_model_to_target` have no default limit, so `on`
    /// alone is an error for them; a fit check in a spec without fits is an error.
    func fitCheckLimits(_ node: Node, hasFit: Bool) -> [String: Double?] {
        guard let mapping = node.mapping else { return [:] }
        var limits: [String: Double?] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, FitSettings.checkNames.contains(key) else { continue }
            guard hasFit else {
                sink.error(at: keyNode, "check '\(key)' judges a fit, but the spec has no fit: section",
                           hint: "remove '\(key)', or add a fit: section")
                continue
            }
            let fallback = FitSettings.checkDefaults.first { $0.name == key }?.limit ?? .infinity
            func readLimit(_ n: Node) -> Double? {
                read.number(n, "limit of '\(key)'", in: 0...Double.greatestFiniteMagnitude, requirement: "≥ 0")
            }
            if value.scalar != nil, value.tagName == .bool, let on = value.bool {
                if !on { limits[key] = .some(nil); continue }
                guard fallback.isFinite else {
                    sink.error(at: value, "check '\(key)' has no default limit", hint: "give one: \(key): {limit: …}")
                    continue
                }
                limits[key] = fallback
            } else if value.scalar != nil, value.tagName == .null {
                if fallback.isFinite { limits[key] = fallback } else {
                    sink.error(at: keyNode, "check '\(key)' has no default limit", hint: "give one: \(key): {limit: …}")
                }
            } else if value.scalar != nil, value.tagName == .int || value.tagName == .float {
                if let limit = readLimit(value) { limits[key] = limit }
            } else if let options = value.mapping {
                read.checkKeys(options, allowed: ["limit"], context: "check '\(key)'")
                if let limitNode = options["limit"] {
                    if let limit = readLimit(limitNode) { limits[key] = limit }
                } else if fallback.isFinite {
                    limits[key] = fallback
                } else {
                    sink.error(at: value, "check '\(key)' has no default limit", hint: "give one: \(key): {limit: …}")
                }
            } else {
                sink.error(at: value, "check '\(key)' must be {limit: x}, a number, on or off; found \(SpecReader.describe(value))")
            }
        }
        return limits
    }
}
