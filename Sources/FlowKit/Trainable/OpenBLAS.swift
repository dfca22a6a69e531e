import Foundation

/// OpenBLAS's `cblas_dgemm` (Debian `libopenblas0`, installed with `libopenblas-dev` by the
/// Makefile), for the dense products of ``TrainableMLP``: C = α·op(A)·op(B) + β·C in row-major
/// order.
///
/// Why: at the sizes our fits use (64-point chunks, widths up to 64 and more) OpenBLAS's
/// kernels, chosen at run time for the CPU (AVX-512 where present), beat our own
/// ``FeatureMajorKernels`` (AVX2, the x86-64-v3 build) by up to 2× in the forward product and
/// 1.6× in the input gradient, measured single-threaded (`flowbench mlp-products`).
///
/// How: the library is opened on first use (`dlopen`), not linked, so that runs that fit
/// nothing (the sampling pass) never pay its ~7 ms of loading; it is set to one thread
/// (`openblas_set_num_threads(1)`): our own threads split the batch in fixed chunks, and one
/// thread per product keeps every sum in the same order for any `--jobs`. A product's result
/// depends on the kernel OpenBLAS picks for this CPU, so fitted values are reproducible
/// bit for bit on the same machine, not across CPU generations (``identity`` names the
/// kernel, reported in the metrics). `FLOWREPORT_OPENBLAS=0` in the environment, or a machine
/// without the library, falls back to ``FeatureMajorKernels``.
public struct OpenBLAS: Sendable {
    /// `cblas_dgemm(order, transA, transB, M, N, K, α, A, lda, B, ldb, β, C, ldc)` with the
    /// enums and `blasint` as 32-bit ints (Debian's build: `CblasRowMajor` = 101,
    /// `CblasNoTrans` = 111, `CblasTrans` = 112, `blasint` = `int`).
    typealias Dgemm = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Double, UnsafePointer<Double>?, Int32,
                                      UnsafePointer<Double>?, Int32, Double, UnsafeMutablePointer<Double>?, Int32) -> Void
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias Text = @convention(c) () -> UnsafeMutablePointer<CChar>?

    static let rowMajor: Int32 = 101
    static let noTranspose: Int32 = 111
    static let transpose: Int32 = 112

    let dgemm: Dgemm
    /// OpenBLAS's configuration and the CPU kernel it chose, e.g. "OpenBLAS 0.3.21 … (SkylakeX)".
    public let identity: String

    /// The library, loaded once, or nil when it is missing or disabled by `FLOWREPORT_OPENBLAS=0`.
    public static let shared: OpenBLAS? = load()

    private static func load() -> OpenBLAS? {
        if let setting = getenv("FLOWREPORT_OPENBLAS"), String(cString: setting) == "0" { return nil }
        #if os(Linux)
        let names = ["libopenblas.so.0", "libopenblas.so"]
        #else
        let names = ["libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib", "/usr/local/opt/openblas/lib/libopenblas.dylib"]
        #endif
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let gemm = dlsym(handle, "cblas_dgemm") else { continue }
            if let threads = dlsym(handle, "openblas_set_num_threads") {
                unsafeBitCast(threads, to: SetThreads.self)(1)
            }
            var parts: [String] = []
            for symbol in ["openblas_get_config", "openblas_get_corename"] {
                if let function = dlsym(handle, symbol), let text = unsafeBitCast(function, to: Text.self)() {
                    parts.append(String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
            let identity = parts.isEmpty ? "OpenBLAS" : parts[0] + (parts.count > 1 ? " (\(parts[1]))" : "")
            return OpenBLAS(dgemm: unsafeBitCast(gemm, to: Dgemm.self), identity: identity)
        }
        return nil
    }

    /// y (rows × n) = W·x + b 1ᵀ: W row-major (rows × inner, rows `rowStride` ≥ inner apart), x
    /// and y feature-major (inner × n, rows × n). The bias fills y first (or zeros), then dgemm
    /// adds W·x.
    func multiply(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>, rowStride: Int, bias: UnsafePointer<Double>?,
                  x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        for r in 0..<rows { (y + r * n).update(repeating: bias?[r] ?? 0, count: n) }
        dgemm(Self.rowMajor, Self.noTranspose, Self.noTranspose, Int32(rows), Int32(n), Int32(inner),
              1, weights, Int32(rowStride), x, Int32(n), 1, y, Int32(n))
    }

    /// t (inner × n) = Wᵀ·δ: W row-major (rows × inner), δ feature-major (rows × n).
    func multiplyTransposed(rows: Int, inner: Int, n: Int, weights: UnsafePointer<Double>,
                            delta: UnsafePointer<Double>, into t: UnsafeMutablePointer<Double>) {
        dgemm(Self.rowMajor, Self.transpose, Self.noTranspose, Int32(inner), Int32(n), Int32(rows),
              1, weights, Int32(inner), delta, Int32(n), 0, t, Int32(n))
    }

    /// g (rows × columns, row-major) += δ·hᵀ: δ feature-major (rows × n), h feature-major
    /// (columns × n). The weight gradient of a dense layer.
    func accumulateOuter(rows: Int, columns: Int, n: Int, delta: UnsafePointer<Double>, h: UnsafePointer<Double>,
                         gradient g: UnsafeMutablePointer<Double>) {
        dgemm(Self.rowMajor, Self.noTranspose, Self.transpose, Int32(rows), Int32(columns), Int32(n),
              1, delta, Int32(n), h, Int32(n), 1, g, Int32(columns))
    }
}
