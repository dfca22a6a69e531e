import FlowKit
import Foundation
import Report

/// The whole one-dimensional streaming pass of reports/lognormal.yaml's experiment, set up by
/// the run's own ``RunPlan`` (pilot chunk, automatic ranges, the figure plan's histogram
/// requests), at 10⁶ and 10⁷ samples on 1 and
/// 2 jobs: ns per sample, and the peak resident set size of each run (VmHWM, reset before
/// the run), which must not grow with the sample count.
///
/// Then where the time of 10⁹ samples goes: each phase of a chunk timed alone
/// (``phaseBreakdown``) and extrapolated, against the whole pass extrapolated.
enum PipelineBenchmark {
    static let specPath = "reports/lognormal.yaml"

    /// numpy's time for the parts of a sample of this pass that numpy has one call for: a
    /// normal draw, an exp and one histogram insert per filled histogram (three figure
    /// histograms and the streaming KS histogram).
    static let histogramsPerSample = 4
    static var numpyPerSample: Double? {
        guard let normal = NumpyReference.normal, let exp = NumpyReference.exp,
              let histogram = NumpyReference.histogram else { return nil }
        return normal + exp + Double(histogramsPerSample) * histogram
    }

    /// The pass of `experiment` at `samples`, set up as a run sets it up.
    static func pass(_ experiment: Experiment, samples: Int) -> RunPlan {
        RunPlan(experiment: experiment, samples: samples, seed: experiment.seed)
    }

    struct Measured {
        var wallPerSample: Double
        var cpuPerSample: Double
        var peakBytes: Int?
        var summary: String
    }

    /// Best of `repetitions` runs of the pass (wall clock, and process CPU time of the same
    /// run); the peak RSS is the largest over the runs.
    static func measure(_ pass: RunPlan, jobs: Int, repetitions: Int) throws -> Measured {
        var peak: Int?
        var summary = ""
        var best = (wall: Double.infinity, cpu: Double.infinity)
        for _ in 0..<repetitions {
            Timing.resetPeakResident()
            let wall0 = Timing.now(.wall), cpu0 = Timing.now(.process)
            let totals = try pass.stream(jobs: jobs)
            let wall = Double(Timing.now(.wall) - wall0), cpu = Double(Timing.now(.process) - cpu0)
            if wall < best.wall { best = (wall, cpu) }
            if let p = Timing.peakResidentBytes() { peak = max(peak ?? 0, p) }
            let output = totals.moments[totals.moments.count - 1]
            summary = String(format: "mean y %.17g, KS D %.17g", output.mean, totals.ks?.statistic ?? .nan)
        }
        let n = Double(pass.pass.samples)
        return Measured(wallPerSample: best.wall / n, cpuPerSample: best.cpu / n, peakBytes: peak, summary: summary)
    }

    static func megabytes(_ bytes: Int?) -> String {
        bytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "n/a"
    }

    static let wholePass = Benchmark(name: "pipeline", summary: "SamplePass.run of \(specPath) at 10^6 and 10^7 samples, 1 and 2 jobs: ns/sample, peak RSS") {
        let experiment = try SpecLoader.load(path: specPath)
        var rows: [BenchmarkRow] = []
        var notes: [String] = []
        var peaks: [Int: [Int: Int]] = [:]
        var perSample: [Int: Double] = [:]
        for samples in [1_000_000, 10_000_000] {
            let pass = pass(experiment, samples: samples)
            for jobs in [1, 2] {
                let m = try measure(pass, jobs: jobs, repetitions: samples >= 10_000_000 ? 2 : 3)
                if let p = m.peakBytes { peaks[samples, default: [:]][jobs] = p }
                if samples == 10_000_000 { perSample[jobs] = jobs == 1 ? m.cpuPerSample : m.wallPerSample }
                let label = samples == 1_000_000 ? "10^6" : "10^7"
                // One job: CPU time (the wall clock on a shared machine measures the queue);
                // two jobs: wall clock, the time a user waits.
                rows.append(BenchmarkRow(
                    name: "pipeline \(label), \(jobs) job\(jobs == 1 ? " (cpu)" : "s (wall)")",
                    value: jobs == 1 ? m.cpuPerSample : m.wallPerSample, unit: "ns",
                    reference: numpyPerSample, target: samples == 10_000_000 ? .timesNumpy(jobs == 1 ? 1.5 : 1) : nil,
                    detail: String(format: "wall %.0f ns, cpu %.0f ns; peak RSS %@; %@", m.wallPerSample, m.cpuPerSample,
                                   megabytes(m.peakBytes), m.summary)))
            }
        }
        for jobs in [1, 2] {
            guard let small = peaks[1_000_000]?[jobs], let large = peaks[10_000_000]?[jobs] else { continue }
            rows.append(BenchmarkRow(
                name: "peak RSS 10^7 / 10^6, \(jobs) job\(jobs == 1 ? "" : "s")", value: Double(large) / Double(small), unit: "×",
                reference: nil, target: .atMost(1.1),
                detail: "\(megabytes(large)) at 10^7 vs \(megabytes(small)) at 10^6 (10^6 keeps its outputs for the exact KS test)"))
        }
        notes.append("pipeline numpy reference: normal + exp + \(histogramsPerSample) histogram inserts = \(numpyPerSample.map(BenchmarkTable.number) ?? "n/a") ns per sample (numpy has no single call for the CDFs, moments and support counts the pass also computes)")
        notes += try phaseBreakdown(experiment, wholePass: perSample)
        return BenchmarkOutput(rows: rows, notes: notes)
    }

    /// Each phase of a chunk of the pass timed alone on one chunk of 2¹⁶ samples (best of
    /// several runs), and the whole pass per sample, extrapolated to 10⁹ samples. The phases
    /// mirror ``SamplePass`` (kept in step with it by hand): base draws, base log density, the
    /// maps in place, the stage histograms with the support counts of the stages before the
    /// output, the output's support counts and moments, the finiteness of log p, and the counts
    /// of the outputs in the reference's ``CDFBinning`` (the KS test and the PIT histograms).
    static func phaseBreakdown(_ experiment: Experiment, wholePass: [Int: Double]) throws -> [String] {
        let n = SamplePass.chunkSize
        let pass = pass(experiment, samples: 10_000_000)
        let flow = experiment.flow
        let reps = 30
        var points = PointBatch(dimension: 1, count: n)
        var phases: [(String, Double)] = []
        var comparisons: [String] = []
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            let ns = try Timing.best(repetitions: reps, clock: .thread, body)
            phases.append((name, ns / Double(n)))
        }
        time("base draws (normal)") {
            var stream = RandomStream(seed: 7, stream: 3)
            flow.base.sample(into: &points, using: &stream)
        }
        time("base log density") { blackHole(flow.base.logDensity(points)) }
        var stages: [[Double]] = []
        time("maps forward (in place)") {
            var current = points
            var logAbsDet = [Double](repeating: 0, count: n)
            for map in experiment.maps { map.forward(&current, logAbsDet: &logAbsDet) }
            blackHole(current)
        }
        // The stages once more, for the phases below (untimed).
        var current = points
        var logAbsDet = [Double](repeating: 0, count: n)
        stages = [current.values]
        for map in experiment.maps {
            map.forward(&current, logAbsDet: &logAbsDet)
            stages.append(current.values)
        }
        let supports = flow.stageSupports
        let stageRequests = pass.histogramRequests.filter { if case .stage = $0.source { return true } else { return false } }
        try time("stage histograms (\(stageRequests.count)) + support counts") {
            // As SamplePass: a stage before the output is counted against its support while its
            // first histogram is filled; the output by FiniteScan (next phase).
            var outside = 0, nonFinite = 0
            var scanned = Set<Int>()
            for request in stageRequests {
                guard case let .stage(s) = request.source else { continue }
                var h = try Histogram(low: request.low, high: request.high, binCount: request.bins)
                stages[s].withUnsafeBufferPointer { values in
                    if s != stages.count - 1, scanned.insert(s).inserted {
                        let counts = h.insert(contentsOf: values, scanningSupport: supports[s][0].lower, supports[s][0].upper)
                        outside += counts.outside
                        nonFinite += counts.nonFinite
                    } else {
                        h.insert(contentsOf: values)
                    }
                }
                blackHole(h)
            }
            blackHole(outside + nonFinite)
        }
        time("output support counts + moments") {
            let s = stages.count - 1
            let scan = stages[s].withUnsafeBufferPointer { FiniteScan($0, lower: supports[s][0].lower, upper: supports[s][0].upper) }
            blackHole(scan.moments)
            blackHole(scan.outside + scan.nonFinite)
        }
        let baseLogDensity = flow.base.logDensity(points)
        time("log p = log p_0 - log|det| (finiteness)") {
            var nonFinite = 0
            for i in 0..<n {
                let l = baseLogDensity[i] - logAbsDet[i]
                nonFinite &+= l - l == 0 ? 0 : 1
            }
            blackHole(nonFinite)
        }
        if let reference = experiment.reference {
            let y = stages[stages.count - 1]
            if let binning = try pass.pass.referenceBinning(histograms: pass.histogramRequests) {
                // As SamplePass: the outputs counted in the bins of the reference's CDFBinning, in a
                // worker's shard (no per-chunk copy or merge); KS and PIT from the totals at the end.
                let counts = ShardedCounts(binCount: binning.countsLength)
                time("KS + PIT counts (CDFBinning, bins by the bits of y)") {
                    y.withUnsafeBufferPointer { values in counts.withShard(adding: values.count) { binning.count(values, into: $0) } }
                }
                let build = Timing.best(repetitions: 5, clock: .thread) {
                    blackHole(try? pass.pass.referenceBinning(histograms: pass.histogramRequests))
                }
                comparisons.append(String(format: "  (CDFBinning: %d bins of F-mass <= 2^-16, built once per pass in %.1f ms)",
                                          binning.binCount, build / 1e6))
            }
            // For comparison only (not in the sum): the per-value route, which a pass takes when the
            // reference has no binning: u = F_ref(y) by table, then the PIT and KS u-histograms.
            var u = [Double](repeating: 0, count: n)
            var perValue = 0.0
            if let table = BucketedCDF(reference) {
                perValue += Timing.best(repetitions: reps, clock: .thread) {
                    y.withUnsafeBufferPointer { y in u.withUnsafeMutableBufferPointer { table.cdf(of: y, into: $0) } }
                } / Double(n)
            }
            let ks = try Histogram(low: 0, high: 1, binCount: SamplePass.streamingKSBins)
            perValue += try Timing.best(repetitions: reps, clock: .thread) {
                var pit = try Histogram(low: 0, high: 1, binCount: 20)
                u.withUnsafeBufferPointer { pit.insert(contentsOf: $0) }
                var counts = HistogramCounts(binning: ks)
                u.withUnsafeBufferPointer { counts.insert(contentsOf: $0) }
                var merged = ks
                merged.merge(counts)
                blackHole((pit, merged))
            } / Double(n)
            comparisons.append(String(format: "  (the per-value route instead, not in the sum: u by BucketedCDF + u histograms %.1f ns/sample)", perValue))
        }
        let phaseSum = phases.reduce(0) { $0 + $1.1 }
        var lines = ["where the time of 10^9 samples goes (one job, phases timed alone on a chunk of 2^16, extrapolated):"]
        // ns per sample × 10⁹ samples = seconds.
        func line(_ name: String, _ ns: Double, _ rest: String) -> String {
            "  " + name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%7.1f s  (%5.1f ns/sample%@)", ns, ns, rest)
        }
        for (name, ns) in phases { lines.append(line(name, ns, String(format: ", %4.1f%%", 100 * ns / phaseSum))) }
        lines += comparisons
        lines.append(line("sum of phases", phaseSum, ""))
        if let one = wholePass[1] {
            lines.append(line("whole pass, 1 job (cpu, measured at 10^7)", one, String(format: "; beyond the phases %.1f ns", one - phaseSum)))
        }
        if let two = wholePass[2] { lines.append(line("whole pass, 2 jobs (wall, measured at 10^7)", two, "")) }
        return lines
    }
}
