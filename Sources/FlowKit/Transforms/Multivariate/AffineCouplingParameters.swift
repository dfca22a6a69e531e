/// The spec parameters of the `coupling` transform (RealNVP affine coupling): `mask` (one 0 or
/// 1 per coordinate; 1 = kept and fed to the conditioner, 0 = transformed; both must occur),
/// `conditioner` (an ``MLPParameters`` network from the kept coordinates, in increasing index
/// order, to 2·(number of transformed coordinates) outputs: first the log-scales s, then the
/// shifts t, each in increasing index order of the transformed coordinates), and the optional
/// `scale` > 0: when given, the log-scales are bounded as s = scale·tanh(raw s).
public struct AffineCouplingParameters: Codable, Sendable, Equatable {
    public var mask: [Int]
    public var conditioner: MLPParameters
    public var scale: Double?

    public init(mask: [Int], conditioner: MLPParameters, scale: Double? = nil) {
        self.mask = mask
        self.conditioner = conditioner
        self.scale = scale
    }

    /// Checks the mask against the established `dimension` (if any), the conditioner's shape
    /// and `scale`, and returns the dimension d.
    public func validate(dimension: Int? = nil) throws(FlowKitError) -> Int {
        let d = try ParameterValidation.dimension(of: mask.count, key: "mask", transform: "coupling", established: dimension)
        let maskText = "[" + mask.map(String.init).joined(separator: ", ") + "]"
        if let bad = mask.first(where: { $0 != 0 && $0 != 1 }) {
            throw .invalidParameter(parameter: "mask", value: maskText, requirement: "entries must be 0 (transformed) or 1 (kept); found \(bad)")
        }
        if !mask.contains(1) || !mask.contains(0) {
            throw .invalidParameter(parameter: "mask", value: maskText, requirement: "must keep at least one coordinate (1) and transform at least one (0)")
        }
        if let scale, !(scale.isFinite && scale > 0) {
            throw .invalidParameter(parameter: "scale", value: ParameterValidation.formatNumber(scale), requirement: "must be finite and > 0 (s = scale·tanh(raw s))")
        }
        let kept = mask.filter { $0 == 1 }.count
        try conditioner.validate(inputs: kept, outputs: 2 * (d - kept), key: "conditioner")
        return d
    }
}
