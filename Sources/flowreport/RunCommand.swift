import Foundation
import ArgumentParser
import Report

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run specs and write their report folders.",
        discussion: """
        Each spec is validated first; then samples are drawn, checks computed and the report \
        written to reports/<spec name>/ next to the spec (or under --out). The old report is \
        replaced only when the new one is complete. Exits 1 when a check fails.

        Example:
          flowreport run reports/lognormal.yaml --samples 1000000 --format png,svg
        """
    )

    @Argument(help: "Spec files (YAML).") var specs: [String]
    @Option(help: "Folder that receives <name>/ and index.html (default: the folder of each spec).") var out: String?
    @Option(help: "Number of samples, overriding the spec.") var samples: Int?
    @Option(help: "Random seed, overriding the spec.") var seed: UInt64?
    @Option(help: "Worker threads (default: all cores); results do not depend on it.") var jobs: Int?
    @Option(help: "Figure formats, comma-separated: png, pdf, svg.") var format: String?
    @Option(help: "Iterations of every fit, overriding the specs' fit sections (quick previews).") var iterations: Int?
    @Option(help: "Batch size of every fit, overriding the specs.") var batch: Int?
    @Flag(help: "No progress output.") var quiet = false
    @Option(help: "Folder with report.html.mustache and report.md.mustache to use instead of the built-in templates.")
    var templates: String?

    var formats: [String]? {
        format.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
    }

    func validate() throws {
        if let samples, samples <= 0 || samples > SpecLimits.maximumSamples {
            throw ValidationError("--samples must be a positive integer ≤ 10^10")
        }
        if let iterations, iterations <= 0 || iterations > 10_000_000 { throw ValidationError("--iterations must be in 1 … 10^7") }
        if let batch, batch <= 0 || batch > 1_000_000 { throw ValidationError("--batch must be in 1 … 10^6") }
        if let jobs, jobs <= 0 || jobs > 1024 { throw ValidationError("--jobs must be in 1 … 1024") }
        if let out, let problem = Self.folderProblem(out) { throw ValidationError("--out \(TerminalText.escaped(out)): \(problem)") }
        if let formats {
            let known = OutputOptions.Format.allCases.map(\.rawValue)
            if formats.isEmpty { throw ValidationError("--format needs at least one of png, pdf, svg") }
            for f in formats where !known.contains(f) {
                throw ValidationError("unknown format '\(f)' for --format (known: png, pdf, svg)")
            }
        }
    }

    /// Why `path` cannot be (or become) a folder: an existing file, or a parent that is not a
    /// folder (`/dev/null/x`); nil when it can.
    static func folderProblem(_ path: String) -> String? {
        guard !path.isEmpty else { return "the folder name is empty" }
        var current = URL(fileURLWithPath: path).standardizedFileURL
        var isDirectory: ObjCBool = false
        while true {
            if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return nil }
                return current.path == URL(fileURLWithPath: path).standardizedFileURL.path
                    ? "it is a file, not a folder" : "'\(TerminalText.escaped(current.path))' is a file, not a folder"
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    func run() throws {
        AllocatorSettings.apply()
        let options = RunOptions(outputDirectory: out, samples: samples, seed: seed, jobs: jobs, formats: formats,
                                 quiet: quiet, templatesDirectory: templates, fitIterations: iterations, fitBatch: batch)
        let outcomes: [RunOutcome]
        do {
            outcomes = try ReportRunner.run(specPaths: specs, options: options)
        } catch {
            throw CommandFailure(error)
        }
        for outcome in outcomes where !quiet {
            print(TerminalText.escaped("\(outcome.allChecksPassed ? "passed" : "FAILED"): \(outcome.reportDirectory)"))
        }
        if outcomes.contains(where: { !$0.allChecksPassed }) {
            throw CommandFailure(code: CommandFailure.checkFailed, message: "")
        }
    }
}
