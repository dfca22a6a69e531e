import Foundation

/// The affine map y = A·x + b with an invertible d×d matrix A (`linear` in specs).
///
/// - log|det J| = log|det A|, constant: from the diagonal, Σᵢ log|A_ii|, when A is lower or upper
///   triangular (the fast path: products and solves by substitution, no factorisation), and
///   otherwise from the LU factorisation with partial pivoting P·A = L·U, as Σᵢ log|U_ii|
///   (Golub & Van Loan, "Matrix Computations", §3.4), which never forms det A and so never
///   overflows.
/// - Inverse: x = A⁻¹(y − b) by forward and back substitution on the factors; its log-det is
///   −log|det A|, computed once when the transform is built.
/// - A is rejected as singular when a pivot (a diagonal entry on the triangular path) is at
///   most d·ε times the largest one in magnitude (``LUDecomposition/isSingular``).
public struct LinearTransform: Bijection {
    /// How the matrix is stored and solved.
    enum Structure: Sendable {
        case lowerTriangular
        case upperTriangular
        /// LU factors (unit L below the diagonal, U on and above) and the row pivots.
        case general(factors: [Double], pivots: [Int])
    }

    public let name = "linear"
    public let parameters: LinearParameters
    /// d.
    public let size: Int
    /// A row-major, d·d entries.
    let matrix: [Double]
    /// b, d entries.
    let shift: [Double]
    let structure: Structure
    /// log|det A|.
    public let logAbsDeterminant: Double
    /// log|det A⁻¹| = −log|det A|, the inverse's own constant.
    public let inverseLogAbsDeterminant: Double

    /// Builds the map from validated parameters; `dimension` is the dimension the spec has
    /// established (nil: taken from the matrix).
    public init(_ parameters: LinearParameters, dimension: Int? = nil) throws(FlowKitError) {
        let d = try parameters.validate(dimension: dimension)
        self.parameters = parameters
        self.size = d
        let flat = parameters.matrix.flatMap { $0 }
        self.matrix = flat
        self.shift = parameters.shift ?? [Double](repeating: 0, count: d)

        var isLower = true, isUpper = true
        for i in 0..<d {
            for j in 0..<d where flat[i * d + j] != 0 {
                if j > i { isLower = false }
                if j < i { isUpper = false }
            }
        }
        if isLower || isUpper {
            let diagonal = (0..<d).map { abs(flat[$0 * d + $0]) }
            let largest = diagonal.max() ?? 0
            if largest == 0 || diagonal.contains(where: { $0 <= Double(d) * Double.ulpOfOne * largest }) {
                throw .invalidParameter(parameter: "matrix", value: ParameterValidation.describe(parameters.matrix),
                                        requirement: "must be invertible; this triangular matrix has a diagonal entry that is zero or below d·ε times the largest")
            }
            self.structure = isLower ? .lowerTriangular : .upperTriangular
            self.logAbsDeterminant = diagonal.reduce(0) { $0 + log($1) }
        } else {
            let lu = try LUDecomposition(parameters.matrix)
            if lu.isSingular {
                throw .invalidParameter(parameter: "matrix", value: ParameterValidation.describe(parameters.matrix),
                                        requirement: "must be invertible; its LU factorisation has a pivot that is zero or below d·ε times the largest")
            }
            self.structure = .general(factors: lu.factors, pivots: lu.pivots)
            self.logAbsDeterminant = lu.logAbsDeterminant
        }
        self.inverseLogAbsDeterminant = -logAbsDeterminant
    }

    // MARK: - Bijection

    public var dimension: Int? { size }
    public var hasClosedFormInverse: Bool { true }
    public var hasConstantJacobian: Bool { true }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }

    /// The exact bounding box of A·box + b: coordinate i ranges over bᵢ + Σⱼ A_ij·[lⱼ, uⱼ], and
    /// every end is attained because the box is a product of intervals.
    public func image(of box: [Interval]) -> [Interval] {
        precondition(box.count == size, "linear: box has \(box.count) coordinates, expected \(size)")
        return (0..<size).map { i in
            var range = (shift[i], shift[i])
            for j in 0..<size {
                range = BoxArithmetic.sum(range, BoxArithmetic.scale(BoxArithmetic.ends(box[j]), by: matrix[i * size + j]))
            }
            return BoxArithmetic.interval(range)
        }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        precondition(batch.dimension == d, "linear: batch dimension \(batch.dimension), expected \(d)")
        precondition(logAbsDet.count == batch.count, "linear: one log-det entry per point")
        let n = batch.count
        var scratch = [Double](repeating: 0, count: d)
        matrix.withUnsafeBufferPointer { a in
            shift.withUnsafeBufferPointer { b in
                scratch.withUnsafeMutableBufferPointer { tmp in
                    batch.values.withUnsafeMutableBufferPointer { values in
                        guard let base = values.baseAddress else { return }
                        for p in 0..<n {
                            let x = base + p * d
                            switch structure {
                            case .lowerTriangular:
                                // y_i depends on x_j, j ≤ i: overwrite from the last row up.
                                for i in stride(from: d - 1, through: 0, by: -1) {
                                    var s = b[i]
                                    for j in 0...i { s += a[i * d + j] * x[j] }
                                    x[i] = s
                                }
                            case .upperTriangular:
                                for i in 0..<d {
                                    var s = b[i]
                                    for j in i..<d { s += a[i * d + j] * x[j] }
                                    x[i] = s
                                }
                            case .general:
                                for j in 0..<d { tmp[j] = x[j] }
                                for i in 0..<d {
                                    var s = b[i]
                                    for j in 0..<d { s += a[i * d + j] * tmp[j] }
                                    x[i] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        for p in 0..<n { logAbsDet[p] += logAbsDeterminant }
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        let d = size
        precondition(batch.dimension == d, "linear: batch dimension \(batch.dimension), expected \(d)")
        precondition(logAbsDet.count == batch.count, "linear: one log-det entry per point")
        let n = batch.count
        var scratch = [Double](repeating: 0, count: d)
        shift.withUnsafeBufferPointer { b in
            scratch.withUnsafeMutableBufferPointer { tmp in
                batch.values.withUnsafeMutableBufferPointer { values in
                    guard let base = values.baseAddress else { return }
                    switch structure {
                    case .lowerTriangular:
                        matrix.withUnsafeBufferPointer { a in
                            for p in 0..<n {
                                let x = base + p * d
                                for i in 0..<d {
                                    var s = x[i] - b[i]
                                    for j in 0..<i { s -= a[i * d + j] * x[j] }
                                    x[i] = s / a[i * d + i]
                                }
                            }
                        }
                    case .upperTriangular:
                        matrix.withUnsafeBufferPointer { a in
                            for p in 0..<n {
                                let x = base + p * d
                                for i in stride(from: d - 1, through: 0, by: -1) {
                                    var s = x[i] - b[i]
                                    for j in (i + 1)..<d { s -= a[i * d + j] * x[j] }
                                    x[i] = s / a[i * d + i]
                                }
                            }
                        }
                    case let .general(factors, pivots):
                        factors.withUnsafeBufferPointer { lu in
                            for p in 0..<n {
                                let x = base + p * d
                                // tmp = P·(y − b), then L·c = tmp, then U·x = c.
                                for i in 0..<d { tmp[i] = x[pivots[i]] - b[pivots[i]] }
                                for i in 0..<d {
                                    var s = tmp[i]
                                    for j in 0..<i { s -= lu[i * d + j] * tmp[j] }
                                    tmp[i] = s
                                }
                                for i in stride(from: d - 1, through: 0, by: -1) {
                                    var s = tmp[i]
                                    for j in (i + 1)..<d { s -= lu[i * d + j] * tmp[j] }
                                    tmp[i] = s / lu[i * d + i]
                                }
                                for i in 0..<d { x[i] = tmp[i] }
                            }
                        }
                    }
                }
            }
        }
        for p in 0..<n { logAbsDet[p] += inverseLogAbsDeterminant }
    }
}
