/// The spec parameters of the `linear` transform y = A·x + shift: `matrix` (d rows of d
/// entries, invertible) and `shift` (d entries; zero when omitted).
public struct LinearParameters: Codable, Sendable, Equatable {
    public var matrix: [[Double]]
    public var shift: [Double]?

    public init(matrix: [[Double]], shift: [Double]? = nil) {
        self.matrix = matrix
        self.shift = shift
    }

    /// Checks shapes and finiteness against the established `dimension` (if any) and returns
    /// the dimension d. Invertibility is checked when the transform is built (it needs the
    /// factorisation).
    public func validate(dimension: Int? = nil) throws(FlowKitError) -> Int {
        let d = try ParameterValidation.dimension(of: matrix.count, key: "matrix", transform: "linear", established: dimension)
        for row in matrix {
            if row.count != d { throw .dimensionMismatch(what: "linear parameter 'matrix' (a row; the matrix must be square)", expected: d, found: row.count, parameter: "matrix") }
            try ParameterValidation.requireFinite(row, key: "matrix")
        }
        if let shift {
            _ = try ParameterValidation.dimension(of: shift.count, key: "shift", transform: "linear", established: d)
            try ParameterValidation.requireFinite(shift, key: "shift")
        }
        return d
    }
}
