import Foundation

/// Writes `reports/index.html`: every report folder under a reports root with its title,
/// pass/fail state and link, read from each folder's `metrics.json`.
public enum ReportIndex {
    /// One row of the index.
    public struct Entry: Sendable, Equatable {
        /// The report folder's name.
        public var name: String
        /// The decoded metrics, or nil when `metrics.json` could not be read.
        public var metrics: ReportMetricsFile?
        /// Why `metrics` is nil.
        public var problem: String?
        /// Whether the folder holds `report.pdf`.
        public var hasPDF: Bool
    }

    /// The report folders under `reportsRoot`, sorted by name: every non-hidden subfolder that
    /// holds a `metrics.json` (staging and backup folders are hidden and skipped).
    public static func entries(reportsRoot: String) throws(ReportError) -> [Entry] {
        let fileManager = FileManager()
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: reportsRoot)
        } catch {
            throw ReportError.io(path: reportsRoot, message: "cannot list folder: \(ReportStaging.reason(error))")
        }
        var entries: [Entry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let folder = (reportsRoot as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let metricsPath = (folder as NSString).appendingPathComponent("metrics.json")
            guard fileManager.fileExists(atPath: metricsPath) else { continue }
            let hasPDF = fileManager.fileExists(atPath: (folder as NSString).appendingPathComponent("report.pdf"))
            do {
                let metrics = try ReportMetricsFile.read(path: metricsPath)
                entries.append(Entry(name: name, metrics: metrics, problem: nil, hasPDF: hasPDF))
            } catch {
                entries.append(Entry(name: name, metrics: nil, problem: "metrics.json is unreadable", hasPDF: hasPDF))
            }
        }
        return entries
    }

    /// Writes `reportsRoot/index.html` (atomically) from `index.html.mustache` in
    /// `templatesDirectory` when it has one, else from the package's `templates/` folder.
    public static func write(reportsRoot: String, templatesDirectory: String? = nil) throws(ReportError) {
        try write(reportsRoot: reportsRoot, templates: try ReportTemplates(directory: templatesDirectory))
    }

    /// `write(reportsRoot:templatesDirectory:)` with templates already loaded.
    public static func write(reportsRoot: String, templates: ReportTemplates) throws(ReportError) {
        try templates.require(["index.html"], allowingDefaults: true)
        let entries = try entries(reportsRoot: reportsRoot)
        let html = try templates.render("index.html", view: view(entries))
        try ReportPages.writeFile(html, to: (reportsRoot as NSString).appendingPathComponent("index.html"))
    }

    /// The Mustache view; every string HTML-escaped, every link a percent-encoded path.
    static func view(_ entries: [Entry]) -> [String: Any] {
        let text = ReportEscaping.html
        func url(_ path: String) -> String { ReportEscaping.html(ReportEscaping.urlPath(path)) }
        let rows: [[String: Any]] = entries.map { entry in
            let status: String
            let mark: String
            if let metrics = entry.metrics {
                status = metrics.passed ? "pass" : "fail"
                mark = metrics.passed ? "✓ pass" : "✗ fail"
            } else {
                status = "fail"
                mark = "? unreadable"
            }
            let description = entry.metrics?.description ?? ""
            return [
                "name": text(entry.name),
                "url": url(entry.name + "/index.html"),
                "pdf": url(entry.name + "/report.pdf"),
                "metrics": url(entry.name + "/metrics.json"),
                "hasPDF": entry.hasPDF,
                "readable": entry.metrics != nil,
                "problem": text(entry.problem ?? ""),
                "title": text(entry.metrics?.title ?? ""),
                "description": text(description),
                "hasDescription": !description.isEmpty,
                "checksPassed": String(entry.metrics?.checksPassed ?? 0),
                "checksTotal": String(entry.metrics?.checksTotal ?? 0),
                "status": status,
                "mark": mark,
            ]
        }
        let passed = entries.count { $0.metrics?.passed == true }
        let failed = entries.count { $0.metrics?.passed == false }
        let unreadable = entries.count { $0.metrics == nil }
        return [
            "hasReports": !entries.isEmpty,
            "reports": rows,
            "reportCount": String(entries.count),
            "reportsLabel": entries.count == 1 ? "report" : "reports",
            "passedCount": String(passed),
            "failedCount": String(failed),
            "unreadableCount": String(unreadable),
            "hasUnreadable": unreadable > 0,
        ]
    }
}
