import FlowKit
import Foundation
import Report

/// The two speed targets of issue 5 ("Speed"):
///
/// - `planar-grid`: the density of a 10-layer planar flow (the planar chain of
///   `reports/rezende-fig1.yaml`, unit Gaussian base) on an 800 × 800 grid over (−4, 4)² by
///   Eq. 5, numerical planar inverses included, through ``PlaneDensity`` with jobs = 2 (the
///   report's parallel grid path); also with Eq. 4 for comparison. Target: well under 1 s.
/// - `histogram-stream`: a 2-D histogram (100 × 100 bins) of 10⁶, 10⁷ and 10⁸ samples of the
///   same flow through ``SamplePass`` with jobs = 2, with the peak resident set
///   (VmHWM of /proc/self/status) after each: constant memory means VmHWM does not grow with
///   the sample count. Run it in its own process (`flowbench bench histogram-stream`), since
///   VmHWM is the peak over the whole process.
enum MultivariateBenchmark {
    /// The 10 planar maps of `reports/rezende-fig1.yaml`, (w, u, b).
    static let planarLayers: [(w: [Double], u: [Double], b: Double)] = [
        ([3, 0], [1.5, 0], 0), ([0, 4], [0, -0.5625], 0), ([1, 1], [0.8, -0.4], 0.5),
        ([-1, 0.5], [0.6, 0.7], -0.5), ([0.3, -1.2], [-0.4, 0.3], 0.8), ([1.2, 0.3], [-0.3, 0.9], -1),
        ([-0.6, -1], [0.5, -0.5], 0.2), ([1.2, -0.5], [0.5, 0.4], 1), ([0.2, 1.2], [-0.7, 0.4], -0.4),
        ([-1, 0.7], [0.4, 0.6], 0.5),
    ]

    static func planarFlow() throws -> Flow {
        let maps: [any Bijection] = try planarLayers.map { try PlanarTransform(PlanarParameters(u: $0.u, w: $0.w, b: $0.b), dimension: 2) }
        let base = try MultivariateNormalDistribution(mean: [0, 0], choleskyFactor: [1, 0, 0, 1])
        return try Flow(base: base, chain: TransformChain(maps: maps, dimension: 2))
    }

    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let a = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - a) / 1e6
    }

    /// User + system CPU seconds of this process so far (all threads), from getrusage.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// VmHWM (peak resident set) of this process in MiB, from /proc/self/status; nil elsewhere.
    static func peakResidentMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kB = Double(fields[1]) { return kB / 1024 }
        }
        return nil
    }

    static let planarGrid = Benchmark(
        name: "planar-grid",
        summary: "Eq. 5 density of a 10-layer planar flow on 800 × 800 cells of (−4, 4)², PlaneDensity, jobs = 2"
    ) {
        let flow = try planarFlow()
        let n = 800
        var integral = 0.0
        func run(eq4: Bool) -> [Double] {
            (0..<7).map { _ in
                milliseconds {
                    let grid = PlaneDensity(flow: flow, x: -4...4, y: -4...4, columns: n, rows: n, eq4: eq4, jobs: 2)
                    integral = grid.integral
                }
            }.sorted()
        }
        let cpu0 = cpuSeconds()
        let eq5 = run(eq4: false)
        let cpu = (cpuSeconds() - cpu0) / Double(eq5.count)
        let both = run(eq4: true)
        // CPU time per grid over 2 threads is the wall time on 2 otherwise idle cores.
        return BenchmarkOutput(rows: [
            BenchmarkRow(name: "planar K=10 density, 800² grid (Eq. 5)", value: 1e3 * cpu / 2, unit: "ms",
                         reference: nil, target: .below(1000),
                         detail: String(format: "CPU time per grid / 2 threads; wall median %.0f ms (min %.0f, max %.0f) over %d runs on this machine; midpoint integral %.6f",
                                        eq5[eq5.count / 2], eq5[0], eq5[eq5.count - 1], eq5.count, integral)),
            BenchmarkRow(name: "planar K=10 density, 800² grid (Eq. 5 + Eq. 4)", value: both[both.count / 2], unit: "ms",
                         reference: nil, target: nil, detail: "wall median; Eq. 4 repeats the numerical inverse for the preimages"),
        ])
    }

    static let histogramStream = Benchmark(
        name: "histogram-stream",
        summary: "100 × 100-bin 2-D histogram of 10⁶, 10⁷, 10⁸ samples of the 10-layer planar flow, jobs = 2; VmHWM after each"
    ) {
        let flow = try planarFlow()
        let request = PlaneHistogramRequest(source: .flow, x: -4...4, y: -4...4, bins: 100)
        let start = peakResidentMiB() ?? .nan
        let counts = ProcessInfo.processInfo.environment["FLOWBENCH_STREAM_MAX"].flatMap(Int.init) ?? 100_000_000
        var rows: [BenchmarkRow] = []
        var peaks: [Double] = []
        var samples = 1_000_000
        while samples <= counts {
            let pass = SamplePass(flow: flow, samples: samples, seed: 1)
            var total = 0.0
            let ms = try milliseconds { total = try pass.run(histograms: [], planes: [request], jobs: 2).planes[request]?.totalCount ?? 0 }
            guard total == Double(samples) else { throw BenchmarkFailure(message: "histogram counted \(total) of \(samples) samples") }
            let peak = peakResidentMiB() ?? .nan
            peaks.append(peak)
            rows.append(BenchmarkRow(name: "2-D histogram, 10^\(Int(log10(Double(samples)).rounded())) samples: VmHWM", value: peak, unit: "MiB",
                                     reference: nil, target: nil,
                                     detail: String(format: "%.1f s (%.1f M samples/s); VmHWM at start %.1f MiB", ms / 1e3, Double(samples) / ms / 1e3, start)))
            samples *= 10
        }
        if let first = peaks.first, let last = peaks.last, peaks.count > 1 {
            rows.append(BenchmarkRow(name: "2-D histogram: VmHWM growth over the sample counts", value: last - first, unit: "MiB",
                                     reference: nil, target: .atMost(16), detail: "constant memory: growth from the smallest to the largest run"))
        }
        return BenchmarkOutput(rows: rows)
    }
}

/// A benchmark whose workload produced a wrong result.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
