import FlowKit
import Yams

/// Chains of maps (`flow:` and the chains of `variants:`), with dimensions and supports
/// checked map by map before anything runs.
extension ExperimentBuilder {
    /// A chain as built from a spec list.
    struct BuiltChain {
        var maps: [any Bijection] = []
        var steps: [FlowStepDescription] = []
        /// Whether every map was built and fits its input.
        var complete = false
        /// Per map: the fittable layer behind it (nil for a map of the transform catalog).
        var slots: [FitLayerSlot?] = []
        /// Per map: the name node of its entry (for messages about fits).
        var nodes: [Node] = []
        /// Per map: its whole entry (a fixed catalog map among fitted layers is written back as it is).
        var entries: [Node] = []
        /// The `flow_matching` entries by map index.
        var flowMatching: [Int: FlowMatchingEntry] = [:]
    }

    /// Builds the maps of the list `node` (`what` names it in messages: `flow`,
    /// `variants.radial.flow`) for inputs of `dimension` dimensions with support `support`.
    /// Each map's dimension must equal the input's; its domain must admit the support reaching
    /// it (``TransformChain/firstDomainViolation(startingFrom:)``, checked on the maps built
    /// before the first that failed).
    func buildChain(_ node: Node, what listName: String, dimension: Int?, support: [Interval]?) -> BuiltChain {
        // Without a top-level base (already reported) a variant's own base still fixes the dimension.
        let dimension = dimension ?? support?.count
        var chain = BuiltChain()
        /// The name nodes of the maps built so far, while none has failed.
        var builtPrefix: [Node]? = []
        guard let items = read.sequence(node, listName) else { return chain }
        if items.isEmpty {
            sink.error(at: node, "\(listName) must list at least one map", hint: "e.g. \(listName): [exp]")
        }
        chain.complete = !items.isEmpty
        for (index, item) in items.enumerated() {
            let what = "\(listName)[\(index)]"
            guard let entry = namedEntry(item, what: what, kind: "transform") else { chain.complete = false; builtPrefix = nil; continue }
            if entry.name == FlowMatchingEntry.name {
                guard let built = flowMatchingEntry(entry, what: what, dimension: dimension) else {
                    chain.complete = false
                    builtPrefix = nil
                    continue
                }
                chain.flowMatching[chain.maps.count] = built.entry
                chain.maps.append(built.map)
                chain.steps.append(FlowStepDescription(name: FlowMatchingEntry.name, parameters: [
                    (key: "hidden", value: "\(built.entry.hidden)"), (key: "parameters", value: built.entry.fixed == nil ? "fitted" : "fixed")]))
                chain.slots.append(nil)
                chain.nodes.append(entry.nameNode)
                chain.entries.append(item)
                builtPrefix?.append(entry.nameNode)
                continue
            }
            if isFitLayerForm(entry) {
                guard let slots = fitLayers(entry, what: what, dimension: dimension) else {
                    chain.complete = false
                    builtPrefix = nil
                    continue
                }
                for slot in slots {
                    // Fitted layers start where the fit starts: layer k from stream k + 1 of the seed.
                    var stream = RandomStream(seed: fitSeed, stream: UInt64(chain.maps.count + 1))
                    let values = slot.fixed ?? slot.layer.initialParameters(using: &stream)
                    guard let map = try? TrainedLayerMap(layer: slot.layer, parameters: values) else { chain.complete = false; continue }
                    chain.maps.append(map)
                    chain.steps.append(FitLayerCatalog.describe(entry.name, slot: slot))
                    chain.slots.append(slot)
                    chain.nodes.append(entry.nameNode)
                    chain.entries.append(item)
                    builtPrefix?.append(entry.nameNode)
                }
                continue
            }
            if reportPartialParameters(entry, what: what) { chain.complete = false; builtPrefix = nil; continue }
            guard let catalogEntry = catalogs.transforms.first(where: { $0.name == entry.name }) else {
                sink.error(at: entry.nameNode, "\(what): unknown transform '\(entry.name)'",
                           hint: Suggestion.hint(for: entry.name, in: catalogs.transforms.map(\.name), kind: "transforms"))
                chain.complete = false
                builtPrefix = nil
                continue
            }
            guard let map = CatalogBuilder(sink: sink).build(catalogEntry, parameters: entry.parameters,
                                                             nameNode: entry.nameNode, what: what,
                                                             dimension: dimension) else {
                chain.complete = false
                builtPrefix = nil
                continue
            }
            chain.steps.append(describe(entry))
            chain.maps.append(map)
            chain.slots.append(nil)
            chain.nodes.append(entry.nameNode)
            chain.entries.append(item)
            if let d = dimension, let mapDimension = map.dimension, mapDimension != d {
                sink.error(at: entry.nameNode, "\(what) '\(entry.name)' works in \(mapDimension) dimensions but its input has \(d)",
                           hint: index == 0 ? "the base distribution is \(d)-dimensional" : "the output of \(listName)[\(index - 1)] is \(d)-dimensional")
                chain.complete = false
                builtPrefix = nil
                continue
            }
            builtPrefix?.append(entry.nameNode)
        }
        // Support propagation: each map must admit the support reaching it, and must not
        // carry a bounded support beyond the largest finite number.
        if let nodes = builtPrefix, let support, let d = dimension,
           let prefix = try? TransformChain(maps: Array(chain.maps.prefix(nodes.count)), dimension: d) {
            if let violation = prefix.firstDomainViolation(startingFrom: support) {
                let k = violation.step
                sink.error(at: nodes[k],
                           "\(listName)[\(k)] '\(chain.steps[k].name)' needs inputs in \(Self.box(violation.domain)) but its input support is \(Self.box(violation.support))",
                           hint: k == 0 ? "the base's support is \(Self.box(violation.support)); choose a base inside the domain or add a map before '\(chain.steps[k].name)'"
                                        : "the support after \(listName)[\(k - 1)] is \(Self.box(violation.support)); add a map that brings it inside the domain")
                chain.complete = false
            } else {
                let stages = prefix.stageSupports(from: support)
                for (k, map) in prefix.maps.enumerated() {
                    let domain = map.domain(dimension: d)
                    guard let j = Self.overflowingCoordinate(support: stages[k], domain: domain, image: stages[k + 1]) else { continue }
                    let coordinate = d == 1 ? "" : " (coordinate \(j + 1))"
                    sink.error(at: nodes[k],
                               "\(listName)[\(k)] '\(chain.steps[k].name)' overflows: it maps the bounded support \(Self.box(stages[k])) to \(Self.box(stages[k + 1]))\(coordinate), beyond the largest finite number",
                               hint: "scale the base or the map down so that the values stay below about 1e308")
                    chain.complete = false
                    break
                }
            }
        }
        return chain
    }

    /// The first coordinate with an infinite (or NaN) end in the image of a bounded box whose
    /// corners all lie in the map's domain: that can only be overflow, since maps are
    /// continuous on their domains and a continuous image of a compact box is bounded (a
    /// singularity such as log at 0 sits at an end outside the domain and does not count; an
    /// unbounded coordinate anywhere may spread through a multivariate map and does not count).
    static func overflowingCoordinate(support: [Interval], domain: [Interval], image: [Interval]) -> Int? {
        for (j, input) in support.enumerated() {
            guard input.lower.isFinite, input.upper.isFinite else { return nil }
            let allowed = j < domain.count ? domain[j] : .real
            guard allowed.contains(input.lower), allowed.contains(input.upper) else { return nil }
        }
        return image.firstIndex { !$0.lower.isFinite || !$0.upper.isFinite }
    }

    /// The top-level `variants:` mapping: name → {label?, base?, flow?}; what a variant omits
    /// is the spec's own. A variant's base must have the spec's dimension.
    func buildVariants(_ node: Node, dimension: Int?, base: (any MultivariateDistribution)?,
                       baseDescription: FlowStepDescription?, maps: [any Bijection],
                       steps: [FlowStepDescription], fit fitNode: Node? = nil, baseNode: Node? = nil,
                       root: Node? = nil) -> [ExperimentVariant] {
        guard let mapping = read.mapping(node, "variants") else { return [] }
        var variants: [ExperimentVariant] = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                sink.error(at: keyNode, "variant names must be plain words")
                continue
            }
            if name == "flow" {
                sink.error(at: keyNode, "'flow' names the spec's own chain; choose another variant name")
                continue
            }
            guard let fields = read.mapping(value, "variant '\(name)'") else { continue }
            read.checkKeys(fields, allowed: ["label", "base", "flow", "fit", "fit_figure"], context: "variant '\(name)'")
            var variantBase = base
            var variantBaseDescription = baseDescription
            if let baseNode = fields["base"] {
                guard let entry = namedEntry(baseNode, what: "variants.\(name).base", kind: "distribution") else { continue }
                variantBaseDescription = describe(entry)
                variantBase = buildBase(entry).0
                if let d = dimension, let built = variantBase, built.dimension != d {
                    sink.error(at: entry.nameNode, "variants.\(name).base is \(built.dimension)-dimensional but the spec's base has \(d) dimensions")
                    continue
                }
            }
            var variantMaps = maps, variantSteps = steps
            var variantFit: FitPlan?
            var variantFlowMatching: FlowMatchingPlan?
            if fields["flow"] == nil, maps.contains(where: { $0 is ContinuousFlowMap }), fitNode != nil {
                sink.error(at: keyNode, "variant '\(name)' of a flow_matching spec needs its own flow: (each variant is a fit of its own)",
                           hint: "add flow: [{flow_matching: {pairing: ot}}] (or the spec's own entry) to the variant")
                continue
            }
            if let flowNode = fields["flow"] {
                let chain = buildChain(flowNode, what: "variants.\(name).flow", dimension: dimension, support: variantBase?.support)
                if !chain.flowMatching.isEmpty {
                    let fit = fitNode.map { Self.merged($0, fields["fit"]) } ?? fields["fit"]
                    variantFlowMatching = buildFlowMatchingPlan(fit, chain: chain, base: variantBase, dimension: dimension,
                                                                what: "variants.\(name).flow", othersFitted: true)
                    if variantFlowMatching == nil, chain.flowMatching.values.contains(where: { $0.fixed == nil }) { continue }
                } else if let k = chain.slots.firstIndex(where: { $0 != nil && $0?.fixed == nil }) {
                    guard let fitNode, let root else {
                        sink.error(at: chain.nodes[k], "variants.\(name).flow[\(k)] '\(chain.steps[k].name)' has no parameters, so it is fitted, but the spec has no fit: section",
                                   hint: "add a fit: section (variants may override its keys with their own fit:), or give its parameters")
                        continue
                    }
                    let merged = Self.merged(fitNode, fields["fit"])
                    guard let plan = buildFitPlan(merged, chain: chain, base: variantBase, baseNode: fields["base"] ?? baseNode,
                                                  root: root, dimension: dimension, what: "variants.\(name).flow") else { continue }
                    variantFit = plan
                } else if let own = fields["fit"] {
                    sink.error(at: own, "variant '\(name)' has a fit: but its flow has no layer to fit",
                               hint: "give it a flow of fittable layers without parameters, e.g. flow: [{planar: {repeat: 8}}]")
                    continue
                }
                guard chain.complete else { continue }
                variantMaps = chain.maps
                variantSteps = chain.steps
            } else if let own = fields["fit"] {
                sink.error(at: own, "variant '\(name)' has a fit: but no flow of its own", hint: "add flow: [...] to the variant")
                continue
            }
            let label = fields["label"].flatMap { read.string($0, "label") } ?? ExperimentVariant.defaultLabel(variantSteps)
            guard let variantBase, let variantBaseDescription, let d = dimension else { continue }
            do {
                let flow = try Flow(base: variantBase, chain: TransformChain(maps: variantMaps, dimension: d))
                var variant = ExperimentVariant(name: name, label: label, baseDescription: variantBaseDescription,
                                                flow: flow, steps: variantSteps)
                variant.fit = variantFit
                if let shown = fields["fit_figure"] {
                    if let v = read.bool(shown, "variants.\(name).fit_figure") { variant.inFitFigure = v }
                }
                variant.flowMatching = variantFlowMatching
                variants.append(variant)
            } catch {
                sink.error(at: value, "variant '\(name)': \(error.description)")
            }
        }
        return variants
    }

    /// The kind names listed under `figures:` (nil when the node is not a list).
    static func figureNames(_ node: Node?) -> [String]? {
        guard let items = node?.sequence else { return nil }
        return items.map { item in
            if let scalar = item.scalar { return scalar.string }
            return item.mapping?.first?.key.scalar?.string ?? ""
        }
    }

    /// The spec's `fit:` mapping with the keys of a variant's own `fit:` replacing its own.
    static func merged(_ specFit: Node, _ own: Node?) -> Node {
        guard let own = own?.mapping, let base = specFit.mapping else { return specFit }
        let overridden = Set(own.keys.compactMap { $0.scalar?.string })
        var pairs: [(Node, Node)] = base.filter { !overridden.contains($0.key.scalar?.string ?? "") }.map { ($0.key, $0.value) }
        pairs += own.map { ($0.key, $0.value) }
        return .mapping(Node.Mapping(pairs, base.tag, .block, base.mark))
    }
}
