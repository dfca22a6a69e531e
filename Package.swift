// swift-tools-version:6.0
import PackageDescription

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
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // MARK: - Libraries
        .target(name: "FlowKit"),
        .target(name: "FlowTraining", dependencies: ["FlowKit"]),
        .target(name: "Plot"),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(name: "PlotCairo", dependencies: ["Plot", "CCairo", "CZlib"]),
        .target(
            name: "Report",
            dependencies: [
                "FlowKit", "Plot", "PlotCairo",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),

        // MARK: - Executables
        .executableTarget(
            name: "flowreport",
            dependencies: ["Report", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "flowbench", dependencies: ["FlowKit", "FlowTraining", "Plot", "PlotCairo", "Report"]),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["FlowKit"], path: "Tests/TestSupport"),
        .testTarget(name: "FlowKitTests", dependencies: ["FlowKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FlowTrainingTests", dependencies: ["FlowTraining", "FlowKit", "TestSupport"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"]),
        .testTarget(name: "PlotCairoTests", dependencies: ["Plot", "PlotCairo", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "FlowKit", "TestSupport"], resources: [.copy("Fixtures")]),
    ]
)
