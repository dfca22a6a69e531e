import FlowKit

/// What a streamed 2-D histogram counts: the flow's output (coordinates 0 and 1), or points of
/// a toy data set.
public enum PlaneSource: Hashable, Sendable {
    case flow
    case dataset(ToyDataset)
}

/// A 2-D histogram the multivariate sample pass fills: source, box and bins per axis.
public struct PlaneHistogramRequest: Hashable, Sendable {
    public var source: PlaneSource
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var bins: Int

    public init(source: PlaneSource, x: ClosedRange<Double>, y: ClosedRange<Double>, bins: Int) {
        self.source = source
        self.x = x
        self.y = y
        self.bins = bins
    }
}

/// A 1-D histogram of one coordinate of the flow's output (`marginals` figures).
public struct MarginalRequest: Hashable, Sendable {
    public var coordinate: Int
    public var range: ClosedRange<Double>
    public var bins: Int

    public init(coordinate: Int, range: ClosedRange<Double>, bins: Int) {
        self.coordinate = coordinate
        self.range = range
        self.bins = bins
    }
}
