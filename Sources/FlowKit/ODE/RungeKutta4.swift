/// The classical fourth-order Runge–Kutta method with `steps` equal steps h = (t₁ − t₀)/steps:
///
///     k₁ = f(t, y),  k₂ = f(t + h/2, y + h/2·k₁),  k₃ = f(t + h/2, y + h/2·k₂),  k₄ = f(t + h, y + h·k₃)
///     y ← y + h/6·(k₁ + 2k₂ + 2k₃ + k₄)
///
/// Global error O(h⁴) (Hairer, Nørsett & Wanner, *Solving ODEs I*, §II.1); exactly 4·steps
/// evaluations.
public struct RungeKutta4: ODESolver {
    public let steps: Int
    public var name: String { "rk4" }

    public init(steps: Int) throws(FlowKitError) {
        guard steps >= 1 else {
            throw .invalidParameter(parameter: "steps", value: "\(steps)", requirement: "at least 1")
        }
        self.steps = steps
    }

    public func integrate(_ state: inout [Double], from start: Double, to end: Double,
                          rightHandSide f: ODERightHandSide) throws(FlowKitError) -> ODEStatistics {
        let m = state.count
        guard m > 0, start != end else { return ODEStatistics() }
        var k1 = [Double](repeating: 0, count: m), k2 = k1, k3 = k1, k4 = k1, stage = k1
        let h = (end - start) / Double(steps)
        state.withUnsafeMutableBufferPointer { yb in
            let y = yb.baseAddress!
            k1.withUnsafeMutableBufferPointer { k1b in
            k2.withUnsafeMutableBufferPointer { k2b in
            k3.withUnsafeMutableBufferPointer { k3b in
            k4.withUnsafeMutableBufferPointer { k4b in
            stage.withUnsafeMutableBufferPointer { sb in
                let a = k1b.baseAddress!, b = k2b.baseAddress!, c = k3b.baseAddress!, d = k4b.baseAddress!
                let s = sb.baseAddress!
                for i in 0..<steps {
                    // t from the step index, so that the last step ends exactly at `end`.
                    let t = i == 0 ? start : start + Double(i) * h
                    let tEnd = i == steps - 1 ? end : start + Double(i + 1) * h
                    let half = t + h / 2
                    f(t, y, a)
                    for j in 0..<m { s[j] = y[j] + h / 2 * a[j] }
                    f(half, s, b)
                    for j in 0..<m { s[j] = y[j] + h / 2 * b[j] }
                    f(half, s, c)
                    for j in 0..<m { s[j] = y[j] + h * c[j] }
                    f(tEnd, s, d)
                    for j in 0..<m { y[j] += h / 6 * (a[j] + 2 * (b[j] + c[j]) + d[j]) }
                }
            }}}}}
        }
        return ODEStatistics(evaluations: 4 * steps, acceptedSteps: steps, rejectedSteps: 0)
    }
}
