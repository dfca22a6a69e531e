import Foundation

/// Numerical derivatives by central differences with Richardson extrapolation (Ridders 1982,
/// "Accurate computation of F'(x) and F'(x)F''(x)", Adv. Eng. Software 4(2); the tableau of
/// Press et al., Numerical Recipes §5.7). Used to check analytic Jacobians and log-dets.
///
/// The tableau starts from the central difference [f(x+h) − f(x−h)]/(2h) at step `h` and
/// shrinks h by 1.4 per row; each extrapolation removes the next even power of h from the
/// error. The answer is the entry with the smallest estimated error, and the estimate is
/// returned with it. If f is not finite at x ± h (a domain boundary is near), h is halved
/// until it is.
public enum FiniteDifference {
    /// A derivative and its estimated absolute error.
    public struct Estimate: Sendable {
        public let value: Double
        public let error: Double
    }

    private static let shrink = 1.4
    private static let tableauSize = 10
    private static let safety = 2.0

    /// d f / d x at `x`. `step` is the initial h (default 0.05·max(1, |x|)); keep x ± step inside
    /// the domain of f.
    public static func derivative(of f: (Double) -> Double, at x: Double, step: Double? = nil) -> Estimate {
        let result = vectorDerivative(of: { [f($0)] }, at: x, step: step)
        return Estimate(value: result.values[0], error: result.error)
    }

    /// d f / d t at t of a vector-valued f, extrapolated component-wise with one shared step
    /// sequence; the error is the largest component error.
    public static func vectorDerivative(of f: (Double) -> [Double], at t: Double, step: Double? = nil) -> (values: [Double], error: Double) {
        var h = step ?? 0.05 * max(1, abs(t))
        func central(_ h: Double) -> [Double]? {
            let plus = f(t + h), minus = f(t - h)
            guard plus.allSatisfy(\.isFinite), minus.allSatisfy(\.isFinite) else { return nil }
            return zip(plus, minus).map { ($0 - $1) / (2 * h) }
        }
        var first = central(h)
        var halvings = 0
        while first == nil, halvings < 60 {
            h /= 2
            halvings += 1
            first = central(h)
        }
        guard let start = first else {
            let n = f(t).count
            return ([Double](repeating: .nan, count: n), .infinity)
        }
        var table: [[[Double]]] = [[start]]   // table[i][j]: row i (step index), column j (order)
        var best = start
        var bestError = Double.infinity
        for i in 1..<tableauSize {
            h /= shrink
            guard let d = central(h) else { break }
            var row: [[Double]] = [d]
            var factor = shrink * shrink
            for j in 1...i {
                let previous = table[i - 1][j - 1]
                let extrapolated = zip(row[j - 1], previous).map { ($0 * factor - $1) / (factor - 1) }
                row.append(extrapolated)
                factor *= shrink * shrink
                let e1 = zip(extrapolated, row[j - 1]).map { abs($0 - $1) }.max() ?? 0
                let e2 = zip(extrapolated, previous).map { abs($0 - $1) }.max() ?? 0
                let errorEstimate = max(e1, e2)
                if errorEstimate <= bestError {
                    bestError = errorEstimate
                    best = extrapolated
                }
            }
            let diagonalChange = zip(row[i], table[i - 1][i - 1]).map { abs($0 - $1) }.max() ?? 0
            table.append(row)
            if diagonalChange >= safety * bestError { break }
        }
        return (best, bestError)
    }

    /// The Jacobian J_ij = ∂f_i/∂x_j at `x` (rows: outputs, columns: inputs), column by column.
    public static func jacobian(of f: ([Double]) -> [Double], at x: [Double], step: Double? = nil) -> [[Double]] {
        jacobianEstimate(of: f, at: x, steps: step.map { [Double](repeating: $0, count: x.count) }).jacobian
    }

    /// The Jacobian (rows: outputs, columns: inputs) and, per column j, the estimated absolute
    /// error of its entries (``vectorDerivative(of:at:step:)``); `steps[j]` is the initial step
    /// along x_j (default 0.05·max(1, |x_j|)).
    public static func jacobianEstimate(of f: ([Double]) -> [Double], at x: [Double], steps: [Double]? = nil)
        -> (jacobian: [[Double]], columnErrors: [Double]) {
        let n = x.count
        var columns: [[Double]] = []
        var errors: [Double] = []
        for j in 0..<n {
            let column = vectorDerivative(of: { t in
                var shifted = x
                shifted[j] = t
                return f(shifted)
            }, at: x[j], step: steps?[j])
            columns.append(column.values)
            errors.append(column.error)
        }
        let m = columns.first?.count ?? 0
        return ((0..<m).map { i in (0..<n).map { j in columns[j][i] } }, errors)
    }

    /// log|det J_f(x)| from the finite-difference Jacobian (−∞ when it is singular, NaN when f is
    /// not finite near x).
    public static func logAbsDeterminantOfJacobian(of f: ([Double]) -> [Double], at x: [Double], step: Double? = nil) -> Double {
        let j = jacobian(of: f, at: x, step: step)
        guard j.allSatisfy({ $0.allSatisfy(\.isFinite) }), let lu = try? LUDecomposition(j) else { return .nan }
        return lu.logAbsDeterminant
    }
}
