import XCTest
@testable import FlowKit

final class ChunkedReductionTests: XCTestCase {
    /// A floating-point sum is order-dependent in its last bits; folding in chunk order must
    /// give the same bits for any number of jobs and any wave size.
    func testResultIsIdenticalForAnyNumberOfJobs() {
        func run(jobs: Int) -> Double {
            ChunkedReduction(jobs: jobs, wave: 7).run(chunkCount: 50, into: 0.0, work: { chunk -> Double in
                var stream = RandomStream(seed: 99, stream: UInt64(chunk))
                var s = 0.0
                for _ in 0..<1000 { s += stream.nextUniform() * 1e10 + 1e-6 }
                return s
            }, merge: { $0 += $1 })
        }
        let one = run(jobs: 1)
        for jobs in [2, 3, 8] {
            XCTAssertEqual(one.bitPattern, run(jobs: jobs).bitPattern, "jobs = \(jobs)")
        }
    }

    /// Concatenation is not commutative: the folded list is the chunk indices in increasing
    /// order only when every merge happens in chunk order. Early chunks do more work, so with
    /// several threads they tend to finish last; a fold in completion order would show it.
    func testMergesHappenInChunkOrder() {
        let chunkCount = 50
        func run(jobs: Int, wave: Int) -> [Int] {
            ChunkedReduction(jobs: jobs, wave: wave).run(chunkCount: chunkCount, into: [Int](), work: { chunk -> [Int] in
                var stream = RandomStream(seed: 7, stream: UInt64(chunk))
                var s = 0.0
                for _ in 0..<(100 * (chunkCount - chunk)) { s += stream.nextUniform() }
                return s.isFinite ? [chunk] : []
            }, merge: { $0 += $1 })
        }
        let serial = Array(0..<chunkCount)
        for jobs in [1, 2, 3, 8] {
            for wave in [7, 64] {
                XCTAssertEqual(run(jobs: jobs, wave: wave), serial, "jobs = \(jobs), wave = \(wave)")
            }
        }
    }

    /// Memory stays bounded: no chunk is started `wave` or more chunks beyond the last merged one,
    /// whatever the number of jobs.
    func testNoChunkStartsAWaveAheadOfTheMerges() {
        final class Merged: @unchecked Sendable {
            let lock = NSLock()
            var count = 0
            var worstLead = 0
        }
        for jobs in [2, 3, 8] {
            let merged = Merged()
            let wave = 5
            let total = ChunkedReduction(jobs: jobs, wave: wave).run(chunkCount: 200, into: 0, work: { chunk -> Int in
                merged.lock.lock()
                merged.worstLead = max(merged.worstLead, chunk - merged.count)
                merged.lock.unlock()
                var stream = RandomStream(seed: 3, stream: UInt64(chunk))
                var s = 0.0
                for _ in 0..<(50 * (chunk % 7 + 1)) { s += stream.nextUniform() }
                return s.isFinite ? 1 : 0
            }, merge: { accumulator, partial in
                merged.lock.lock()
                merged.count += 1
                merged.lock.unlock()
                accumulator += partial
            })
            XCTAssertEqual(total, 200)
            XCTAssertLessThan(merged.worstLead, wave, "jobs = \(jobs)")
        }
    }

    func testProgressReportsEveryWave() {
        var seen: [Int] = []
        _ = ChunkedReduction(jobs: 2, wave: 4).run(chunkCount: 10, into: 0, work: { $0 }, merge: { $0 += $1 }, progress: { seen.append($0) })
        XCTAssertEqual(seen, [4, 8, 10])
    }
}
