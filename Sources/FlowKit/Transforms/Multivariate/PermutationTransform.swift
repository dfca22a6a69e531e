/// A permutation of the coordinates, yᵢ = x_{order[i]} (`permute` in specs, and `reverse`,
/// order = d−1, …, 0). Volume preserving: log|det J| = 0 in both directions. Used between
/// coupling layers so that every coordinate is transformed (Dinh et al. 2017; the reversing
/// permutation of Block NAF, De Cao et al. 2020).
public struct PermutationTransform: Bijection {
    /// `"permute"` or `"reverse"`.
    public let name: String
    /// yᵢ = x_{order[i]}.
    public let order: [Int]

    public init(_ parameters: PermutationParameters, dimension: Int? = nil) throws(FlowKitError) {
        _ = try parameters.validate(dimension: dimension)
        self.name = "permute"
        self.order = parameters.order
    }

    /// The reversal yᵢ = x_{d−1−i}; `dimension` comes from context (the spec's base).
    public static func reverse(dimension: Int) throws(FlowKitError) -> PermutationTransform {
        guard dimension > 0 else {
            throw .invalidParameter(parameter: "dimension", value: "\(dimension)", requirement: "reverse needs a positive dimension")
        }
        return PermutationTransform(name: "reverse", order: Array((0..<dimension).reversed()))
    }

    private init(name: String, order: [Int]) {
        self.name = name
        self.order = order
    }

    // MARK: - Bijection

    public var dimension: Int? { order.count }
    public var hasClosedFormInverse: Bool { true }
    public var hasConstantJacobian: Bool { true }

    public func domain(dimension: Int) -> [Interval] { [Interval](repeating: .real, count: dimension) }

    /// The permuted box (exact).
    public func image(of box: [Interval]) -> [Interval] {
        precondition(box.count == order.count, "\(name): box has \(box.count) coordinates, expected \(order.count)")
        return order.map { box[$0] }
    }

    public func forward(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        permute(&batch, logAbsDet: logAbsDet, inverse: false)
    }

    public func inverse(_ batch: inout PointBatch, logAbsDet: inout [Double]) {
        permute(&batch, logAbsDet: logAbsDet, inverse: true)
    }

    /// Permutes every point through one scratch row; the log-dets are unchanged (adding 0).
    private func permute(_ batch: inout PointBatch, logAbsDet: [Double], inverse: Bool) {
        let d = order.count
        precondition(batch.dimension == d, "\(name): batch dimension \(batch.dimension), expected \(d)")
        precondition(logAbsDet.count == batch.count, "\(name): one log-det entry per point")
        let n = batch.count
        var scratch = [Double](repeating: 0, count: d)
        order.withUnsafeBufferPointer { order in
            scratch.withUnsafeMutableBufferPointer { row in
                batch.values.withUnsafeMutableBufferPointer { values in
                    guard let base = values.baseAddress else { return }
                    for p in 0..<n {
                        let x = base + p * d
                        for i in 0..<d { row[i] = x[i] }
                        if inverse {
                            for i in 0..<d { x[order[i]] = row[i] }
                        } else {
                            for i in 0..<d { x[i] = row[order[i]] }
                        }
                    }
                }
            }
        }
    }
}
