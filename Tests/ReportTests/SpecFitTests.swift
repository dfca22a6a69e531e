import XCTest
import TestSupport
@testable import Report
import FlowKit

/// Valid fit specs: layer entries with `repeat` and options, defaults, starting parameters,
/// fixed layers by `parameters`, data files, and `flowreport list`.
final class SpecFitTests: XCTestCase {
    func testRepeatExpandsIntoAlternatingLayersWithTheirOptions() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 2]}}
        flow:
          - {spline_coupling: {repeat: 3, hidden: [8], bins: 5, bound: 4}}
          - maf
        fit: {objective: maximum_likelihood, data: moons}
        """, path: "s.yaml")
        let plan = try XCTUnwrap(experiment.fit)
        XCTAssertEqual(plan.layers.count, 4)
        let splines = plan.layers.prefix(3).compactMap { $0.layer as? TrainableSplineCoupling }
        XCTAssertEqual(splines.map(\.parity), [0, 1, 0])
        XCTAssertEqual(splines.map(\.bins), [5, 5, 5])
        XCTAssertEqual(splines.map(\.bound), [4, 4, 4])
        XCTAssertEqual(splines[0].conditioner.widths, [1, 8, 3 * 5 - 1])
        XCTAssertTrue(plan.layers[3].layer is TrainableMAF)
        XCTAssertTrue(plan.layers.allSatisfy { $0.fixed == nil })
        XCTAssertEqual(plan.baseMean, [0, 0])
        XCTAssertEqual(plan.baseStd, [1, 2])
        XCTAssertEqual(experiment.maps.count, 4)
        // Defaults of the fit section.
        let s = plan.settings
        XCTAssertEqual(s.objective, .maximumLikelihood)
        XCTAssertEqual(s.iterations, 10_000)
        XCTAssertEqual(s.batch, 256)
        XCTAssertEqual(s.optimizer, .adam(learningRate: 1e-3))
        XCTAssertNil(s.clip)
        XCTAssertEqual(s.schedule, .constant)
        XCTAssertEqual(s.anneal, 0)
        XCTAssertTrue(s.trainBase)
        XCTAssertEqual(s.validationEvery, 500)
        guard case .dataset(.moons)? = s.data else { return XCTFail("data") }
    }

    /// BNAF's optimiser settings: Adam with AMSGrad and gradient-norm clipping.
    func testAMSGradAndClipAreRead() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{bnaf: {repeat: 2, hidden: 8}}]
        fit: {objective: maximum_likelihood, data: 2spirals, optimizer: {adam: {learning_rate: 0.1, amsgrad: true}}, clip: 0.1}
        """, path: "b.yaml")
        let s = try XCTUnwrap(experiment.fit?.settings)
        XCTAssertEqual(s.optimizer, .adam(learningRate: 0.1, amsgrad: true))
        XCTAssertEqual(s.clip, 0.1)
    }

    /// A bnaf entry's first flow (next to the base) has BNAF's residual-free last flow's fixed
    /// small identity share, the others a learned gate; a fit leaves the fixed gate at 5 exactly.
    func testBNAFFlowNextToTheBaseKeepsAFixedResidual() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{bnaf: {repeat: 2, hidden: 3}}]
        fit: {objective: maximum_likelihood, data: 2spirals, iterations: 30, batch: 32, optimizer: {adam: {learning_rate: 0.05}}}
        """, path: "b.yaml")
        let plan = try XCTUnwrap(experiment.fit)
        let layers = plan.layers.compactMap { $0.layer as? TrainableBNAF }
        XCTAssertEqual(layers.map(\.residual), [.fixed, .gated])
        XCTAssertEqual(layers.map(\.reversed), [false, true])
        let run = try FitRun(plan: plan, seed: 3, jobs: 1)
        XCTAssertEqual(run.layerParameters(0).last, 5)
        let learned = try XCTUnwrap(run.layerParameters(1).last)
        XCTAssertNotEqual(learned, 0)
        // The rest of the first flow is trained.
        let start = run.flow.parameters(ofLayer: 0, in: run.flow.initialParameters(seed: 3))
        XCTAssertNotEqual(Array(run.layerParameters(0).dropLast()), Array(start.dropLast()))
    }

    func testEveryKeyOfTheFitSectionIsRead() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{planar: {repeat: 32}}, radial]
        fit:
          objective: reverse_kl
          target: u3
          iterations: 20000
          batch: 64
          optimizer: {rmsprop: {learning_rate: 1e-5, momentum: 0.8}}
          schedule: cosine
          anneal: 10000
          train_base: false
          validation: {every: 250}
        checks: {kl_model_to_target: 0.5}
        """, path: "r.yaml")
        let s = try XCTUnwrap(experiment.fit?.settings)
        XCTAssertEqual(experiment.fit?.layers.count, 33)
        XCTAssertEqual(s.target, .u3)
        XCTAssertEqual(s.iterations, 20_000)
        XCTAssertEqual(s.batch, 64)
        XCTAssertEqual(s.optimizer, .rmsprop(learningRate: 1e-5, momentum: 0.8))
        XCTAssertEqual(s.schedule, .cosine)
        // The cosine schedule: η at the start, η/2 half-way, 0 at the end of the 20,000 iterations.
        let schedule = s.schedule.schedule(rate: s.optimizer.learningRate, iterations: s.iterations)
        XCTAssertEqual(schedule.rate(at: 0), 1e-5, accuracy: 1e-20)
        XCTAssertEqual(schedule.rate(at: 10_000), 0.5e-5, accuracy: 1e-19)
        XCTAssertEqual(schedule.rate(at: 20_000), 0, accuracy: 1e-20)
        XCTAssertEqual(s.anneal, 10_000)
        XCTAssertFalse(s.trainBase)
        XCTAssertEqual(s.validationEvery, 250)
        XCTAssertEqual(s.limits["kl_model_to_target"], 0.5)
    }

    /// The fit checks' limits sit in the top-level checks: with the others, in every form a
    /// check takes there, and reach the variants' fits too; `off` removes a check.
    func testFitCheckLimitsAreSetWithTheOtherChecks() throws {
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{planar: {repeat: 2}}]
        fit: {objective: reverse_kl, target: u1}
        checks:
          eq4_vs_eq5: {limit: 1e-10}
          kl_model_to_target: {limit: 0.25}
          gradient_check: 1e-4
          elbo_below_log_z: off
        variants:
          radial: {flow: [{radial: {repeat: 2}}], fit: {target: u2}}
        """, path: "c.yaml")
        for limits in [experiment.fit?.settings.limits, experiment.variants.first?.fit?.settings.limits] {
            let l = try XCTUnwrap(limits)
            XCTAssertEqual(l["kl_model_to_target"], 0.25)
            XCTAssertEqual(l["gradient_check"], 1e-4)
            XCTAssertEqual(l["heldout_nll"], .infinity, "unset: off")
            XCTAssertTrue(l.keys.contains("heldout_nll"))
            XCTAssertFalse(l.keys.contains("elbo_below_log_z"), "off")
        }
        XCTAssertEqual(experiment.check(.eq4VsEq5).limit, 1e-10, "the ordinary checks are read as before")
        let ml = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{coupling: {repeat: 2, hidden: [4]}}]
        fit: {objective: maximum_likelihood, data: moons}
        checks: {heldout_nll: 3.5, elbo_below_log_z: on}
        """, path: "m.yaml")
        XCTAssertEqual(ml.fit?.settings.limits["heldout_nll"], 3.5)
        XCTAssertEqual(ml.fit?.settings.limits["elbo_below_log_z"], 3)
    }

    func testFittedLayersStartAtTheParametersOfTheFit() throws {
        let experiment = try SpecLoader.load(text: """
        seed: 7
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{coupling: {repeat: 2, hidden: [4]}}]
        fit: {objective: maximum_likelihood, data: moons}
        """, path: "c.yaml")
        let plan = try XCTUnwrap(experiment.fit)
        let flow = TrainableFlow(dimension: 2, layers: plan.layers.map(\.layer))
        let start = flow.initialParameters(seed: 7)
        for k in 0..<2 {
            let map = try XCTUnwrap(experiment.maps[k] as? TrainedLayerMap)
            XCTAssertEqual(map.parameters, flow.parameters(ofLayer: k, in: start))
        }
    }

    func testALayerWithAllItsParametersIsFixedAndNeedsNoFit() throws {
        let layer = TrainableAdditiveCoupling(dimension: 2, parity: 1, hidden: [3])
        let values = (0..<layer.parameterCount).map { 0.1 * Double($0 % 7) - 0.3 }
        let list = "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
        let experiment = try SpecLoader.load(text: """
        base: {normal: {mean: [0, 0], std: [1, 1]}}
        flow: [{additive_coupling: {hidden: [3], parity: 1, parameters: \(list)}}]
        """, path: "f.yaml")
        XCTAssertNil(experiment.fit)
        let map = try XCTUnwrap(experiment.maps.first as? TrainedLayerMap)
        XCTAssertEqual(map.parameters, values)
        // The same map as the layer: y_b = x_b + m(x_a).
        var batch = PointBatch(dimension: 2, values: [0.3, -1.2])
        var reference = batch
        var logDet = [0.0], referenceLogDet = [0.0]
        map.forward(&batch, logAbsDet: &logDet)
        try layer.evaluate(.sampling, parameters: values, batch: &reference, logAbsDet: &referenceLogDet)
        XCTAssertEqual(batch.values, reference.values)
        map.inverse(&batch, logAbsDet: &logDet)
        XCTAssertEqual(batch.values[0], 0.3, accuracy: 1e-15)
        XCTAssertEqual(batch.values[1], -1.2, accuracy: 1e-15)
    }

    func testPointFilesReadCSVWithAHeaderAndNPY() throws {
        let csv = try PointFile.csv(Data("x,y\n1,2\n3.5,-4e-1\n".utf8))
        XCTAssertEqual(csv.dimension, 2)
        XCTAssertEqual(csv.values, [1, 2, 3.5, -0.4])
        // A NumPy v1.0 file of shape (2, 2), float64.
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xff), UInt8(header.utf8.count >> 8)]
        bytes += Array(header.utf8)
        for x in [1.0, -2.5, 3.25, 1e-300] { withUnsafeBytes(of: x.bitPattern.littleEndian) { bytes += $0 } }
        let npy = try PointFile.npy(Data(bytes))
        XCTAssertEqual(npy.dimension, 2)
        XCTAssertEqual(npy.values, [1.0, -2.5, 3.25, 1e-300])
    }

    func testListShowsTheFittableLayersWithTheirDefaults() {
        let text = CatalogListing.text()
        XCTAssertTrue(text.contains("Fittable layers"))
        for name in FitLayerCatalog.names { XCTAssertTrue(text.contains("  \(name) — "), name) }
        XCTAssertTrue(text.contains("bins (integer, 1 … 64, default 8)"), text)
        XCTAssertTrue(text.contains("repeat (integer, 1 … 1000, default 1)"))
    }

    func testNumbersAreWrittenSoYAMLReadsThemBackExactly() throws {
        for x in [1e-05, -3.0, 0.1, Double.leastNonzeroMagnitude, 1.2345e+200, 2.0 / 3.0, -0.0] {
            let text = "base: {normal: {mean: [\(FittedSpec.number(x)), 0], std: [1, 1]}}\nflow: [reverse]\n"
            let experiment = try SpecLoader.load(text: text, path: "n.yaml")
            let mean = (experiment.base as? MultivariateNormalDistribution)?.mean[0]
            XCTAssertEqual(mean?.bitPattern, x.bitPattern, FittedSpec.number(x))
        }
    }
}
