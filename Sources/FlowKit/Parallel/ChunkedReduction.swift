import Foundation

/// Runs `chunkCount` independent pieces of work on up to `jobs` threads and folds their results
/// in chunk order, so that the result never depends on how many threads ran or in which
/// order they finished (each chunk takes its random numbers from its own stream, stream i
/// for chunk i; see ``RandomStream``).
///
/// Chunks are processed in waves of at most `wave` chunks, a size that does not depend on
/// `jobs`; a wave's results are held until the wave is done and then merged in order. Peak
/// memory is therefore bounded by `wave` partial results, whatever `chunkCount` is.
public struct ChunkedReduction: Sendable {
    /// Worker threads; 1 runs everything on the calling thread.
    public let jobs: Int
    /// Chunks per wave (independent of `jobs`).
    public let wave: Int

    public init(jobs: Int, wave: Int = 64) {
        self.jobs = max(1, jobs)
        self.wave = max(1, wave)
    }

    /// The number of cores this machine offers, the default for `jobs`.
    public static var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Whether the calling thread is one of the worker threads of a reduction running on more
    /// than one thread. Code that could start threads of its own inside a chunk (a solve over
    /// many blocks, ``ContinuousFlowMap``) runs on the calling thread instead, so that nested
    /// work never exceeds the outer reduction's `jobs`.
    public static var isParallelWorker: Bool {
        Thread.current.threadDictionary[workerKey] as? Bool ?? false
    }

    private static let workerKey = "FlowKit.ChunkedReduction.worker"

    /// Computes `work(i)` for i in 0..<chunkCount and folds each result into `initial` with
    /// `merge`, in increasing i. `progress`, if given, is called on the calling thread after
    /// every wave with the number of chunks done.
    public func run<Partial: Sendable, Accumulator>(
        chunkCount: Int,
        into initial: Accumulator,
        work: @Sendable (Int) -> Partial,
        merge: (inout Accumulator, Partial) -> Void,
        progress: ((Int) -> Void)? = nil
    ) -> Accumulator {
        var accumulator = initial
        var start = 0
        while start < chunkCount {
            let end = min(chunkCount, start + wave)
            let partials = runWave(start..<end, work: work)
            for partial in partials { merge(&accumulator, partial) }
            progress?(end)
            start = end
        }
        return accumulator
    }

    /// The results of `work` over `range`, in order.
    private func runWave<Partial: Sendable>(_ range: Range<Int>, work: @Sendable (Int) -> Partial) -> [Partial] {
        let count = range.count
        if jobs == 1 || count == 1 {
            return range.map(work)
        }
        let slots = ResultSlots<Partial>(count: count)
        let next = ChunkCounter()
        let threads = min(jobs, count)
        withoutActuallyEscaping(work) { work in
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                let dictionary = Thread.current.threadDictionary
                let previous = dictionary[Self.workerKey]
                dictionary[Self.workerKey] = true
                defer { dictionary[Self.workerKey] = previous }
                while let i = next.take(below: count) {
                    slots.store(work(range.lowerBound + i), at: i)
                }
            }
        }
        return slots.collect()
    }
}

/// A lock-protected counter handing out chunk indices to worker threads.
private final class ChunkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// One write-once slot per chunk of a wave; each slot is written by exactly one thread.
private final class ResultSlots<Partial>: @unchecked Sendable {
    private var slots: [Partial?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: Partial, at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    /// The slots in order. Every slot must have been written: a missing one would silently
    /// drop a chunk from the reduction, so it stops the program instead.
    func collect() -> [Partial] {
        lock.lock()
        defer { lock.unlock() }
        return slots.enumerated().map { index, slot in
            guard let slot else {
                preconditionFailure("ChunkedReduction: chunk \(index) of a wave of \(slots.count) produced no result")
            }
            return slot
        }
    }
}
