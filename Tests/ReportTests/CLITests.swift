import XCTest
import Foundation
import TestSupport
@testable import Report

/// Runs the built `flowreport` binary (next to the test bundle) end to end.
final class CLITests: XCTestCase {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static var binary: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("flowreport"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("flowreport"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/flowreport"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    func run(_ arguments: [String], in directory: URL) throws -> Result {
        let binary = try XCTUnwrap(Self.binary, "build the flowreport product first (swift build)")
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
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowreport-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testCheckAndRunExitTwoOnEveryMalformedSpecAndWriteNothing() throws {
        let directory = try makeTemporaryDirectory()
        for (stem, line, column, _) in SpecMalformedTests.expectations {
            let source = SpecMalformedTests.corpus.directory.appendingPathComponent(stem + ".yaml")
            let local = directory.appendingPathComponent(stem + ".yaml")
            try FileManager.default.copyItem(at: source, to: local)
            for command in ["check", "run"] {
                let result = try run([command, stem + ".yaml"], in: directory)
                XCTAssertEqual(result.status, 2, "\(command) \(stem): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("\(stem).yaml:\(line):\(column): error: "), "\(command) \(stem): \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("Fatal error"), stem)
                XCTAssertEqual(result.stdout, "", "\(command) \(stem)")
            }
            try FileManager.default.removeItem(at: local)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "nothing written")
    }

    func testInitWritesASpecThatPassesCheckAndRefusesToOverwrite() throws {
        let directory = try makeTemporaryDirectory()
        let created = try run(["init", "starter"], in: directory)
        XCTAssertEqual(created.status, 0, created.stderr)
        let check = try run(["check", "starter.yaml"], in: directory)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "starter.yaml: ok: starter\n")
        let again = try run(["init", "starter"], in: directory)
        XCTAssertEqual(again.status, 3)
        XCTAssertTrue(again.stderr.contains("already exists"))
    }

    func testEvalMatchesTheAnalyticLogNormal() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertEqual(try run(["init", "lognormal"], in: directory).status, 0)
        let result = try run(["eval", "lognormal.yaml", "--at=0.05,0.5,1,2,7.5,40,-1"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "x,log_p_eq4,log_p_eq5,log_p_reference")
        XCTAssertEqual(lines.count, 8)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            XCTAssertEqual(fields.count, 4)
            let x = try XCTUnwrap(Double(fields[0]))
            if x <= 0 {
                XCTAssertEqual(Array(fields[1...]), ["-inf", "-inf", "-inf"], "outside the support")
                continue
            }
            // log p(y) = −log y − ½ log 2π − (log y)²/2 for LogNormal(0, 1).
            let expected = -Foundation.log(x) - 0.5 * Foundation.log(2 * Double.pi) - 0.5 * Foundation.log(x) * Foundation.log(x)
            for field in fields[1...] {
                let value = try XCTUnwrap(Double(field))
                XCTAssertLessThanOrEqual(relativeError(value, expected), 1e-14, "x = \(x): \(value) vs \(expected)")
            }
        }
    }

    /// `--at` takes its value even when it starts with a minus sign (as users type it), in
    /// every spelling: `--at -1,0,1`, `--at=-1,0,1`, and `;`-separated points in 2-D.
    func testEvalAcceptsPointsWithALeadingMinus() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertEqual(try run(["init", "lognormal"], in: directory).status, 0)
        let expected = "x,log_p_eq4,log_p_eq5,log_p_reference\n-1.0,-inf,-inf,-inf\n0.0,-inf,-inf,-inf\n"
        for arguments in [["eval", "lognormal.yaml", "--at", "-1,0,1"], ["eval", "lognormal.yaml", "--at=-1,0,1"],
                          ["eval", "--at", "-1,0,1", "lognormal.yaml"]] {
            let result = try run(arguments, in: directory)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix(expected), "\(arguments): \(result.stdout)")
            XCTAssertEqual(result.stdout.split(separator: "\n").count, 4, "\(arguments)")
        }
        // 2-D: N(0, I) through the identity affine map; log p = −log 2π − |x|²/2.
        try "title: t\nbase: {normal: {mean: [0, 0], std: [1, 1]}}\nflow: [{affine: {scale: 1, shift: 0}}]\n"
            .write(to: directory.appendingPathComponent("plane.yaml"), atomically: true, encoding: .utf8)
        for arguments in [["eval", "plane.yaml", "--at", "-1,0.5;2,-3"], ["eval", "plane.yaml", "--at=-1,0.5;2,-3"]] {
            let result = try run(arguments, in: directory)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            let lines = result.stdout.split(separator: "\n")
            XCTAssertEqual(lines.first, "x1,x2,log_p_eq4,log_p_eq5", "\(arguments)")
            XCTAssertEqual(lines.count, 3, "\(arguments)")
            for (line, point) in zip(lines.dropFirst(), [[-1.0, 0.5], [2.0, -3.0]]) {
                let fields = line.split(separator: ",").compactMap { Double($0) }
                XCTAssertEqual(Array(fields.prefix(2)), point, "\(arguments)")
                let exact = -Foundation.log(2 * Double.pi) - (point[0] * point[0] + point[1] * point[1]) / 2
                for value in fields.dropFirst(2) {
                    XCTAssertLessThanOrEqual(relativeError(value, exact), 1e-14, "\(arguments): \(line)")
                }
            }
        }
        // A point of the wrong size is the parser's error, not a missing option value.
        let wrong = try run(["eval", "plane.yaml", "--at", "-1;2"], in: directory)
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("each point needs 2 values, found '-1'"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("Missing value"), wrong.stderr)
    }

    /// The discussion's example commands print one per line (a wrapped paragraph would run
    /// them together).
    func testEvalHelpShowsOneExamplePerLine() throws {
        let help = try run(["eval", "--help"], in: try makeTemporaryDirectory())
        XCTAssertEqual(help.status, 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let examples = lines.filter { $0.contains("flowreport eval ") && !$0.contains("USAGE") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(examples, [
            "flowreport eval reports/lognormal.yaml --at 0.5,1,2",
            "flowreport eval reports/affine-normal.yaml --at -1,0,1",
            "flowreport eval reports/rezende-fig1.yaml --at '-1,0.5;0,0'",
            "flowreport eval reports/lognormal.yaml --points grid.csv",
        ], help.stdout)
        XCTAssertEqual(lines.firstIndex { $0.hasSuffix("Example:") }.map { $0 + 1 },
                       lines.firstIndex { $0.contains("flowreport eval reports/lognormal.yaml --at 0.5,1,2") }, help.stdout)
    }

    func testEvalReadsPointsFromCSVAndRejectsBadUsage() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertEqual(try run(["init", "s"], in: directory).status, 0)
        try "x\n1\n2\n".write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        let result = try run(["eval", "s.yaml", "--points", "p.csv"], in: directory)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 3)
        XCTAssertEqual(try run(["eval", "s.yaml"], in: directory).status, 2, "needs --at or --points")
        XCTAssertEqual(try run(["eval", "s.yaml", "--at", "1", "--points", "p.csv"], in: directory).status, 2)
        XCTAssertEqual(try run(["eval", "s.yaml", "--points", "missing.csv"], in: directory).status, 3)
        XCTAssertEqual(try run(["check", "missing.yaml"], in: directory).status, 3)
        XCTAssertEqual(try run(["run", "--no-such-option", "s.yaml"], in: directory).status, 2)
    }

    func testSampleIsReproducibleAndLogDensitiesMatchTheReference() throws {
        let directory = try makeTemporaryDirectory()
        XCTAssertEqual(try run(["init", "s"], in: directory).status, 0)
        let first = try run(["sample", "s.yaml", "--count", "50", "--seed", "9"], in: directory)
        let second = try run(["sample", "s.yaml", "--count", "50", "--seed", "9"], in: directory)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, second.stdout)
        let lines = first.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "x,log_p")
        XCTAssertEqual(lines.count, 51)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",").compactMap { Double($0) }
            XCTAssertEqual(fields.count, 2)
            let y = fields[0]
            XCTAssertGreaterThan(y, 0)
            let expected = -Foundation.log(y) - 0.5 * Foundation.log(2 * Double.pi) - 0.5 * Foundation.log(y) * Foundation.log(y)
            XCTAssertLessThanOrEqual(relativeError(fields[1], expected), 1e-13, line.description)
        }
    }

    func testListShowsEveryCatalogEntryWithItsParameters() throws {
        let result = try run(["list"], in: try makeTemporaryDirectory())
        XCTAssertEqual(result.status, 0)
        let catalogs = SpecCatalogs.standard
        let entries = catalogs.univariate.map { ($0.name, $0.parameters.map(\.name)) }
            + catalogs.multivariate.map { ($0.name, $0.parameters.map(\.name)) }
            + catalogs.transforms.map { ($0.name, $0.parameters.map(\.name)) }
        XCTAssertFalse(entries.isEmpty)
        for (name, parameters) in entries {
            XCTAssertTrue(result.stdout.contains("  \(name) — "), name)
            for parameter in parameters {
                XCTAssertTrue(result.stdout.contains("      \(parameter) ("), "\(name).\(parameter)")
            }
        }
        for check in CheckName.allCases { XCTAssertTrue(result.stdout.contains(check.rawValue)) }
    }

    func testEveryCommandHasHelpWithAnExampleAndRootHelpDocumentsExitCodes() throws {
        let directory = try makeTemporaryDirectory()
        let root = try run(["--help"], in: directory)
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("Exit codes:"))
        for code in ["0  success", "1  a check failed", "2  bad usage", "3  an I/O failure"] {
            XCTAssertTrue(root.stdout.contains(code), code)
        }
        for command in ["run", "check", "eval", "sample", "list", "init"] {
            let help = try run([command, "--help"], in: directory)
            XCTAssertEqual(help.status, 0, command)
            XCTAssertTrue(help.stdout.contains("Example:"), command)
            XCTAssertTrue(help.stdout.contains("flowreport \(command)"), command)
        }
    }
}
