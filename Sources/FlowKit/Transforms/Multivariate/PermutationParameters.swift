/// The spec parameters of the `permute` transform: `order`, a permutation of 0..<d.
public struct PermutationParameters: Codable, Sendable, Equatable {
    public var order: [Int]

    public init(order: [Int]) { self.order = order }

    /// Checks that `order` is a permutation of 0..<d (d its length, checked against the
    /// established `dimension` if any) and returns d.
    public func validate(dimension: Int? = nil) throws(FlowKitError) -> Int {
        let d = try ParameterValidation.dimension(of: order.count, key: "order", transform: "permute", established: dimension)
        var seen = [Bool](repeating: false, count: d)
        for index in order {
            guard index >= 0, index < d, !seen[index] else {
                throw .invalidParameter(parameter: "order", value: "[" + order.map(String.init).joined(separator: ", ") + "]",
                                        requirement: "must list each of 0..<\(d) exactly once (\(index) is \(index >= 0 && index < d ? "repeated" : "out of range"))")
            }
            seen[index] = true
        }
        return d
    }
}
