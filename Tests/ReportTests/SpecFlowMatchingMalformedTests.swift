import XCTest
import TestSupport
@testable import Report
import FlowKit

/// The malformed flow-matching corpus (`flow_matching` entries, `objective: flow_matching`,
/// `ode:`, data sets as bases): every file in Fixtures/malformed-flowmatching fails with its
/// first diagnostic at the expected line and column, with the expected text and hint.
final class SpecFlowMatchingMalformedTests: XCTestCase {
    /// (file stem, line, column, text the first diagnostic's message contains)
    static let expectations: [(String, Int, Int, String)] = [
        ("mixed-with-other-maps", 5, 5, "cannot be combined with other maps"),
        ("objective-reverse-kl", 6, 14, "is fitted by objective flow_matching (conditional flow matching), not 'reverse_kl'"),
        ("objective-without-entry", 6, 14, "objective flow_matching fits a flow_matching entry, but this flow has none"),
        ("without-data", 6, 14, "objective flow_matching needs 'data'"),
        ("unknown-pairing", 4, 44, "unknown pairing 'indepedent'"),
        ("sigma-min-one", 4, 33, "sigma_min must be in [0, 1), found 1"),
        ("sigma-min-negative", 4, 33, "sigma_min must be in [0, 1), found -0.1"),
        ("ode-unknown-method", 6, 15, "ode: unknown method 'rk5'"),
        ("ode-rtol-zero", 6, 29, "ode: rtol must be > 0, found 0"),
        ("ode-atol-negative", 6, 29, "ode: atol must be > 0, found -1e-5"),
        ("ode-steps-zero", 6, 27, "ode: steps must be a positive integer"),
        ("ode-rtol-with-rk4", 6, 26, "rtol applies to dopri5; rk4 takes fixed steps"),
        ("ode-steps-with-dopri5", 6, 30, "steps applies to rk4"),
        ("ode-without-continuous-flow", 4, 6, "ode: applies to continuous flows"),
        ("anneal-with-flow-matching", 8, 3, "'anneal' does not apply to objective flow_matching"),
        ("parameters-wrong-count", 4, 47, "has 14 parameters with hidden [2], found 3"),
        ("without-fit", 4, 6, "has no parameters, so it is fitted, but the spec has no fit: section"),
        ("base-dataset-unknown", 2, 17, "base: unknown data set 'moonz'"),
        ("base-dataset-without-density", 2, 17, "has no density in closed form, so it cannot be a base"),
        ("hidden-zero", 4, 35, "hidden must be a width in 1 … 4096, found 0"),
        ("unknown-entry-key", 4, 22, "unknown key 'hiden' in flow[0] 'flow_matching'"),
        ("fitted-spec-too-large", 5, 6, "written out in fitted.yaml they could take"),
        ("batch-zero", 5, 53, "batch must be a positive integer"),
    ]

    static let hints: [String: String] = [
        "unknown-pairing": "did you mean 'independent'?",
        "ode-unknown-method": "did you mean 'rk4'?",
        "unknown-entry-key": "did you mean 'hidden'?",
        "base-dataset-unknown": "did you mean 'moons'?",
        "base-dataset-without-density": "8gaussians, checkerboard",
        "objective-reverse-kl": "write objective: flow_matching",
        "mixed-with-other-maps": "keep only the flow_matching entry",
        "without-fit": "objective: flow_matching",
    ]

    static let corpus = MalformedCorpus(folder: "malformed-flowmatching", expectations: expectations, hints: hints)

    func testEveryFileIsInTheTable() throws { try Self.corpus.assertEveryFileIsListed() }

    func testEveryMalformedFlowMatchingSpecFailsAtTheExpectedPosition() {
        Self.corpus.assertEachFailsAtItsPosition { stem, diagnostics in
            if stem == "hidden-zero" { XCTAssertEqual(diagnostics.count, 1, "no follow-up error about the fit") }
        }
    }

    /// A valid spec with every default: the entry, the fit and the default solver.
    func testDefaultsOfAFlowMatchingSpec() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [flow_matching]
        fit: {objective: flow_matching, data: moons}
        """, path: "defaults.yaml")
        let plan = try XCTUnwrap(experiment.flowMatching)
        XCTAssertEqual(plan.entry.hidden, [64, 64, 64])
        XCTAssertEqual(plan.entry.sigmaMin, 0)
        XCTAssertEqual(plan.entry.pairing, .independent)
        XCTAssertEqual(plan.settings.iterations, 10_000)
        XCTAssertEqual(plan.settings.batch, 256)
        XCTAssertEqual(experiment.ode, ODESettings.standard)
        XCTAssertEqual(experiment.ode?.method, .dopri5(relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
        // The solver-bound checks are judged against the tolerance: 10⁴ and 10³ × 1e-5; the
        // finite-difference log-det check is off (Ridders cannot resolve an adaptive solve).
        XCTAssertEqual(experiment.check(.eq4VsEq5).limit, 1e-1, accuracy: 1e-15)
        XCTAssertEqual(experiment.check(.roundTrip).limit, 1e-2, accuracy: 1e-15)
        XCTAssertFalse(experiment.check(.logDetVsFiniteDifference).enabled)
        XCTAssertTrue(experiment.maps.first is ContinuousFlowMapProbe.Map)
    }

    /// `rk4` with its steps, a data set as the base, a limit the spec sets is kept.
    func testRK4DatasetBaseAndExplicitLimit() throws {
        let experiment = try SpecLoader.load(text: """
        base: {dataset: 8gaussians}
        flow: [{flow_matching: {hidden: [8], pairing: ot, sigma_min: 0.01}}]
        fit: {objective: flow_matching, data: moons, iterations: 10}
        ode: {method: rk4, steps: 20}
        checks: {eq4_vs_eq5: 0.5}
        """, path: "rk4.yaml")
        XCTAssertEqual(experiment.ode?.method, .rk4(steps: 20))
        XCTAssertEqual(experiment.flowMatching?.entry.pairing, .optimalTransport)
        XCTAssertEqual(experiment.flowMatching?.entry.sigmaMin, 0.01)
        XCTAssertEqual(experiment.check(.eq4VsEq5).limit, 0.5)
        XCTAssertEqual(experiment.check(.roundTrip).limit, 1e3 * pow(1.0 / 20, 2), accuracy: 1e-15)
        XCTAssertEqual(experiment.base.dimension, 2)
        XCTAssertTrue(experiment.base is FlowKit.ToyDatasetDensity)
    }
}

/// The map type behind a `flow_matching` entry.
enum ContinuousFlowMapProbe {
    typealias Map = FlowKit.ContinuousFlowMap
}
