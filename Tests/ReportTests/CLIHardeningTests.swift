import XCTest
import Foundation
@testable import Report

/// Issue 9 through the built binary: extreme input never crashes, hangs or passes silently.
/// Each input below was a crash, a hang or a success on nonsense before.
final class CLIHardeningTests: XCTestCase {
    var cli: CLIHardeningTests { self }

    func run(_ arguments: [String], in directory: URL) throws -> CLITests.Result {
        let binary = try XCTUnwrap(CLITests.binary, "build the flowreport product first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLITests.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                               stderr: String(decoding: errData, as: UTF8.self))
    }

    func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowreport-hardening-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func write(_ text: String, to name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    func assertNoTrap(_ result: CLITests.Result, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Backtracing")
                       || result.stderr.contains("runtime failure"), "\(context): \(result.stderr)", file: file, line: line)
        XCTAssertTrue((0...3).contains(result.status), "\(context): status \(result.status)", file: file, line: line)
    }

    func testSaturatedSamplesAreNumericalTroubleNotData() throws {
        let directory = try cli.makeTemporaryDirectory()
        // σ(x) of N(0, 10^300) rounds to exactly 0 or 1: eval says −∞ there, and so must sample.
        try write("title: t\nseed: 1\nsamples: 100\nbase: {normal: {std: 1e300}}\nflow: [sigmoid]\n", to: "s.yaml", in: directory)
        let sample = try cli.run(["sample", "s.yaml", "--count", "20"], in: directory)
        XCTAssertEqual(sample.status, 1, sample.stderr)
        XCTAssertEqual(sample.stdout, "", "nothing printed as data")
        XCTAssertTrue(sample.stderr.contains("numerical trouble: 20 of 20 samples are not finite"), sample.stderr)
        let eval = try cli.run(["eval", "s.yaml", "--at=1,0.5"], in: directory)
        XCTAssertEqual(eval.status, 0, "−∞ outside the open support is a density, not trouble: \(eval.stderr)")
        XCTAssertTrue(eval.stdout.contains("\n1.0,-inf,-inf\n"), eval.stdout)
    }

    func testOverflowingAffineSamplesAreNumericalTrouble() throws {
        let directory = try cli.makeTemporaryDirectory()
        try write("title: t\nseed: 1\nsamples: 100\nbase: {normal: {std: 1}}\nflow: [{affine: {scale: 1e308}}]\n", to: "a.yaml", in: directory)
        let sample = try cli.run(["sample", "a.yaml", "--count", "50"], in: directory)
        XCTAssertEqual(sample.status, 1, sample.stderr)
        XCTAssertEqual(sample.stdout, "")
        XCTAssertTrue(sample.stderr.contains("numerical trouble"), sample.stderr)
    }

    func testExtremeFigureRangesAreRefusedByCheckAndLongLabelsRun() throws {
        let directory = try cli.makeTemporaryDirectory()
        let head = "title: t\nseed: 1\nsamples: 500\nbase: {normal: {mean: 0, std: 1}}\nflow: [exp]\n"
        try write(head + "figures: [{map: {range: [-1e308, 1e308]}}]\n", to: "wide.yaml", in: directory)
        try write(head + "figures: [{map: {range: [0, 1e-310]}}]\n", to: "narrow.yaml", in: directory)
        for name in ["wide.yaml", "narrow.yaml"] {
            for command in ["check", "run"] {
                let result = try cli.run([command, name, "--quiet"].filter { command == "run" || $0 != "--quiet" }, in: directory)
                assertNoTrap(result, "\(command) \(name)")
                XCTAssertEqual(result.status, 2, "\(command) \(name): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("\(name):6:25: error: range ["), result.stderr)
                XCTAssertTrue(result.stderr.contains("cannot be drawn"), result.stderr)
            }
        }
        // An x label of 8000 characters: laid out by bisection, the run finishes (it took minutes).
        try write(head + "figures: [{map: {x_label: \"" + String(repeating: "a", count: 8000) + "\"}}]\n", to: "label.yaml", in: directory)
        let run = try cli.run(["run", "label.yaml", "--samples", "200", "--format", "svg", "--quiet", "--out", "out"], in: directory)
        assertNoTrap(run, "run label.yaml")
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    func testExtremeAutomaticRangesDoNotCrashTheRun() throws {
        let directory = try cli.makeTemporaryDirectory()
        // A 2-D base reaching −1e308: automatic ranges near the largest doubles (the tick
        // locator trapped on Double → Int).
        try write("title: t\nseed: 1\nsamples: 300\nbase: {uniform: {low: [-1e308, -2], high: [1, 1]}}\nflow: [reverse]\n",
                  to: "u.yaml", in: directory)
        let result = try cli.run(["run", "u.yaml", "--samples", "300", "--format", "svg", "--quiet", "--out", "out"], in: directory)
        assertNoTrap(result, "run u.yaml")
    }

    func testEmptyDeviceAndBadOutputFolderHaveClearMessages() throws {
        let directory = try cli.makeTemporaryDirectory()
        let empty = try cli.run(["check", "/dev/null"], in: directory)
        XCTAssertEqual(empty.status, 2, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("the spec is empty"), empty.stderr)
        XCTAssertFalse(empty.stderr.contains("permission"), empty.stderr)
        XCTAssertEqual(try cli.run(["init", "s"], in: directory).status, 0)
        let out = try cli.run(["run", "s.yaml", "--out", "/dev/null/x", "--samples", "100"], in: directory)
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertTrue(out.stderr.contains("'/dev/null' is a file, not a folder"), out.stderr)
        XCTAssertFalse(out.stderr.contains("NSCocoaErrorDomain"), out.stderr)
    }

    func testControlCharactersAreEscapedOnTheTerminal() throws {
        let directory = try cli.makeTemporaryDirectory()
        try write("title: \"t\\e[31mred\"\nseed: 1\nbase: {normal: {mean: 0, std: 1}}\nflow: [exp]\n", to: "c.yaml", in: directory)
        let check = try cli.run(["check", "c.yaml"], in: directory)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "c.yaml: ok: t\\u{1B}[31mred\n")
        try write("title: t\nseed: 1\nbase: {normal: {mean: 0, std: 1}}\nflow: [exp]\nfigures: [\"dens\\e[2Jity\"]\n", to: "k.yaml", in: directory)
        let bad = try cli.run(["check", "k.yaml"], in: directory)
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertFalse(bad.stderr.contains("\u{1B}"), "no raw escape reaches the terminal")
        XCTAssertTrue(bad.stderr.contains("unknown figure kind 'dens\\u{1B}[2Jity'"), bad.stderr)
    }
}

/// `sample` and `eval` refuse a spec whose flow is still to be fitted.
final class CLIFitSpecTests: XCTestCase {
    func testSampleAndEvalOfASpecWithAFitPointToFittedYAML() throws {
        let directory = try RunEndToEnd.temporaryDirectory(for: self)
        try """
        title: t
        seed: 1
        samples: 1000
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{planar: {repeat: 2}}]
        fit: {objective: reverse_kl, target: u1, iterations: 5, batch: 8}
        """.write(to: directory.appendingPathComponent("f.yaml"), atomically: true, encoding: .utf8)
        for arguments in [["sample", "f.yaml", "--count", "3"], ["eval", "f.yaml", "--at", "0,0"]] {
            let result = try RunEndToEnd.run(arguments, in: directory)
            XCTAssertEqual(result.status, 2, "\(arguments)")
            XCTAssertTrue(result.stdout.isEmpty, "nothing printed as data")
            XCTAssertTrue(result.stderr.contains("asks for a fit"), result.stderr)
            XCTAssertTrue(result.stderr.contains("f/fitted.yaml"), result.stderr)
        }
    }
}
