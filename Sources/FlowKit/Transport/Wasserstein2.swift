/// The 2-Wasserstein distance between the empirical measures of two point sets of the same
/// size n (uniform weights), by exact optimal assignment (``LinearAssignment``):
///
///     W₂(a, b) = ( min_σ (1/n) Σᵢ ‖aᵢ − b_σ(i)‖² )^{1/2}.
///
/// Between generated samples and fresh data it measures the fit; its value between two
/// independent samples of the data themselves, of the same size, is the sampling floor
/// (``samplingFloor(of:count:using:)``): what a perfect model would score at that n.
public enum Wasserstein2 {
    public static func distance(_ a: PointBatch, _ b: PointBatch) throws(FlowKitError) -> Double {
        guard a.count > 0 else { return 0 }
        let solution = try LinearAssignment.pairing(a, b)
        return (solution.cost / Double(a.count)).squareRoot()
    }

    /// W₂ between two independent samples of `count` points of a toy data set.
    public static func samplingFloor(of dataset: ToyDataset, count: Int, using stream: inout RandomStream) throws(FlowKitError) -> Double {
        let first = dataset.sample(count: count, using: &stream)
        let second = dataset.sample(count: count, using: &stream)
        return try distance(first, second)
    }
}
