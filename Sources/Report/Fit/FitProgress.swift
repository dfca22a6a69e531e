import Foundation

/// The progress of several fits on one bar: the iterations of every fit of a spec (gradient
/// fits and flow-matching fits alike) summed against their total, updated from the fits'
/// threads.
final class FitProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let bar: ProgressBar

    init(total: Int, bar: ProgressBar) {
        self.total = total
        self.bar = bar
    }

    /// One iteration of some fit finished with mini-batch loss `loss`.
    func step(loss: Double) {
        lock.lock()
        done += 1
        let current = done
        lock.unlock()
        bar.update(current, of: total, detail: "loss \(Run.format(loss))")
    }
}
