import ArgumentParser
import Foundation
import Report

/// The `flowreport` command: specs in, reports out. Subcommands are thin: the work lives in
/// the Report module.
@main
struct Flowreport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowreport",
        abstract: "Turn normalizing-flow experiment specs (YAML) into figures and verified reports.",
        discussion: """
        Example:
          flowreport init lognormal && flowreport run lognormal.yaml

        Exit codes:
          0  success
          1  a check failed (the report is still written)
          2  bad usage or an invalid spec (file:line:column: error: … on stderr)
          3  an I/O failure (a file could not be read or written)
        """,
        subcommands: [RunCommand.self, CheckCommand.self, EvalCommand.self, SampleCommand.self,
                      ListCommand.self, InitCommand.self]
    )

    /// Parses, runs, and maps every failure to the documented exit codes (argument-parser's
    /// own usage errors would exit 64; flowreport documents 2).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { Terminal.printError(failure.message) }
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Terminal.printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}
