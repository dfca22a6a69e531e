import Foundation
import Report

/// A failure with its exit code: 1 a check failed, 2 bad usage or spec, 3 I/O.
struct CommandFailure: Error {
    var code: Int32
    var message: String

    static let checkFailed: Int32 = 1
    static let badInput: Int32 = 2
    static let ioFailure: Int32 = 3

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// The exit code and message of a Report error.
    init(_ error: ReportError) {
        switch error {
        case .invalidSpec, .template: code = Self.badInput
        case .io, .rendering: code = Self.ioFailure
        }
        message = error.description
    }
}

extension CommandFailure {
    /// `sample` and `eval` work on a fixed flow: a spec with a `fit:` section has no fitted
    /// parameters yet, and its starting parameters are no answer (exit 2 with the way on).
    static func requireFixedFlow(_ experiment: Experiment, spec: String, command: String) throws {
        guard experiment.fit != nil || experiment.flowMatching != nil || experiment.variants.contains(where: { $0.flowMatching != nil }) else { return }
        let fitted = "\(experiment.name)/\(Experiment.fittedSpecFileName)"
        throw CommandFailure(code: badInput, message: """
            error: \(spec) asks for a fit ('fit:'), so its flow has no fitted parameters yet
              hint: run 'flowreport run \(spec)' first, then 'flowreport \(command) \(fitted)' (next to the spec, or under --out)
            """)
    }
}

/// Output helpers.
enum Terminal {
    /// Writes `text` and a newline to stderr.
    static func printError(_ text: String) {
        var stream = StandardError()
        print(text, to: &stream)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
