import Foundation

/// Integer counts in many bins, filled by concurrent workers without a copy per piece of work:
/// each worker borrows a shard (32-bit counts) for the duration of ``withShard(adding:_:)`` and
/// gives it back; ``totals()`` adds up the shards in 64 bits.
///
/// Integer addition is exact and commutative, so the totals do not depend on which worker
/// counted what or in which order: the same for any number of threads (the determinism that
/// ``ChunkedReduction`` gets by merging in chunk order, at no merge cost per chunk). A shard
/// whose counts could wrap (more than 2³² − 1 additions since it was last emptied) is first
/// moved into the 64-bit totals.
public final class ShardedCounts: @unchecked Sendable {
    public let binCount: Int
    private let lock = NSLock()
    private var free: [Shard] = []
    private var all: [Shard] = []
    private var spilled: [UInt64]

    private final class Shard {
        var counts: [UInt32]
        /// Additions since the counts were last emptied (a bound on every count).
        var additions = 0
        init(binCount: Int) { counts = [UInt32](repeating: 0, count: binCount) }
    }

    /// Zero counts in `binCount` ≥ 1 bins.
    public init(binCount: Int) {
        precondition(binCount >= 1, "ShardedCounts needs at least one bin")
        self.binCount = binCount
        spilled = [UInt64](repeating: 0, count: binCount)
    }

    /// Runs `body` on a shard's counts, which it may increase by at most `additions` in all
    /// (a programming error otherwise: a count could wrap).
    public func withShard<R>(adding additions: Int, _ body: (UnsafeMutablePointer<UInt32>) -> R) -> R {
        precondition(additions >= 0 && additions <= Int(UInt32.max), "at most 2³² − 1 additions at a time")
        let shard = borrow()
        if shard.additions + additions > Int(UInt32.max) { spill(shard) }
        shard.additions += additions
        let result = shard.counts.withUnsafeMutableBufferPointer { counts in
            guard let base = counts.baseAddress else { preconditionFailure("a shard has at least one bin") }
            return body(base)
        }
        giveBack(shard)
        return result
    }

    /// Every shard's counts and the spilled counts, added (call when no worker holds a shard).
    public func totals() -> [UInt64] {
        lock.lock()
        defer { lock.unlock() }
        var sum = spilled
        for shard in all {
            for i in 0..<binCount { sum[i] &+= UInt64(shard.counts[i]) }
        }
        return sum
    }

    private func borrow() -> Shard {
        lock.lock()
        defer { lock.unlock() }
        if let shard = free.popLast() { return shard }
        let shard = Shard(binCount: binCount)
        all.append(shard)
        return shard
    }

    private func giveBack(_ shard: Shard) {
        lock.lock()
        free.append(shard)
        lock.unlock()
    }

    /// Moves a borrowed shard's counts into the 64-bit totals.
    private func spill(_ shard: Shard) {
        lock.lock()
        for i in 0..<binCount { spilled[i] &+= UInt64(shard.counts[i]) }
        lock.unlock()
        for i in 0..<binCount { shard.counts[i] = 0 }
        shard.additions = 0
    }
}
