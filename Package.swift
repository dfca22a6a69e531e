// swift-tools-version:6.2
import PackageDescription

// MARK: - x86-64 feature level (issues 10, 12, 13)
/// On x86-64 our own targets are compiled for the x86-64-v3 feature set (AVX2, FMA, BMI1/2,
/// F16C, LZCNT, MOVBE), so a `SIMD4<Double>` is one 256-bit register. swiftc's `-target-cpu`
/// does not accept the name `x86-64-v3`; `haswell` is the CPU that introduced exactly that set
/// (it also implies AES, PCLMUL and RDRAND, which no code here asks for); `-Xcc -march=x86-64-v3`
/// gives the Clang importer the same level. Never AVX-512 and never -march=native: the binaries
/// need AVX2 and FMA (Intel since Haswell, 2013; AMD since Excavator, 2015) and stop with an
/// illegal instruction on older x86-64 CPUs. The compiler does not contract a·b + c into an FMA
/// by itself; only our vector kernels fuse their multiply–adds, explicitly, under `FLOWKIT_FMA`
/// (``FeatureMajorKernels``, and ``VectorExponential``, which the trainable layers and the `exp`
/// map use), so every x86-64 build gives the same values. Elsewhere: the baseline instruction
/// set and unfused multiply–adds. The dependencies keep their own flags.
#if arch(x86_64)
let cpuFeatures: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell", "-Xcc", "-march=x86-64-v3"])]
let fusedKernels: [SwiftSetting] = [.define("FLOWKIT_FMA")]
#else
let cpuFeatures: [SwiftSetting] = []
let fusedKernels: [SwiftSetting] = []
#endif

/// Our own targets build without a single warning: every warning is an error (SE-0443). SwiftPM
/// applies this to this package's targets only, never to the dependencies' code.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)] + cpuFeatures

let package = Package(
    name: "flowreport",
    platforms: [.macOS(.v13)],
    products: [
        // MARK: - Libraries
        .library(name: "FlowKit", targets: ["FlowKit"]),
        .library(name: "FlowTraining", targets: ["FlowTraining"]),
        .library(name: "Plot", targets: ["Plot"]),
        .library(name: "PlotCairo", targets: ["PlotCairo"]),
        .library(name: "Report", targets: ["Report"]),
        // MARK: - Executables
        .executable(name: "flowreport", targets: ["flowreport"]),
        .executable(name: "flowbench", targets: ["flowbench"]),
        .executable(name: "flowfuzz", targets: ["flowfuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // MARK: - Libraries
        .target(name: "FlowKit", swiftSettings: strict + fusedKernels),
        .target(name: "FlowTraining", dependencies: ["FlowKit"], swiftSettings: strict + fusedKernels),
        .target(name: "Plot", swiftSettings: strict),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        /// `deflateInit_` with a per-thread level in place of zlib's default: Cairo's PDF streams
        /// at level 1 (see `PDFDocument.streamCompressionLevel`).
        .target(name: "CFlateLevel"),
        .target(name: "PlotCairo", dependencies: ["Plot", "CCairo", "CPNG", "CFlateLevel"], swiftSettings: strict),
        .target(
            name: "Report",
            dependencies: [
                "FlowKit", "FlowTraining", "Plot", "PlotCairo",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Executables
        .executableTarget(
            name: "flowreport",
            dependencies: ["Report", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        .executableTarget(name: "flowbench", dependencies: ["FlowKit", "FlowTraining", "Plot", "PlotCairo", "Report"], swiftSettings: strict),
        // A mutation fuzzer that runs the flowreport binary on mutants of the shipped specs (`make fuzz`).
        .executableTarget(name: "flowfuzz", dependencies: ["FlowKit"], swiftSettings: strict),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["FlowKit"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "FlowKitTests", dependencies: ["FlowKit", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "FlowTrainingTests", dependencies: ["FlowTraining", "FlowKit", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PlotCairoTests", dependencies: ["Plot", "PlotCairo", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ReportTests", dependencies: ["Report", "FlowKit", "TestSupport"], resources: [.copy("Fixtures")],
                    swiftSettings: strict),
    ]
)
