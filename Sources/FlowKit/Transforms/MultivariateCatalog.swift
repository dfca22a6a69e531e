extension TransformCatalog {
    /// The multivariate transforms (`linear`, `planar`, `radial`, `coupling`, `permute`,
    /// `reverse`). Each entry decodes its parameter struct, validates it against the dimension
    /// the spec has established (a vector of another length is a
    /// ``FlowKitError/dimensionMismatch(what:expected:found:parameter:)``; with no established dimension
    /// it is inferred from the parameters) and builds the immutable transform. As for the
    /// distributions, a vector parameter (`shift`, `u`, `w`, `z0`) may be given as one number,
    /// broadcast to every coordinate once the dimension is known (from the spec or from a
    /// sibling vector).
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
                let spec = try LinearSpec(from: decoder)
                let d = dimension ?? spec.matrix.count
                return try LinearTransform(LinearParameters(
                    matrix: spec.matrix,
                    shift: try spec.shift.map { v throws(FlowKitError) in try MultivariateBroadcast.values(v, key: "shift", transform: "linear", dimension: d) }),
                    dimension: dimension)
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
                let spec = try PlanarSpec(from: decoder)
                let d = try MultivariateBroadcast.dimension([("u", spec.u), ("w", spec.w)], transform: "planar", given: dimension)
                return try PlanarTransform(PlanarParameters(
                    u: MultivariateBroadcast.values(spec.u, key: "u", transform: "planar", dimension: d),
                    w: MultivariateBroadcast.values(spec.w, key: "w", transform: "planar", dimension: d),
                    b: spec.b ?? 0), dimension: dimension)
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
                let spec = try RadialSpec(from: decoder)
                let d = try MultivariateBroadcast.dimension([("z0", spec.z0)], transform: "radial", given: dimension)
                return try RadialTransform(RadialParameters(
                    z0: MultivariateBroadcast.values(spec.z0, key: "z0", transform: "radial", dimension: d),
                    alpha: spec.alpha, beta: spec.beta), dimension: dimension)
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

// MARK: - Spec-side decoding with broadcasting

/// The spec form of the `linear` parameters (`shift` may be one number).
private struct LinearSpec: Decodable {
    let matrix: [[Double]]
    let shift: ScalarOrVector?
}

/// The spec form of the `planar` parameters (`u`, `w` may be one number each).
private struct PlanarSpec: Decodable {
    let u: ScalarOrVector
    let w: ScalarOrVector
    let b: Double?
}

/// The spec form of the `radial` parameters (`z0` may be one number).
private struct RadialSpec: Decodable {
    let z0: ScalarOrVector
    let alpha: Double
    let beta: Double
}

/// Broadcasting of one-number vector parameters for the multivariate catalog entries.
enum MultivariateBroadcast {
    /// The dimension: the spec's, else the length of the first vector among `values`; a
    /// parameter set of single numbers with no dimension known is rejected (naming the first key).
    static func dimension(_ values: [(String, ScalarOrVector)], transform: String, given: Int?) throws(FlowKitError) -> Int {
        if let given { return given }
        if let n = values.lazy.compactMap(\.1.count).first { return n }
        let key = values.first?.0 ?? "dimension"
        throw .invalidParameter(parameter: key, value: "a single number",
                                requirement: "\(transform) cannot broadcast one number before the dimension is known; give a vector, or give the base distribution first")
    }

    /// The vector (checked later against the dimension by the parameter struct), or the number
    /// repeated `dimension` times.
    static func values(_ value: ScalarOrVector, key: String, transform: String, dimension: Int) throws(FlowKitError) -> [Double] {
        switch value {
        case let .vector(values): return values
        case let .scalar(x): return [Double](repeating: x, count: dimension)
        }
    }
}
