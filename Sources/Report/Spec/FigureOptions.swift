/// Styling options of one requested figure. Every field is optional in the spec; `nil` means
/// the default of ``FigureRequest/resolvedOptions(maps:)``.
///
/// Per-panel options (`range`, `color`) take either one value for every panel or a list with
/// one value per panel (`range: [[-4, 4], [0, 20]]`, `color: ["#F0B51F", "#336B8B"]`).
public struct FigureOptions: Sendable, Equatable {
    /// Number of histogram bins (equal width over the panel's range).
    public var bins: Int?
    /// x range of each panel (one entry for all panels, or one per panel).
    public var ranges: [ClosedRange<Double>]?
    /// Colour of each panel's bars or main line, as `#RRGGBB` (one for all, or one per panel).
    public var colors: [String]?
    /// Opacity of bars in [0, 1].
    public var alpha: Double?
    /// Width of analytic curves in points.
    public var lineWidth: Double?
    /// Axis labels of each panel (one for all, or one per panel); `$...$` marks math.
    public var xLabels: [String]?
    public var yLabels: [String]?
    public var title: String?
    /// Figure size in points (72 per inch).
    public var size: FigureSize?
    /// Whether to draw grid lines.
    public var grid: Bool?
    /// Number of evaluation points along x for curves.
    public var points: Int?
    /// For `calibration` figures: PIT histogram or Q–Q plot.
    public var calibration: CalibrationKind?

    // MARK: 2-D figures (issue 5)

    /// The plotted box of 2-D figures, [x range, y range] (`range: [[x0, x1], [y0, y1]]`; a
    /// single `[lo, hi]` is used for both axes).
    public var box: [ClosedRange<Double>]?
    /// The colour map of heat maps and 2-D histograms (a name of `Plot.ColorMap.named`).
    public var colorMap: String?
    /// Grid points per axis of density heat maps (`grid: 400` in 2-D figures).
    public var resolution: Int?
    /// Number of contour levels drawn over the Eq. 5 heat map (0 draws none).
    public var contours: Int?
    /// Whether panels show frames, ticks and labels (`axes: false` for Rezende-style panels).
    public var showsAxes: Bool?
    /// For `targets`: energies (u1–u4) and data sets to draw, one panel each.
    public var targetNames: [String]?
    /// For 2-D `stages`: rows of panels, each naming a chain (`flow` or a variant) and the
    /// prefix lengths K to draw.
    public var stageRows: [StageRow]?
    /// For `stages`: the prefix lengths K of the spec's chain to draw (default 0 … K).
    public var stageList: [Int]?
    /// For `warped_grid`: grid lines per axis.
    public var lines: Int?

    public init(bins: Int? = nil, ranges: [ClosedRange<Double>]? = nil, colors: [String]? = nil,
                alpha: Double? = nil, lineWidth: Double? = nil, xLabels: [String]? = nil, yLabels: [String]? = nil,
                title: String? = nil, size: FigureSize? = nil, grid: Bool? = nil, points: Int? = nil,
                calibration: CalibrationKind? = nil) {
        self.bins = bins
        self.ranges = ranges
        self.colors = colors
        self.alpha = alpha
        self.lineWidth = lineWidth
        self.xLabels = xLabels
        self.yLabels = yLabels
        self.title = title
        self.size = size
        self.grid = grid
        self.points = points
        self.calibration = calibration
    }

    /// The range of panel `index` (the single range when one is given for all), or nil.
    public func range(ofPanel index: Int) -> ClosedRange<Double>? {
        guard let ranges, !ranges.isEmpty else { return nil }
        return ranges.count == 1 ? ranges[0] : (index < ranges.count ? ranges[index] : nil)
    }

    /// The x-axis label of panel `index` (the single label when one is given for all), or nil.
    public func xLabel(ofPanel index: Int) -> String? { Self.perPanel(xLabels, index) }

    /// The y-axis label of panel `index` (the single label when one is given for all), or nil.
    public func yLabel(ofPanel index: Int) -> String? { Self.perPanel(yLabels, index) }

    private static func perPanel<T>(_ values: [T]?, _ index: Int) -> T? {
        guard let values, !values.isEmpty else { return nil }
        return values.count == 1 ? values[0] : (index < values.count ? values[index] : nil)
    }

    /// The colour of panel `index` (the single colour when one is given for all), or nil.
    public func color(ofPanel index: Int) -> String? {
        guard let colors, !colors.isEmpty else { return nil }
        return colors.count == 1 ? colors[0] : (index < colors.count ? colors[index] : nil)
    }
}

/// A figure size in points.
public struct FigureSize: Sendable, Equatable {
    public var width: Double
    public var height: Double
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}
