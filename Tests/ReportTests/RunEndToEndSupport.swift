import Foundation
import XCTest
@testable import Report

/// Helpers for the `flowreport run` end-to-end tests: run the built binary on a temporary
/// folder, read what it wrote (PNG headers, PDF page counts via `pdfinfo`, metrics.json, the
/// HTML checks table) and compare folders byte for byte.
enum RunEndToEnd {
    /// The exit status and output of one `flowreport` invocation.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    // MARK: - Running

    /// Runs the built `flowreport` binary with `arguments` in `directory`.
    static func run(_ arguments: [String], in directory: URL,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let binary = try XCTUnwrap(CLITests.binary, "build the flowreport product first (swift build)", file: file, line: line)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // stderr goes to a file, so neither pipe can fill up while the other is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("flowreport-e2e-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errorHandle
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts the built `flowreport` binary with `arguments` in `directory` without waiting;
    /// its output is discarded.
    static func launch(_ arguments: [String], in directory: URL) throws -> Process {
        let binary = try XCTUnwrap(CLITests.binary, "build the flowreport product first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// A fresh folder under the system temporary folder, removed when `test` ends.
    static func temporaryDirectory(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowreport-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The folder of the run fixtures (`Tests/ReportTests/Fixtures/runs`).
    static var fixtures: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/runs")
    }

    /// Copies fixture `name` (e.g. `lognormal.yaml`) to `directory/subfolder/name` and returns
    /// the path relative to `directory`.
    @discardableResult
    static func place(_ name: String, in directory: URL, subfolder: String = "reports") throws -> String {
        let folder = directory.appendingPathComponent(subfolder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let destination = folder.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: destination.path) { try FileManager.default.removeItem(at: destination) }
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: destination)
        return subfolder + "/" + name
    }

    // MARK: - Reading outputs

    /// Every regular file under `directory`, relative path → bytes.
    static func snapshot(_ directory: URL) -> [String: Data] {
        OutputFixtures.snapshot(directory.path)
    }

    /// Every entry (files and folders, hidden ones included) directly inside `directory`.
    static func entries(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    static func metrics(_ reportDirectory: URL) throws -> ReportMetricsFile {
        try ReportMetricsFile.read(path: reportDirectory.appendingPathComponent("metrics.json").path)
    }

    static func text(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Width and height from a PNG's IHDR chunk, or nil when `data` is not a PNG: the 8-byte
    /// signature 89 50 4E 47 0D 0A 1A 0A, then the IHDR chunk (length 13, type "IHDR", width
    /// and height as big-endian UInt32) — PNG specification §5.2, §11.2.2.
    static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let bytes = [UInt8](data.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature,
              Array(bytes[8..<12]) == [0, 0, 0, 13], Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (u32(16), u32(20))
    }

    /// The expected PNG pixel size of a figure of `points` at `dpi`: ⌈points · dpi / 72⌉.
    static func pixels(_ points: Double, dpi: Double) -> Int {
        Int((points * dpi / 72).rounded(.up))
    }

    /// The `pdfinfo` executable, when poppler-utils is installed.
    static var pdfinfo: URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("pdfinfo") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// Page count and first-page size in points as `pdfinfo` reports them, or nil without
    /// `pdfinfo`. Fails the test when `pdfinfo` cannot read the file.
    static func pdfInfo(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (pages: Int, width: Double, height: Double)? {
        guard let tool = pdfinfo else { return nil }
        let process = Process()
        process.executableURL = tool
        process.arguments = [url.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "pdfinfo \(url.lastPathComponent)", file: file, line: line)
        let text = String(decoding: data, as: UTF8.self)
        let pages = try OutputFixtures.matches(#"Pages:\s+(\d+)"#, in: text).first.flatMap { Int($0[0]) }
        let size = try OutputFixtures.matches(#"Page size:\s+([0-9.]+) x ([0-9.]+) pts"#, in: text).first
        return (try XCTUnwrap(pages, text, file: file, line: line),
                try XCTUnwrap(size.flatMap { Double($0[0]) }, text, file: file, line: line),
                try XCTUnwrap(size.flatMap { Double($0[1]) }, text, file: file, line: line))
    }

    /// True when `data` starts with a PDF header (`%PDF-1.x`).
    static func isPDF(_ data: Data) -> Bool {
        data.starts(with: Array("%PDF-1.".utf8))
    }

    /// The rows of the HTML checks table: (check name, "pass" or "fail", the mark text).
    static func htmlCheckRows(_ html: String) throws -> [(name: String, status: String, mark: String)] {
        let table = try XCTUnwrap(OutputFixtures.matches(#"<table class="checks">(.*?)</table>"#, in: html).first?.first,
                                  "the page has a checks table")
        return try OutputFixtures.matches(
            #"<tr class="(pass|fail)">\s*<td><code>([^<]*)</code></td>.*?<span class="badge (pass|fail)">([^<]*)</span>"#,
            in: table
        ).map { row in
            XCTAssertEqual(row[0], row[2], "row class and badge agree for \(row[1])")
            return (row[1], row[0], row[3])
        }
    }

    /// The report folder's regular files that are not hidden, relative paths sorted.
    static func fileList(_ directory: URL) -> [String] {
        snapshot(directory).keys.sorted()
    }
}
