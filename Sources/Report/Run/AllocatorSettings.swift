#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings for a whole `flowreport run` process.
///
/// By default glibc serves every block of 128 KiB or more (raised on the fly up to 32 MiB) by a
/// fresh `mmap` and gives it back on `free`, and trims the top of each heap beyond 128 KiB. A
/// run allocates the same few blocks again and again: per chunk of the sampling pass the
/// points and log densities (512 KiB each) and the 2¹⁶ KS counts (256 KiB), per PNG figure
/// a Cairo image of 2.7 MB; each new block costs one page fault per 4 KiB page touched
/// (10⁸ samples of `reports/lognormal.yaml`: 268,000 faults, 0.65 s of system time). With
/// blocks up to 64 MiB taken from the heap arenas and no trimming below 8 MiB of free memory at
/// a heap's top, a freed block is reused by the next chunk on that thread (8,400 faults,
/// 0.04 s of system time; peak resident memory 48 → 55 MiB, where a 16 MiB trim threshold
/// kept 58 MiB). Memory stays bounded: the arenas hold at most what the threads had in use at
/// once plus the trim threshold. Process-wide, so only the command line tool calls it, before
/// any run; elsewhere (and on other C libraries) it does nothing.
public enum AllocatorSettings {
    /// Blocks at least this large are still mapped one by one (none of a run's are).
    public static let mmapThreshold: Int32 = 64 << 20
    /// Free memory at the top of a heap beyond this is returned to the system.
    public static let trimThreshold: Int32 = 8 << 20

    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` of glibc's `<malloc.h>` (which the Glibc
    /// module does not import; `mallopt` is looked up by name instead).
    static let trimOption: Int32 = -1, mmapOption: Int32 = -3

    /// Applies the settings (glibc only; without `mallopt`, nothing).
    public static func apply() {
        #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(mmapOption, mmapThreshold)
        _ = mallopt(trimOption, trimThreshold)
        #endif
    }
}
