import CCairo
import Foundation
import Plot

/// Output formats for a single figure.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, pdf, svg

    /// The format named by a file extension (case-insensitive).
    public init?(pathExtension: String) { self.init(rawValue: pathExtension.lowercased()) }
}

extension Figure {
    /// PNG bytes at `dpi` (pixels = points × dpi / 72, rounded up). The same figure always
    /// gives the same bytes (the PNG carries no time stamp).
    public func pngData(dpi: Double = 150) throws -> [UInt8] {
        let scale = dpi / 72
        let w = Self.pixels(width, dpi: dpi), h = Self.pixels(height, dpi: dpi)
        // An opaque background needs no alpha channel: RGB PNGs encode about a quarter faster.
        let format = background.alpha >= 1 ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32
        guard let surface = cairo_image_surface_create(format, w, h) else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create PNG surface")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "create PNG surface \(w)×\(h)")
        try draw(on: surface, scale: scale, paintBackground: true)
        let sink = ByteSink()
        try CairoError.check(cairo_surface_write_to_png_stream(surface, ByteSink.write, sink.opaque), "encode PNG")
        return sink.bytes
    }

    /// Pixels for `points` at `dpi`: points × dpi / 72, rounded up, but a floating-point excess
    /// below 10⁻⁹ px is no reason for one more pixel (432 pt at 150 dpi is 900 px, not 901).
    static func pixels(_ points: Double, dpi: Double) -> Int32 {
        Int32(max(1, (points * dpi / 72 - 1e-9).rounded(.up)))
    }

    /// PDF bytes; the page is `width × height` points. Creation and modification dates are
    /// removed so that the same figure always gives the same bytes.
    public func pdfData() throws -> [UInt8] {
        let doc = try PDFDocument()
        try doc.addPage(self)
        return try doc.finish()
    }

    /// SVG bytes, sized in points.
    public func svgData() throws -> [UInt8] {
        let sink = ByteSink()
        guard let surface = cairo_svg_surface_create_for_stream(ByteSink.write, sink.opaque, width, height) else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create SVG surface")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "create SVG surface")
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_2)
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        try draw(on: surface, scale: 1)
        cairo_surface_finish(surface)
        try CairoError.check(cairo_surface_status(surface), "write SVG")
        return Figure.renumberSurfaceIDs(sink.bytes)
    }

    /// Cairo names SVG groups `surfaceN` from a process-wide counter, so the same figure
    /// would differ between renders; renumber them 1, 2, … in order of first appearance.
    static func renumberSurfaceIDs(_ bytes: [UInt8]) -> [UInt8] {
        let key = Array("surface".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var map: [ArraySlice<UInt8>: Int] = [:]
        var i = 0
        while i < bytes.count {
            if bytes[i] == key[0], i + key.count < bytes.count, bytes[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57 { j += 1 }
                if j > i + key.count {
                    let digits = bytes[(i + key.count)..<j]
                    let n = map[digits] ?? (map.count + 1)
                    map[digits] = n
                    out.append(contentsOf: key)
                    out.append(contentsOf: Array(String(n).utf8))
                    i = j
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// Bytes in `format` (`dpi` applies to PNG only).
    public func data(format: ImageFormat, dpi: Double = 150) throws -> [UInt8] {
        switch format {
        case .png: return try pngData(dpi: dpi)
        case .pdf: return try pdfData()
        case .svg: return try svgData()
        }
    }

    /// Writes the figure to `path`, in the format its extension names (.png, .pdf, .svg).
    public func write(to path: String, dpi: Double = 150) throws {
        let ext = (path as NSString).pathExtension
        guard let format = ImageFormat(pathExtension: ext) else {
            throw CairoError(message: "unknown image extension '.\(ext)' (use .png, .pdf or .svg)", operation: "write \(path)")
        }
        try writeBytes(try data(format: format, dpi: dpi), to: path)
    }

    /// Draws through a fresh context on `surface` with user space scaled by `scale`.
    func draw(on surface: OpaquePointer, scale: Double, paintBackground: Bool = false) throws {
        guard let cr = cairo_create(surface) else { throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create context") }
        defer { cairo_destroy(cr) }
        if paintBackground {
            // Whole pixels: the last row and column of a raster may extend past the page edge.
            cairo_set_source_rgba(cr, background.red, background.green, background.blue, background.alpha)
            cairo_paint(cr)
        }
        cairo_scale(cr, scale, scale)
        let r = CairoRenderer(context: cr)
        FigureRenderer.draw(self, renderer: r)
        try CairoError.check(cairo_status(cr), "draw figure")
    }
}

/// Writes `bytes` to `path` atomically.
func writeBytes(_ bytes: [UInt8], to path: String) throws {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CairoError(message: "\(error.localizedDescription)", operation: "write \(path)")
    }
}
