import Foundation
import XCTest
@testable import Report

final class OutputStagedFileTests: XCTestCase {
    func testWritesTheBytesInPlaceAndTruncates() throws {
        let folder = try OutputFixtures.temporaryDirectory()
        let path = (folder as NSString).appendingPathComponent("metrics.json")
        try StagedFile.write("{\"a\": 1, \"b\": \"ü\"}", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"a\": 1, \"b\": \"ü\"}")
        let bytes: [UInt8] = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try StagedFile.write(bytes, to: path)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: path))), bytes)
        try StagedFile.write("x", to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "x", "a shorter write truncates")
        try StagedFile.write([UInt8](), to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)).count, 0)
        // No temporary siblings: the file is written where it stands.
        XCTAssertEqual(try FileManager().contentsOfDirectory(atPath: folder), ["metrics.json"])
    }

    func testAMissingFolderIsAnIOErrorNamingThePath() throws {
        let folder = try OutputFixtures.temporaryDirectory()
        let path = (folder as NSString).appendingPathComponent("no-such-folder/report.md")
        XCTAssertThrowsError(try StagedFile.write("text", to: path)) { error in
            guard case let ReportError.io(errorPath, message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(message.contains("No such file or directory"), message)
        }
    }

    func testLoadedTemplatesParseOnceAndRender() throws {
        let templates = LoadedTemplates(directory: nil)
        let first = try templates.get()
        let second = try templates.get()
        XCTAssertEqual(first.directory, second.directory)
        let root = try OutputFixtures.temporaryDirectory()
        try ReportIndex.write(reportsRoot: root, templates: second)
        let html = try String(contentsOfFile: (root as NSString).appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<html"), String(html.prefix(200)))
    }
}
