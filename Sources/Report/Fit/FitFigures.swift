import FlowKit
import Plot

/// The figures of a fit: `loss` (training loss and validation estimates against iteration,
/// β alongside while annealing).
enum FitFigures {
    static func figures(fit: FitRun, experiment: Experiment) -> [BuiltFigure] {
        []
    }
}
