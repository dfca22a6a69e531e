/// The one error type of FlowTraining.
public enum FlowTrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Too many steps had a non-finite loss or gradient; `iteration` is the last one, `layer`
    /// names where the first non-finite value appeared (`layers[3] (planar)`, `base`, `target`).
    case nonFiniteSteps(iteration: Int, layer: String, skipped: Int)
    /// A setting is out of range.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .nonFiniteSteps(iteration, layer, skipped):
            return "fit stopped at iteration \(iteration): \(skipped) steps with a non-finite loss or gradient (first non-finite value in \(layer))"
        case let .invalidConfiguration(text):
            return "invalid training configuration: \(text)"
        }
    }
}
