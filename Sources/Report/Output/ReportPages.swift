import Foundation

/// Writes the text pages of a report folder: `index.html`, `report.md`, `metrics.json` and a
/// copy of the spec (figures and `report.pdf` are written by others into the same folder).
///
/// A run writes a report folder in this order:
///
///     try ReportStaging.build(finalDirectory: "reports/lognormal") { staging throws(ReportError) in
///         // at the same time, on the run's threads:
///         // 1. figures into staging.directory + "/figures/<id>.<format>"
///         // 2. ReportPDF.write(document:figures:to: staging.directory + "/report.pdf")
///         // 3. ReportPages.write(document, into: staging.directory, templatesDirectory: options.templates,
///         //                      hasPDF: true)
///     }
///     try ReportIndex.write(reportsRoot: "reports")   // after the swap, so it sees the new metrics.json
public enum ReportPages {
    /// File names the report folder uses itself; a spec copy never takes one of them.
    public static let reservedNames: Set<String> = ["index.html", "report.md", "report.pdf", "metrics.json", "figures"]

    /// The templates a user templates folder must provide (the index template and partials
    /// fall back to the package's defaults).
    public static let requiredTemplates = ["report.html", "report.md"]

    /// Renders and writes the pages of `document` into `directory` (normally
    /// `ReportStaging.directory`). Templates come from `templatesDirectory`, or the package's
    /// `templates/` folder when nil. All templates are loaded and checked before any file is
    /// written; `report.pdf` is linked from the pages when `hasPDF` says so, or, when it is nil,
    /// when the file already exists in `directory` (a runner writing the PDF at the same time
    /// passes true).
    public static func write(_ document: ReportDocument, into directory: String, templatesDirectory: String? = nil,
                             hasPDF: Bool? = nil) throws(ReportError) {
        try write(document, into: directory, templates: try ReportTemplates(directory: templatesDirectory), hasPDF: hasPDF)
    }

    /// `write(_:into:templatesDirectory:hasPDF:)` with templates already loaded (a run loads
    /// them once for its pages and the reports root's index).
    public static func write(_ document: ReportDocument, into directory: String, templates: ReportTemplates,
                             hasPDF: Bool? = nil) throws(ReportError) {
        try templates.require(requiredTemplates)
        let specCopy = specCopyName(for: document.specFileName)
        let hasPDF = hasPDF ?? FileManager().fileExists(atPath: (directory as NSString).appendingPathComponent("report.pdf"))

        let html = try templates.render(
            "report.html",
            view: ReportPageView(document: document, format: .html, specCopyName: specCopy, hasPDF: hasPDF).build()
        )
        let markdown = try templates.render(
            "report.md",
            view: ReportPageView(document: document, format: .markdown, specCopyName: specCopy, hasPDF: hasPDF).build()
        )
        let metrics = ReportMetricsFile.json(for: document, specFile: specCopy).serialized()

        // Plain writes: `directory` is a staging folder, published as a whole (`StagedFile`).
        try StagedFile.write(html, to: (directory as NSString).appendingPathComponent("index.html"))
        try StagedFile.write(markdown, to: (directory as NSString).appendingPathComponent("report.md"))
        try StagedFile.write(metrics, to: (directory as NSString).appendingPathComponent("metrics.json"))
        try StagedFile.write(document.specSource, to: (directory as NSString).appendingPathComponent(specCopy))
    }

    /// The spec copy's file name: the last path component of `specFileName`, or `spec.yaml`
    /// when that is empty or hidden, prefixed with `spec-` when it would overwrite one of
    /// `reservedNames`.
    public static func specCopyName(for specFileName: String) -> String {
        let base = (specFileName as NSString).lastPathComponent
        if base.isEmpty || base.hasPrefix(".") || base == "/" { return "spec.yaml" }
        return reservedNames.contains(base) ? "spec-" + base : base
    }

    /// Writes UTF-8 `text` to `path` atomically (temporary file then rename), for files outside
    /// a staging folder.
    static func writeFile(_ text: String, to path: String) throws(ReportError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReportError.io(path: path, message: "cannot write file: \(ReportStaging.reason(error))")
        }
    }
}
