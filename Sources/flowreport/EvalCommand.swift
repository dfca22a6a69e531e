import ArgumentParser
import Foundation
import Report

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Print the flow's log density at given points as CSV.",
        discussion: """
        Columns: x, log_p_eq4 (forward log-dets at the preimage), log_p_eq5 (inverse pass), \
        and log_p_reference when the spec has a reference; -inf outside the support. A NaN \
        or +inf log density is numerical trouble: nothing is printed and the exit status is 1. For \
        d-dimensional specs the point columns are x1,...,xd and --at separates points with ';'.

        Example:
          flowreport eval reports/lognormal.yaml --at 0.5,1,2 \
          flowreport eval reports/lognormal.yaml --at=-1,0,1      (use = for a leading minus) \
          flowreport eval reports/lognormal.yaml --points grid.csv
        """
    )

    @Argument(help: "The spec file (YAML).") var spec: String
    @Option(help: "Comma-separated points.") var at: String?
    @Option(help: "A CSV file with one point per line (an optional header line is skipped).") var points: String?

    func validate() throws {
        if (at == nil) == (points == nil) { throw ValidationError("give exactly one of --at and --points") }
    }

    func run() throws {
        do {
            let experiment = try SpecLoader.load(path: spec)
            let batch: PointBatchInput
            if let at {
                batch = .init(try Evaluation.parseAt(at, dimension: experiment.dimension))
            } else if let points {
                guard let data = FileManager.default.contents(atPath: points),
                      let text = String(data: data, encoding: .utf8) else {
                    throw ReportError.io(path: points, message: "cannot read the points file")
                }
                batch = .init(try Evaluation.parsePoints(csv: text, dimension: experiment.dimension, source: points))
            } else {
                throw CommandFailure(code: CommandFailure.badInput, message: "give exactly one of --at and --points")
            }
            let csv = Evaluation.densityCSV(experiment, at: batch.value)
            try NumericalTrouble.check(csv, evaluated: true, spec: spec)
            print(csv, terminator: "")
        } catch let error as ReportError {
            throw CommandFailure(error)
        }
    }
}
