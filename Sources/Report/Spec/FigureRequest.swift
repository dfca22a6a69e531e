/// One figure asked for by a spec: its kind and its options.
///
/// In YAML, `figures:` is a list whose entries are a kind name or a one-key mapping from the
/// kind to its options:
/// ```yaml
/// figures:
///   - histograms
///   - densities: {bins: 100, range: [[-4, 4], [0, 20]], alpha: 0.4}
///   - calibration: {kind: qq}
/// ```
public struct FigureRequest: Sendable, Equatable {
    public var kind: FigureKind
    public var options: FigureOptions

    public init(kind: FigureKind, options: FigureOptions = FigureOptions()) {
        self.kind = kind
        self.options = options
    }

    /// The figures drawn when a spec has no `figures` key.
    /// For d ≥ 2: `density` (d = 2 only) and `samples`.
    public static func defaults(hasReference: Bool, dimension: Int = 1) -> [FigureRequest] {
        if dimension >= 2 {
            return (dimension == 2 ? [FigureRequest(kind: .density)] : []) + [FigureRequest(kind: .samples)]
        }
        var figures = [FigureRequest(kind: .histograms), FigureRequest(kind: .densities)]
        if hasReference { figures.append(FigureRequest(kind: .agreement)) }
        return figures
    }

    /// The options with every unset field filled with its default.
    ///
    /// Defaults follow Zdybał's Figures 1 and 2: 100 bins, base bars #F0B51F and output bars
    /// #336B8B, alpha 1 for count histograms and 0.4 for density histograms, 3 pt analytic
    /// curves, a 432 × 360 pt figure (6 × 5 in) for two stacked panels and 432 × 288 pt for one,
    /// no grid, 801 curve points, PIT for calibration. Ranges stay nil: the figure writer uses
    /// the sample range (clipped to central quantiles) when none is given.
    public func resolvedOptions(maps: Int) -> FigureOptions {
        var o = options
        let panels = kind.panelCount(maps: maps)
        o.bins = o.bins ?? 100
        o.colors = o.colors ?? (panels == 2 ? ["#F0B51F", "#336B8B"] : ["#336B8B"])
        o.alpha = o.alpha ?? (kind == .histograms ? 1.0 : 0.4)
        o.lineWidth = o.lineWidth ?? 3
        o.size = o.size ?? (panels >= 2 ? FigureSize(width: 432, height: 180 * Double(min(panels, 4)))
                                        : FigureSize(width: 432, height: 288))
        o.grid = o.grid ?? false
        o.points = o.points ?? 801
        if kind == .calibration { o.calibration = o.calibration ?? .pit }
        return o
    }
}
