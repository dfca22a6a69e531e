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
          flowreport eval reports/lognormal.yaml --at 0.5,1,2
          flowreport eval reports/affine-normal.yaml --at -1,0,1
          flowreport eval reports/rezende-fig1.yaml --at '-1,0.5;0,0'
          flowreport eval reports/lognormal.yaml --points grid.csv
        """
    )

    @Argument(help: "The spec file (YAML).") var spec: String
    /// Parsed unconditionally: the next word is the value even when it starts with '-', so
    /// that `--at -1,0,1` reads the points rather than taking `-1,0,1` for an option.
    @Option(parsing: .unconditional, help: "Comma-separated points (d ≥ 2: coordinates by ',', points by ';').")
    var at: String?
    @Option(help: "A CSV file with one point per line (an optional header line is skipped).") var points: String?

    func validate() throws {
        if (at == nil) == (points == nil) { throw ValidationError("give exactly one of --at and --points") }
    }

    func run() throws {
        do {
            let experiment = try SpecLoader.load(path: spec)
            try CommandFailure.requireFixedFlow(experiment, spec: spec, command: "eval")
            let batch = if let at {
                try Evaluation.parseAt(at, dimension: experiment.dimension)
            } else if let points {
                try Evaluation.parsePoints(csv: try Self.readText(points), dimension: experiment.dimension, source: points)
            } else {
                throw CommandFailure(code: CommandFailure.badInput, message: "give exactly one of --at and --points")
            }
            let csv = Evaluation.densityCSV(experiment, at: batch)
            try NumericalTrouble.check(csv, evaluated: true, spec: spec)
            print(csv, terminator: "")
        } catch let error as ReportError {
            throw CommandFailure(error)
        }
    }

    /// The UTF-8 text of the points file at `path`.
    private static func readText(_ path: String) throws(ReportError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .io(path: path, message: "cannot read the points file")
        }
        return text
    }
}
