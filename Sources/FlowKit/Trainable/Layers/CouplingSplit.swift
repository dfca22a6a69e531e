/// The kept/transformed split of a coupling layer (Dinh et al. 2015, 2017), alternating between
/// layers: with h = ⌊d/2⌋, parity 0 keeps coordinates 0..<h and transforms h..<d, parity 1
/// keeps h..<d and transforms 0..<h. Gathers points (row-major) into feature-major buffers for
/// the conditioner ``TrainableMLP``.
public struct CouplingSplit: Sendable, Equatable {
    public let dimension: Int
    public let kept: [Int]
    public let transformed: [Int]

    public init(dimension: Int, parity: Int) {
        precondition(dimension >= 2, "a coupling needs at least two coordinates")
        let h = dimension / 2
        let low = Array(0..<h), high = Array(h..<dimension)
        kept = parity % 2 == 0 ? low : high
        transformed = parity % 2 == 0 ? high : low
        self.dimension = dimension
    }

    /// The split of a spec mask (1 = kept, 0 = transformed; both must occur), as the catalog's
    /// ``AffineCouplingTransform`` reads it.
    public init(mask: [Int]) {
        precondition(mask.contains(1) && mask.contains(0), "a coupling keeps and transforms at least one coordinate each")
        dimension = mask.count
        kept = mask.indices.filter { mask[$0] == 1 }
        transformed = mask.indices.filter { mask[$0] != 1 }
    }

    /// The spec mask: 1 = kept, 0 = transformed.
    public var mask: [Int] { (0..<dimension).map { kept.contains($0) ? 1 : 0 } }

    /// buffer[k·n + p] = points[p·d + kept[k]].
    @inline(__always)
    func gatherKept(_ points: UnsafePointer<Double>, count n: Int, into buffer: UnsafeMutablePointer<Double>) {
        let d = dimension
        for (k, j) in kept.enumerated() {
            let row = buffer + k * n
            for p in 0..<n { row[p] = points[p * d + j] }
        }
    }
}
