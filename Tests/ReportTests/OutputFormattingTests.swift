import Foundation
import XCTest
@testable import Report

final class OutputFormattingTests: XCTestCase {
    func testHTMLEscaping() {
        XCTAssertEqual(ReportEscaping.html(#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        XCTAssertEqual(ReportEscaping.html("Zdybał ∫p = 1"), "Zdybał ∫p = 1")
    }

    func testMarkdownInlineEscaping() {
        XCTAssertEqual(ReportEscaping.markdownInline("a|b *c* _d_ [e](f) <g>"), #"a\|b \*c\* \_d\_ \[e\](f) \<g\>"#)
        XCTAssertEqual(ReportEscaping.markdownInline("one\ntwo\r\nthree"), "one two three")
        XCTAssertEqual(ReportEscaping.markdownInline(#"back\slash"#), #"back\\slash"#)
    }

    func testMarkdownFence() {
        XCTAssertEqual(ReportEscaping.markdownFence(for: "no ticks"), "```")
        XCTAssertEqual(ReportEscaping.markdownFence(for: "``` and ````"), "`````")
    }

    func testMarkdownCodeSpan() {
        let format = ReportPageView.Format.markdown
        XCTAssertEqual(format.code("eq4_vs_eq5"), "`eq4_vs_eq5`")
        XCTAssertEqual(format.code("a`b"), "``a`b``")
        XCTAssertEqual(format.code("`x"), "`` `x ``")
        XCTAssertEqual(format.code("a|b"), #"`a\|b`"#)
    }

    func testURLPathEncoding() {
        XCTAssertEqual(ReportEscaping.urlPath("figures/densities.png"), "figures/densities.png")
        XCTAssertEqual(ReportEscaping.urlPath("figures/a b:(1).png"), "figures/a%20b%3A%281%29.png")
        XCTAssertEqual(ReportEscaping.urlPath("javascript:alert(1)"), "javascript%3Aalert%281%29")
        XCTAssertEqual(ReportEscaping.urlPath("é\"<"), "%C3%A9%22%3C")
    }

    func testDisplayNumbers() {
        XCTAssertEqual(ReportNumberFormat.display(2.220446049250313e-16), "2.22e-16")
        XCTAssertEqual(ReportNumberFormat.display(1e-12), "1e-12")
        XCTAssertEqual(ReportNumberFormat.display(0.5), "0.5")
        XCTAssertEqual(ReportNumberFormat.display(0.0031), "0.0031")
        XCTAssertEqual(ReportNumberFormat.display(-0.001234), "-0.001234")
        XCTAssertEqual(ReportNumberFormat.display(1.6487212707001282), "1.649")
        XCTAssertEqual(ReportNumberFormat.display(12345.6), "12346")
        XCTAssertEqual(ReportNumberFormat.display(1e6), "1e6")
        XCTAssertEqual(ReportNumberFormat.display(-3.5e7), "-3.5e7")
        XCTAssertEqual(ReportNumberFormat.display(9.99996), "10")
        XCTAssertEqual(ReportNumberFormat.display(0), "0")
        XCTAssertEqual(ReportNumberFormat.display(.nan), "NaN")
        XCTAssertEqual(ReportNumberFormat.display(.infinity), "∞")
        XCTAssertEqual(ReportNumberFormat.display(-.infinity), "−∞")
    }

    func testSecondsAndGrouping() {
        XCTAssertEqual(ReportNumberFormat.seconds(0.4126), "0.413 s")
        XCTAssertEqual(ReportNumberFormat.seconds(73.25), "73.2 s")
        XCTAssertEqual(ReportNumberFormat.grouped(10_000), "10\u{202F}000")
        XCTAssertEqual(ReportNumberFormat.grouped(999), "999")
        XCTAssertEqual(ReportNumberFormat.grouped(1_234_567), "1\u{202F}234\u{202F}567")
    }

    func testOrderedJSONStringsAndNumbers() throws {
        let value = OrderedJSON.object([
            ("z", .string("quote \" backslash \\ newline \n tab \t bell \u{07}")),
            ("a", .array([.double(0.1), .double(-0.0), .double(1e300), .double(.infinity), .int(-3), .uint(UInt64.max)])),
            ("m", .object([])),
            ("n", .null),
        ])
        let text = value.serialized()
        XCTAssertTrue(text.contains(#""z": "quote \" backslash \\ newline \n tab \t bell \u0007""#), text)
        XCTAssertLessThan(try XCTUnwrap(text.range(of: "\"z\"")).lowerBound, try XCTUnwrap(text.range(of: "\"a\"")).lowerBound)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["z"] as? String, "quote \" backslash \\ newline \n tab \t bell \u{07}")
        let numbers = try XCTUnwrap(parsed["a"] as? [Any])
        XCTAssertEqual(numbers[0] as? Double, 0.1)
        XCTAssertEqual(numbers[2] as? Double, 1e300)
        XCTAssertEqual(numbers[3] as? String, "Infinity")
        XCTAssertEqual(numbers[4] as? Int, -3)
        XCTAssertTrue(text.contains("18446744073709551615"))
    }
}
