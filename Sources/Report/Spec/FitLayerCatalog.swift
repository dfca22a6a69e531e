import FlowKit

/// The flow layers a fit can learn (FlowKit's trainable layers), with their architecture
/// options and defaults (those of the papers), as `flowreport list` prints them.
///
/// A flow entry naming one of these with no parameters (only options such as `repeat: K`,
/// `hidden`, `bins`, `bound`, `layers`) is *fitted*; `parameters: [...]` (the flat vector in the
/// layer's layout order, as `fitted.yaml` writes it) fixes it. `planar` and `radial` are fixed
/// by their catalog parameters instead (u, w, b; z0, alpha, beta), and `fitted.yaml` writes
/// them that way. Every other fully parametrised catalog map may stand fixed among fitted
/// layers: the elementwise ones (``TrainableFixedElementwise``), those with a constant Jacobian
/// (``TrainableFixedAffine``) and the coupling (``TrainableFixedCoupling``).
public struct FitLayerEntry: Sendable {
    public let name: String
    public let summary: String
    /// The architecture options (each with its default), without `repeat`.
    public let options: [ParameterDoc]
    /// The directions the layer can be trained in (`sampling`: reverse KL; `density`: maximum likelihood).
    public let directions: [TrainableDirection]
    /// Whether `fitted.yaml` writes the layer with the transform catalog's parameters.
    public let writesCatalogForm: Bool
    let make: @Sendable (_ dimension: Int, _ options: FitLayerOptions, _ index: Int) -> any TrainableLayer
}

/// The architecture options of one layer entry as read from a spec (nil: the default).
public struct FitLayerOptions: Sendable, Equatable {
    public var hidden: [Int]?
    public var bins: Int?
    public var bound: Double?
    public var layers: Int?
    public var parity: Int?
    public var reversed: Bool?

    public init(hidden: [Int]? = nil, bins: Int? = nil, bound: Double? = nil, layers: Int? = nil,
                parity: Int? = nil, reversed: Bool? = nil) {
        self.hidden = hidden
        self.bins = bins
        self.bound = bound
        self.layers = layers
        self.parity = parity
        self.reversed = reversed
    }

    /// The alternation of the k-th copy of a repeated entry: parity (or reversal) flips from
    /// one copy to the next, so consecutive couplings transform different halves.
    func alternated(_ start: Int?, _ index: Int) -> Int { ((start ?? 0) + index) % 2 }
    func alternated(_ start: Bool?, _ index: Int) -> Bool { (start ?? false) != (index % 2 == 1) }
}

public enum FitLayerCatalog {
    /// The key giving a layer's whole parameter vector.
    public static let parametersKey = "parameters"
    /// The key repeating an entry K times.
    public static let repeatKey = "repeat"

    static let repeatDoc = ParameterDoc("repeat", .integer, requirement: "1 … 1000", summary: "K copies of the layer, each with its own parameters", default: "1")
    static let parityDoc = ParameterDoc("parity", .integer, requirement: "0 or 1", summary: "which half is kept (alternates across copies)", default: "0")
    static let reversedDoc = ParameterDoc("reversed", .flag, requirement: "", summary: "reverse the autoregressive order (alternates across copies)", default: "false")

    public static let all: [FitLayerEntry] = [
        FitLayerEntry(name: "planar", summary: "planar flow z + û·tanh(wᵀz + b) (Rezende & Mohamed 2015); reverse KL only (no cheap inverse)",
                      options: [], directions: [.sampling], writesCatalogForm: true) { d, _, _ in TrainablePlanar(dimension: d) },
        FitLayerEntry(name: "radial", summary: "radial flow z + β(z − z0)/(α + ‖z − z0‖) (Rezende & Mohamed 2015); reverse KL only",
                      options: [], directions: [.sampling], writesCatalogForm: true) { d, _, _ in TrainableRadial(dimension: d) },
        FitLayerEntry(name: "coupling", summary: "RealNVP affine coupling, log-scale bounded by bound·tanh (Dinh et al. 2017)",
                      options: [ParameterDoc("hidden", .integers, requirement: "widths ≥ 1", summary: "hidden widths of the tanh conditioner", default: "[64, 64]"),
                                ParameterDoc("bound", .number, requirement: "> 0", summary: "bound c of the log-scale s = c·tanh(ŝ)", default: "2"),
                                parityDoc],
                      directions: [.sampling, .density], writesCatalogForm: false) { d, o, k in
            TrainableAffineCoupling(dimension: d, parity: o.alternated(o.parity, k), hidden: o.hidden ?? [64, 64], scaleBound: o.bound ?? 2)
        },
        FitLayerEntry(name: "additive_coupling", summary: "NICE additive coupling y_b = x_b + m(x_a), volume preserving (Dinh et al. 2015)",
                      options: [ParameterDoc("hidden", .integers, requirement: "widths ≥ 1", summary: "hidden widths of the tanh conditioner", default: "[64, 64]"),
                                parityDoc],
                      directions: [.sampling, .density], writesCatalogForm: false) { d, o, k in
            TrainableAdditiveCoupling(dimension: d, parity: o.alternated(o.parity, k), hidden: o.hidden ?? [64, 64])
        },
        FitLayerEntry(name: "spline_coupling", summary: "rational-quadratic spline coupling on [−bound, bound], linear tails (Durkan et al. 2019)",
                      options: [ParameterDoc("hidden", .integers, requirement: "widths ≥ 1", summary: "hidden widths of the relu conditioner", default: "[64, 64]"),
                                ParameterDoc("bins", .integer, requirement: "1 … 64", summary: "spline bins K", default: "8"),
                                ParameterDoc("bound", .number, requirement: "> 0", summary: "the spline's interval [−B, B]", default: "3"),
                                parityDoc],
                      directions: [.sampling, .density], writesCatalogForm: false) { d, o, k in
            TrainableSplineCoupling(dimension: d, parity: o.alternated(o.parity, k), hidden: o.hidden ?? [64, 64],
                                    bins: o.bins ?? 8, bound: o.bound ?? 3)
        },
        FitLayerEntry(name: "maf", summary: "masked autoregressive affine flow, MADE conditioner (Papamakarios et al. 2017); maximum likelihood",
                      options: [ParameterDoc("hidden", .integers, requirement: "widths ≥ 1", summary: "hidden widths of the masked relu MLP", default: "[64, 64]"),
                                reversedDoc],
                      directions: [.density], writesCatalogForm: false) { d, o, k in
            TrainableMAF(dimension: d, hidden: o.hidden ?? [64, 64], reversed: o.alternated(o.reversed, k))
        },
        FitLayerEntry(name: "bnaf", summary: "block neural autoregressive flow (De Cao et al. 2020); maximum likelihood",
                      options: [ParameterDoc("hidden", .integer, requirement: "≥ 1", summary: "hidden units per dimension H", default: "50"),
                                ParameterDoc("layers", .integer, requirement: "0 … 8", summary: "hidden layers", default: "1"),
                                reversedDoc],
                      directions: [.density], writesCatalogForm: false) { d, o, k in
            // The entry's first flow is next to the base: BNAF's residual-free last flow (a fixed
            // small identity share, TrainableBNAF.Residual); the others have its learned gate.
            TrainableBNAF(dimension: d, hidden: o.hidden?.first ?? 50, layers: o.layers ?? 1, reversed: o.alternated(o.reversed, k),
                          residual: k == 0 ? .fixed : .gated)
        },
        FitLayerEntry(name: "actnorm", summary: "per-coordinate affine map, initialised from the data (Kingma & Dhariwal 2018)",
                      options: [], directions: [.sampling, .density], writesCatalogForm: false) { d, _, _ in TrainableActNorm(dimension: d) },
        FitLayerEntry(name: "lu_linear", summary: "invertible linear map P·L·U with a learned LU factorisation (Kingma & Dhariwal 2018)",
                      options: [], directions: [.sampling, .density], writesCatalogForm: false) { d, _, _ in TrainableLULinear(dimension: d) },
    ]

    public static var names: [String] { all.map(\.name) }

    public static func entry(named name: String) -> FitLayerEntry? { all.first { $0.name == name } }

    /// Every key a fitted or `parameters`-fixed entry of `entry` accepts.
    static func keys(of entry: FitLayerEntry) -> [String] {
        [repeatKey] + entry.options.map(\.name) + [parametersKey]
    }

    /// The text of `flowreport list` for the fittable layers.
    public static var listing: String {
        var out = "\nFittable layers (flow entries without parameters, under a fit: section):\n"
        for entry in all {
            out += "  \(entry.name) — \(entry.summary)\n"
            out += "      trains by: " + entry.directions.map { $0 == .sampling ? "reverse_kl" : "maximum_likelihood" }.joined(separator: ", ") + "\n"
            for p in [repeatDoc] + entry.options {
                let requirement = p.requirement.isEmpty ? "" : ", \(p.requirement)"
                out += "      \(p.name) (\(p.kind.rawValue)\(requirement), default \(p.defaultValue ?? "none")): \(p.summary)\n"
            }
        }
        return out
    }

    /// The step as shown in reports: the layer and its architecture, `fitted` or `fixed`.
    static func describe(_ name: String, slot: FitLayerSlot) -> FlowStepDescription {
        FlowStepDescription(name: name, parameters: [(key: "parameters", value: slot.fixed == nil ? "fitted" : "fixed (\(slot.layer.parameterCount))")])
    }
}
