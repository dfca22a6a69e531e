/// The kinds of figure a one-dimensional spec can ask for under `figures:`.
///
/// | kind | what it shows (source) | panels |
/// |---|---|---|
/// | `histograms` | counts of the base samples and of the output (Zdybał, Figure 1) | 2 |
/// | `densities` | density histograms under Eq. 4, Eq. 5 and the reference (Zdybał, Figure 2) | 2 |
/// | `agreement` | \|log p_Eq4 − log p_ref\| and \|log p_Eq5 − log p_ref\| on a log axis | 1 |
/// | `map` | y = T(x) and log\|T′(x)\| | 2 |
/// | `stages` | the density after each map of the chain | K + 1 |
/// | `calibration` | PIT histogram (u = F_ref(y), flat when right) or Q–Q plot (`kind: pit\|qq`) | 1 |
public enum FigureKind: String, Sendable, CaseIterable, Equatable {
    case histograms, densities, agreement, map, stages, calibration

    /// The option keys this kind accepts.
    public var allowedOptions: [String] {
        let common = ["title", "size", "grid", "x_label", "y_label"]
        switch self {
        case .histograms: return common + ["bins", "range", "color", "alpha"]
        case .densities: return common + ["bins", "range", "color", "alpha", "line_width"]
        case .agreement: return common + ["range", "color", "line_width", "points"]
        case .map: return common + ["range", "color", "line_width", "points"]
        case .stages: return common + ["bins", "range", "color", "alpha", "line_width"]
        case .calibration: return common + ["kind", "bins", "color", "alpha", "line_width"]
        }
    }

    /// Whether the figure needs a `reference` distribution in the spec.
    public var needsReference: Bool {
        switch self {
        case .agreement, .calibration: return true
        default: return false
        }
    }

    /// The number of panels the figure draws for a chain of `maps` maps (per-panel options
    /// given as a list must have this many entries).
    public func panelCount(maps: Int) -> Int {
        switch self {
        case .histograms, .densities, .map: return 2
        case .agreement, .calibration: return 1
        case .stages: return maps + 1
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
