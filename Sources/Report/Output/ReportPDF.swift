import Foundation
import Plot
import PlotCairo

/// Writes `report.pdf`: A4 text pages (title, description, verdict, the checks table, a list
/// of figures, provenance), continued on further A4 pages when the table is long (its header
/// repeats), then one page per figure at the figure's own size. The text pages are drawn with
/// Cairo through PlotCairo's `PDFDocument`; the figure pages are the figures' own PDFs
/// (`Figure.pdfData()`, the bytes of `figures/<id>.pdf`), joined after the text pages by
/// `PDFMerge` instead of being drawn a second time. No timestamps, so the same input gives the
/// same bytes.
public enum ReportPDF {
    /// A4 in points (210 × 297 mm at 72 pt per inch, ISO 216).
    static let pageWidth = 595.28
    static let pageHeight = 841.89
    static let margin = 56.0

    static let ink = Color(r8: 0x1F, g8: 0x23, b8: 0x28)
    static let muted = Color(r8: 0x59, g8: 0x63, b8: 0x6E)
    static let rule = Color(r8: 0xD1, g8: 0xD9, b8: 0xE0)
    static let panel = Color(r8: 0xF6, g8: 0xF8, b8: 0xFA)
    static let pass = Color(r8: 0x1A, g8: 0x7F, b8: 0x37)
    static let passBackground = Color(r8: 0xDA, g8: 0xFB, b8: 0xE1)
    static let fail = Color(r8: 0xCF, g8: 0x22, b8: 0x2E)
    static let failBackground = Color(r8: 0xFF, g8: 0xEB, b8: 0xE9)

    /// Writes the PDF of `document` with `figures` (in order, one per page) to `path`, a file in
    /// a staging folder (a plain write, see `StagedFile`).
    public static func write(document: ReportDocument, figures: [Figure], to path: String) throws(ReportError) {
        let figurePDFs: [[UInt8]]
        do {
            figurePDFs = try figures.map { try $0.pdfData() }
        } catch {
            throw ReportError.rendering("report.pdf: \(error)")
        }
        try write(document: document, figureTitles: figures.map { $0.title ?? "" }, figurePDFs: figurePDFs, to: path)
    }

    /// Writes the PDF of `document` followed by the pages of `figurePDFs` (each the PDF of one
    /// figure, `Figure.pdfData()`, in order, listed on the text pages by `figureTitles`) to
    /// `path`, a file in a staging folder.
    public static func write(document: ReportDocument, figureTitles: [String], figurePDFs: [[UInt8]],
                             to path: String) throws(ReportError) {
        let bytes: [UInt8]
        do {
            bytes = try PDFMerge.merge([try textPages(document: document, figureTitles: figureTitles)] + figurePDFs)
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError.rendering("report.pdf: \(error)")
        }
        try StagedFile.write(bytes, to: path)
    }

    /// The text pages alone, as a PDF: the list of figures (`figureTitles`) numbers them from
    /// the page after the last text page, where `write` puts the figure pages.
    static func textPages(document: ReportDocument, figureTitles titles: [String]) throws -> [UInt8] {
        let pdf = try PDFDocument(title: PDFTextPage.singleLine(document.title))
        var blocks: [PDFBlock] = []
        var header: PDFBlock?
        var pages: [[Int]] = []
        var page = 0
        repeat {
            try pdf.addPage(width: pageWidth, height: pageHeight) { renderer in
                if page == 0 {
                    // Text is measured through the page's renderer, so layout happens here. The
                    // figure list names page numbers, so paginate once to count the text pages.
                    let layout = PDFTextPage(document: document, figureTitles: titles,
                                             renderer: renderer, width: pageWidth - 2 * margin)
                    header = layout.tableHeader()
                    let draft = paginate(layout.blocks(firstFigurePage: 1), header: header)
                    blocks = layout.blocks(firstFigurePage: draft.count + 1)
                    pages = paginate(blocks, header: header)
                }
                var y = margin
                if page > 0, let firstIndex = pages[page].first, blocks[firstIndex].isTableRow, let header {
                    header.draw(renderer, y)
                    y += header.height
                }
                for index in pages[page] {
                    blocks[index].draw(renderer, y)
                    y += blocks[index].height
                }
                footer(renderer, document: document, page: page + 1)
            }
            page += 1
        } while page < pages.count
        return try pdf.finish()
    }

    /// Splits `blocks` into pages (lists of indices): a block goes to the next page when it
    /// would cross the bottom margin (a block taller than a page still gets a page of its
    /// own), a `keepWithNext` block moves with its successor, and a page that starts with a
    /// table row leaves room for the repeated table header.
    static func paginate(_ blocks: [PDFBlock], header: PDFBlock?) -> [[Int]] {
        let bottom = pageHeight - margin
        var pages: [[Int]] = [[]]
        var y = margin
        for index in blocks.indices {
            let block = blocks[index]
            let following = block.keepWithNext && index + 1 < blocks.count ? blocks[index + 1].height : 0
            if let current = pages.last, !current.isEmpty, y + block.height + following > bottom {
                pages.append([])
                y = margin + (block.isTableRow ? header?.height ?? 0 : 0)
            }
            pages[pages.count - 1].append(index)
            y += block.height
        }
        return pages
    }

    private static func footer(_ renderer: Renderer, document: ReportDocument, page: Int) {
        let font = Font(family: .sans, size: 8)
        let y = pageHeight - margin / 2
        renderer.line(from: Point(margin, y - 12), to: Point(pageWidth - margin, y - 12), style: StrokeStyle(color: rule, width: 0.5))
        renderer.drawText("flowreport · \(PDFTextPage.singleLine(document.name))", at: Point(margin, y), font: font, color: muted)
        let label = "page \(page)"
        let width = renderer.measureText(label, font: font).width
        renderer.drawText(label, at: Point(pageWidth - margin - width, y), font: font, color: muted)
    }
}

/// One unbreakable piece of a text page: its height and how to draw it with its top at `y`.
struct PDFBlock {
    var height: Double
    var keepWithNext = false
    var isTableRow = false
    var draw: (Renderer, Double) -> Void
}
