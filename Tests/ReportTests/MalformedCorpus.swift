import XCTest
@testable import Report

/// A folder of malformed specs and what each must produce: the first diagnostic at a line and
/// column, naming the file, with a message containing the expected text and, where given, a
/// hint containing the expected words. Shared by the spec, fit and flow-matching corpora.
struct MalformedCorpus {
    /// (file stem, line, column, text the first diagnostic's message contains)
    typealias Expectation = (stem: String, line: Int, column: Int, text: String)

    let directory: URL
    let expectations: [Expectation]
    let hints: [String: String]
    /// Whether the rendered diagnostic must show a caret under the column.
    var requiresCaret = true

    init(folder: String, expectations: [(String, Int, Int, String)], hints: [String: String], requiresCaret: Bool = true) {
        directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(folder)")
        self.expectations = expectations.map { Expectation($0.0, $0.1, $0.2, $0.3) }
        self.hints = hints
        self.requiresCaret = requiresCaret
    }

    /// The stems of the folder's `.yaml` files, sorted.
    func fileStems() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every file is in the table and every table entry is a file.
    func assertEveryFileIsListed(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try fileStems(), expectations.map(\.stem).sorted(), file: file, line: line)
    }

    /// Loads each file and checks its first diagnostic; `also` sees every file's diagnostics.
    func assertEachFailsAtItsPosition(also: (String, [SpecDiagnostic]) -> Void = { _, _ in }) {
        for expected in expectations {
            let stem = expected.stem
            let path = directory.appendingPathComponent(stem + ".yaml").path
            do {
                _ = try SpecLoader.load(path: path)
                XCTFail("\(stem): loaded without error")
            } catch {
                guard case let .invalidSpec(diagnostics) = error, let first = diagnostics.first else {
                    XCTFail("\(stem): expected invalidSpec, got \(error)")
                    continue
                }
                XCTAssertEqual(first.file, path, stem)
                XCTAssertEqual(first.line, expected.line, "\(stem): \(first.rendered)")
                XCTAssertEqual(first.column, expected.column, "\(stem): \(first.rendered)")
                XCTAssertTrue(first.message.contains(expected.text), "\(stem): '\(first.message)' lacks '\(expected.text)'")
                XCTAssertTrue(first.rendered.hasPrefix("\(path):\(expected.line):\(expected.column): error: "), stem)
                if requiresCaret { XCTAssertTrue(first.rendered.contains("^"), "\(stem): a caret under the column") }
                if let hint = hints[stem] {
                    XCTAssertTrue(first.hint?.contains(hint) ?? false, "\(stem): hint \(first.hint ?? "nil") lacks '\(hint)'")
                }
                also(stem, diagnostics)
            }
        }
    }
}
