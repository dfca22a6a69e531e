import ArgumentParser
import Foundation
import Report

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter spec NAME.yaml.",
        discussion: """
        The starter spec reproduces Zdybał's log-normal example (Y = exp(X), X ~ N(0, 1)) \
        and shows every section; it passes `flowreport check`. An existing file is never \
        overwritten.

        Example:
          flowreport init lognormal && flowreport check lognormal.yaml
        """
    )

    @Argument(help: "The spec name (or path); .yaml is added when missing.") var name: String

    func validate() throws {
        if name.isEmpty { throw ValidationError("NAME must not be empty") }
    }

    func run() throws {
        let path = name.hasSuffix(".yaml") || name.hasSuffix(".yml") ? name : name + ".yaml"
        if FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(code: CommandFailure.ioFailure, message: "\(path): error: already exists; not overwriting it")
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let text = StarterSpec.text(title: stem)
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure(code: CommandFailure.ioFailure, message: "\(path): error: cannot write: \(error.localizedDescription)")
        }
        print("wrote \(path)")
    }
}
