import XCTest
@testable import Plot

final class MathTextTests: XCTestCase {
    let font = Font(family: .sans, size: 10)

    func layout(_ s: String) -> TextLayout { TextLayout(s, font: font, renderer: RecordingRenderer()) }

    func testSubscriptIsSmallerItalicAndLowered() {
        let l = layout("$p_Y(y)$")
        XCTAssertEqual(l.runs.map(\.text), ["p", "Y", "(", "y", ")"])
        XCTAssertTrue(l.runs[0].font.italic)
        XCTAssertEqual(l.runs[1].font.size, 7, accuracy: 1e-12)
        XCTAssertTrue(l.runs[1].font.italic)
        XCTAssertEqual(l.runs[1].offset.y, 2, accuracy: 1e-12, "subscript 0.2 em below (y down)")
        XCTAssertFalse(l.runs[2].font.italic, "parentheses upright")
        XCTAssertTrue(l.runs[3].font.italic)
    }

    func testFunctionNamesUprightAndOperatorsSpaced() {
        let l = layout("$Y = \\exp(X)$")
        XCTAssertEqual(l.runs.map(\.text), ["Y", "=", "exp", "(", "X", ")"])
        XCTAssertFalse(l.runs[2].font.italic)
        // Thick spaces (5/18 em) around "=": gap between Y's end (6 pt) and "=" start.
        XCTAssertEqual(l.runs[1].offset.x - 6, 5.0 / 18 * 10, accuracy: 1e-9)
    }

    func testCalligraphicGreekAndSymbols() {
        let l = layout("$X \\in \\mathcal{N}(0,1)$")
        XCTAssertEqual(l.runs.map(\.text), ["X", "∈", "𝒩", "(", "0", ",", "1", ")"])
        XCTAssertEqual(l.runs[2].font.family, .math)
        let g = layout("$\\sigma^2 \\le \\infty \\cdot \\nabla \\partial \\approx \\sim \\times \\ge$")
        XCTAssertEqual(g.runs.map(\.text), ["σ", "2", "≤", "∞", "·", "∇", "∂", "≈", "∼", "×", "≥"])
        XCTAssertLessThan(g.runs[1].offset.y, 0, "superscript raised")
    }

    func testNestedScripts() {
        let l = layout("$\\log|\\det J_{T^{-1}}|$")
        XCTAssertEqual(l.runs.map(\.text), ["log", "|", "det", "J", "T", "−", "1", "|"])
        let t = l.runs[4], minus = l.runs[5]
        XCTAssertEqual(t.font.size, 7, accuracy: 1e-12)
        XCTAssertEqual(minus.font.size, 4.9, accuracy: 1e-12, "second-level script is 0.7² size")
        XCTAssertLessThan(minus.offset.y, t.offset.y, "superscript of the subscript sits higher")
    }

    func testStackedScriptsShareX() {
        let l = layout("$x_i^2$")
        XCTAssertEqual(l.runs[1].offset.x, 6, accuracy: 1e-12)
        XCTAssertGreaterThan(l.runs[2].offset.x, 6 - 1e-12)
        XCTAssertLessThan(l.runs[2].offset.x, 6 + 1, "superscript stacked over the subscript")
    }

    func testPlainTextAndEscapes() {
        XCTAssertEqual(layout("density").runs.map(\.text), ["density"])
        XCTAssertEqual(layout("cost \\$5").runs.map(\.text), ["cost $5"])
        XCTAssertEqual(layout("mean $\\mu$ value").runs.map(\.text), ["mean ", "μ", " value"])
        XCTAssertFalse(MathText.containsMath("no \\$ math"))
    }

    func testSqrtDrawsOverline() {
        let l = layout("$\\sqrt{2\\pi}$")
        XCTAssertEqual(l.runs.map(\.text), ["√", "2", "π"])
        XCTAssertEqual(l.rules.count, 1)
        XCTAssertLessThan(l.rules[0].maxY, 0, "overline above the baseline")
    }

    func testRotatedLabelBox() {
        let l = layout("abc") // 18 pt wide, ascent 9.3, descent 2.4
        let (_, box) = l.placed(at: Point(100, 100), horizontal: .center, vertical: .bottom, angle: Double.pi / 2)
        XCTAssertEqual(box.width, 11.7, accuracy: 1e-9)
        XCTAssertEqual(box.height, 18, accuracy: 1e-9)
        XCTAssertEqual(box.maxX, 100, accuracy: 1e-9, "descent side of a 90° label faces the anchor")
        XCTAssertEqual(box.midY, 100, accuracy: 1e-9)
    }
}
