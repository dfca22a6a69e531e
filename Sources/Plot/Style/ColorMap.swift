/// A continuous colour map: a table of colours indexed by a value in [0, 1].
///
/// Lookup follows matplotlib's `Colormap.__call__`: with N entries, t ↦ entry ⌊t·N⌋ clamped
/// to [0, N − 1], so the 256-entry tables reproduce matplotlib's colours exactly. Values
/// outside [0, 1] clamp; NaN maps to `bad` (transparent by default).
public struct ColorMap: Sendable, Hashable {
    public var name: String
    public var colors: [Color]
    /// Colour for NaN values.
    public var bad: Color

    public init(name: String, colors: [Color], bad: Color = .clear) {
        self.name = name
        self.colors = colors.isEmpty ? [.black] : colors
        self.bad = bad
    }

    /// The colour at t ∈ [0, 1] (clamped; NaN gives `bad`).
    public func color(at t: Double) -> Color {
        if t.isNaN { return bad }
        let n = colors.count
        let i = Int((min(max(t, 0), 1) * Double(n)).rounded(.down))
        return colors[min(i, n - 1)]
    }

    /// The colour for `value` normalized linearly over [low, high].
    public func color(for value: Double, low: Double, high: Double) -> Color {
        let span = high - low
        return color(at: span > 0 ? (value - low) / span : 0.5)
    }

    /// The map reversed (matplotlib's `_r` variants).
    public var reversed: ColorMap { ColorMap(name: name + "_r", colors: colors.reversed(), bad: bad) }

    /// A 256-entry map interpolating linearly between colour stops at positions in [0, 1]
    /// (matplotlib's `LinearSegmentedColormap.from_list`).
    public static func interpolating(name: String, stops: [(Double, Color)], entries: Int = 256) -> ColorMap {
        let sorted = stops.sorted { $0.0 < $1.0 }
        guard let first = sorted.first, let last = sorted.last else { return ColorMap(name: name, colors: []) }
        var out: [Color] = []
        out.reserveCapacity(entries)
        for k in 0..<entries {
            let t = entries > 1 ? Double(k) / Double(entries - 1) : 0
            if t <= first.0 { out.append(first.1); continue }
            if t >= last.0 { out.append(last.1); continue }
            var j = 1
            while j < sorted.count && sorted[j].0 < t { j += 1 }
            let (t0, c0) = sorted[j - 1], (t1, c1) = sorted[j]
            out.append(Color.mix(c0, c1, t1 > t0 ? (t - t0) / (t1 - t0) : 0))
        }
        return ColorMap(name: name, colors: out)
    }

    private static func table(_ name: String, _ flat: [Double]) -> ColorMap {
        var cs: [Color] = []
        cs.reserveCapacity(flat.count / 3)
        var i = 0
        while i + 2 < flat.count {
            cs.append(Color(red: flat[i], green: flat[i + 1], blue: flat[i + 2]))
            i += 3
        }
        return ColorMap(name: name, colors: cs)
    }

    /// Perceptually uniform, colour-blind-safe (van der Walt & Smith 2015). The default.
    public static let viridis = table("viridis", ColorMapTables.viridis)
    public static let magma = table("magma", ColorMapTables.magma)
    /// Optimized for colour-vision deficiency (Nuñez, Anderton & Renslow 2018).
    public static let cividis = table("cividis", ColorMapTables.cividis)

    /// Matplotlib's `jet`, from its segment data (piecewise linear in each channel).
    public static let jet: ColorMap = {
        func channel(_ pts: [(Double, Double)], _ t: Double) -> Double {
            for j in 1..<pts.count where t <= pts[j].0 {
                let (x0, y0) = pts[j - 1], (x1, y1) = pts[j]
                return x1 > x0 ? y0 + (y1 - y0) * (t - x0) / (x1 - x0) : y1
            }
            return pts[pts.count - 1].1
        }
        let r: [(Double, Double)] = [(0, 0), (0.35, 0), (0.66, 1), (0.89, 1), (1, 0.5)]
        let g: [(Double, Double)] = [(0, 0), (0.125, 0), (0.375, 1), (0.64, 1), (0.91, 0), (1, 0)]
        let b: [(Double, Double)] = [(0, 0.5), (0.11, 1), (0.34, 1), (0.65, 0), (1, 0)]
        let cs = (0..<256).map { k -> Color in
            let t = Double(k) / 255
            return Color(red: channel(r, t), green: channel(g, t), blue: channel(b, t))
        }
        return ColorMap(name: "jet", colors: cs)
    }()

    /// Blue → white → yellow → red, the look of Rezende & Mohamed (2015), Figure 1: low density
    /// blue, rising through white and yellow to red at the peaks.
    public static let rezende = interpolating(name: "rezende", stops: [
        (0.0, Color(r8: 0x1D, g8: 0x3F, b8: 0x9E)),
        (0.30, Color(r8: 0xFF, g8: 0xFF, b8: 0xFF)),
        (0.65, Color(r8: 0xFF, g8: 0xE1, b8: 0x3A)),
        (1.0, Color(r8: 0xD7, g8: 0x1E, b8: 0x1E)),
    ])

    /// Greys from white to black.
    public static let greys = interpolating(name: "greys", stops: [(0, .white), (1, .black)])

    /// Every built-in map by name.
    public static let all: [ColorMap] = [viridis, magma, cividis, jet, rezende, greys]

    /// The built-in map called `name` (case-insensitive; a `_r` suffix reverses it).
    public static func named(_ name: String) -> ColorMap? {
        var n = name.lowercased()
        var rev = false
        if n.hasSuffix("_r") { n.removeLast(2); rev = true }
        guard let m = all.first(where: { $0.name == n }) else { return nil }
        return rev ? m.reversed : m
    }
}
