import Foundation

/// flowfuzz: a mutation fuzzer for flowreport. It mutates the shipped specs (reports/*.yaml)
/// with a seeded ``SpecMutator`` and feeds each mutant to the real `flowreport` binary:
/// `check`; then, for specs that pass, `run` with a tiny sample count, `sample` and `eval` at
/// extreme points. Every distinct crash, hang or success on nonsense is written with its input
/// to the findings folder; the exit status is 1 when there is any.
///
///     flowfuzz [--seconds N] [--seed S] [--binary PATH] [--findings DIR] [SPEC …]
struct Options {
    var seconds = 60.0
    var seed: UInt64 = 1
    var binary = ".build/release/flowreport"
    var findings = "fuzz-findings"
    var specs: [String] = []

    init(_ arguments: [String]) throws {
        var i = 0
        func value() throws -> String {
            i += 1
            guard i < arguments.count else { throw FuzzError("\(arguments[i - 1]) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--seconds": guard let v = Double(try value()), v > 0 else { throw FuzzError("--seconds must be positive") }; seconds = v
            case "--seed": guard let v = UInt64(try value()) else { throw FuzzError("--seed must be an unsigned integer") }; seed = v
            case "--binary": binary = try value()
            case "--findings": findings = try value()
            case "-h", "--help":
                print("usage: flowfuzz [--seconds N] [--seed S] [--binary PATH] [--findings DIR] [SPEC …] (default specs: reports/*.yaml)")
                exit(0)
            default: specs.append(arguments[i])
            }
            i += 1
        }
        if specs.isEmpty {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "reports")) ?? []
            specs = names.filter { $0.hasSuffix(".yaml") }.sorted().map { "reports/" + $0 }
        }
        if specs.isEmpty { throw FuzzError("no specs given and none in reports/") }
    }
}

/// Writes a line to stdout at once (print is block-buffered into a log file), so that findings
/// show up while the fuzzer runs.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct FuzzError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func main() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let binary = URL(fileURLWithPath: options.binary).standardizedFileURL
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw FuzzError("no flowreport binary at \(binary.path); build it first (swift build -c release --product flowreport)")
    }
    let sources = try options.specs.map { path in (path, try String(contentsOfFile: path, encoding: .utf8)) }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flowfuzz-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let findingsFolder = URL(fileURLWithPath: options.findings)
    let runner = CommandRunner(binary: binary, scratch: scratch)

    var seen: [String: Int] = [:]
    var findings = 0, mutants = 0, accepted = 0
    let start = Date()
    func record(_ finding: FindingClassifier.Finding, input: String, steps: [String], outcome: CommandRunner.Outcome, origin: String) throws {
        seen[finding.key, default: 0] += 1
        guard seen[finding.key] == 1 else { return }
        findings += 1
        let folder = findingsFolder.appendingPathComponent(String(format: "%03d-%@", findings, finding.kind))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(input.utf8).write(to: folder.appendingPathComponent("input.yaml"))
        let report = """
        kind: \(finding.kind)
        summary: \(finding.summary)
        origin: \(origin)
        mutations: \(steps.joined(separator: "; "))
        command: flowreport \(outcome.arguments.joined(separator: " "))
        status: \(outcome.signalled ? "signal " : "")\(outcome.status)\(outcome.timedOut ? " (timed out)" : "") after \(String(format: "%.1f", outcome.seconds)) s
        stderr:
        \(outcome.stderr.prefix(4000))
        """
        try Data(report.utf8).write(to: folder.appendingPathComponent("finding.txt"))
        say("FINDING \(findings) [\(finding.kind)] \(finding.summary.prefix(200)) → \(folder.path)")
    }

    var index: UInt64 = 0
    while Date().timeIntervalSince(start) < options.seconds {
        var mutator = SpecMutator(seed: options.seed, index: index)
        index += 1
        let (origin, text) = sources[mutator.below(sources.count)]
        var steps: [String] = []
        let mutant = mutator.mutate(text, count: 1 + mutator.below(3), log: &steps)
        mutants += 1
        let specURL = scratch.appendingPathComponent("mutant.yaml")
        try Data(mutant.utf8).write(to: specURL)

        let check = try runner.run(["check", "mutant.yaml"], timeout: 10)
        if let f = FindingClassifier.classify(check, command: "check") {
            try record(f, input: mutant, steps: steps, outcome: check, origin: origin)
            continue
        }
        guard check.status == 0 else { continue }
        accepted += 1

        let out = scratch.appendingPathComponent("out")
        try? FileManager.default.removeItem(at: out)
        let format = mutator.pick(["svg", "svg", "png", "pdf"])
        // Fits are cut to a few iterations (their length is a setting, not an input to fuzz).
        let run = try runner.run(["run", "mutant.yaml", "--samples", "400", "--iterations", "20", "--batch", "16",
                                  "--out", "out", "--format", format, "--quiet", "--jobs", "1"],
                                 timeout: 60)
        let metrics = try? String(contentsOf: out.appendingPathComponent("mutant/metrics.json"), encoding: .utf8)
        if let f = FindingClassifier.classify(run, command: "run", metrics: metrics) {
            try record(f, input: mutant, steps: steps, outcome: run, origin: origin)
        }
        let sample = try runner.run(["sample", "mutant.yaml", "--count", "200"], timeout: 20)
        if let f = FindingClassifier.classify(sample, command: "sample") {
            try record(f, input: mutant, steps: steps, outcome: sample, origin: origin)
        }
        let dimension = sample.stdout.split(separator: "\n").first.map { $0.split(separator: ",").count - 1 } ?? 1
        var evalSteps = steps
        let points = mutator.points(dimension: max(1, dimension), log: &evalSteps)
        let eval = try runner.run(["eval", "mutant.yaml", "--at=\(points)"], timeout: 20)
        if let f = FindingClassifier.classify(eval, command: "eval") {
            try record(f, input: mutant, steps: evalSteps, outcome: eval, origin: origin)
        }
    }
    let elapsed = Date().timeIntervalSince(start)
    say("flowfuzz: \(mutants) mutants (\(accepted) accepted by check) in \(Int(elapsed)) s, seed \(options.seed): \(findings) distinct finding\(findings == 1 ? "" : "s")\(findings > 0 ? " in \(findingsFolder.path)" : "")")
    if findings > 0 { exit(1) }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("flowfuzz: error: \(error)\n".utf8))
    exit(2)
}
