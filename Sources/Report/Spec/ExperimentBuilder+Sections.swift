import FlowKit
import Foundation
import Plot
import Yams

/// The `figures`, `checks` and `output` sections.
extension ExperimentBuilder {
    /// Named colours accepted besides `#RRGGBB`.
    static let namedColors = ["black", "white", "gray", "red", "green", "blue", "orange", "purple",
                              "brown", "pink", "olive", "cyan", "yellow"]

    // MARK: - Figures

    /// What figure options are checked against.
    struct FigureContext {
        var dimension: Int
        var maps: Int
        var hasReference: Bool
        /// Number of maps of `flow` and of each variant (for `stages` rows).
        var chainLengths: [String: Int]
        var variantsGiven: Bool
        /// Whether `reference` names an energy or data set (d ≥ 2).
        var hasTarget: Bool
    }

    func figureRequests(_ node: Node, context: FigureContext) -> [FigureRequest] {
        guard let items = read.sequence(node, "figures") else { return [] }
        var requests: [FigureRequest] = []
        let allowed = FigureKind.kinds(forDimension: context.dimension)
        for (index, item) in items.enumerated() {
            let what = "figures[\(index)]"
            guard let entry = namedEntry(item, what: what, kind: "figure kind") else { continue }
            guard let kind = FigureKind(rawValue: entry.name) else {
                sink.error(at: entry.nameNode, "\(what): unknown figure kind '\(entry.name)'",
                           hint: Suggestion.hint(for: entry.name, in: allowed.map(\.rawValue), kind: "figure kinds"))
                continue
            }
            guard allowed.contains(kind) else {
                sink.error(at: entry.nameNode, "\(what): figure '\(kind.rawValue)' is for \(kind.isUnivariate ? "one-dimensional" : "d-dimensional (d ≥ 2)") experiments, but this one has \(context.dimension) dimension\(context.dimension == 1 ? "" : "s")",
                           hint: "figures for this spec: " + allowed.map(\.rawValue).joined(separator: ", "))
                continue
            }
            if kind.needsPlane && context.dimension > 2 {
                sink.error(at: entry.nameNode, "\(what): figure '\(kind.rawValue)' draws densities on the plane and needs a 2-dimensional experiment (this one has \(context.dimension))",
                           hint: "use 'samples', 'marginals' or 'pairs' for d > 2")
                continue
            }
            if kind.needsReference && !context.hasReference {
                sink.error(at: entry.nameNode, "\(what): figure '\(kind.rawValue)' compares with the reference, but the spec has no 'reference'",
                           hint: "add e.g. reference: {lognormal: {mu: 0, sigma: 1}}, or remove this figure")
                continue
            }
            var options = FigureOptions()
            if let parameters = entry.parameters, parameters.null == nil || parameters.scalar == nil {
                if let mapping = read.mapping(parameters, "options of figure '\(kind.rawValue)'") {
                    options = figureOptions(mapping, kind: kind, panels: kind.panelCount(maps: context.maps, dimension: context.dimension), context: context)
                }
            }
            if kind == .targets && options.targetNames == nil && !context.hasTarget {
                sink.error(at: entry.nameNode, "\(what): figure 'targets' needs 'names' (energies u1–u4, data sets) or a 'reference' target in the spec",
                           hint: "e.g. - targets: {names: [u1, u2, u3, u4]}")
                continue
            }
            requests.append(FigureRequest(kind: kind, options: options))
        }
        return requests
    }

    private func figureOptions(_ mapping: Node.Mapping, kind: FigureKind, panels: Int, context spec: FigureContext) -> FigureOptions {
        let context = "the options of figure '\(kind.rawValue)'"
        read.checkKeys(mapping, allowed: kind.allowedOptions, context: context)
        var o = FigureOptions()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, kind.allowedOptions.contains(key) else { continue }
            let what = "\(key)"
            switch key {
            case "bins":
                if kind.drawsPlaneHistograms {
                    // Bins per axis of a streamed 2-D histogram: every thread holds a few.
                    o.bins = read.integer(value, what, in: 1...FigureKind.maximumPlaneBins,
                                          requirement: "an integer in 1 … \(FigureKind.maximumPlaneBins) (bins per axis of a 2-D histogram)")
                } else {
                    o.bins = read.integer(value, what, in: 1...100_000, requirement: "an integer in 1 … 100000")
                }
            case "points": o.points = read.integer(value, what, in: 2...1_000_000, requirement: "an integer in 2 … 1000000")
            case "alpha": o.alpha = read.number(value, what, in: 0...1, requirement: "in [0, 1]")
            case "line_width": o.lineWidth = read.number(value, what, in: 0.01...100, requirement: "a width in points in (0, 100]")
            case "x_label": o.xLabels = labels(value, key: key, panels: panels)
            case "y_label": o.yLabels = labels(value, key: key, panels: panels)
            case "title": o.title = read.string(value, what)
            case "grid":
                if kind.isMultivariate && spec.dimension >= 2 && value.tagName == .int {
                    o.resolution = read.integer(value, "grid", in: 8...4000, requirement: "grid points per axis in 8 … 4000 (or true/false for grid lines)")
                } else {
                    o.grid = read.bool(value, what)
                }
            case "size":
                if let items = value.sequence, items.count == 2,
                   let w = read.number(items[0], "size width", in: 10...10_000, requirement: "in 10 … 10000 points"),
                   let h = read.number(items[1], "size height", in: 10...10_000, requirement: "in 10 … 10000 points") {
                    o.size = FigureSize(width: w, height: h)
                } else if value.sequence?.count != 2 {
                    sink.error(at: value, "size must be [width, height] in points, found \(SpecReader.describe(value))")
                }
            case "range":
                if kind == .pairs { o.box = box(value, intervals: spec.dimension) } else if kind.isMultivariate && spec.dimension >= 2 { o.box = box(value) } else { o.ranges = ranges(value, panels: panels) }
            case "colormap":
                if let text = read.string(value, "colormap") {
                    if ColorMap.named(text) != nil { o.colorMap = text } else {
                        let names = ColorMap.all.map(\.name)
                        sink.error(at: value, "unknown colour map '\(text)'",
                                   hint: Suggestion.didYouMean(text, in: names)
                                       ?? "known colour maps: " + names.joined(separator: ", ") + " (a _r suffix reverses)")
                    }
                }
            case "contours": o.contours = read.integer(value, "contours", in: 0...50, requirement: "a number of levels in 0 … 50")
            case "lines": o.lines = read.integer(value, "lines", in: 2...200, requirement: "grid lines per axis in 2 … 200")
            case "axes": o.showsAxes = read.bool(value, "axes")
            case "names": o.targetNames = targetNames(value)
            case "stages": o.stageList = stageList(value, length: spec.maps, chain: "flow")
            case "rows": o.stageRows = stageRows(value, context: spec)
            case "color": o.colors = colors(value, panels: kind.isMultivariate && spec.dimension >= 2 ? Int.max : panels)
            case "kind":
                if let text = read.string(value, "kind") {
                    if let calibration = CalibrationKind(rawValue: text) { o.calibration = calibration } else {
                        sink.error(at: value, "kind must be one of pit, qq, found '\(text)'",
                                   hint: Suggestion.didYouMean(text, in: CalibrationKind.allCases.map(\.rawValue)))
                    }
                }
            default: break
            }
        }
        return o
    }

    /// `[lo, hi]` for every panel or `[[lo, hi], …]` one per panel.
    private func ranges(_ node: Node, panels: Int) -> [ClosedRange<Double>]? {
        guard let items = node.sequence, !items.isEmpty else {
            sink.error(at: node, "range must be [low, high] or one [low, high] per panel, found \(SpecReader.describe(node))")
            return nil
        }
        if items.allSatisfy({ $0.scalar != nil }) {
            return read.range(node, "range").map { [$0] }
        }
        guard items.count == panels || items.count == 1 else {
            sink.error(at: node, "range lists \(items.count) ranges but the figure has \(panels) panel\(panels == 1 ? "" : "s")")
            return nil
        }
        let parsed = items.map { read.range($0, "range") }
        return parsed.contains { $0 == nil } ? nil : parsed.compactMap { $0 }
    }

    /// `[[x0, x1], [y0, y1]]`, or one `[lo, hi]` for both axes.
    private func box(_ node: Node, intervals: Int = 2) -> [ClosedRange<Double>]? {
        let shape = intervals == 2 ? "[[x0, x1], [y0, y1]]" : "[[low, high], …] (\(intervals) intervals, one per coordinate)"
        guard let items = node.sequence, !items.isEmpty else {
            sink.error(at: node, "range of a \(intervals == 2 ? "2-D figure" : "pair plot") must be a box \(shape) or one [low, high] for \(intervals == 2 ? "both axes" : "every coordinate"), found \(SpecReader.describe(node))")
            return nil
        }
        if items.allSatisfy({ $0.scalar != nil }) {
            return read.range(node, "range").map { Array(repeating: $0, count: intervals) }
        }
        guard items.count == intervals else {
            sink.error(at: node, "range lists \(items.count) intervals; \(intervals == 2 ? "a 2-D box has two" : "this experiment has \(intervals) coordinates"), \(shape)")
            return nil
        }
        let parsed = items.map { read.range($0, "range") }
        return parsed.contains { $0 == nil } ? nil : parsed.compactMap { $0 }
    }

    /// Names of energies and data sets.
    private func targetNames(_ node: Node) -> [String]? {
        let items = node.sequence.map(Array.init) ?? [node]
        var names: [String] = []
        for item in items {
            guard let name = read.string(item, "names") else { return nil }
            guard TargetCatalog.entry(named: name) != nil else {
                sink.error(at: item, "unknown target '\(name)'",
                           hint: Suggestion.hint(for: name, in: TargetCatalog.names, kind: "targets"))
                return nil
            }
            names.append(name)
        }
        if names.isEmpty { sink.error(at: node, "names must list at least one energy or data set") }
        return names.isEmpty ? nil : names
    }

    /// Prefix lengths 0 … `length` of a chain.
    private func stageList(_ node: Node, length: Int, chain: String) -> [Int]? {
        let items = node.sequence.map(Array.init) ?? [node]
        var out: [Int] = []
        for item in items {
            guard let k = read.integer(item, "stage of '\(chain)'", in: 0...length,
                                       requirement: "a number of maps in 0 … \(length) ('\(chain)' has \(length) map\(length == 1 ? "" : "s"))") else { return nil }
            out.append(k)
        }
        if out.isEmpty { sink.error(at: node, "stages must list at least one number of maps") }
        return out.isEmpty ? nil : out
    }

    /// `rows: [{chain: [K, …], …}, …]`.
    private func stageRows(_ node: Node, context: FigureContext) -> [StageRow]? {
        guard let items = read.sequence(node, "rows") else { return nil }
        var rows: [StageRow] = []
        for item in items {
            guard let mapping = read.mapping(item, "a row of 'rows'") else { return nil }
            var entries: [StageRow.Entry] = []
            for (keyNode, value) in mapping {
                guard let name = keyNode.scalar?.string else { return nil }
                guard let length = context.chainLengths[name] else {
                    let known = context.chainLengths.keys.sorted()
                    sink.error(at: keyNode, "unknown chain '\(name)' in rows: use 'flow' or a name under 'variants'",
                               hint: Suggestion.didYouMean(name, in: known)
                                   ?? (context.variantsGiven ? "known chains: " + known.joined(separator: ", ")
                                                             : "define it under the top-level key 'variants'"))
                    return nil
                }
                guard let stages = stageList(value, length: length, chain: name) else { return nil }
                entries.append(StageRow.Entry(chain: name, stages: stages))
            }
            rows.append(StageRow(entries: entries))
        }
        return rows
    }

    /// A label for every panel or one per panel.
    private func labels(_ node: Node, key: String, panels: Int) -> [String]? {
        guard let list = node.sequence else { return read.string(node, key).map { [$0] } }
        guard list.count == panels || list.count == 1 else {
            sink.error(at: node, "\(key) lists \(list.count) labels but the figure has \(panels) panel\(panels == 1 ? "" : "s")")
            return nil
        }
        let parsed = list.map { read.string($0, key) }
        return parsed.contains { $0 == nil } ? nil : parsed.compactMap { $0 }
    }

    /// A colour for every panel or one per panel.
    private func colors(_ node: Node, panels: Int) -> [String]? {
        let items: [Node]
        if let list = node.sequence {
            guard list.count == panels || list.count == 1 else {
                sink.error(at: node, "color lists \(list.count) colours but the figure has \(panels) panel\(panels == 1 ? "" : "s")")
                return nil
            }
            items = Array(list)
        } else {
            items = [node]
        }
        var out: [String] = []
        for item in items {
            guard let text = read.string(item, "color") else { return nil }
            let isHex = text.count == 7 && text.hasPrefix("#") && text.dropFirst().allSatisfy(\.isHexDigit)
            guard isHex || Self.namedColors.contains(text) else {
                sink.error(at: item, "color must be #RRGGBB or a colour name, found '\(text)'",
                           hint: Suggestion.didYouMean(text, in: Self.namedColors)
                               ?? "e.g. \"#336B8B\" (quote it: # starts a YAML comment)")
                return nil
            }
            out.append(text)
        }
        return out
    }

    // MARK: - Checks

    func checkSettings(_ node: Node, hasReference: Bool, dimension: Int = 1) -> [CheckSetting] {
        var settings = CheckSetting.defaults(hasReference: hasReference, dimension: dimension)
        guard let mapping = read.mapping(node, "checks") else { return settings }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                sink.error(at: keyNode, "check names must be plain words")
                continue
            }
            if FitSettings.checkNames.contains(key) { continue }  // read by fitCheckLimits
            guard let name = CheckName(rawValue: key), let index = settings.firstIndex(where: { $0.name == name }) else {
                sink.error(at: keyNode, "unknown check '\(key)'",
                           hint: Suggestion.hint(for: key, in: CheckName.allCases.map(\.rawValue) + FitSettings.checkNames, kind: "checks"))
                continue
            }
            guard name.applies(toDimension: dimension) else {
                sink.error(at: keyNode, "check '\(key)' applies to \(dimension == 1 ? "experiments in d ≥ 2 dimensions" : "one-dimensional experiments") only",
                           hint: "checks for this spec: " + CheckName.allCases.filter { $0.applies(toDimension: dimension) }.map(\.rawValue).joined(separator: ", "))
                continue
            }
            var setting = settings[index]
            if value.scalar != nil, value.tagName == .bool, let on = value.bool {
                setting.enabled = on
            } else if value.scalar != nil, value.tagName == .null {
                setting.enabled = true
            } else if value.scalar != nil, value.tagName == .int || value.tagName == .float {
                if let limit = limit(value, name: name) { setting.limit = limit; setting.enabled = true }
            } else if let options = value.mapping {
                read.checkKeys(options, allowed: ["limit"], context: "check '\(key)'")
                if let limitNode = options["limit"], let limit = limit(limitNode, name: name) {
                    setting.limit = limit
                }
                setting.enabled = true
            } else {
                sink.error(at: value, "check '\(key)' must be {limit: x}, a number, on or off; found \(SpecReader.describe(value))")
                continue
            }
            if setting.enabled && name.needsReference && !hasReference {
                sink.error(at: keyNode, "check '\(key)' compares with the reference, but the spec has no 'reference'",
                           hint: "add a reference, or write '\(key): off'")
                continue
            }
            settings[index] = setting
        }
        return settings
    }

    private func limit(_ node: Node, name: CheckName) -> Double? {
        if name == .ksPValue {
            return read.number(node, "limit of '\(name.rawValue)'", in: 0...1, requirement: "a p-value in [0, 1]")
        }
        return read.number(node, "limit of '\(name.rawValue)'", in: 0...Double.greatestFiniteMagnitude,
                           requirement: "≥ 0")
    }

    // MARK: - Output

    func outputOptions(_ node: Node) -> OutputOptions {
        var options = OutputOptions()
        guard let mapping = read.mapping(node, "output") else { return options }
        read.checkKeys(mapping, allowed: ["formats", "dpi", "font"], context: "output")
        if let formats = mapping["formats"] {
            let items = formats.sequence.map(Array.init) ?? [formats]
            var chosen: [OutputOptions.Format] = []
            for item in items {
                guard let text = read.string(item, "output format") else { continue }
                if let format = OutputOptions.Format(rawValue: text.lowercased()) {
                    if !chosen.contains(format) { chosen.append(format) }
                } else {
                    sink.error(at: item, "unknown output format '\(text)'",
                               hint: Suggestion.hint(for: text, in: OutputOptions.Format.allCases.map(\.rawValue), kind: "formats"))
                }
            }
            if items.isEmpty { sink.error(at: formats, "formats must list at least one of png, pdf, svg") }
            if !chosen.isEmpty { options.formats = chosen }
        }
        if let dpi = mapping["dpi"],
           let value = read.integer(dpi, "dpi", in: 10...OutputOptions.maximumDPI, requirement: "an integer in 10 … \(OutputOptions.maximumDPI)") {
            options.dpi = value
        }
        if let font = mapping["font"], let text = read.string(font, "font") {
            if let value = OutputOptions.Font(rawValue: text) { options.font = value } else {
                sink.error(at: font, "font must be serif or sans, found '\(text)'",
                           hint: Suggestion.didYouMean(text, in: ["serif", "sans"]))
            }
        }
        return options
    }
}
