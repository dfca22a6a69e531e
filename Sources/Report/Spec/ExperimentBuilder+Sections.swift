import Foundation
import Yams

/// The `figures`, `checks` and `output` sections.
extension ExperimentBuilder {
    /// Named colours accepted besides `#RRGGBB`.
    static let namedColors = ["black", "white", "gray", "red", "green", "blue", "orange", "purple",
                              "brown", "pink", "olive", "cyan", "yellow"]

    // MARK: - Figures

    func figureRequests(_ node: Node, maps: Int, hasReference: Bool) -> [FigureRequest] {
        guard let items = read.sequence(node, "figures") else { return [] }
        var requests: [FigureRequest] = []
        for (index, item) in items.enumerated() {
            let what = "figures[\(index)]"
            guard let entry = namedEntry(item, what: what, kind: "figure kind") else { continue }
            guard let kind = FigureKind(rawValue: entry.name) else {
                sink.error(at: entry.nameNode, "\(what): unknown figure kind '\(entry.name)'",
                           hint: Suggestion.hint(for: entry.name, in: FigureKind.allCases.map(\.rawValue), kind: "figure kinds"))
                continue
            }
            if kind.needsReference && !hasReference {
                sink.error(at: entry.nameNode, "\(what): figure '\(kind.rawValue)' compares with the reference, but the spec has no 'reference'",
                           hint: "add e.g. reference: {lognormal: {mu: 0, sigma: 1}}, or remove this figure")
                continue
            }
            var options = FigureOptions()
            if let parameters = entry.parameters, parameters.null == nil || parameters.scalar == nil {
                if let mapping = read.mapping(parameters, "options of figure '\(kind.rawValue)'") {
                    options = figureOptions(mapping, kind: kind, panels: kind.panelCount(maps: maps))
                }
            }
            requests.append(FigureRequest(kind: kind, options: options))
        }
        return requests
    }

    private func figureOptions(_ mapping: Node.Mapping, kind: FigureKind, panels: Int) -> FigureOptions {
        let context = "the options of figure '\(kind.rawValue)'"
        read.checkKeys(mapping, allowed: kind.allowedOptions, context: context)
        var o = FigureOptions()
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, kind.allowedOptions.contains(key) else { continue }
            let what = "\(key)"
            switch key {
            case "bins": o.bins = read.integer(value, what, in: 1...100_000, requirement: "an integer in 1 … 100000")
            case "points": o.points = read.integer(value, what, in: 2...1_000_000, requirement: "an integer in 2 … 1000000")
            case "alpha": o.alpha = read.number(value, what, in: 0...1, requirement: "in [0, 1]")
            case "line_width": o.lineWidth = read.number(value, what, in: 0.01...100, requirement: "a width in points in (0, 100]")
            case "x_label": o.xLabels = labels(value, key: key, panels: panels)
            case "y_label": o.yLabels = labels(value, key: key, panels: panels)
            case "title": o.title = read.string(value, what)
            case "grid": o.grid = read.bool(value, what)
            case "size":
                if let items = value.sequence, items.count == 2,
                   let w = read.number(items[0], "size width", in: 10...10_000, requirement: "in 10 … 10000 points"),
                   let h = read.number(items[1], "size height", in: 10...10_000, requirement: "in 10 … 10000 points") {
                    o.size = FigureSize(width: w, height: h)
                } else if value.sequence?.count != 2 {
                    sink.error(at: value, "size must be [width, height] in points, found \(SpecReader.describe(value))")
                }
            case "range": o.ranges = ranges(value, panels: panels)
            case "color": o.colors = colors(value, panels: panels)
            case "kind":
                if let text = read.string(value, "kind") {
                    if let calibration = CalibrationKind(rawValue: text) { o.calibration = calibration } else {
                        sink.error(at: value, "kind must be one of pit, qq, found '\(text)'",
                                   hint: Suggestion.closest(to: text, in: CalibrationKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" })
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
                           hint: Suggestion.closest(to: text, in: Self.namedColors).map { "did you mean '\($0)'?" }
                               ?? "e.g. \"#336B8B\" (quote it: # starts a YAML comment)")
                return nil
            }
            out.append(text)
        }
        return out
    }

    // MARK: - Checks

    func checkSettings(_ node: Node, hasReference: Bool) -> [CheckSetting] {
        var settings = CheckSetting.defaults(hasReference: hasReference)
        guard let mapping = read.mapping(node, "checks") else { return settings }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                sink.error(at: keyNode, "check names must be plain words")
                continue
            }
            guard let name = CheckName(rawValue: key), let index = settings.firstIndex(where: { $0.name == name }) else {
                sink.error(at: keyNode, "unknown check '\(key)'",
                           hint: Suggestion.hint(for: key, in: CheckName.allCases.map(\.rawValue), kind: "checks"))
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
                           hint: Suggestion.closest(to: text, in: ["serif", "sans"]).map { "did you mean '\($0)'?" })
            }
        }
        return options
    }
}
