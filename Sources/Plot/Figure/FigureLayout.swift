/// Where everything of a figure went: plot rectangles, scales, ticks and every text box.
/// Returned by `FigureRenderer.draw` and `FigureRenderer.layout`; tests use it to check that
/// no label overlaps another or leaves the page.
public struct FigureLayout: Sendable {
    /// What a text box is.
    public enum Role: Sendable, Hashable {
        case figureTitle, panelTitle, xTickLabel, yTickLabel, xLabel, yLabel
        case legend, colorBarTickLabel, colorBarLabel
    }

    /// A placed piece of text (or the legend box) on the page.
    public struct LabelBox: Sendable {
        public var role: Role
        public var text: String
        public var rect: Rect
        /// Index into `panels` (nil for the figure title).
        public var panel: Int?
    }

    /// The computed geometry of one panel.
    public struct PanelLayout: Sendable {
        public var plotRect: Rect
        public var x: Scale
        public var y: Scale
        public var xTicks: [Tick]
        public var yTicks: [Tick]
        public var colorBarRect: Rect?
        public var legendRect: Rect?
        public var legendPlacement: LegendPlacement?
    }

    /// The page: (0, 0, width, height).
    public var bounds: Rect
    /// One entry per `Figure.slots` element, in the same order.
    public var panels: [PanelLayout]
    public var labels: [LabelBox]
}
