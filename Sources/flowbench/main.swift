import Foundation

// flowbench: benchmarks and the plot gallery.
//   flowbench gallery DIR      render every gallery figure to DIR as PNG and PDF
//   flowbench bench [NAME…]    run the registered benchmarks (all, or those named)
//   flowbench list             list the registered benchmarks
// Add a benchmark by appending a `Benchmark` to `benchmarks` below.

/// A named benchmark: runs its workload and returns a one-line result.
struct Benchmark: Sendable {
    let name: String
    let summary: String
    let run: @Sendable () throws -> String
}

let benchmarks: [Benchmark] = [
    PlotBenchmark.twoPanelPNGAndPDF,
    PlotBenchmark.rasterOnly,
    MultivariateBenchmark.planarGrid, MultivariateBenchmark.histogramStream,
]

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: flowbench gallery DIR | flowbench bench [NAME…] | flowbench list\n".utf8))
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
        for b in chosen { print("\(b.name): \(try b.run())") }
    case "list":
        for b in benchmarks { print("\(b.name)\t\(b.summary)") }
    default:
        usage()
    }
} catch {
    FileHandle.standardError.write(Data("flowbench: error: \(error)\n".utf8))
    exit(1)
}
