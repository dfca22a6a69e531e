import Foundation

/// The report templates of one `ReportRunner.run`, loaded (read and parsed) once, on first use,
/// by whichever thread needs them first: the task writing a report's pages, on the run's
/// threads, and then the reports root's `index.html` at the end reuse the same parse (parsing
/// the default templates takes about 4 ms, and the index is written after everything else).
final class LoadedTemplates: @unchecked Sendable {
    private let directory: String?
    private let lock = NSLock()
    private var templates: ReportTemplates?

    /// Templates from `directory` over the package's defaults (see `ReportTemplates`).
    init(directory: String?) { self.directory = directory }

    /// The templates, loaded on the first call; a failed load is retried by the next call.
    func get() throws(ReportError) -> ReportTemplates {
        lock.lock()
        defer { lock.unlock() }
        if let templates { return templates }
        let loaded = try ReportTemplates(directory: directory)
        templates = loaded
        return loaded
    }
}
