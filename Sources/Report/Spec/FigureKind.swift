/// The kinds of figure a spec can ask for under `figures:`.
///
/// One-dimensional experiments:
///
/// | kind | what it shows (source) | panels |
/// |---|---|---|
/// | `histograms` | counts of the base samples and of the output (Zdybał, Figure 1) | 2 |
/// | `densities` | density histograms under Eq. 4, Eq. 5 and the reference (Zdybał, Figure 2) | 2 |
/// | `agreement` | \|log p_Eq4 − log p_ref\| and \|log p_Eq5 − log p_ref\| on a log axis | 1 |
/// | `map` | y = T(x) and log\|T′(x)\| | 2 |
/// | `stages` | the density after each map of the chain | K + 1 |
/// | `calibration` | PIT histogram (u = F_ref(y), flat when right) or Q–Q plot (`kind: pit\|qq`) | 1 |
///
/// Experiments in d ≥ 2 dimensions (issue 5; `density`, `stages` and `warped_grid` need d = 2,
/// the others draw coordinates 0 and 1):
///
/// | kind | what it shows (source) | panels |
/// |---|---|---|
/// | `density` | heat map of p by Eq. 5 (optionally with contours), by Eq. 4, and \|log p_Eq4 − log p_Eq5\| | 3 |
/// | `samples` | 2-D histogram of every sample (streamed) and a scatter of a bounded subsample | 2 |
/// | `stages` | the density after chosen prefixes of the chain, no axes, square panels (Rezende & Mohamed, Figure 1); `rows` adds variants | any |
/// | `warped_grid` | a regular grid pushed through the flow over the samples, and the output grid pulled back over the base samples (Dinh et al., Figure 1) | 2 |
/// | `marginals` | histogram of each coordinate with the marginal of the Eq. 5 density (d = 2) | d |
/// | `pairs` | d × d pair plot: histogram of each coordinate with its closed-form normal marginal where the chain keeps one (diagonal), 2-D histograms of every pair (off-diagonal), all streamed | d² |
/// | `targets` | the energies exp(−U)/Z as heat maps and the toy data sets as 2-D histograms | one per target |
public enum FigureKind: String, Sendable, CaseIterable, Equatable {
    case histograms, densities, agreement, map, stages, calibration
    case density, samples
    case warpedGrid = "warped_grid"
    case marginals, targets, pairs

    /// The option keys this kind accepts.
    public var allowedOptions: [String] {
        let common = ["title", "size", "grid", "x_label", "y_label"]
        let plane = ["title", "size", "grid", "range", "colormap", "axes", "x_label", "y_label"]
        switch self {
        case .histograms: return common + ["bins", "range", "color", "alpha"]
        case .densities: return common + ["bins", "range", "color", "alpha", "line_width"]
        case .agreement: return common + ["range", "color", "line_width", "points"]
        case .map: return common + ["range", "color", "line_width", "points"]
        case .stages: return common + ["bins", "range", "color", "alpha", "line_width", "colormap", "axes", "rows", "stages"]
        case .calibration: return common + ["kind", "bins", "color", "alpha", "line_width"]
        case .density: return plane + ["contours"]
        case .samples: return plane + ["bins", "points", "color", "alpha"]
        case .warpedGrid: return plane + ["lines", "points", "color", "alpha"]
        case .marginals: return ["title", "size", "grid", "bins", "range", "color", "alpha", "line_width", "x_label", "y_label"]
        case .targets: return plane + ["names", "bins"]
        case .pairs: return ["title", "size", "bins", "range", "color", "alpha", "line_width", "colormap", "x_label"]
        }
    }

    /// Whether the kind draws one-dimensional experiments.
    public var isUnivariate: Bool {
        switch self {
        case .histograms, .densities, .agreement, .map, .stages, .calibration: return true
        default: return false
        }
    }

    /// Whether the kind draws experiments in d ≥ 2 dimensions.
    public var isMultivariate: Bool {
        switch self {
        case .stages, .density, .samples, .warpedGrid, .marginals, .targets, .pairs: return true
        default: return false
        }
    }

    /// Whether the kind evaluates the flow's density on a plane in d ≥ 2 (possible only for
    /// d = 2; `stages` draws a line in 1-D).
    public var needsPlane: Bool {
        switch self {
        case .density, .stages, .warpedGrid: return true
        default: return false
        }
    }

    /// The kinds allowed in an experiment of `dimension` dimensions.
    public static func kinds(forDimension dimension: Int) -> [FigureKind] {
        allCases.filter { dimension == 1 ? $0.isUnivariate : $0.isMultivariate }
    }

    /// Whether the figure needs a `reference` distribution in the spec.
    public var needsReference: Bool {
        switch self {
        case .agreement, .calibration: return true
        default: return false
        }
    }

    /// The number of panels the figure draws for a chain of `maps` maps (per-panel options
    /// given as a list must have this many entries); for `pairs`, the number of coordinates
    /// (its `range` and `x_label` lists name coordinates, not panels).
    public func panelCount(maps: Int, dimension: Int = 2) -> Int {
        switch self {
        case .pairs: return dimension
        case .histograms, .densities, .map, .samples, .warpedGrid, .marginals: return 2
        case .agreement, .calibration, .targets: return 1
        case .stages: return maps + 1
        case .density: return 3
        }
    }
}

/// The two forms of calibration figure.
public enum CalibrationKind: String, Sendable, CaseIterable, Equatable {
    /// Histogram of u = F_ref(y) over the samples: flat at 1 when the samples follow the reference.
    case pit
    /// Sample quantiles against reference quantiles: on the diagonal when they agree.
    case qq
}

extension FigureKind {
    /// Whether the figure's `bins` are per axis of streamed 2-D histograms (`samples`, `pairs`,
    /// `targets`).
    var drawsPlaneHistograms: Bool { self == .samples || self == .pairs || self == .targets }

    /// The most bins per axis of a 2-D histogram: 1024² doubles are 8 MiB, and the streaming
    /// pass holds one per chunk of a wave.
    static let maximumPlaneBins = 1024
}
