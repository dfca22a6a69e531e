import CCairo
import CFlateLevel
import Plot

/// A multi-page PDF built in memory: pages of figures and pages of free content drawn
/// through the same `Renderer` (text via `drawLabel`, tables from `fill`/`stroke`, with
/// `measureText` for layout). Page sizes are in points and may differ per page. The PDF
/// has no creation or modification date, so the same pages give the same bytes.
///
///     let doc = try PDFDocument()
///     try doc.addPage(width: 595, height: 842) { r in r.drawLabel("Report", font: Font(size: 18), at: Point(72, 72)) }
///     try doc.addPage(figure)
///     try doc.write(to: "report.pdf")
public final class PDFDocument {
    private let sink = ByteSink()
    private var surface: OpaquePointer?
    private var finished: [UInt8]?
    public private(set) var pageCount = 0

    /// The deflate level of the PDF's streams (page content and embedded fonts): 1, zlib's
    /// fastest, in place of the default 6 Cairo asks for (set through `CFlateLevel` while Cairo
    /// writes). On `reports/lognormal.yaml` (six figure PDFs and report.pdf) level 1 takes
    /// 36 ms less CPU time of a 210 ms run and makes the PDFs 1–21 % larger (report.pdf
    /// 110 → 125 kB, the 1,000-marker Q–Q plot 62 → 75 kB, the others within 4 %).
    public static let streamCompressionLevel: Int32 = 1

    /// Runs `body` (Cairo calls that may write streams) with `streamCompressionLevel`.
    private func compressing<T>(_ body: () throws -> T) rethrows -> T {
        let previous = flowreport_flate_set_default_level(Self.streamCompressionLevel)
        defer { flowreport_flate_set_default_level(previous) }
        return try body()
    }

    /// An empty document. `title`, when set, goes into the PDF's document information.
    public init(title: String? = nil) throws {
        guard let s = cairo_pdf_surface_create_for_stream(ByteSink.write, sink.opaque, 612, 792) else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create PDF surface")
        }
        surface = s
        try CairoError.check(cairo_surface_status(s), "create PDF surface")
        // Cairo 1.16 stamps the current time as CreationDate; an invalid (empty) date removes it.
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "")
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, "")
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "flowreport")
        if let title { cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title) }
    }

    deinit {
        if let s = surface { cairo_surface_destroy(s) }
    }

    /// Adds a `width × height` point page and draws on it with `body`.
    public func addPage(width: Double, height: Double, _ body: (Renderer) throws -> Void) throws {
        guard let s = surface, finished == nil else {
            throw CairoError(CAIRO_STATUS_SURFACE_FINISHED, operation: "add PDF page")
        }
        try compressing {
            cairo_pdf_surface_set_size(s, width, height)
            guard let cr = cairo_create(s) else { throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create context") }
            defer { cairo_destroy(cr) }
            let r = CairoRenderer(context: cr)
            try body(r)
            cairo_show_page(cr)
            try CairoError.check(cairo_status(cr), "draw PDF page \(pageCount + 1)")
        }
        pageCount += 1
    }

    /// Adds a page holding `figure` at its own size.
    public func addPage(_ figure: Figure) throws {
        try addPage(width: figure.width, height: figure.height) { r in FigureRenderer.draw(figure, renderer: r) }
    }

    /// Finishes the document (no pages can follow) and returns its bytes.
    public func finish() throws -> [UInt8] {
        if let f = finished { return f }
        guard let s = surface else { throw CairoError(CAIRO_STATUS_SURFACE_FINISHED, operation: "finish PDF") }
        try compressing {
            cairo_surface_finish(s)
            try CairoError.check(cairo_surface_status(s), "finish PDF")
        }
        cairo_surface_destroy(s)
        surface = nil
        finished = sink.bytes
        return sink.bytes
    }

    /// Finishes the document and writes it to `path`.
    public func write(to path: String) throws {
        try writeBytes(try finish(), to: path)
    }
}
