import FlowKit
import Plot

/// One figure of a report, built and ready to render.
public struct BuiltFigure: Sendable {
    /// File stem under `figures/` (`densities`, `densities-2`, …).
    public var id: String
    public var title: String
    public var caption: String
    public var figure: Figure
}

/// Where the one- and d-dimensional runs differ in what they draw: a figure plan turns an
/// experiment's figure requests, given the pilot chunk, into the histograms the streaming
/// pass must fill and, after the run, into figures (``UnivariateFigurePlan``,
/// ``MultivariateFigurePlan``). Built once per run.
public protocol FigurePlanner: Sendable {
    /// The plan for `experiment`, with automatic ranges from `pilot`.
    init(experiment: Experiment, pilot: SamplePass.Pilot)
    /// The 1-D histograms the figures need (stage histograms, marginals, PIT), without duplicates.
    var histogramRequests: [HistogramRequest] { get }
    /// The 2-D histograms the figures need, without duplicates.
    var planeRequests: [PlaneHistogramRequest] { get }
    /// The box of the density checks, one range per coordinate drawn (1-D: the output's
    /// automatic range; 2-D: that of the first density-like figure).
    var checkBox: [ClosedRange<Double>] { get }
    /// The energies shown by `targets` figures, each with the box it is drawn on.
    var energies: [(Energy, [ClosedRange<Double>])] { get }
    /// Builds every requested figure from the finished run, with ids `kind`, `kind-2`, ….
    func figures(run: Run) -> [BuiltFigure]
}

// MARK: - Default implementations
extension FigurePlanner {
    public var planeRequests: [PlaneHistogramRequest] { [] }
    public var energies: [(Energy, [ClosedRange<Double>])] { [] }

    /// Numbers the figures of each kind (`densities`, `densities-2`, …) in request order.
    func numbered(_ requests: [FigureRequest], build: (FigureRequest) -> BuiltFigure) -> [BuiltFigure] {
        var used: [String: Int] = [:]
        return requests.map { request in
            let n = (used[request.kind.rawValue] ?? 0) + 1
            used[request.kind.rawValue] = n
            var built = build(request)
            built.id = n == 1 ? request.kind.rawValue : "\(request.kind.rawValue)-\(n)"
            return built
        }
    }
}
