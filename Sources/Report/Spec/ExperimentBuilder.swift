import Foundation
import FlowKit
import Yams

/// Walks a parsed spec's node tree and builds the ``Experiment``, recording a diagnostic at
/// the exact node for every problem it finds (it keeps going where the rest can still be
/// checked, so one run reports several mistakes).
final class ExperimentBuilder {
    /// The top-level keys of a spec.
    static let topLevelKeys = ["title", "description", "seed", "samples", "base", "flow", "reference",
                               "figures", "checks", "output", "variants", "fit", "ode"]
    static let defaultSamples = 10_000
    static let defaultSeed: UInt64 = 0

    let sink: DiagnosticSink
    let read: SpecReader
    let catalogs: SpecCatalogs
    let path: String
    let source: String
    /// The spec's seed: fitted layers start from streams of it.
    var fitSeed: UInt64 = ExperimentBuilder.defaultSeed
    /// The spec's `ode:` section (nil: none or invalid); continuous maps are built with it.
    var odeSettingsRead: ODESettings?

    init(sink: DiagnosticSink, catalogs: SpecCatalogs, path: String, source: String) {
        self.sink = sink
        self.read = SpecReader(sink: sink)
        self.catalogs = catalogs
        self.path = path
        self.source = source
    }

    /// A named entry: `name` or `{name: {parameters}}`.
    struct NamedEntry {
        var name: String
        var nameNode: Node
        var parameters: Node?
    }

    var specName: String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }

    func build(_ root: Node) -> Experiment? {
        guard let top = root.mapping else {
            sink.error(at: root, "a spec must be a mapping of keys (title, seed, samples, base, flow, …), found \(SpecReader.describe(root))",
                       hint: "'flowreport init NAME' writes a starter spec")
            return nil
        }
        read.checkKeys(top, allowed: Self.topLevelKeys, context: "the spec")
        let title = top["title"].flatMap { read.string($0, "title") } ?? specName
        let description = top["description"].flatMap { read.string($0, "description") }
        let seed = top["seed"].map { read.seed($0) } ?? Self.defaultSeed
        fitSeed = seed ?? Self.defaultSeed
        let samples = top["samples"].map {
            read.integer($0, "samples", in: 1...SpecLimits.maximumSamples, requirement: "a positive integer ≤ 10^10",
                         limitHint: "the limit is 10^10 samples per run")
        } ?? Self.defaultSamples

        // A target-only spec: no base and no flow, every figure `targets` (energies, data sets).
        let isTargetOnly = top["base"] == nil && top["flow"] == nil && Self.figureNames(top["figures"]).map {
            !$0.isEmpty && $0.allSatisfy { $0 == FigureKind.targets.rawValue }
        } == true

        // Base.
        var dimension: Int?
        var base: (any MultivariateDistribution)?
        var univariateBase: (any UnivariateDistribution)?
        var baseDescription: FlowStepDescription?
        if isTargetOnly {
            dimension = 2
            base = try? MultivariateNormalDistribution(mean: [0, 0], choleskyFactor: [1, 0, 0, 1])
            baseDescription = FlowStepDescription(name: "none")
        } else if let node = top["base"] {
            if let entry = namedEntry(node, what: "base", kind: "distribution") {
                baseDescription = describe(entry)
                (base, univariateBase) = buildBase(entry)
                dimension = base?.dimension
            }
        } else {
            sink.error(at: root, "missing required key 'base' (the base distribution)",
                       hint: "e.g. base: {normal: {mean: 0, std: 1}}")
        }

        // The ODE solver of continuous flows, read before the chains that use it.
        odeSettingsRead = top["ode"].flatMap { odeSettings($0) }

        // Flow.
        var maps: [any Bijection] = []
        var steps: [FlowStepDescription] = []
        var flowComplete = false
        var fitPlan: FitPlan?
        var flowMatchingPlan: FlowMatchingPlan?
        var hasContinuousFlow = false
        if isTargetOnly {
            flowComplete = true
        } else if let node = top["flow"] {
            let chain = buildChain(node, what: "flow", dimension: dimension, support: base?.support)
            (maps, steps, flowComplete) = (chain.maps, chain.steps, chain.complete)
            if chain.flowMatching.isEmpty && !Self.namesFlowMatching(node) {
                fitPlan = buildFitPlan(top["fit"], chain: chain, base: base, baseNode: top["base"], root: root,
                                       dimension: dimension, what: "flow")
            } else {
                hasContinuousFlow = true
                let variantsFit = top["variants"]?.mapping?.values.contains { $0.mapping?["flow"] != nil } ?? false
                flowMatchingPlan = buildFlowMatchingPlan(top["fit"], chain: chain, base: base, dimension: dimension,
                                                         what: "flow", othersFitted: variantsFit)
            }
        } else {
            sink.error(at: root, "missing required key 'flow' (the list of maps)", hint: "e.g. flow: [exp]")
        }

        // Reference.
        var reference: (any UnivariateDistribution)?
        var referenceDescription: FlowStepDescription?
        var target: TargetCatalog.Target?
        if let node = top["reference"], let entry = namedEntry(node, what: "reference", kind: "distribution") {
            referenceDescription = describe(entry)
            if let d = dimension, d != 1 {
                if let targetEntry = TargetCatalog.entry(named: entry.name) {
                    target = CatalogBuilder(sink: sink).build(targetEntry, parameters: entry.parameters,
                                                              nameNode: entry.nameNode, what: "reference", dimension: d)
                } else {
                    sink.error(at: entry.nameNode, "reference: unknown target '\(entry.name)'; a \(d)-dimensional experiment takes an energy (u1–u4) or a toy data set",
                               hint: Suggestion.hint(for: entry.name, in: TargetCatalog.names, kind: "targets"))
                }
            } else if let catalogEntry = catalogs.univariate.first(where: { $0.name == entry.name }) {
                reference = CatalogBuilder(sink: sink).build(catalogEntry, parameters: entry.parameters,
                                                             nameNode: entry.nameNode, what: "reference", dimension: 1)
            } else {
                sink.error(at: entry.nameNode, "reference: unknown distribution '\(entry.name)'",
                           hint: Suggestion.hint(for: entry.name, in: catalogs.univariate.map(\.name), kind: "distributions"))
            }
        }
        var variants = top["variants"].map { buildVariants($0, dimension: dimension, base: base,
                                                            baseDescription: baseDescription, maps: maps, steps: steps,
                                                            fit: top["fit"], baseNode: top["base"], root: root) } ?? []
        checkFittedSpecSize(plans: [fitPlan] + variants.map(\.fit), at: top["fit"] ?? top["flow"] ?? root,
                            extraParameters: Self.flowMatchingParameters([flowMatchingPlan] + variants.map(\.flowMatching)))
        hasContinuousFlow = hasContinuousFlow || variants.contains { $0.maps.contains { $0 is ContinuousFlowMap } }
        if let odeNode = top["ode"], !hasContinuousFlow, top["flow"] != nil {
            sink.error(at: odeNode, "ode: applies to continuous flows (flow_matching entries), and this spec has none",
                       hint: "remove 'ode', or use flow: [{flow_matching: {hidden: [64, 64, 64]}}]")
        }
        let hasReference = top["reference"] != nil && (dimension ?? 1) == 1

        let context = FigureContext(dimension: dimension ?? 1, maps: maps.count, hasReference: hasReference,
                                    chainLengths: Dictionary(uniqueKeysWithValues: [("flow", maps.count)] + variants.map { ($0.name, $0.maps.count) }),
                                    variantsGiven: top["variants"] != nil, hasTarget: target != nil)
        let figures = top["figures"].map { figureRequests($0, context: context) }
            ?? FigureRequest.defaults(hasReference: hasReference, dimension: dimension ?? 1)
        var checks = top["checks"].map { checkSettings($0, hasReference: hasReference, dimension: dimension ?? 1) }
            ?? CheckSetting.defaults(hasReference: hasReference, dimension: dimension ?? 1)
        if hasContinuousFlow { checks = adjustChecks(checks, ode: odeSettingsRead ?? .standard, checksNode: top["checks"]) }
        let output = top["output"].map { outputOptions($0) } ?? OutputOptions()
        if let node = top["checks"] {
            let limits = fitCheckLimits(node, hasFit: top["fit"] != nil)
            for (name, limit) in limits {
                fitPlan?.settings.limits[name] = limit
                for k in variants.indices { variants[k].fit?.settings.limits[name] = limit }
            }
        }

        guard sink.isEmpty, flowComplete, let base, let dimension, let baseDescription, let samples, let seed else {
            return nil
        }
        let flow: Flow
        do {
            let chain = try TransformChain(maps: maps, dimension: dimension)
            flow = try Flow(base: base, chain: chain)
        } catch {
            sink.error(at: top["flow"], "flow: \(error.description)")
            return nil
        }
        var experiment = Experiment(name: specName, path: path, source: source, title: title, description: description,
                          seed: seed, samples: samples,
                          univariateBase: univariateBase, baseDescription: baseDescription, flow: flow,
                          steps: steps, reference: reference, referenceDescription: referenceDescription,
                          figures: figures, checks: checks, output: output,
                          target: target, variants: variants, isTargetOnly: isTargetOnly, fit: fitPlan)
        experiment.flowMatching = flowMatchingPlan
        if hasContinuousFlow { experiment.ode = odeSettingsRead ?? .standard }
        return experiment
    }

    // MARK: - Named entries

    /// Reads `name` or `{name: params}`; records a diagnostic and returns nil otherwise.
    func namedEntry(_ node: Node, what: String, kind: String) -> NamedEntry? {
        if let scalar = node.scalar, node.tagName == .str || scalar.style != .plain {
            return NamedEntry(name: scalar.string, nameNode: node, parameters: nil)
        }
        if let pairs = node.mapping, pairs.count == 1, let (key, value) = pairs.first.map({ ($0.key, $0.value) }),
           let name = key.scalar?.string {
            return NamedEntry(name: name, nameNode: key, parameters: value)
        }
        if let pairs = node.mapping, pairs.count > 1 {
            let names = pairs.keys.compactMap { $0.scalar?.string }
            sink.error(at: node, "\(what) must name one \(kind), found a mapping with \(pairs.count) keys (\(names.joined(separator: ", ")))",
                       hint: "write {name: {parameters}}, e.g. {normal: {mean: 0, std: 1}}; check the indentation of the parameters")
            return nil
        }
        sink.error(at: node, "\(what) must be a \(kind) name or {name: {parameters}}, found \(SpecReader.describe(node))")
        return nil
    }

    func buildBase(_ entry: NamedEntry) -> ((any MultivariateDistribution)?, (any UnivariateDistribution)?) {
        if entry.name == Self.datasetBaseName { return (datasetBase(entry), nil) }
        let hasVectors = entry.parameters?.mapping?.values.contains { $0.sequence != nil } ?? false
        let univariate = catalogs.univariate.first { $0.name == entry.name }
        let multivariate = catalogs.multivariate.first { $0.name == entry.name }
        if let univariate, !(hasVectors && multivariate != nil) {
            guard let value = CatalogBuilder(sink: sink).build(univariate, parameters: entry.parameters,
                                                               nameNode: entry.nameNode, what: "base", dimension: 1) else {
                return (nil, nil)
            }
            return (IndependentComponents([value]), value)
        }
        if let multivariate {
            let value = CatalogBuilder(sink: sink).build(multivariate, parameters: entry.parameters,
                                                         nameNode: entry.nameNode, what: "base", dimension: nil)
            return (value, nil)
        }
        sink.error(at: entry.nameNode, "base: unknown distribution '\(entry.name)'",
                   hint: Suggestion.hint(for: entry.name, in: catalogs.distributionNames, kind: "distributions"))
        return (nil, nil)
    }

    func describe(_ entry: NamedEntry) -> FlowStepDescription {
        let pairs = entry.parameters?.mapping.map { mapping in
            mapping.map { (key: $0.key.scalar?.string ?? "?", value: Self.text(of: $0.value)) }
        } ?? []
        return FlowStepDescription(name: entry.name, parameters: pairs)
    }

    /// A node as compact flow-style text.
    static func text(of node: Node) -> String {
        if let scalar = node.scalar { return scalar.string }
        if let items = node.sequence { return "[" + items.map { text(of: $0) }.joined(separator: ", ") + "]" }
        if let pairs = node.mapping {
            return "{" + pairs.map { "\(text(of: $0.key)): \(text(of: $0.value))" }.joined(separator: ", ") + "}"
        }
        return "?"
    }

    /// A box as text: one interval, or their product.
    static func box(_ intervals: [Interval]) -> String {
        guard let first = intervals.first else { return "∅" }
        if intervals.count == 1 { return first.description }
        return intervals.map(\.description).joined(separator: " × ")
    }
}
