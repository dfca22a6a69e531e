extension TransformCatalog {
    /// The multivariate transforms (`linear`, `planar`, `radial`, `coupling`, `permute`,
    /// `reverse`). Each entry decodes its parameter struct, validates it against the dimension
    /// the spec has established (a vector of another length is a
    /// ``FlowKitError/dimensionMismatch(what:expected:found:)``; with no established dimension
    /// it is inferred from the parameters) and builds the immutable transform.
    public static let multivariate: [CatalogEntry<any Bijection>] = [
        CatalogEntry(
            name: "linear",
            summary: "y = A·x + shift with an invertible d×d matrix; log|det A| from a triangular or LU factorisation",
            parameters: [
                ParameterDoc("matrix", .matrix, requirement: "d×d, finite, invertible", summary: "the matrix A, as a list of d rows"),
                ParameterDoc("shift", .vector, requirement: "d finite entries", summary: "the translation added after A", default: "zeros"),
            ],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { decoder, dimension in
                try LinearTransform(LinearParameters(from: decoder), dimension: dimension)
            }
        ),
        CatalogEntry(
            name: "planar",
            summary: "planar flow z + û·tanh(wᵀz + b) (Rezende & Mohamed 2015), u corrected to û so that wᵀû > −1; inverse by root finding",
            parameters: [
                ParameterDoc("u", .vector, requirement: "d finite entries", summary: "the direction of the shift; replaced by û = u + [m(wᵀu) − wᵀu]·w/‖w‖², m(x) = −1 + softplus(x)"),
                ParameterDoc("w", .vector, requirement: "d finite entries, not all zero", summary: "the normal of the hyperplanes wᵀz + b = const"),
                ParameterDoc("b", .number, requirement: "finite", summary: "the offset of the hyperplane", default: "0"),
            ],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { decoder, dimension in
                try PlanarTransform(PlanarParameters(from: decoder), dimension: dimension)
            }
        ),
        CatalogEntry(
            name: "radial",
            summary: "radial flow z + β(z − z0)/(α + ‖z − z0‖) (Rezende & Mohamed 2015); closed-form inverse",
            parameters: [
                ParameterDoc("z0", .vector, requirement: "d finite entries", summary: "the centre"),
                ParameterDoc("alpha", .number, requirement: "> 0", summary: "the radial length scale α"),
                ParameterDoc("beta", .number, requirement: "≥ −alpha (invertibility)", summary: "the strength β: > 0 pushes mass away from z0, < 0 pulls it in"),
            ],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { decoder, dimension in
                try RadialTransform(RadialParameters(from: decoder), dimension: dimension)
            }
        ),
        CatalogEntry(
            name: "coupling",
            summary: "RealNVP affine coupling y_b = x_b·exp(s(x_a)) + t(x_a) with a given MLP conditioner (Dinh et al. 2017)",
            parameters: [
                ParameterDoc("mask", .integers, requirement: "d entries, each 0 or 1, both present", summary: "1 = kept and fed to the conditioner, 0 = transformed"),
                ParameterDoc("conditioner", .object, requirement: "layers chaining from the kept count to 2 × the transformed count",
                             summary: "MLP: `layers` (each `weights` out×in and `bias`), `activation` tanh (default) or relu; outputs s then t"),
                ParameterDoc("scale", .number, requirement: "> 0", summary: "if given, the log-scale is bounded: s = scale·tanh(raw s)", default: "none (s unbounded)"),
            ],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { decoder, dimension in
                try AffineCouplingTransform(AffineCouplingParameters(from: decoder), dimension: dimension)
            }
        ),
        CatalogEntry(
            name: "permute",
            summary: "reorders the coordinates: y_i = x_order[i]; volume preserving",
            parameters: [
                ParameterDoc("order", .integers, requirement: "a permutation of 0..<d", summary: "output coordinate i takes input coordinate order[i]"),
            ],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { decoder, dimension in
                try PermutationTransform(PermutationParameters(from: decoder), dimension: dimension)
            }
        ),
        CatalogEntry(
            name: "reverse",
            summary: "reverses the order of the coordinates; volume preserving; d from the spec",
            parameters: [],
            domainSummary: "ℝᵈ → ℝᵈ",
            make: { _, dimension in
                guard let dimension else {
                    throw FlowKitError.invalidParameter(
                        parameter: "dimension", value: "unknown",
                        requirement: "reverse has no parameters and takes its dimension from the flow's base distribution; give the base (or a transform with vector parameters) before it")
                }
                return try PermutationTransform.reverse(dimension: dimension)
            }
        ),
    ]
}
