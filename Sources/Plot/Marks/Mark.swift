/// Something drawn inside a panel's plot area in data coordinates.
///
/// A mark reports its data extent (for automatic limits), draws itself through a renderer
/// using the panel's scales, may offer a legend entry, and reports the page points it covers
/// so that an automatically placed legend avoids them.
public protocol Mark: Sendable {
    /// Extent of the data in x and y for the given scale kinds (log scales ignore values ≤ 0).
    func bounds(x: ScaleKind, y: ScaleKind) -> DataBounds

    /// Draws the mark; the renderer is already clipped to `context.plotRect`.
    func draw(in context: PlotContext, renderer: Renderer)

    /// The legend entry, if the mark has a label.
    var legendEntry: LegendEntry? { get }

    /// Page points the mark covers (used to place a legend where it hides least data).
    func coverage(in context: PlotContext) -> [Point]

    /// The colour-bar description for marks drawn through a colour map.
    var colorScale: ColorScale? { get }
}

// MARK: - Default implementations

extension Mark {
    public var legendEntry: LegendEntry? { nil }
    public func coverage(in context: PlotContext) -> [Point] { [] }
    public var colorScale: ColorScale? { nil }
}

/// A colour map over a value interval: what a colour bar shows.
public struct ColorScale: Sendable, Hashable {
    public var map: ColorMap
    public var lower: Double
    public var upper: Double
    public var label: String?

    public init(map: ColorMap, lower: Double, upper: Double, label: String? = nil) {
        self.map = map
        self.lower = lower
        self.upper = upper
        self.label = label
    }
}

/// The scales and plot rectangle a mark draws with.
public struct PlotContext: Sendable {
    public var plotRect: Rect
    public var x: Scale
    public var y: Scale
    /// The figure's base font (for text marks).
    public var font: Font

    public init(plotRect: Rect, x: Scale, y: Scale, font: Font = Font()) {
        self.plotRect = plotRect
        self.x = x
        self.y = y
        self.font = font
    }

    /// Page point of data point (x, y); coordinates are NaN where the scale has no position.
    @inline(__always)
    public func point(_ x: Double, _ y: Double) -> Point { Point(self.x.map(x), self.y.map(y)) }
}

/// Data extent with matplotlib-style "sticky" values: automatic margins never extend the
/// limits past a sticky value that bounds the data (histograms stick to y = 0, heat maps to
/// their edges).
public struct DataBounds: Sendable, Hashable {
    public var xMin = Double.infinity
    public var xMax = -Double.infinity
    public var yMin = Double.infinity
    public var yMax = -Double.infinity
    public var stickyX: [Double] = []
    public var stickyY: [Double] = []

    public init() {}

    /// The extent of the points (x[i], y[i]) that are drawable on both scales: a point counts
    /// only when both coordinates are finite and, on a log scale, positive (lines and scatters).
    public init(x: [Double], y: [Double], xScale: ScaleKind, yScale: ScaleKind) {
        for i in 0..<min(x.count, y.count) where x[i].isFinite && y[i].isFinite {
            if (xScale == .log && x[i] <= 0) || (yScale == .log && y[i] <= 0) { continue }
            include(x: x[i], scale: xScale)
            include(y: y[i], scale: yScale)
        }
    }

    public var hasX: Bool { xMin <= xMax }
    public var hasY: Bool { yMin <= yMax }

    public mutating func include(x v: Double, scale: ScaleKind) {
        guard v.isFinite, scale == .linear || v > 0 else { return }
        xMin = min(xMin, v); xMax = max(xMax, v)
    }

    public mutating func include(y v: Double, scale: ScaleKind) {
        guard v.isFinite, scale == .linear || v > 0 else { return }
        yMin = min(yMin, v); yMax = max(yMax, v)
    }

    public mutating func formUnion(_ o: DataBounds) {
        xMin = min(xMin, o.xMin); xMax = max(xMax, o.xMax)
        yMin = min(yMin, o.yMin); yMax = max(yMax, o.yMax)
        stickyX += o.stickyX
        stickyY += o.stickyY
    }
}

/// What a legend row shows beside its label.
public struct LegendEntry: Sendable, Hashable {
    public enum Symbol: Sendable, Hashable {
        case line(StrokeStyle)
        case patch(fill: Color, edge: StrokeStyle?)
        case marker(Marker, size: Double, color: Color)
    }

    public var label: String
    public var symbol: Symbol

    public init(label: String, symbol: Symbol) {
        self.label = label
        self.symbol = symbol
    }
}
