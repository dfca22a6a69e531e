import Foundation

/// Monotonic timing and memory readings for the benchmarks.
///
/// Single-threaded work is timed on this thread's CPU-time clock
/// (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`), which, unlike the wall clock, does not count
/// the time the thread waits for a core: on a machine shared with other builds the wall time
/// of a run is mostly the scheduler's. Multi-threaded runs report the wall clock
/// (`CLOCK_MONOTONIC`) and the process's CPU time. Every measurement is the best of several
/// repetitions after a warm-up run (the minimum is the least disturbed run). Memory is the
/// kernel's peak resident set size, `VmHWM` in /proc/self/status.
enum Timing {
    enum Clock {
        /// CLOCK_MONOTONIC.
        case wall
        /// CPU time of the calling thread.
        case thread
        /// CPU time of every thread of the process.
        case process

        var id: clockid_t {
            switch self {
            case .wall: return CLOCK_MONOTONIC
            case .thread: return CLOCK_THREAD_CPUTIME_ID
            case .process: return CLOCK_PROCESS_CPUTIME_ID
            }
        }
    }

    /// Nanoseconds on `clock`.
    @inline(__always)
    static func now(_ clock: Clock = .thread) -> UInt64 {
        var t = timespec()
        clock_gettime(clock.id, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// The best (smallest) time in nanoseconds on `clock` of `repetitions` runs of `body`,
    /// after one untimed warm-up run.
    static func best(repetitions: Int, clock: Clock = .thread, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = now(clock)
            try body()
            best = min(best, Double(now(clock) - start))
        }
        return best
    }

    /// The best of `repetitions` runs of `body`, which returns the nanoseconds it measured
    /// itself (for benchmarks that time only part of each run), after one warm-up run.
    static func bestSelfTimed(repetitions: Int, _ body: () throws -> Double) rethrows -> Double {
        _ = try body()
        var best = Double.infinity
        for _ in 0..<repetitions { best = min(best, try body()) }
        return best
    }

    /// The peak resident set size of this process in bytes (VmHWM), or nil off Linux.
    static func peakResidentBytes() -> Int? { statusField("VmHWM:") }

    /// The current resident set size in bytes (VmRSS), or nil off Linux.
    static func residentBytes() -> Int? { statusField("VmRSS:") }

    /// Resets the peak resident set size to the current one (writing "5" to
    /// /proc/self/clear_refs, Linux ≥ 4.0). Returns whether the kernel accepted it.
    @discardableResult
    static func resetPeakResident() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    private static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}

/// A value that the optimizer must treat as used, so that a timed loop is not removed.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
