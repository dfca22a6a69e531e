import Foundation

/// Builds the Mustache view (a tree of `[String: Any]`) of a `ReportDocument` for one output
/// format. Every string leaves here escaped for that format; URLs are percent-encoded paths.
///
/// Keys (all present, so a missing one never falls through to an outer Mustache context):
/// `name title description hasDescription passed status statusText checksPassed checksTotal
/// hasChecks checks[] hasFigures figures[] hasMetrics metrics[] spec{…} provenance{…}
/// links{…}`; see templates/report.html.mustache for each one in use.
struct ReportPageView {
    /// The output format the strings are escaped for.
    enum Format {
        case html
        case markdown

        func text(_ raw: String) -> String {
            switch self {
            case .html: return ReportEscaping.html(raw)
            case .markdown: return ReportEscaping.markdownInline(raw)
            }
        }

        /// Inline code: HTML-escaped text (the template wraps it in `<code>`), or a complete
        /// Markdown code span whose fence outruns any backtick run inside (CommonMark §6.1),
        /// with `|` escaped for GFM tables and line breaks folded.
        func code(_ raw: String) -> String {
            switch self {
            case .html:
                return ReportEscaping.html(raw)
            case .markdown:
                var content = ""
                for character in raw {
                    if character == "|" { content += "\\|" } else if character.isNewline { content += " " } else { content.append(character) }
                }
                let fence = String(repeating: "`", count: ReportEscaping.longestBacktickRun(in: content) + 1)
                let pad = content.hasPrefix("`") || content.hasSuffix("`") ? " " : ""
                return fence + pad + content + pad + fence
            }
        }

        func url(_ relativePath: String) -> String {
            let encoded = ReportEscaping.urlPath(relativePath)
            switch self {
            case .html: return ReportEscaping.html(encoded)
            case .markdown: return encoded
            }
        }

        /// A multi-line block shown verbatim: HTML-escaped for `<pre>`, raw inside a Markdown
        /// fence (whose length `ReportEscaping.markdownFence` chooses). Trailing line breaks are
        /// dropped: the template supplies the one before the closing tag or fence.
        func block(_ raw: String) -> String {
            var trimmed = Substring(raw)
            while let last = trimmed.last, last.isNewline { trimmed.removeLast() }
            switch self {
            case .html: return ReportEscaping.html(String(trimmed))
            case .markdown: return String(trimmed)
            }
        }
    }

    let document: ReportDocument
    let format: Format
    /// The file name of the spec copy inside the report folder.
    let specCopyName: String
    /// Whether `report.pdf` is present, so the pages link it.
    let hasPDF: Bool

    func build() -> [String: Any] {
        let text = format.text
        let checks: [[String: Any]] = document.checks.map { check in
            [
                "name": text(check.name),
                "nameCode": format.code(check.name),
                "summary": text(check.summary),
                "value": text(ReportNumberFormat.display(check.value)),
                "limit": text(ReportNumberFormat.display(check.limit)),
                "valueExact": text(OrderedJSON.number(check.value).replacingOccurrences(of: "\"", with: "")),
                "limitExact": text(OrderedJSON.number(check.limit).replacingOccurrences(of: "\"", with: "")),
                "passed": check.passed,
                "status": check.passed ? "pass" : "fail",
                "mark": check.passed ? "✓ pass" : "✗ fail",
            ]
        }
        let figures: [[String: Any]] = document.figures.map { figure in
            let image = figure.path(for: "png") ?? figure.path(for: "svg")
            return [
                "id": text(figure.id),
                "anchor": format.url("fig-" + figure.id),
                "title": text(figure.title),
                "caption": text(figure.caption ?? ""),
                "hasCaption": !(figure.caption ?? "").isEmpty,
                "hasImage": image != nil,
                "image": format.url(image ?? ""),
                "files": figure.files.map { file -> [String: Any] in
                    ["format": text(file.format), "formatUpper": text(file.format.uppercased()), "url": format.url(file.path)]
                },
            ]
        }
        let metrics: [[String: Any]] = document.metrics.map { metric in
            [
                "name": text(metric.name),
                "nameCode": format.code(metric.name),
                "value": text(ReportNumberFormat.display(metric.value)),
                "unit": text(metric.unit ?? ""),
                "hasUnit": !(metric.unit ?? "").isEmpty,
                "description": text(metric.description),
            ]
        }
        let failed = document.checks.count - document.passedCheckCount
        let statusText: String
        if document.checks.isEmpty {
            statusText = "No checks were run"
        } else if failed == 0 {
            statusText = "All \(document.checks.count) checks passed"
        } else {
            statusText = "\(failed) of \(document.checks.count) checks failed"
        }
        let provenance = document.provenance
        return [
            "name": text(document.name),
            "title": text(document.title),
            "description": text(document.description ?? ""),
            "hasDescription": !(document.description ?? "").isEmpty,
            "passed": document.allChecksPassed,
            "status": document.allChecksPassed ? "pass" : "fail",
            "statusText": text(statusText),
            "checksPassed": String(document.passedCheckCount),
            "checksTotal": String(document.checks.count),
            "hasChecks": !document.checks.isEmpty,
            "checks": checks,
            "hasWarnings": !document.warnings.isEmpty,
            "warnings": document.warnings.map { ["text": text($0)] },
            "hasFigures": !document.figures.isEmpty,
            "figures": figures,
            "hasMetrics": !document.metrics.isEmpty,
            "metrics": metrics,
            "spec": [
                "fileName": text(specCopyName),
                "url": format.url(specCopyName),
                "source": format.block(document.specSource),
                "fence": ReportEscaping.markdownFence(for: document.specSource),
            ] as [String: Any],
            "provenance": [
                "tool": text(provenance.tool),
                "seed": text(String(provenance.seed)),
                "samples": text(ReportNumberFormat.grouped(provenance.samples)),
                "threads": text(String(provenance.threads)),
                "wallTime": text(ReportNumberFormat.seconds(provenance.wallTimeSeconds)),
                "swiftVersion": text(provenance.swiftVersion),
                "hostname": text(provenance.hostname ?? ""),
                "hasHostname": !(provenance.hostname ?? "").isEmpty,
                "matrixProducts": text(provenance.matrixProducts ?? ""),
                "hasMatrixProducts": provenance.matrixProducts != nil,
            ] as [String: Any],
            "links": [
                "hasPDF": hasPDF,
                "pdf": format.url("report.pdf"),
                "markdown": format.url("report.md"),
                "metrics": format.url("metrics.json"),
                "index": format.url("../index.html"),
            ] as [String: Any],
        ]
    }
}
