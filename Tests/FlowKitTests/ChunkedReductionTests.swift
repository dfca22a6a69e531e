import XCTest
@testable import FlowKit

final class ChunkedReductionTests: XCTestCase {
    /// A floating-point sum is order-dependent in its last bits; folding in chunk order must
    /// give the same bits for any number of jobs and any wave size.
    func testResultIsIdenticalForAnyNumberOfJobs() {
        func run(jobs: Int) -> (Double, [Int]) {
            let reduction = ChunkedReduction(jobs: jobs, wave: 7)
            return reduction.run(chunkCount: 50, into: (0.0, [Int]()), work: { chunk -> Double in
                var stream = RandomStream(seed: 99, stream: UInt64(chunk))
                var s = 0.0
                for _ in 0..<1000 { s += stream.nextUniform() * 1e10 + 1e-6 }
                return s
            }, merge: { acc, partial in
                acc.0 += partial
                acc.1.append(acc.1.count)
            })
        }
        let one = run(jobs: 1)
        for jobs in [2, 3, 8] {
            let other = run(jobs: jobs)
            XCTAssertEqual(one.0.bitPattern, other.0.bitPattern, "jobs = \(jobs)")
            XCTAssertEqual(other.1, Array(0..<50))
        }
    }

    func testProgressReportsEveryWave() {
        var seen: [Int] = []
        _ = ChunkedReduction(jobs: 2, wave: 4).run(chunkCount: 10, into: 0, work: { $0 }, merge: { $0 += $1 }, progress: { seen.append($0) })
        XCTAssertEqual(seen, [4, 8, 10])
    }
}
