import Foundation

/// The LU factorisation with partial pivoting, P·A = L·U, of a square matrix (Golub & Van Loan,
/// "Matrix Computations", Algorithm 3.4.1). Used for log|det A| = Σ log|U_ii| without overflow,
/// and to solve A·x = b.
public struct LUDecomposition: Sendable {
    /// The dimension n of the n×n matrix.
    public let dimension: Int
    /// L (unit lower, below the diagonal) and U (on and above it), row-major n×n.
    public let factors: [Double]
    /// Row i of P·A is row `pivots[i]` of A.
    public let pivots: [Int]
    /// The sign of det(P): +1 or −1.
    public let permutationSign: Double

    /// Factorises `matrix` (an array of n rows of n entries).
    public init(_ matrix: [[Double]]) throws(FlowKitError) {
        let n = matrix.count
        guard n > 0 else { throw FlowKitError.invalidParameter(parameter: "matrix", value: "[]", requirement: "must be a non-empty square matrix") }
        for row in matrix where row.count != n {
            throw FlowKitError.dimensionMismatch(what: "matrix row", expected: n, found: row.count)
        }
        var a = matrix.flatMap { $0 }
        var pivots = Array(0..<n)
        var sign = 1.0
        for k in 0..<n {
            var p = k
            var largest = abs(a[k * n + k])
            for i in (k + 1)..<max(n, k + 1) where abs(a[i * n + k]) > largest {
                largest = abs(a[i * n + k])
                p = i
            }
            if p != k {
                for j in 0..<n { a.swapAt(k * n + j, p * n + j) }
                pivots.swapAt(k, p)
                sign = -sign
            }
            let pivot = a[k * n + k]
            guard pivot != 0 else { continue }
            for i in (k + 1)..<max(n, k + 1) {
                let factor = a[i * n + k] / pivot
                a[i * n + k] = factor
                if factor != 0 {
                    for j in (k + 1)..<n { a[i * n + j] -= factor * a[k * n + j] }
                }
            }
        }
        self.dimension = n
        self.factors = a
        self.pivots = pivots
        self.permutationSign = sign
    }

    /// Whether a pivot is exactly zero or the matrix is numerically singular (a pivot below
    /// n·ε times the largest one).
    public var isSingular: Bool {
        let diagonal = (0..<dimension).map { abs(factors[$0 * dimension + $0]) }
        guard let largest = diagonal.max(), largest > 0 else { return true }
        return diagonal.contains { $0 <= Double(dimension) * Double.ulpOfOne * largest }
    }

    /// log|det A| = Σᵢ log|U_ii| (−∞ for a singular matrix).
    public var logAbsDeterminant: Double {
        (0..<dimension).reduce(0.0) { $0 + log(abs(factors[$1 * dimension + $1])) }
    }

    /// The sign of det A: ±1, or 0 when singular.
    public var determinantSign: Double {
        var sign = permutationSign
        for i in 0..<dimension {
            let u = factors[i * dimension + i]
            if u == 0 { return 0 }
            if u < 0 { sign = -sign }
        }
        return sign
    }

    /// Solves A·x = b by forward and back substitution.
    public func solve(_ b: [Double]) -> [Double] {
        let n = dimension
        precondition(b.count == n, "right-hand side must have \(n) entries")
        var x = pivots.map { b[$0] }
        for i in 0..<n {
            var s = x[i]
            for j in 0..<i { s -= factors[i * n + j] * x[j] }
            x[i] = s
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for j in (i + 1)..<n { s -= factors[i * n + j] * x[j] }
            x[i] = s / factors[i * n + i]
        }
        return x
    }
}
