/// A toy data set with a closed-form density is a distribution like any base: a continuous
/// flow can start from 8gaussians (as torchcfm's 8gaussians → moons) and still have its
/// density by both routes.
extension ToyDatasetDensity: MultivariateDistribution {
    public var dimension: Int { 2 }

    public func logDensity(_ x: UnsafeBufferPointer<Double>) -> Double { logDensity(x[0], x[1]) }

    public func sample(into batch: inout PointBatch, using stream: inout RandomStream) {
        dataset.sample(into: &batch, using: &stream)
    }

    /// 8gaussians: ℝ²; checkerboard: [−4, 4]².
    public var support: [Interval] {
        switch self {
        case .eightGaussians: return [.real, .real]
        case .checkerboard: return [Interval(lower: -4, upper: 4, lowerClosed: true, upperClosed: true),
                                    Interval(lower: -4, upper: 4, lowerClosed: true, upperClosed: true)]
        }
    }
}
