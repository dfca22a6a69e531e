/// One axis of a panel: scale, limits, ticks, label and grid.
public struct Axis: Sendable {
    /// Label markup (see `MathText`), drawn below the x axis or left of the y axis.
    public var label: String?
    public var scale: ScaleKind = .linear
    /// Explicit lower limit; nil for automatic (data extent plus `margin`).
    public var lower: Double?
    /// Explicit upper limit; nil for automatic.
    public var upper: Double?
    /// Automatic-limit padding as a fraction of the data span (of log₁₀ span on log axes),
    /// never crossing a mark's sticky values. Matplotlib's default is 0.05.
    public var margin: Double = 0.05
    /// Explicit tick values (labelled with the automatic formatter); nil for automatic ticks.
    public var ticks: [Double]?
    /// Draw grid lines at the major ticks.
    public var showsGrid = false
    /// Draw tick labels (shared axes hide inner ones automatically).
    public var showsTickLabels = true

    public init(label: String? = nil, scale: ScaleKind = .linear, lower: Double? = nil, upper: Double? = nil) {
        self.label = label
        self.scale = scale
        self.lower = lower
        self.upper = upper
    }

    /// Sets both limits.
    public mutating func setLimits(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
