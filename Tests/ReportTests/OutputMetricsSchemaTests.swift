import Foundation
import XCTest
@testable import Report

/// Keeps docs/metrics-schema.md and the writer in step.
final class OutputMetricsSchemaTests: XCTestCase {
    private func schemaDocument() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("docs/metrics-schema.md"), encoding: .utf8)
    }

    private func example() throws -> String {
        let text = try schemaDocument()
        let start = try XCTUnwrap(text.range(of: "```json\n")).upperBound
        let end = try XCTUnwrap(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        return String(text[start..<end]) + "\n"
    }

    /// The keys of every object in `text`, in the order they appear, with their indentation.
    private func keyLines(_ text: String) -> [String] {
        text.components(separatedBy: "\n").compactMap { line in
            guard let colon = line.range(of: "\": ") else { return nil }
            return String(line[..<colon.upperBound])
        }
    }

    func testDocumentedExampleDecodes() throws {
        let metrics = try ReportMetricsFile.decode(Data(try example().utf8))
        XCTAssertEqual(metrics.schemaVersion, ReportMetricsFile.schemaVersion)
        XCTAssertEqual(metrics.checks.map(\.passed), [true, false])
        XCTAssertTrue(metrics.metrics[0].value.isNaN)
        XCTAssertNil(metrics.provenance.hostname)
    }

    func testDocumentedExampleHasTheWritersKeyOrder() throws {
        // Write the example's content back out: same keys, same order, same text.
        let decoded = try ReportMetricsFile.decode(Data(try example().utf8))
        let document = ReportDocument(
            name: decoded.name, title: decoded.title, description: decoded.description,
            specSource: "", specFileName: decoded.specFile,
            checks: decoded.checks.map { CheckResult(name: $0.name, value: $0.value, limit: $0.limit, passed: $0.passed, summary: $0.summary) },
            warnings: decoded.warnings,
            figures: decoded.figures.map { figure in
                ReportFigure(id: figure.id, title: figure.title, caption: figure.caption,
                             files: figure.files.map { ReportFigure.File(format: $0.format, path: $0.path) })
            },
            metrics: decoded.metrics.map { ReportMetric(name: $0.name, value: $0.value, unit: $0.unit, description: $0.description) },
            provenance: ReportProvenance(
                tool: decoded.provenance.tool, seed: decoded.provenance.seed, samples: decoded.provenance.samples,
                threads: decoded.provenance.threads, wallTimeSeconds: decoded.provenance.wallTimeSeconds,
                swiftVersion: decoded.provenance.swiftVersion, hostname: decoded.provenance.hostname
            )
        )
        let written = ReportMetricsFile.json(for: document, specFile: decoded.specFile).serialized()
        XCTAssertEqual(keyLines(written), keyLines(try example()))
        XCTAssertEqual(written, try example())
    }

    func testEveryWrittenKeyIsDocumented() throws {
        let doc = try schemaDocument()
        let written = ReportMetricsFile.json(for: OutputFixtures.document(), specFile: "lognormal.yaml").serialized()
        let keys = Set(keyLines(written).map { $0.trimmingCharacters(in: .whitespaces).dropFirst().dropLast(2) })
        XCTAssertGreaterThan(keys.count, 25)
        for key in keys {
            XCTAssertTrue(doc.contains("| `\(key)` |") || doc.contains("`{format, path}`") && ["format", "path"].contains(String(key)), "undocumented key \(key)")
        }
    }
}
