import ArgumentParser
import Report

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Print samples of the flow's output with their log densities as CSV.",
        discussion: """
        Columns: x (x1,...,xd in d dimensions) and log_p, the log density from the forward \
        pass alone (Rezende & Mohamed eq. 7). The same spec and seed give the same numbers. \
        A sample that overflows or saturates (not finite, or rounded onto the edge of a map's \
        range) is numerical trouble: nothing is printed and the exit status is 1.

        Example:
          flowreport sample reports/lognormal.yaml --count 5 --seed 7
        """
    )

    static let maximumCount = 100_000_000

    @Argument(help: "The spec file (YAML).") var spec: String
    @Option(help: "Number of samples (at most 10^8).") var count: Int
    @Option(help: "Random seed (default: the spec's seed).") var seed: UInt64?

    func validate() throws {
        if count <= 0 || count > Self.maximumCount { throw ValidationError("--count must be in 1 … 10^8") }
    }

    func run() throws {
        do {
            let experiment = try SpecLoader.load(path: spec)
            try CommandFailure.requireFixedFlow(experiment, spec: spec, command: "sample")
            let csv = Evaluation.sampleCSV(experiment, count: count, seed: seed ?? experiment.seed)
            try NumericalTrouble.check(csv, evaluated: false, spec: spec)
            print(csv, terminator: "")
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as ReportError {
            throw CommandFailure(error)
        }
    }
}
