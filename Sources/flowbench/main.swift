import Foundation

// flowbench: benchmarks and the plot gallery.
//   flowbench gallery DIR      render every gallery figure to DIR as PNG and PDF
//   flowbench bench [NAME…]    run the registered benchmarks (all, or those named)
//   flowbench list             list the registered benchmarks
//   flowbench workload NAME N  one training workload of N iterations beside its peer, as JSON
//                              (PeerWorkload; run by Scripts/peer_bench.py, `make bench-peers`)
// Add a benchmark by appending a `Benchmark` to `benchmarks` below.

/// A named benchmark: runs its workload and returns table rows (and notes).
struct Benchmark: Sendable {
    let name: String
    let summary: String
    let run: @Sendable () throws -> BenchmarkOutput
}

let benchmarks: [Benchmark] = [
    SamplingBenchmarks.uniform,
    SamplingBenchmarks.standardNormal,
    SamplingBenchmarks.standardNormalBatch,
    SamplingBenchmarks.expMap,
    SamplingBenchmarks.histogramInsert,
    SamplingBenchmarks.flowSample,
    KernelBenchmark.kernels,
    PipelineBenchmark.wholePass,
    PlotBenchmark.twoPanelPNGAndPDF,
    PlotBenchmark.rasterOnly,
    MultivariateBenchmark.planarGrid, MultivariateBenchmark.histogramStream,
    TrainingBenchmark.planarReverseKL, TrainingBenchmark.couplingMaximumLikelihood,
    SplineFitBenchmark.eightGaussians, SplineFitBenchmark.checkerboard, SplineFitBenchmark.phases, MatrixProductsBenchmark.products,
    FlowMatchingBenchmark.speed, FlowMatchingBenchmark.quality,
]

/// The load average, printed with the results: on a shared machine it says how much the
/// numbers are inflated by other work.
func loadAverage() -> String {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "n/a" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: flowbench gallery DIR | flowbench bench [NAME…] | flowbench list | flowbench workload NAME ITERATIONS\n".utf8))
    exit(2)
}

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { usage() }
do {
    switch command {
    case "gallery":
        guard args.count == 2 else { usage() }
        try Gallery.render(into: args[1])
    case "bench":
        let names = Set(args.dropFirst())
        let chosen = benchmarks.filter { names.isEmpty || names.contains($0.name) }
        if chosen.isEmpty { FileHandle.standardError.write(Data("no benchmark named \(names.sorted())\n".utf8)); exit(2) }
        // The numpy peer first, on a machine not yet busy with our benchmarks.
        _ = NumpyReference.measured
        print("flowbench: \(chosen.count) benchmark(s), \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) before")
        var rows: [BenchmarkRow] = []
        var notes: [String] = []
        for b in chosen {
            FileHandle.standardError.write(Data("running \(b.name)…\n".utf8))
            let output = try b.run()
            rows += output.rows
            notes += output.notes
        }
        print(BenchmarkTable.render(rows))
        print("")
        if NumpyReference.measured.version != nil || rows.contains(where: { $0.reference != nil }) {
            print(NumpyReference.measured.summary)
        }
        for line in notes { print(line) }
        print("")
        for line in BenchmarkTable.verdicts(rows) { print(line) }
        print("load average after: \(loadAverage())")
    case "workload":
        guard args.count == 3, let iterations = Int(args[2]), iterations > 0 else { usage() }
        let result = try PeerWorkload.run(args[1], iterations: iterations)
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    case "list":
        for b in benchmarks { print("\(b.name)\t\(b.summary)") }
    default:
        usage()
    }
} catch {
    FileHandle.standardError.write(Data("flowbench: error: \(error)\n".utf8))
    exit(1)
}
