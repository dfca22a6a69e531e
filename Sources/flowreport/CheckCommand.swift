import ArgumentParser
import Report

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate specs without running them.",
        discussion: """
        Reports every problem as file:line:column: error: message, with the line, a caret \
        and a hint, and exits 2 if any spec is invalid. Nothing is written.

        Example:
          flowreport check reports/*.yaml
        """
    )

    @Argument(help: "Spec files (YAML).") var specs: [String]
    @Flag(help: "Print nothing for valid specs.") var quiet = false

    func run() throws {
        var worst: Int32 = 0
        for path in specs {
            do {
                let experiment = try SpecLoader.load(path: path)
                if !quiet { print(TerminalText.escaped("\(path): ok: \(experiment.title)")) }
            } catch {
                let failure = CommandFailure(error)
                Terminal.printError(failure.message)
                worst = max(worst, failure.code)
            }
        }
        if worst != 0 { throw CommandFailure(code: worst, message: "") }
    }
}
