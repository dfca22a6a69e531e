import FlowKit

/// What a streamed 2-D histogram counts: the flow's output (coordinates 0 and 1), or points of
/// a toy data set.
public enum PlaneSource: Hashable, Sendable {
    case flow
    case dataset(ToyDataset)
}

/// A 2-D histogram the multivariate sample pass fills: source, box, bins per axis, and the
/// output coordinates on its axes (0 and 1 unless a `pairs` figure asks for another pair;
/// data sets are 2-D and always use 0 and 1).
public struct PlaneHistogramRequest: Hashable, Sendable {
    public var source: PlaneSource
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    public var bins: Int
    public var xCoordinate: Int
    public var yCoordinate: Int

    public init(source: PlaneSource, x: ClosedRange<Double>, y: ClosedRange<Double>, bins: Int,
                xCoordinate: Int = 0, yCoordinate: Int = 1) {
        self.source = source
        self.x = x
        self.y = y
        self.bins = bins
        self.xCoordinate = xCoordinate
        self.yCoordinate = yCoordinate
    }
}
