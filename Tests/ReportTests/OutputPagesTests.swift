import Foundation
import XCTest
@testable import Report

final class OutputPagesTests: XCTestCase {
    private func writePages(_ document: ReportDocument = OutputFixtures.document(), templates: String? = nil) throws -> String {
        let directory = try OutputFixtures.temporaryDirectory()
        try ReportPages.write(document, into: directory, templatesDirectory: templates)
        return directory
    }

    func testWritesEveryPage() throws {
        let directory = try writePages()
        let names = try FileManager().contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(names, ["index.html", "lognormal.yaml", "metrics.json", "report.md"])
        let specCopy = FileManager().contents(atPath: (directory as NSString).appendingPathComponent("lognormal.yaml"))
        XCTAssertEqual(specCopy, Data(OutputFixtures.hostileSpec.utf8))
    }

    func testHTMLChecksTableRowsCarryPassFail() throws {
        let html = try OutputFixtures.read((try writePages() as NSString).appendingPathComponent("index.html"))
        let rows = try OutputFixtures.matches(
            #"<tr class="(pass|fail)">\s*<td><code>([^<]*)</code></td>\s*<td class="what">[^<]*</td>\s*<td class="num" title="[^"]*">([^<]*)</td>\s*<td class="num" title="[^"]*">([^<]*)</td>\s*<td><span class="badge (pass|fail)">([^<]*)</span>"#,
            in: html
        )
        XCTAssertEqual(rows.map { $0[1] }, ["eq4_vs_eq5", "ks_pvalue", "integral"])
        XCTAssertEqual(rows.map { $0[0] }, ["pass", "fail", "pass"])
        XCTAssertEqual(rows.map { $0[4] }, ["pass", "fail", "pass"])
        XCTAssertEqual(rows.map { $0[5] }, ["✓ pass", "✗ fail", "✓ pass"])
        XCTAssertEqual(rows.map { $0[2] }, ["2.22e-16", "0.0031", "1"])
        XCTAssertEqual(rows.map { $0[3] }, ["1e-12", "0.01", "1e-6"])
        XCTAssertTrue(html.contains(#"<p class="verdict fail">✗ 1 of 3 checks failed</p>"#), html)
    }

    func testHTMLEscapesEverySpecString() throws {
        let html = try OutputFixtures.read((try writePages() as NSString).appendingPathComponent("index.html"))
        // The template itself has no script or img tags, so any in the page would be injected.
        XCTAssertFalse(html.lowercased().contains("<script"), html)
        XCTAssertFalse(html.lowercased().contains("<img src=x"), html)
        XCTAssertFalse(html.contains("<b>by</b>"))
        XCTAssertTrue(html.contains("<h1>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</h1>"), html)
        XCTAssertTrue(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
        XCTAssertTrue(html.contains("# a comment with &lt;/pre&gt;&lt;/code&gt;&lt;script&gt;evil()&lt;/script&gt;"))
        XCTAssertTrue(html.contains("<dd>box &lt;1&gt;</dd>"))
        // A figure id with a colon cannot become a URL scheme.
        XCTAssertTrue(html.contains(#"src="figures/odd%20name%3A%28x%29.png""#), html)
        // Exactly one <pre>, holding the spec.
        XCTAssertEqual(html.components(separatedBy: "<pre").count, 2)
    }

    func testHTMLFiguresAndProvenance() throws {
        let html = try OutputFixtures.read((try writePages() as NSString).appendingPathComponent("index.html"))
        XCTAssertTrue(html.contains(#"<a href="figures/densities.png"><img src="figures/densities.png" alt="Densities &lt;b&gt;by&lt;/b&gt; Eq. 4 &amp; 5"></a>"#), html)
        XCTAssertTrue(html.contains(#"<a href="figures/densities.pdf">PDF</a><a href="figures/densities.svg">SVG</a>"#), html)
        XCTAssertTrue(html.contains("<dt>Seed</dt><dd>2024</dd>"))
        XCTAssertTrue(html.contains("<dt>Samples</dt><dd>10\u{202F}000</dd>"))
        XCTAssertTrue(html.contains("<dt>Wall time</dt><dd>0.412 s</dd>") || html.contains("<dt>Wall time</dt><dd>0.413 s</dd>"))
        XCTAssertTrue(html.contains("<dt>Threads</dt><dd>2</dd>"))
        // No report.pdf in the folder → no link to it.
        XCTAssertFalse(html.contains("report.pdf"))
        // No external resources: no http(s) URL anywhere.
        XCTAssertFalse(html.contains("http://") || html.contains("https://"))
    }

    func testPDFIsLinkedWhenPresent() throws {
        let directory = try OutputFixtures.temporaryDirectory()
        FileManager().createFile(atPath: (directory as NSString).appendingPathComponent("report.pdf"), contents: Data("%PDF".utf8))
        try ReportPages.write(OutputFixtures.document(), into: directory)
        let html = try OutputFixtures.read((directory as NSString).appendingPathComponent("index.html"))
        XCTAssertTrue(html.contains(#"<a href="report.pdf">report.pdf</a>"#))
    }

    func testMarkdownTablesImagesAndFence() throws {
        let markdown = try OutputFixtures.read((try writePages() as NSString).appendingPathComponent("report.md"))
        let lines = markdown.components(separatedBy: "\n")
        XCTAssertTrue(lines.contains(#"# \<script\>alert("title")\</script\> \& 'quotes'"#), markdown)
        XCTAssertTrue(lines.contains("| `eq4_vs_eq5` | max \\|Δ log p\\| between Eq. 4 and Eq. 5 on a 2001-point grid ≤ limit | 2.22e-16 | 1e-12 | ✅ pass |"), markdown)
        XCTAssertTrue(lines.contains("| `ks_pvalue` | KS p-value of the samples against the reference CDF ≥ limit | 0.0031 | 0.01 | ❌ **fail** |"), markdown)
        XCTAssertTrue(lines.contains("![Densities \\<b\\>by\\</b\\> Eq. 4 \\& 5](figures/densities.png)"), markdown)
        XCTAssertTrue(lines.contains("![Odd](figures/odd%20name%3A%28x%29.png)"), markdown)
        // The spec holds a run of four backticks, so the fence has five and the text is verbatim.
        XCTAssertTrue(markdown.contains("`````yaml\n" + OutputFixtures.hostileSpec.dropLast() + "\n`````\n"), markdown)
        // Every table row has the same number of unescaped pipes as its header.
        let checkRows = lines.filter { $0.hasPrefix("| `") && $0.hasSuffix("|") && ($0.contains("pass") || $0.contains("fail")) }
        XCTAssertEqual(checkRows.count, 3)
        for row in checkRows {
            XCTAssertEqual(try OutputFixtures.matches(#"(?<!\\)(\|)"#, in: row).count, 6, row)
        }
    }

    func testMetricsJSONDecodesWithSchemaFields() throws {
        let directory = try writePages()
        let path = (directory as NSString).appendingPathComponent("metrics.json")
        let metrics = try ReportMetricsFile.read(path: path)
        XCTAssertEqual(metrics.schemaVersion, 1)
        XCTAssertEqual(metrics.name, "lognormal")
        XCTAssertEqual(metrics.title, OutputFixtures.hostileTitle)
        XCTAssertEqual(metrics.specFile, "lognormal.yaml")
        XCTAssertFalse(metrics.passed)
        XCTAssertEqual(metrics.checksPassed, 2)
        XCTAssertEqual(metrics.checksTotal, 3)
        let document = OutputFixtures.document()
        XCTAssertEqual(metrics.checks.map(\.name), document.checks.map(\.name))
        // Values round-trip exactly (shortest round-tripping decimal).
        XCTAssertEqual(metrics.checks.map(\.value), document.checks.map(\.value))
        XCTAssertEqual(metrics.checks.map(\.limit), document.checks.map(\.limit))
        XCTAssertEqual(metrics.checks.map(\.passed), [true, false, true])
        XCTAssertEqual(metrics.metrics[0].value, 1.6487212707001282)
        XCTAssertNil(metrics.metrics[0].unit)
        XCTAssertTrue(metrics.metrics[1].value.isNaN)
        XCTAssertEqual(metrics.metrics[1].unit, "nats")
        XCTAssertEqual(metrics.metrics[2].value, -.infinity)
        XCTAssertEqual(metrics.figures.map(\.id), ["densities", "odd name:(x)"])
        XCTAssertEqual(metrics.figures[0].files.map(\.path), ["figures/densities.png", "figures/densities.pdf", "figures/densities.svg"])
        XCTAssertEqual(metrics.provenance.seed, 2024)
        XCTAssertEqual(metrics.provenance.samples, 10_000)
        XCTAssertEqual(metrics.provenance.threads, 2)
        XCTAssertEqual(metrics.provenance.wallTimeSeconds, 0.4125)
        XCTAssertEqual(metrics.provenance.hostname, "box <1>")
    }

    func testMetricsJSONIsStandardJSONWithStableKeyOrder() throws {
        let text = try OutputFixtures.read((try writePages() as NSString).appendingPathComponent("metrics.json"))
        // Plain JSON parsers accept it (non-finite values are strings, not bare NaN).
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let checks = try XCTUnwrap(object["checks"] as? [[String: Any]])
        XCTAssertEqual(checks.count, 3)
        XCTAssertEqual(Set(checks[0].keys), ["name", "value", "limit", "passed", "summary"])
        XCTAssertTrue(text.contains(#""value": "NaN""#))
        XCTAssertTrue(text.contains(#""value": "-Infinity""#))
        XCTAssertTrue(text.contains(#""value": 2.220446049250313e-16"#), text)
        let topLevel = ["schema_version", "name", "title", "description", "spec_file", "passed", "checks_passed",
                        "checks_total", "checks", "warnings", "metrics", "figures", "provenance"]
        let offsets = try topLevel.map { key in
            try XCTUnwrap(text.range(of: "\n  \"\(key)\": ")?.lowerBound, key)
        }
        XCTAssertEqual(offsets, offsets.sorted())
        let checkKeys = ["\"name\": \"eq4_vs_eq5\"", "\"value\": ", "\"limit\": ", "\"passed\": ", "\"summary\": "]
        var cursor = try XCTUnwrap(text.range(of: checkKeys[0])).upperBound
        for key in checkKeys.dropFirst() {
            let found = try XCTUnwrap(text.range(of: key, range: cursor..<text.endIndex), key)
            cursor = found.upperBound
        }
    }

    func testSpecCopyNeverOverwritesReportFiles() {
        XCTAssertEqual(ReportPages.specCopyName(for: "a/b/lognormal.yaml"), "lognormal.yaml")
        XCTAssertEqual(ReportPages.specCopyName(for: "index.html"), "spec-index.html")
        XCTAssertEqual(ReportPages.specCopyName(for: "metrics.json"), "spec-metrics.json")
        XCTAssertEqual(ReportPages.specCopyName(for: ""), "spec.yaml")
        XCTAssertEqual(ReportPages.specCopyName(for: ".hidden.yaml"), "spec.yaml")
    }

    // MARK: - Templates

    func testDefaultTemplatesAreFound() throws {
        let directory = try XCTUnwrap(ReportTemplates.defaultDirectory())
        XCTAssertTrue(directory.hasSuffix("/templates"))
        let templates = try ReportTemplates(directory: nil)
        XCTAssertNoThrow(try templates.require(ReportPages.requiredTemplates + ["partials/style.css"]))
    }

    func testUserTemplatesCannotUnescape() throws {
        let templates = try OutputFixtures.temporaryDirectory()
        try Data("<h1>{{{title}}}</h1><p>{{&description}}</p><pre>{{{spec.source}}}</pre>".utf8)
            .write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("report.html.mustache")))
        try Data("# {{title}}\n".utf8).write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("report.md.mustache")))
        try Data("index".utf8).write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("index.html.mustache")))
        let html = try OutputFixtures.read((try writePages(templates: templates) as NSString).appendingPathComponent("index.html"))
        XCTAssertFalse(html.lowercased().contains("<script"), html)
        XCTAssertTrue(html.hasPrefix("<h1>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</h1><p>&lt;img"), html)
    }

    func testUserFolderFallsBackToDefaultPartialsAndIndex() throws {
        let templates = try OutputFixtures.temporaryDirectory()
        try Data("<head>{{> partials/style.css}}</head><h1>{{title}}</h1>".utf8)
            .write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("report.html.mustache")))
        try Data("# {{title}}\n".utf8).write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("report.md.mustache")))
        let root = try OutputFixtures.temporaryDirectory()
        let directory = (root as NSString).appendingPathComponent("lognormal")
        try FileManager().createDirectory(atPath: directory, withIntermediateDirectories: false)
        try ReportPages.write(OutputFixtures.document(), into: directory, templatesDirectory: templates)
        let html = try OutputFixtures.read((directory as NSString).appendingPathComponent("index.html"))
        XCTAssertTrue(html.hasPrefix("<head>"), html)
        XCTAssertTrue(html.contains("--pass: #1a7f37"), "the default stylesheet partial is available")
        XCTAssertTrue(html.hasSuffix("<h1>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;</h1>"), html)
        // No index.html.mustache in the user folder: the default index template is used.
        try ReportIndex.write(reportsRoot: root, templatesDirectory: templates)
        XCTAssertTrue(try OutputFixtures.read((root as NSString).appendingPathComponent("index.html")).contains("1 report · 0 passing · 1 failing"))
        // A user index template replaces the default.
        try Data("{{reportCount}} report(s)".utf8).write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("index.html.mustache")))
        try ReportIndex.write(reportsRoot: root, templatesDirectory: templates)
        XCTAssertEqual(try OutputFixtures.read((root as NSString).appendingPathComponent("index.html")), "1 report(s)")
    }

    func testMissingTemplateIsATemplateErrorAndWritesNothing() throws {
        let templates = try OutputFixtures.temporaryDirectory()
        try Data("<h1>{{title}}</h1>".utf8).write(to: URL(fileURLWithPath: (templates as NSString).appendingPathComponent("report.html.mustache")))
        let directory = try OutputFixtures.temporaryDirectory()
        XCTAssertThrowsError(try ReportPages.write(OutputFixtures.document(), into: directory, templatesDirectory: templates)) { error in
            guard case let ReportError.template(path, message)? = error as? ReportError else {
                return XCTFail("expected a template error, got \(error)")
            }
            XCTAssertEqual(path, (templates as NSString).appendingPathComponent("report.md.mustache"))
            XCTAssertTrue(message.contains("template not found"), message)
        }
        XCTAssertEqual(try FileManager().contentsOfDirectory(atPath: directory), [])
    }

    func testMissingTemplatesFolderIsATemplateError() throws {
        let missing = (try OutputFixtures.temporaryDirectory() as NSString).appendingPathComponent("nope")
        XCTAssertThrowsError(try ReportTemplates(directory: missing)) { error in
            guard case let ReportError.template(path, message)? = error as? ReportError else {
                return XCTFail("expected a template error, got \(error)")
            }
            XCTAssertEqual(path, missing)
            XCTAssertEqual(message, "templates folder does not exist")
        }
    }

    func testBrokenTemplateNamesFileLineAndColumn() throws {
        let templates = try OutputFixtures.temporaryDirectory()
        let path = (templates as NSString).appendingPathComponent("report.html.mustache")
        try Data("<h1>{{title}}</h1>\n{{#checks}}\n<p>{{name}}</p>\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ReportTemplates(directory: templates)) { error in
            guard case let ReportError.template(errorPath, message)? = error as? ReportError else {
                return XCTFail("expected a template error, got \(error)")
            }
            XCTAssertEqual(errorPath, path)
            XCTAssertTrue(message.contains("section is never closed"), message)
            XCTAssertTrue(message.hasPrefix("line "), message)
        }
        try Data("{{#a}}x{{/b}}".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ReportTemplates(directory: templates)) { error in
            XCTAssertEqual(
                "\(error)",
                "\(path): error: template: line 1, column 11: section closed with a different name than it was opened with\n    {{#a}}x{{/b}}"
            )
        }
    }
}
