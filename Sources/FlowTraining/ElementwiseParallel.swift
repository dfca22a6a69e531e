import Dispatch

/// Runs an elementwise pass over a parameter vector (the chunk-gradient merge, an optimiser
/// step) on up to `jobs` threads, each on one contiguous range. The ranges are cut at
/// multiples of 64 elements and every element's arithmetic is its own, so the result is the
/// same bit for bit for any `jobs`; vectors shorter than ``minimumCount`` run on the calling
/// thread (below that, waking a second thread costs more than it saves).
public enum ElementwiseParallel {
    public static let minimumCount = 8192

    /// The ranges `count` elements split into for `jobs` threads: at most `jobs`, contiguous, in order.
    public static func ranges(count: Int, jobs: Int) -> [Range<Int>] {
        let parts = count < minimumCount ? 1 : max(1, min(jobs, count / 64))
        guard parts > 1 else { return [0..<count] }
        let block = ((count + parts - 1) / parts + 63) / 64 * 64
        return stride(from: 0, to: count, by: block).map { $0..<min(count, $0 + block) }
    }

    /// Calls `body(range)` for each of ``ranges(count:jobs:)``, concurrently when there are several.
    public static func run(count: Int, jobs: Int, _ body: (Range<Int>) -> Void) {
        _ = map(count: count, jobs: jobs, body)
    }

    /// `body(range)` for each of ``ranges(count:jobs:)``, concurrently when there are several;
    /// the results in range order.
    public static func map<T>(count: Int, jobs: Int, _ body: (Range<Int>) -> T) -> [T] {
        let parts = ranges(count: count, jobs: jobs)
        if parts.count == 1 { return [body(parts[0])] }
        let results = RangeResults<T>(count: parts.count)
        withoutActuallyEscaping(body) { body in
            let run = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts.count) { results.store(run.value(parts[$0]), at: $0) }
        }
        return results.values
    }
}

/// One result slot per range of a parallel pass, each written by the thread of its range only.
private final class RangeResults<T>: @unchecked Sendable {
    private var slots: [T?]

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func store(_ value: T, at index: Int) { slots.withUnsafeMutableBufferPointer { $0[index] = value } }

    var values: [T] { slots.compactMap { $0 } }
}

/// A closure handed to the worker threads of ``ElementwiseParallel/map(count:jobs:_:)``, which
/// gives each thread a disjoint range of the buffers the closure writes.
private struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
