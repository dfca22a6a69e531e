/// Where a panel's legend goes, inside the plot area.
public enum LegendPlacement: Sendable, Hashable, CaseIterable {
    /// The candidate position covering the fewest data points (matplotlib's "best"); ties go
    /// to the earlier candidate in `LegendPlacement.candidates`.
    case best
    case upperRight, upperLeft, lowerLeft, lowerRight
    case centerRight, centerLeft, upperCenter, lowerCenter, center

    /// The positions `best` chooses among, in matplotlib's preference order.
    public static let candidates: [LegendPlacement] = [
        .upperRight, .upperLeft, .lowerLeft, .lowerRight, .centerRight, .centerLeft, .lowerCenter, .upperCenter, .center,
    ]
}
