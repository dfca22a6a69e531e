import XCTest
import Foundation
import TestSupport
import FlowKit
@testable import Report

/// Valid specs resolve to the right Experiment.
final class SpecValidTests: XCTestCase {
    static func fixture(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/valid/\(name).yaml").path
    }

    func testLognormalSpecResolvesEveryField() throws {
        let path = Self.fixture("lognormal")
        let e = try SpecLoader.load(path: path)
        XCTAssertEqual(e.name, "lognormal")
        XCTAssertEqual(e.path, path)
        XCTAssertEqual(e.title, "Y = exp(X), X ~ N(0, 1)")
        XCTAssertEqual(e.description, "Zdybał, Intro to normalizing flows, Figures 1 and 2")
        XCTAssertEqual(e.seed, 2024)
        XCTAssertEqual(e.samples, 10_000)
        XCTAssertEqual(e.dimension, 1)
        XCTAssertEqual(e.baseDescription.displayText, "normal(mean: 0, std: 1)")
        XCTAssertEqual(e.steps.map(\.displayText), ["exp"])
        XCTAssertEqual(e.referenceDescription?.displayText, "lognormal(mu: 0, sigma: 1)")
        XCTAssertEqual(e.flow.support, [Interval(lower: 0, upper: .infinity)])
        XCTAssertEqual(e.source, try String(contentsOfFile: path, encoding: .utf8))
        // Base: N(0, 1) at 0 has log density −½ log 2π.
        let logPhi0 = -0.5 * Foundation.log(2 * Double.pi)
        XCTAssertLessThanOrEqual(relativeError(e.univariateBase?.logDensity(0) ?? .nan, logPhi0), 1e-15)
        XCTAssertLessThanOrEqual(relativeError(e.base.logDensity([0.0]), logPhi0), 1e-15)
        // Reference: lognormal(0, 1) at 1 equals φ(0).
        XCTAssertLessThanOrEqual(relativeError(e.reference?.logDensity(1) ?? .nan, logPhi0), 1e-15)

        XCTAssertEqual(e.figures.map(\.kind), [.histograms, .densities, .agreement, .calibration])
        XCTAssertEqual(e.figures[0].options.bins, 100)
        XCTAssertEqual(e.figures[0].options.ranges, [-4...4, 0...20])
        XCTAssertEqual(e.figures[0].options.colors, ["#F0B51F", "#336B8B"])
        XCTAssertEqual(e.figures[1].options.alpha, 0.4)
        XCTAssertEqual(e.figures[1].options.lineWidth, 3)
        XCTAssertEqual(e.figures[1].options.yLabel(ofPanel: 1), "$p_Y(y)$")
        XCTAssertEqual(e.figures[3].options.calibration, .qq)

        XCTAssertEqual(e.check(.eq4VsEq5), CheckSetting(name: .eq4VsEq5, limit: 1e-13, enabled: true))
        XCTAssertEqual(e.check(.ksPValue), CheckSetting(name: .ksPValue, limit: 0.01, enabled: true))
        XCTAssertFalse(e.check(.roundTrip).enabled)
        XCTAssertEqual(e.check(.integral), CheckSetting(name: .integral, limit: 1e-6, enabled: true))
        XCTAssertFalse(e.check(.ksStatistic).enabled)
        XCTAssertEqual(e.output, OutputOptions(formats: [.png, .svg], dpi: 200, font: .serif))
    }

    func testDefaultsAndScientificSampleCount() throws {
        let e = try SpecLoader.load(path: Self.fixture("log-of-uniform"))
        XCTAssertEqual(e.samples, 1_000_000)
        XCTAssertEqual(e.seed, 7)
        XCTAssertEqual(e.steps.map(\.displayText), ["log", "affine(scale: -1, shift: 0)"])
        XCTAssertEqual(e.flow.support.map { [$0.lower, $0.upper] }, [[0, .infinity]])
        XCTAssertNil(e.reference)
        // No reference: reference checks and figures are off by default.
        XCTAssertEqual(e.figures.map(\.kind), [.histograms, .densities])
        XCTAssertFalse(e.check(.ksPValue).enabled)
        XCTAssertFalse(e.check(.eq4VsReference).enabled)
        XCTAssertTrue(e.check(.eq4VsEq5).enabled)
        XCTAssertEqual(e.output, OutputOptions())
        // The flow maps (0, 1) to (0, ∞): −log U at u = e^{-1} is 1, density of Exp(1) there e^{-1}.
        let y = PointBatch(scalars: [1.0])
        XCTAssertLessThanOrEqual(relativeError(e.flow.logDensityByInverse(y)[0], -1), 1e-15)
    }

    func testStarterSpecPassesValidation() throws {
        let e = try SpecLoader.load(text: StarterSpec.text(title: "demo \"quoted\""), path: "demo.yaml")
        XCTAssertEqual(e.title, "demo \"quoted\"")
        XCTAssertEqual(e.name, "demo")
        XCTAssertEqual(e.figures.count, 4)
    }

    func testDefaultFigureOptionsFollowZdybal() {
        let options = FigureRequest(kind: .densities).resolvedOptions(maps: 1)
        XCTAssertEqual(options.bins, 100)
        XCTAssertEqual(options.alpha, 0.4)
        XCTAssertEqual(options.colors, ["#F0B51F", "#336B8B"])
        XCTAssertEqual(options.lineWidth, 3)
        XCTAssertEqual(FigureRequest(kind: .histograms).resolvedOptions(maps: 1).alpha, 1)
        XCTAssertEqual(FigureRequest(kind: .calibration).resolvedOptions(maps: 1).calibration, .pit)
    }

    func testCheckPassDirection() {
        XCTAssertTrue(CheckName.ksPValue.passes(value: 0.2, limit: 1e-3))
        XCTAssertFalse(CheckName.ksPValue.passes(value: 1e-4, limit: 1e-3))
        XCTAssertTrue(CheckName.eq4VsEq5.passes(value: 1e-15, limit: 1e-12))
        XCTAssertFalse(CheckName.eq4VsEq5.passes(value: .nan, limit: 1e-12))
    }
}
