import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, at most ten times
/// a second. With a `unit` it shows the rate and the time left (`it/s`, `left 12s`) and an
/// optional detail (a fit's loss).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let enabled: Bool
    private let unit: String?
    private var drawn = false
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(label: String, enabled: Bool, unit: String? = nil) {
        self.label = label
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
        self.unit = unit
    }

    func update(_ done: Int, of total: Int, detail: String? = nil) {
        guard enabled, total > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = min(width, Int(Double(width) * Double(done) / Double(total)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        var line = "\r\(label) \(bar) \(Int(100 * Double(done) / Double(total)))%"
        if let unit {
            let elapsed = now.timeIntervalSince(start)
            let rate = Double(done) / max(elapsed, 1e-9)
            let left = rate > 0 ? Double(total - done) / rate : 0
            line += " \(done)/\(total) \(String(format: "%.0f", rate)) \(unit)/s left \(Self.duration(left))"
        }
        if let detail { line += " \(detail)" }
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
