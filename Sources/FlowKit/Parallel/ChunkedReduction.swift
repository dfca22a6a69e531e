import Foundation

/// Runs `chunkCount` independent pieces of work on up to `jobs` threads and folds their results
/// in chunk order, so that the result never depends on how many threads ran or in which
/// order they finished (each chunk takes its random numbers from its own stream, stream i
/// for chunk i; see ``RandomStream``).
///
/// At most `wave` chunks (a number that does not depend on `jobs`) are taken beyond the last
/// one merged: a worker that finishes a chunk hands in its result, and whichever worker finds
/// the next chunk in order ready merges it, and every ready chunk after it, while the other
/// workers go on computing (one merger at a time, in chunk order). No worker waits for a wave
/// to end, and peak memory is bounded by `wave` partial results, whatever `chunkCount` is.
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
    /// `merge`, in increasing i. `progress`, if given, is called with the number of chunks
    /// merged after every `wave` chunks and at the end, one call at a time (on the calling
    /// thread with one job, on a worker thread otherwise).
    public func run<Partial: Sendable, Accumulator>(
        chunkCount: Int,
        into initial: Accumulator,
        work: @Sendable (Int) -> Partial,
        merge: (inout Accumulator, Partial) -> Void,
        progress: ((Int) -> Void)? = nil
    ) -> Accumulator {
        if jobs == 1 || chunkCount <= 1 {
            var accumulator = initial
            for i in 0..<chunkCount {
                merge(&accumulator, work(i))
                if (i + 1) % wave == 0 || i + 1 == chunkCount { progress?(i + 1) }
            }
            return accumulator
        }
        return withoutActuallyEscaping(merge) { merge in
            let fold = OrderedFold<Partial, Accumulator>(initial, chunkCount: chunkCount, window: wave,
                                                         merge: merge, progress: progress)
            withoutActuallyEscaping(work) { work in
                DispatchQueue.concurrentPerform(iterations: min(jobs, chunkCount)) { _ in
                    let dictionary = Thread.current.threadDictionary
                    let previous = dictionary[Self.workerKey]
                    dictionary[Self.workerKey] = true
                    defer { dictionary[Self.workerKey] = previous }
                    while let i = fold.take() { fold.deliver(work(i), at: i) }
                }
            }
            return fold.finish()
        }
    }
}

/// The shared state of a parallel ``ChunkedReduction/run(chunkCount:into:work:merge:progress:)``:
/// which chunk to hand out next, the results waiting for their turn, and the accumulator, which
/// one worker at a time folds in chunk order. All of it under one lock, so a result handed in
/// while another worker merges is seen by that worker before it stops merging.
private final class OrderedFold<Partial, Accumulator>: @unchecked Sendable {
    private let lock = NSCondition()
    private var accumulator: Accumulator
    private let merge: (inout Accumulator, Partial) -> Void
    private let progress: ((Int) -> Void)?
    private let chunkCount: Int
    private let window: Int
    private var next = 0
    private var merged = 0
    private var ready: [Int: Partial] = [:]
    private var merging = false

    init(_ initial: Accumulator, chunkCount: Int, window: Int, merge: @escaping (inout Accumulator, Partial) -> Void,
         progress: ((Int) -> Void)?) {
        accumulator = initial
        self.chunkCount = chunkCount
        self.window = window
        self.merge = merge
        self.progress = progress
    }

    /// The next chunk to compute, once it is within `window` of the last merged one; nil when
    /// every chunk has been handed out.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        while next < chunkCount && next >= merged + window { lock.wait() }
        guard next < chunkCount else { return nil }
        next += 1
        return next - 1
    }

    /// Hands in chunk `index`'s result; merges it and every result after it that is ready, in
    /// order, unless another worker is merging (which then merges it).
    func deliver(_ partial: Partial, at index: Int) {
        lock.lock()
        ready[index] = partial
        guard !merging else {
            lock.unlock()
            return
        }
        merging = true
        while let result = ready.removeValue(forKey: merged) {
            lock.unlock()
            merge(&accumulator, result)
            lock.lock()
            merged += 1
            if merged % window == 0 || merged == chunkCount { progress?(merged) }
            lock.broadcast()
        }
        merging = false
        lock.unlock()
    }

    /// The accumulator, after every chunk was merged (a missing one would silently drop a chunk
    /// from the reduction, so it stops the program instead).
    func finish() -> Accumulator {
        lock.lock()
        defer { lock.unlock() }
        precondition(merged == chunkCount && ready.isEmpty,
                     "ChunkedReduction: \(merged) of \(chunkCount) chunks merged")
        return accumulator
    }
}
