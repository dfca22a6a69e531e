import XCTest
import TestSupport
@testable import Report
import FlowKit

/// The malformed-spec corpus: every file in Fixtures/malformed must fail with a diagnostic at
/// the expected line and column whose message contains the expected text.
final class SpecMalformedTests: XCTestCase {
    /// (file stem, line, column, text the first diagnostic's message contains)
    static let expectations: [(String, Int, Int, String)] = [
        ("unknown-key", 6, 1, "unknown key 'colour' in the spec"),
        ("misspelled-distribution", 4, 8, "unknown distribution 'nromal'"),
        ("wrong-type-std", 4, 31, "parameter 'std' must be a number"),
        ("std-zero", 5, 26, "'std'"),
        ("std-negative", 5, 26, "'std'"),
        ("affine-scale-zero", 6, 21, "'scale'"),
        ("uniform-low-ge-high", 4, 32, "'high'"),
        ("nan-parameter", 4, 23, "parameter 'mean' must be finite, found .nan"),
        ("inf-parameter", 4, 31, "parameter 'std' must be finite, found .inf"),
        ("samples-zero", 2, 10, "samples must be a positive integer"),
        ("samples-negative", 2, 10, "samples must be a positive integer"),
        ("samples-fraction", 2, 10, "not a whole number"),
        ("samples-huge", 2, 10, "found 1e20"),
        ("samples-word", 2, 10, "found 'many'"),
        ("seed-negative", 2, 7, "seed must be a non-negative integer"),
        ("log-after-normal", 8, 5, "flow[2] 'log' needs inputs in (0, ∞) but its input support is (−∞, 0)"),
        ("empty", 1, 1, "the spec is empty"),
        ("only-comment", 1, 1, "the spec is empty"),
        ("bad-indentation", 5, 4, "malformed YAML"),
        ("unclosed-bracket", 4, 8, "malformed YAML"),
        ("tab-indentation", 3, 1, "malformed YAML"),
        ("duplicate-key", 4, 1, "duplicate key 'seed'"),
        ("alias-bomb", 9, 11, "too many aliases"),
        ("deep-nesting", 3, 39, "nesting is too deep"),
        ("deep-block-nesting", 33, 63, "nesting is too deep"),
        ("flow-not-list", 5, 7, "flow must be a list"),
        ("unknown-transform", 5, 13, "unknown transform 'sqaure'"),
        ("missing-base", 1, 1, "missing required key 'base'"),
        ("reference-unknown", 6, 13, "unknown distribution 'lognormall'"),
        ("figure-unknown-kind", 8, 5, "unknown figure kind 'densitys'"),
        ("check-unknown-name", 7, 3, "unknown check 'eq4_vs_eq6'"),
        ("unknown-parameter", 4, 26, "has no parameter 'sd'"),
        ("parameter-quoted-number", 4, 23, "parameter 'mean' must be a number"),
        ("figure-bad-color", 7, 25, "color must be #RRGGBB"),
        ("figure-range-reversed", 7, 25, "low < high"),
        ("figure-needs-reference", 6, 11, "no 'reference'"),
        ("check-negative-limit", 7, 21, "must be ≥ 0"),
        ("output-bad-format", 6, 25, "unknown output format 'jpg'"),
        ("root-is-list", 1, 1, "a spec must be a mapping"),
        ("base-two-names", 5, 3, "base must name one distribution"),
        ("empty-flow", 5, 7, "at least one map"),
        // Issue 9: extreme input.
        ("range-too-wide", 7, 18, "range [-1e308, 1e308] cannot be drawn: it is wider than the largest finite number"),
        ("plane-bins-too-many", 7, 13, "bins must be an integer in 1 … 1024 (bins per axis of a 2-D histogram), found 100000"),
        ("range-too-narrow", 7, 18, "range [0, 1e-310] cannot be drawn: it is too narrow"),
        ("range-box-too-narrow", 7, 36, "range [0, 5e-323] cannot be drawn: it is too narrow"),
        ("duplicate-key-bare-cr", 3, 25, "duplicate key 'std'"),
        ("variant-dimension-without-base", 1, 1, "missing required key 'base'"),
        ("cov-ragged", 4, 45, "parameter 'cov': row 2 has 1 entry but row 1 has 2"),
        ("std-empty-list", 4, 23, "parameter 'mean' must list at least one number"),
        ("support-image-overflows", 6, 6, "flow[0] 'affine' overflows: it maps the bounded support [-1e+308, 1] to (−∞, 10]"),
        ("control-characters", 5, 15, "control characters are not allowed"),
        ("figure-unknown-colormap", 7, 25, "unknown colour map 'rainbow'"),
        ("figure-rows-undefined-chain", 9, 26, "unknown chain 'radial' in rows"),
        ("figure-rows-unknown-variant", 11, 26, "unknown chain 'narrow' in rows"),
    ]

    /// Hints that must appear, by file stem.
    static let hints: [String: String] = [
        "misspelled-distribution": "did you mean 'normal'?",
        "reference-unknown": "did you mean 'lognormal'?",
        "figure-unknown-kind": "did you mean 'densities'?",
        "check-unknown-name": "did you mean 'eq4_vs_eq5'?",
        "unknown-parameter": "did you mean 'std'?",
        "tab-indentation": "tabs",
        "figure-unknown-colormap": "known colour maps: viridis, magma, cividis, jet, rezende, greys (a _r suffix reverses)",
        "figure-rows-undefined-chain": "define it under the top-level key 'variants'",
        "figure-rows-unknown-variant": "known chains: flow, wide",
    ]

    static let corpus = MalformedCorpus(folder: "malformed", expectations: expectations, hints: hints, requiresCaret: false)

    func testCorpusHasAtLeast25FilesAndEveryFileIsInTheTable() throws {
        XCTAssertGreaterThanOrEqual(try Self.corpus.fileStems().count, 25)
        try Self.corpus.assertEveryFileIsListed()
    }

    func testEveryMalformedSpecFailsAtTheExpectedPosition() { Self.corpus.assertEachFailsAtItsPosition() }

    func testSeveralMistakesAreReportedTogetherInFileOrder() {
        let text = "title: t\nsede: 3\nsamples: 0\nbase: {normal: {mean: 0, std: 1}}\nflow: [exp, lgo]\n"
        XCTAssertThrowsError(try SpecLoader.load(text: text, path: "multi.yaml")) { error in
            guard case let .invalidSpec(diagnostics) = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(diagnostics.map { [$0.line, $0.column] }, [[2, 1], [3, 10], [5, 13]])
            XCTAssertEqual(diagnostics.last?.hint, "did you mean 'log'?")
        }
    }

    func testAliasExpansionIsBoundedAfterParsing() {
        // 9 aliases (under the pre-scan limit) that expand to 10^9 values via nesting.
        var text = "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
        let names = ["b", "c", "d", "e", "f", "g", "h", "i", "j"]
        var previous = "a"
        for name in names {
            text += "\(name): &\(name) [*\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous), *\(previous)]\n"
            previous = name
        }
        XCTAssertThrowsError(try SpecLoader.load(text: text, path: "bomb.yaml")) { error in
            guard case let .invalidSpec(diagnostics) = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(diagnostics.first?.line, 2)
            XCTAssertTrue(diagnostics.first?.message.contains("aliases expand") ?? false, "\(diagnostics)")
        }
    }

    func testDomainBoundaryOfMeasureZeroIsAccepted() throws {
        // log after uniform(0, 1): the closed end 0 has measure zero.
        let text = "title: t\nbase: {uniform: {low: 0, high: 1}}\nflow: [log]\n"
        let experiment = try SpecLoader.load(text: text, path: "u.yaml")
        // End points may be open or closed (measure zero); the bounds are what matter.
        XCTAssertEqual(experiment.flow.support.map { [$0.lower, $0.upper] }, [[-.infinity, 0]])
    }

    // MARK: - Issue 9 regressions

    func diagnostics(_ text: String, path: String = "x.yaml") -> [SpecDiagnostic] {
        do {
            _ = try SpecLoader.load(text: text, path: path)
            XCTFail("\(path): loaded without error")
            return []
        } catch {
            guard case let .invalidSpec(diagnostics) = error else { XCTFail("\(error)"); return [] }
            return diagnostics
        }
    }

    func testBareCarriageReturnLinesGetTheirExcerptAndLine() {
        // Crashed with an inverted range: lines were split on LF while the parser counts CR.
        let found = diagnostics("title: a\rseed: 1\rbase: {normal: {std: 1, std: 2}}")
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.sourceLine, "base: {normal: {std: 1, std: 2}}")
        XCTAssertEqual(found.first?.hint, "'std' is first set at line 3, column 17; keep one")
        for ending in ["\r\n", "\u{85}", "\u{2028}"] {
            let lines = diagnostics(["title: a", "seed: 1", "base: {normal: {std: 1, sdt: 2}}", "flow: [exp]"].joined(separator: ending))
            XCTAssertEqual(lines.first.map { [$0.line, $0.column] }, [3, 25], ending.debugDescription)
            XCTAssertEqual(lines.first?.sourceLine, "base: {normal: {std: 1, sdt: 2}}", ending.debugDescription)
        }
        XCTAssertEqual(SourceLines.split("a\rb\r\nc\nd\u{85}e").map(String.init), ["a", "b", "c", "d", "e"])
        XCTAssertTrue(SourceLines.position(ofScalarOffset: 5, in: "a\r\nbc\rd") == (line: 2, column: 3))
    }

    func testVariantBaseFixesTheDimensionWithoutATopLevelBase() {
        // Crashed in LinearTransform.image(of:) (a 3 × 3 matrix on a 2-D box).
        let found = diagnostics("variants: {v: {base: {uniform: {low: [0, 0], high: [1, 1]}}, flow: [{linear: {matrix: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}}]}}")
        XCTAssertTrue(found.contains { $0.message.contains("variants.v.flow[0] 'linear': linear parameter 'matrix': expected dimension 2, found 3") },
                      found.map(\.message).description)
    }

    func testAFailedBaseCausesNoKnockOnErrors() {
        for base in ["{normal: {mean: [0, 0], cov: [[1, 1], [1]]}}", "{normal: {mean: [], std: []}}", "{normal: {std: []}}"] {
            let found = diagnostics("title: t\nbase: \(base)\nflow: [reverse]\n")
            XCTAssertFalse(found.isEmpty)
            XCTAssertTrue(found.allSatisfy { $0.line == 2 }, "only the base is wrong: \(found.map(\.rendered))")
            XCTAssertFalse(found.contains { $0.message.contains("expected dimension 0, found 0") || $0.message.contains("expected dimension 2, found 2") })
        }
    }

    func testDecoderWordingIsPlain() {
        let head = "title: t\nbase: {normal: {mean: [0, 0], std: [1, 1]}}\nflow:\n  - coupling:\n      mask: [1, 0]\n"
        let activation = diagnostics(head + "      conditioner: {activation: sigmoid, layers: [{weights: [[1]], bias: [0]}, {weights: [[1], [1]], bias: [0, 0]}]}\n")
        XCTAssertEqual(activation.first?.message, "flow[0] 'coupling': parameter 'conditioner.activation' must be one of tanh, relu, found 'sigmoid'")
        let mapping = diagnostics(head + "      conditioner: 3\n")
        XCTAssertEqual(mapping.first?.message, "flow[0] 'coupling': parameter 'conditioner' must be a mapping (key: value), found '3' (a number)")
        let list = diagnostics(head + "      conditioner: {layers: 3}\n")
        XCTAssertEqual(list.first?.message, "flow[0] 'coupling': parameter 'conditioner.layers' must be a list, found '3' (a number)")
        for d in activation + mapping + list {
            XCTAssertFalse(d.message.contains("Sequence") || d.message.contains("Mapping") || d.message.contains("Cannot initialize"), d.message)
        }
    }

    func testControlCharactersAreEscapedWithTheCaretAligned() {
        let found = diagnostics("title: t\nbase: {normal: {mean: 0, std: 1}}\nflow: [exp]\nfigures: [\"\\e[2Jdensitys\"]\n")
        let rendered = found.first?.rendered ?? ""
        XCTAssertFalse(rendered.unicodeScalars.contains { $0.value == 0x1B }, rendered)
        XCTAssertTrue(rendered.contains("unknown figure kind '\\u{1B}[2Jdensitys'"), rendered)
        let escaped = TerminalText.escaped(line: "a\u{1B}b", column: 3)
        XCTAssertEqual(escaped.line, "a\\u{1B}b")
        XCTAssertEqual(escaped.column, 8, "the caret stays under 'b'")
        XCTAssertEqual(TerminalText.escaped("plain"), "plain")
    }

    func testBoundedSupportsThatOverflowAreErrorsButSingularitiesAreNot() throws {
        let overflow = diagnostics("title: t\nbase: {uniform: {low: 0, high: 1000}}\nflow: [exp]\n")
        XCTAssertTrue(overflow.first?.message.contains("flow[0] 'exp' overflows") ?? false, overflow.map(\.message).description)
        // log at the end 0 of uniform(0, 1) is a singularity outside log's domain, not an overflow.
        XCTAssertNoThrow(try SpecLoader.load(text: "title: t\nbase: {uniform: {low: 0, high: 1}}\nflow: [log, {affine: {scale: 2}}]\n", path: "u.yaml"))
        XCTAssertNoThrow(try SpecLoader.load(text: "title: t\nbase: {uniform: {low: 0, high: 700}}\nflow: [exp]\n", path: "e.yaml"))
    }

    func testDidYouMeanRanksByEditDistance() {
        XCTAssertEqual(Suggestion.closest(to: "nromal", in: ["normal", "lognormal", "uniform"]), "normal")
        XCTAssertEqual(Suggestion.closest(to: "Exp", in: ["exp", "log"]), "exp")
        XCTAssertNil(Suggestion.closest(to: "zzzzzz", in: ["normal", "uniform"]))
        XCTAssertEqual(Suggestion.editDistance(Array("ab"), Array("ba")), 1)
        XCTAssertEqual(Suggestion.editDistance(Array("kitten"), Array("sitting")), 3)
    }
}
