import XCTest
import TestSupport
@testable import Report

/// The malformed `fit` corpus: every file in Fixtures/malformed-fit fails with its first
/// diagnostic at the expected line and column, with the expected text and hint.
final class SpecFitMalformedTests: XCTestCase {
    /// (file stem, line, column, text the first diagnostic's message contains)
    static let expectations: [(String, Int, Int, String)] = [
        ("rkl-without-target", 6, 14, "reverse_kl needs a 'target'"),
        ("ml-without-data", 6, 14, "maximum_likelihood needs 'data'"),
        ("unknown-objective", 6, 14, "unknown objective 'reverse_kll'"),
        ("unknown-target", 7, 11, "unknown target 'u5'"),
        ("unknown-dataset", 7, 9, "unknown data set '8gausians'"),
        ("data-file-missing", 7, 16, "'nothere.csv': no such file"),
        ("data-file-not-numeric", 7, 16, "'four' is not a finite number"),
        ("data-file-wrong-dimension", 7, 16, "has 3 columns but the experiment is 2-dimensional"),
        ("data-file-too-small", 7, 16, "has 5 points, too few to split"),
        ("layer-wrong-direction-maf", 4, 6, "'maf' cannot be trained by reverse_kl"),
        ("layer-wrong-direction-planar", 5, 5, "'planar' cannot be trained by maximum_likelihood"),
        ("learning-rate-zero", 8, 37, "learning_rate must be > 0"),
        ("clip-zero", 8, 9, "clip must be a finite number > 0"),
        ("amsgrad-not-bool", 8, 52, "amsgrad"),
        ("learning-rate-negative", 8, 40, "learning_rate must be > 0"),
        ("batch-zero", 8, 10, "batch must be a positive integer"),
        ("partial-parameters", 4, 6, "gives u but not w"),
        ("parameters-wrong-count", 4, 42, "has 18 parameters with these options, found 3"),
        ("fitted-without-fit", 4, 6, "has no parameters, so it is fitted, but the spec has no fit: section"),
        ("repeat-zero", 4, 23, "repeat must be an integer in 1 … 1000"),
        ("fit-unknown-key", 8, 3, "unknown key 'iteratons' in fit"),
        ("anneal-with-ml", 8, 11, "anneal applies to reverse_kl only"),
        ("base-not-normal", 2, 7, "a fitted flow's base must be 'normal'"),
        // Every catalog map may stand fixed among fitted layers, but only where the support
        // reaching it lies in its domain (fitted layers map onto ℝᵈ).
        ("fixed-map-outside-support", 5, 6, "flow[2] 'power' needs inputs in (0, ∞) × (0, ∞) but its input support is (−∞, ∞) × (−∞, ∞)"),
        // Fit check limits are set in the top-level checks:, like every other check's.
        ("fit-checks-moved", 8, 11, "fit: checks is not read here"),
        ("fit-check-without-fit", 6, 3, "check 'heldout_nll' judges a fit, but the spec has no fit: section"),
        ("fit-check-on-without-limit", 7, 23, "check 'kl_model_to_target' has no default limit"),
        ("fit-check-negative-limit", 6, 57, "limit of 'kl_model_to_target'"),
        ("unknown-optimizer", 8, 15, "unknown optimizer 'sgd'"),
        ("unknown-schedule", 8, 13, "unknown schedule 'cosin'"),
        ("momentum-too-large", 8, 56, "momentum must be a number in [0, 1)"),
        ("target-with-ml", 7, 11, "maximum_likelihood fits data, not a target energy"),
        ("unknown-layer-option", 4, 35, "unknown key 'bnis'"),
        // Fuzz finding: 710 NICE layers ran their fit, then wrote a fitted.yaml beyond 1 MiB.
        ("fitted-spec-too-large", 6, 3, "written out in fitted.yaml they could take"),
    ]

    static let hints: [String: String] = [
        "unknown-objective": "did you mean 'reverse_kl'?",
        "unknown-dataset": "did you mean '8gaussians'?",
        "fit-unknown-key": "did you mean 'iterations'?",
        "unknown-layer-option": "did you mean 'bins'?",
        "layer-wrong-direction-maf": "use 'maf' with maximum_likelihood",
        "partial-parameters": "give w too",
        "data-file-too-small": "at least 10 points",
        "fitted-spec-too-large": "use fewer or smaller layers",
        "fit-checks-moved": "move it: checks: {kl_model_to_target: {limit: …}} at the top level of the spec",
        "fixed-map-outside-support": "add a map that brings it inside the domain",
    ]

    static let corpus = MalformedCorpus(folder: "malformed-fit", expectations: expectations, hints: hints)

    func testEveryFileIsInTheTable() throws { try Self.corpus.assertEveryFileIsListed() }

    func testEveryMalformedFitFailsAtTheExpectedPosition() { Self.corpus.assertEachFailsAtItsPosition() }
}
