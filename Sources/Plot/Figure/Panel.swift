/// One plot area of a figure with its axes, marks, title and legend.
///
/// Build it with the mark methods (`line`, `histogram`, `scatter`, …); marks without an
/// explicit colour take the next colour of `palette`.
public struct Panel: Sendable {
    public var title: String?
    public var x = Axis()
    public var y = Axis()
    public var marks: [any Mark] = []
    /// Legend position; nil hides the legend. Shown only when some mark has a label.
    public var legend: LegendPlacement? = .best
    /// false hides frame, ticks, tick labels and the x label (Rezende-style density grids); a
    /// y label is still drawn, left of the plot area, as a row label.
    public var showsAxes = true
    /// Plot-area height / width; nil fills the cell. 1 gives square panels.
    public var boxAspect: Double?
    public var palette: Palette = .default
    /// Plot-area background; nil leaves the figure background.
    public var background: Color?
    var colorIndex = 0

    public init(title: String? = nil) { self.title = title }

    /// The next colour of the palette (advances the cycle).
    public mutating func nextColor() -> Color {
        defer { colorIndex += 1 }
        return palette[colorIndex]
    }

    /// Adds any mark.
    public mutating func add(_ mark: any Mark) { marks.append(mark) }

    // MARK: - Marks

    /// A line through (x, y). NaN/inf points break the line.
    public mutating func line(x: [Double], y: [Double], color: Color? = nil, width: Double = 1.5,
                              dash: StrokeStyle.Dash = .solid, label: String? = nil) {
        let c = color ?? nextColor()
        add(LineMark(x: x, y: y, style: StrokeStyle(color: c, width: width, dash: dash), label: label))
    }

    /// A step histogram from bin edges and heights, filled with `fill` at `alpha`, outlined
    /// with `edge` when given.
    public mutating func histogram(edges: [Double], heights: [Double], fill: Color? = nil, alpha: Double = 0.4,
                                   edge: StrokeStyle? = nil, label: String? = nil) {
        let c = fill ?? nextColor()
        add(StepHistogram(edges: edges, heights: heights, fill: c.withAlpha(c.alpha * alpha), edge: edge, label: label))
    }

    /// Bars centred at x with the given heights.
    public mutating func bars(x: [Double], heights: [Double], width: Double = 0.8, color: Color? = nil,
                              alpha: Double = 1, edge: StrokeStyle? = nil, label: String? = nil) {
        let c = color ?? nextColor()
        add(BarMark(x: x, heights: heights, width: width, fill: c.withAlpha(c.alpha * alpha), edge: edge, label: label))
    }

    /// The band between y1 and y2.
    public mutating func fillBetween(x: [Double], y1: [Double], y2: [Double], color: Color? = nil,
                                     alpha: Double = 0.3, label: String? = nil) {
        let c = color ?? nextColor()
        add(FillBetween(x: x, y1: y1, y2: y2, fill: c.withAlpha(c.alpha * alpha), label: label))
    }

    /// Markers at (x, y).
    public mutating func scatter(x: [Double], y: [Double], size: Double = 4, color: Color? = nil, alpha: Double = 1,
                                 marker: Marker = .circle, label: String? = nil) {
        let c = color ?? nextColor()
        add(ScatterMark(x: x, y: y, marker: marker, size: size, color: c.withAlpha(c.alpha * alpha), label: label))
    }

    /// A horizontal reference line.
    public mutating func hline(_ y: Double, color: Color = .black, width: Double = 1, dash: StrokeStyle.Dash = .dashed,
                               label: String? = nil) {
        add(ReferenceLine(.horizontal, at: y, style: StrokeStyle(color: color, width: width, dash: dash), label: label))
    }

    /// A vertical reference line.
    public mutating func vline(_ x: Double, color: Color = .black, width: Double = 1, dash: StrokeStyle.Dash = .dashed,
                               label: String? = nil) {
        add(ReferenceLine(.vertical, at: x, style: StrokeStyle(color: color, width: width, dash: dash), label: label))
    }

    /// Text at data coordinates.
    public mutating func text(_ text: String, x: Double, y: Double, size: Double? = nil, color: Color = .black,
                              horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline) {
        add(TextMark(text, x: x, y: y, size: size, color: color, horizontal: horizontal, vertical: vertical))
    }

    /// A heat map of `grid` over the given extent.
    public mutating func heatMap(_ grid: Grid2D, x: ClosedRange<Double>, y: ClosedRange<Double>,
                                 colorMap: ColorMap = .viridis, lower: Double? = nil, upper: Double? = nil,
                                 colorBar: Bool = false, colorBarLabel: String? = nil) {
        add(HeatMap(grid: grid, x: x, y: y, colorMap: colorMap, lower: lower, upper: upper,
                    colorBar: colorBar, colorBarLabel: colorBarLabel))
    }

    /// Contour lines of `grid` (node-sampled) at `levels`.
    public mutating func contour(_ grid: Grid2D, x: ClosedRange<Double>, y: ClosedRange<Double>, levels: [Double],
                                 colors: [Color]? = nil, colorMap: ColorMap = .viridis, width: Double = 1,
                                 label: String? = nil) {
        add(ContourMark(grid: grid, x: x, y: y, levels: levels, colors: colors, colorMap: colorMap, width: width, label: label))
    }

    /// A 2-D histogram of binned counts.
    public mutating func histogram2D(xEdges: [Double], yEdges: [Double], counts: Grid2D, colorMap: ColorMap = .viridis,
                                     emptyIsClear: Bool = false, colorBar: Bool = false, colorBarLabel: String? = nil) {
        add(Histogram2D(xEdges: xEdges, yEdges: yEdges, counts: counts, colorMap: colorMap,
                        emptyIsClear: emptyIsClear, colorBar: colorBar, colorBarLabel: colorBarLabel))
    }
}
