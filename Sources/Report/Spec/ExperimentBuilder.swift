import Foundation
import FlowKit
import Yams

/// Walks a parsed spec's node tree and builds the ``Experiment``, recording a diagnostic at
/// the exact node for every problem it finds (it keeps going where the rest can still be
/// checked, so one run reports several mistakes).
final class ExperimentBuilder {
    /// The top-level keys of a spec.
    static let topLevelKeys = ["title", "description", "seed", "samples", "base", "flow", "reference",
                               "figures", "checks", "output"]
    static let defaultSamples = 10_000
    static let defaultSeed: UInt64 = 0

    let sink: DiagnosticSink
    let read: SpecReader
    let catalogs: SpecCatalogs
    let path: String
    let source: String

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
        let samples = top["samples"].map {
            read.integer($0, "samples", in: 1...SpecLimits.maximumSamples, requirement: "a positive integer ≤ 10^10",
                         limitHint: "the limit is 10^10 samples per run")
        } ?? Self.defaultSamples

        // Base.
        var dimension: Int?
        var base: (any MultivariateDistribution)?
        var univariateBase: (any UnivariateDistribution)?
        var baseDescription: FlowStepDescription?
        if let node = top["base"] {
            if let entry = namedEntry(node, what: "base", kind: "distribution") {
                baseDescription = describe(entry)
                (base, univariateBase) = buildBase(entry)
                dimension = base?.dimension
            }
        } else {
            sink.error(at: root, "missing required key 'base' (the base distribution)",
                       hint: "e.g. base: {normal: {mean: 0, std: 1}}")
        }

        // Flow.
        var maps: [any Bijection] = []
        var steps: [FlowStepDescription] = []
        var outputSupport = base?.support
        var flowComplete = false
        if let node = top["flow"] {
            if let items = read.sequence(node, "flow") {
                if items.isEmpty {
                    sink.error(at: node, "flow must list at least one map", hint: "e.g. flow: [exp]")
                }
                flowComplete = !items.isEmpty
                for (index, item) in items.enumerated() {
                    let what = "flow[\(index)]"
                    guard let entry = namedEntry(item, what: what, kind: "transform") else { flowComplete = false; continue }
                    guard let catalogEntry = catalogs.transforms.first(where: { $0.name == entry.name }) else {
                        sink.error(at: entry.nameNode, "\(what): unknown transform '\(entry.name)'",
                                   hint: Suggestion.hint(for: entry.name, in: catalogs.transforms.map(\.name), kind: "transforms"))
                        flowComplete = false
                        continue
                    }
                    guard let map = CatalogBuilder(sink: sink).build(catalogEntry, parameters: entry.parameters,
                                                                     nameNode: entry.nameNode, what: what,
                                                                     dimension: dimension) else {
                        flowComplete = false
                        continue
                    }
                    steps.append(describe(entry))
                    maps.append(map)
                    if let d = dimension, let mapDimension = map.dimension, mapDimension != d {
                        sink.error(at: entry.nameNode, "\(what) '\(entry.name)' works in \(mapDimension) dimensions but its input has \(d)")
                        outputSupport = nil
                        flowComplete = false
                        continue
                    }
                    // Support propagation: the input support must lie in the map's domain.
                    if let support = outputSupport {
                        let domain = map.domain(dimension: support.count)
                        if !zip(domain, support).allSatisfy({ $0.containsAlmostEverywhere($1) }) {
                            sink.error(at: entry.nameNode,
                                       "\(what) '\(entry.name)' needs inputs in \(Self.box(domain)) but its input support is \(Self.box(support))",
                                       hint: index == 0 ? "the base's support is \(Self.box(support)); choose a base inside the domain or add a map before '\(entry.name)'"
                                                        : "the support after flow[\(index - 1)] is \(Self.box(support)); add a map that brings it inside the domain")
                            outputSupport = nil
                            flowComplete = false
                            continue
                        }
                        outputSupport = map.image(of: support)
                    }
                }
            }
        } else {
            sink.error(at: root, "missing required key 'flow' (the list of maps)", hint: "e.g. flow: [exp]")
        }

        // Reference.
        var reference: (any UnivariateDistribution)?
        var referenceDescription: FlowStepDescription?
        if let node = top["reference"], let entry = namedEntry(node, what: "reference", kind: "distribution") {
            referenceDescription = describe(entry)
            if let d = dimension, d != 1 {
                sink.error(at: entry.nameNode, "reference: a reference density is supported for 1-D experiments only (this one has \(d) dimensions)")
            } else if let catalogEntry = catalogs.univariate.first(where: { $0.name == entry.name }) {
                reference = CatalogBuilder(sink: sink).build(catalogEntry, parameters: entry.parameters,
                                                             nameNode: entry.nameNode, what: "reference", dimension: 1)
            } else {
                sink.error(at: entry.nameNode, "reference: unknown distribution '\(entry.name)'",
                           hint: Suggestion.hint(for: entry.name, in: catalogs.univariate.map(\.name), kind: "distributions"))
            }
        }
        let hasReference = top["reference"] != nil

        let figures = top["figures"].map { figureRequests($0, maps: maps.count, hasReference: hasReference) }
            ?? FigureRequest.defaults(hasReference: hasReference)
        let checks = top["checks"].map { checkSettings($0, hasReference: hasReference) }
            ?? CheckSetting.defaults(hasReference: hasReference)
        let output = top["output"].map { outputOptions($0) } ?? OutputOptions()

        guard sink.isEmpty, flowComplete, let base, let dimension, let baseDescription, let samples, let seed,
              let outputSupport else {
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
        return Experiment(name: specName, path: path, source: source, title: title, description: description,
                          seed: seed, samples: samples, dimension: dimension, base: base,
                          univariateBase: univariateBase, baseDescription: baseDescription, flow: flow, maps: maps,
                          steps: steps, reference: reference, referenceDescription: referenceDescription,
                          outputSupport: outputSupport, figures: figures, checks: checks, output: output)
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

    private func buildBase(_ entry: NamedEntry) -> ((any MultivariateDistribution)?, (any UnivariateDistribution)?) {
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
