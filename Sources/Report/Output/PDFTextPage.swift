import Foundation
import Plot

/// Lays out the text part of `report.pdf` as a column of `PDFBlock`s, measuring every string
/// through the renderer and wrapping it to the column width.
struct PDFTextPage {
    let document: ReportDocument
    let figureTitles: [String]
    let renderer: Renderer
    /// Column width in points.
    let width: Double

    private var left: Double { ReportPDF.margin }
    private let body = Font(family: .sans, size: 10)
    private let small = Font(family: .sans, size: 8.5)

    /// Column widths of the checks table: check, what, value, limit, result.
    private var columns: [Double] {
        let fixed = [128.0, 0, 58, 50, 54]
        return [fixed[0], width - fixed.reduce(0, +), fixed[2], fixed[3], fixed[4]]
    }
    private let cellPadding = 4.0

    /// The blocks in order; the figure list names pages from `firstFigurePage` on.
    func blocks(firstFigurePage: Int) -> [PDFBlock] {
        var blocks: [PDFBlock] = []
        blocks.append(paragraph(document.title, font: Font(family: .sans, size: 20, bold: true), color: ReportPDF.ink, after: 6))
        if let description = document.description, !description.isEmpty {
            blocks.append(paragraph(description, font: Font(family: .sans, size: 11), color: ReportPDF.muted, after: 8))
        }
        blocks.append(verdict())
        blocks.append(heading("Checks (\(document.passedCheckCount) of \(document.checks.count) passed)"))
        if document.checks.isEmpty {
            blocks.append(paragraph("The spec asks for no checks.", font: body.withItalic(true), color: ReportPDF.muted, after: 0))
        } else {
            var table = tableHeader()
            table.keepWithNext = true
            blocks.append(table)
            for (index, check) in document.checks.enumerated() {
                blocks.append(row(check, striped: index % 2 == 1))
            }
        }
        if !document.warnings.isEmpty {
            blocks.append(heading("Numerical trouble"))
            for warning in document.warnings {
                blocks.append(paragraph("• " + warning, font: body, color: ReportPDF.fail, after: 4))
            }
        }
        if !figureTitles.isEmpty {
            blocks.append(heading("Figures"))
            let rows = figureTitles.enumerated().map { index, title in
                ("Page \(firstFigurePage + index)", title.isEmpty ? document.figures[safe: index]?.title ?? "Figure \(index + 1)" : title)
            }
            blocks.append(keyValues(rows))
        }
        blocks.append(heading("Provenance"))
        let provenance = document.provenance
        var rows = [
            ("Tool", provenance.tool),
            ("Seed", String(provenance.seed)),
            ("Samples", ReportNumberFormat.grouped(provenance.samples)),
            ("Threads", String(provenance.threads)),
            ("Wall time", ReportNumberFormat.seconds(provenance.wallTimeSeconds)),
            ("Swift", provenance.swiftVersion),
        ]
        if let host = provenance.hostname, !host.isEmpty { rows.append(("Host", host)) }
        if let products = provenance.matrixProducts { rows.append(("Matrix products", products)) }
        rows.append(("Spec", ReportPages.specCopyName(for: document.specFileName)))
        blocks.append(keyValues(rows, columns: 2))
        return blocks
    }

    // MARK: - Blocks

    func tableHeader() -> PDFBlock {
        let font = small.withBold(true)
        let height = lineHeight(font) + 2 * cellPadding
        let titles = ["Check", "What is measured", "Value", "Limit", "Result"]
        let columns = self.columns
        let left = self.left
        let width = self.width
        let renderer = self.renderer
        let padding = cellPadding
        return PDFBlock(height: height, isTableRow: false) { r, y in
            r.fill(Rect(x: left, y: y, width: width, height: height), color: ReportPDF.panel)
            var x = left
            for (index, title) in titles.enumerated() {
                let textWidth = renderer.measureText(title, font: font).width
                let tx = index >= 2 && index <= 3 ? x + columns[index] - padding - textWidth
                    : index == 4 ? x + (columns[index] - textWidth) / 2 : x + padding
                r.drawText(title, at: Point(tx, y + padding + font.size), font: font, color: ReportPDF.ink)
                x += columns[index]
            }
            r.line(from: Point(left, y + height), to: Point(left + width, y + height), style: StrokeStyle(color: ReportPDF.rule, width: 1.2))
        }
    }

    private func row(_ check: CheckResult, striped: Bool) -> PDFBlock {
        let columns = self.columns
        let nameFont = small.withBold(true)
        let nameLines = wrap(check.name, font: nameFont, width: columns[0] - 2 * cellPadding)
        let whatLines = wrap(check.summary, font: small, width: columns[1] - 2 * cellPadding)
        let value = ReportNumberFormat.display(check.value)
        let limit = ReportNumberFormat.display(check.limit)
        let line = lineHeight(small)
        let height = Double(max(nameLines.count, whatLines.count, 1)) * line + 2 * cellPadding
        let left = self.left
        let width = self.width
        let padding = cellPadding
        let small = self.small
        let renderer = self.renderer
        return PDFBlock(height: height, isTableRow: true) { r, y in
            if !check.passed {
                r.fill(Rect(x: left, y: y, width: width, height: height), color: ReportPDF.failBackground)
            } else if striped {
                r.fill(Rect(x: left, y: y, width: width, height: height), color: Color(r8: 0xFB, g8: 0xFC, b8: 0xFD))
            }
            let baseline = y + padding + small.size
            for (index, text) in nameLines.enumerated() {
                r.drawText(text, at: Point(left + padding, baseline + Double(index) * line), font: nameFont, color: ReportPDF.ink)
            }
            let whatX = left + columns[0] + padding
            for (index, text) in whatLines.enumerated() {
                r.drawText(text, at: Point(whatX, baseline + Double(index) * line), font: small, color: ReportPDF.muted)
            }
            var x = left + columns[0] + columns[1]
            for (index, text) in [value, limit].enumerated() {
                let column = columns[2 + index]
                let textWidth = renderer.measureText(text, font: small).width
                r.drawText(text, at: Point(x + column - padding - textWidth, baseline), font: small, color: ReportPDF.ink)
                x += column
            }
            let badgeText = check.passed ? "✓ pass" : "✗ fail"
            let badgeFont = small.withBold(true)
            let badgeWidth = renderer.measureText(badgeText, font: badgeFont).width + 10
            let badge = Rect(x: x + (columns[4] - badgeWidth) / 2, y: baseline - small.size - 1, width: badgeWidth, height: small.size + 5)
            r.fill(badge, color: check.passed ? ReportPDF.passBackground : ReportPDF.fail)
            r.drawText(badgeText, at: Point(badge.x + 5, baseline), font: badgeFont, color: check.passed ? ReportPDF.pass : .white)
            r.line(from: Point(left, y + height), to: Point(left + width, y + height), style: StrokeStyle(color: ReportPDF.rule, width: 0.5))
        }
    }

    private func verdict() -> PDFBlock {
        let failed = document.checks.count - document.passedCheckCount
        let text: String
        if document.checks.isEmpty {
            text = "No checks were run"
        } else if failed == 0 {
            text = "✓ All \(document.checks.count) checks passed"
        } else {
            text = "✗ \(failed) of \(document.checks.count) checks failed"
        }
        let font = Font(family: .sans, size: 11, bold: true)
        let textWidth = renderer.measureText(text, font: font).width
        let passed = document.allChecksPassed
        let left = self.left
        return PDFBlock(height: 30) { r, y in
            let box = Rect(x: left, y: y + 4, width: textWidth + 20, height: 20)
            r.fill(box, color: passed ? ReportPDF.passBackground : ReportPDF.failBackground)
            r.stroke(box, style: StrokeStyle(color: passed ? ReportPDF.pass : ReportPDF.fail, width: 0.8))
            r.drawText(text, at: Point(left + 10, y + 18), font: font, color: passed ? ReportPDF.pass : ReportPDF.fail)
        }
    }

    private func heading(_ text: String) -> PDFBlock {
        let font = Font(family: .sans, size: 13, bold: true)
        let left = self.left
        let width = self.width
        let title = Self.singleLine(text)
        return PDFBlock(height: 32, keepWithNext: true) { r, y in
            r.drawText(title, at: Point(left, y + 19), font: font, color: ReportPDF.ink)
            r.line(from: Point(left, y + 25), to: Point(left + width, y + 25), style: StrokeStyle(color: ReportPDF.rule, width: 0.8))
        }
    }

    private func paragraph(_ text: String, font: Font, color: Color, after: Double) -> PDFBlock {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrap(String($0), font: font, width: width) }
        let line = lineHeight(font)
        let left = self.left
        return PDFBlock(height: Double(lines.count) * line + after) { r, y in
            for (index, text) in lines.enumerated() {
                r.drawText(text, at: Point(left, y + font.size + Double(index) * line), font: font, color: color)
            }
        }
    }

    /// A key-value list kept together on one page, filled column by column into `columns`
    /// side-by-side columns.
    private func keyValues(_ rows: [(String, String)], columns: Int = 1) -> PDFBlock {
        let columns = max(1, columns)
        let keyWidth = columns == 1 ? 90.0 : 70.0
        let gutter = 16.0
        let columnWidth = (width - gutter * Double(columns - 1)) / Double(columns)
        let body = self.body
        let line = lineHeight(body)
        let perColumn = (rows.count + columns - 1) / columns
        let wrapped = rows.map { key, value in (key, wrap(value, font: body, width: columnWidth - keyWidth)) }
        let groups = stride(from: 0, to: wrapped.count, by: max(perColumn, 1)).map { Array(wrapped[$0..<min($0 + perColumn, wrapped.count)]) }
        let height = (groups.map { group in group.reduce(0) { $0 + Double(max($1.1.count, 1)) * line } }.max() ?? 0) + 4
        let left = self.left
        return PDFBlock(height: height) { r, y in
            for (column, group) in groups.enumerated() {
                let x = left + Double(column) * (columnWidth + gutter)
                var top = y
                for (key, lines) in group {
                    r.drawText(key, at: Point(x, top + body.size), font: body, color: ReportPDF.muted)
                    for (index, text) in lines.enumerated() {
                        r.drawText(text, at: Point(x + keyWidth, top + body.size + Double(index) * line), font: body, color: ReportPDF.ink)
                    }
                    top += Double(max(lines.count, 1)) * line
                }
            }
        }
    }

    // MARK: - Text

    private func lineHeight(_ font: Font) -> Double { (font.size * 1.35).rounded(.up) }

    /// Greedy word wrap to `width` points; a word wider than the line is broken between
    /// characters. Control characters become spaces.
    func wrap(_ text: String, font: Font, width: Double) -> [String] {
        let words = Self.singleLine(text).split(separator: " ").map(String.init)
        var lines: [String] = []
        var current = ""
        func fits(_ candidate: String) -> Bool { renderer.measureText(candidate, font: font).width <= width }
        for word in words {
            let candidate = current.isEmpty ? word : current + " " + word
            if fits(candidate) {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            current = ""
            // The word is wider than the line: break after `_`, `-` or `/` where possible,
            // between characters otherwise.
            for piece in Self.breakablePieces(word) {
                if fits(current + piece) || current.isEmpty && fits(piece) {
                    current += piece
                    continue
                }
                if !current.isEmpty { lines.append(current) }
                current = ""
                // Between characters: the longest prefix that fits, by bisection over at most
                // `cap` characters (a line never holds more), so that a word of n characters
                // costs O(n / cap · log cap) measurements, not O(n · cap).
                var rest = Array(piece)[...]
                let cap = max(8, 2 * Int(width / (font.size * 0.2)))
                while !rest.isEmpty {
                    let most = min(rest.count, cap)
                    var good = 0, bad = most + 1
                    while bad - good > 1 {
                        let middle = (good + bad) / 2
                        if fits(current + String(rest.prefix(middle))) { good = middle } else { bad = middle }
                    }
                    if good == 0 && current.isEmpty { good = 1 }   // one character per line at least
                    current += String(rest.prefix(good))
                    rest = rest.dropFirst(good)
                    if good < most || (good == 0 && !rest.isEmpty) {
                        lines.append(current)
                        current = ""
                    }
                }
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `word` split after every `_`, `-` and `/` (`a_b-c` → `a_`, `b-`, `c`).
    static func breakablePieces(_ word: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in word {
            current.append(character)
            if character == "_" || character == "-" || character == "/" {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// `text` with every control character (line breaks, tabs) replaced by a space.
    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) ? " " : $0 })
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
