/// The spec parameters of the `planar` transform f(z) = z + û·tanh(wᵀz + b): vectors `u` and
/// `w` (d entries each, w ≠ 0) and the scalar `b` (0 when omitted). `u` is the raw parameter;
/// the transform always uses the reparametrised û (see ``PlanarTransform``), so every finite
/// `u` gives an invertible map.
public struct PlanarParameters: Codable, Sendable, Equatable {
    public var u: [Double]
    public var w: [Double]
    public var b: Double

    public init(u: [Double], w: [Double], b: Double = 0) {
        self.u = u
        self.w = w
        self.b = b
    }

    enum CodingKeys: String, CodingKey { case u, w, b }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        u = try container.decode([Double].self, forKey: .u)
        w = try container.decode([Double].self, forKey: .w)
        b = try container.decodeIfPresent(Double.self, forKey: .b) ?? 0
    }

    /// Checks lengths, finiteness and w ≠ 0 against the established `dimension` (if any) and
    /// returns the dimension d.
    public func validate(dimension: Int? = nil) throws(FlowKitError) -> Int {
        let d = try ParameterValidation.dimension(of: u.count, key: "u", transform: "planar", established: dimension)
        _ = try ParameterValidation.dimension(of: w.count, key: "w", transform: "planar", established: d)
        try ParameterValidation.requireFinite(u, key: "u")
        try ParameterValidation.requireFinite(w, key: "w")
        try ParameterValidation.requireFinite(b, key: "b")
        if w.allSatisfy({ $0 == 0 }) {
            throw .invalidParameter(parameter: "w", value: ParameterValidation.describe(w),
                                    requirement: "must not be the zero vector (the invertibility correction of u divides by ‖w‖²)")
        }
        let squaredNorm = w.reduce(0) { $0 + $1 * $1 }
        if !squaredNorm.isNormal {
            throw .invalidParameter(parameter: "w", value: ParameterValidation.describe(w),
                                    requirement: "‖w‖² must be a normal, finite double (it is \(squaredNorm))")
        }
        return d
    }
}
