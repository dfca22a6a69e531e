/// How a report was produced: enough to reproduce it (seed, samples) and to judge its cost.
public struct ReportProvenance: Sendable, Equatable {
    /// The tool and its version, e.g. `flowreport 0.1.0`.
    public var tool: String
    /// The seed the run used (after any `--seed` override).
    public var seed: UInt64
    /// Number of samples drawn.
    public var samples: Int
    /// Worker threads used (results never depend on it).
    public var threads: Int
    /// Wall-clock time of the run in seconds.
    public var wallTimeSeconds: Double
    /// The Swift compiler version the tool was built with, e.g. `6.3.1`.
    public var swiftVersion: String
    /// The machine's host name, when the caller chooses to record it.
    public var hostname: String?
    /// Who computed the fitted networks' matrix products (``FlowKit/MatrixProducts``, e.g.
    /// OpenBLAS and the CPU kernel it chose), for runs that fit a flow: fitted values are
    /// reproducible bit for bit with the same products; nil when nothing was fitted.
    public var matrixProducts: String?

    public init(
        tool: String,
        seed: UInt64,
        samples: Int,
        threads: Int,
        wallTimeSeconds: Double,
        swiftVersion: String = ReportProvenance.compilerSwiftVersion,
        hostname: String? = nil,
        matrixProducts: String? = nil
    ) {
        self.tool = tool
        self.seed = seed
        self.samples = samples
        self.threads = threads
        self.wallTimeSeconds = wallTimeSeconds
        self.swiftVersion = swiftVersion
        self.hostname = hostname
        self.matrixProducts = matrixProducts
    }

    /// The Swift language version of the compiler that built this module, from `#if compiler`.
    public static var compilerSwiftVersion: String {
        #if compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}
