import CCairo
import Plot

/// The Cairo backend of `Renderer`: a thin translation of each call into Cairo operations
/// on a `cairo_t` whose user space is in points (PNG surfaces are pre-scaled by dpi/72).
///
/// Text uses Cairo's toy font API through fontconfig: DejaVu Sans, DejaVu Serif, and DejaVu
/// Math TeX Gyre for script capitals. Metric hinting is off so that text measures the same in
/// PNG, PDF and SVG, and nothing is rounded to pixels. Instances are created by the export
/// functions and `PDFDocument`; they are valid only inside the drawing closure.
public final class CairoRenderer: Renderer {
    let cr: OpaquePointer
    /// `simplifyTolerance` for this renderer; 0 or less sends every vertex to Cairo.
    let tolerance: Double

    init(context: OpaquePointer, simplifyTolerance: Double = CairoRenderer.simplifyTolerance) {
        cr = context
        tolerance = simplifyTolerance
        if let options = cairo_font_options_create() {
            cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
            cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
            cairo_set_font_options(cr, options)
            cairo_font_options_destroy(options)
        }
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
    }

    /// Cairo's status of the context (set by the first failing operation).
    public var status: cairo_status_t { cairo_status(cr) }

    private func setSource(_ c: Color) {
        cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha)
    }

    /// How far, in points, a vertex of a run of straight segments may lie from the chord that
    /// replaces it (`PolylineSimplifier`): 0.01 pt = 1/7200 inch, a fiftieth of a pixel at
    /// 150 dpi and a tenth of Cairo's default curve-flattening tolerance (0.1 device pixel).
    static let simplifyTolerance = 0.01

    /// Sends `path` to Cairo, dropping line-to vertices within `simplifyTolerance` of the
    /// chord that replaces them (dense curves keep about a third of their vertices).
    private func build(_ path: Path) {
        cairo_new_path(cr)
        guard tolerance > 0 else {
            for e in path.elements {
                switch e {
                case .move(let p): cairo_move_to(cr, p.x, p.y)
                case .line(let p): cairo_line_to(cr, p.x, p.y)
                case .curve(let a, let b, let p): cairo_curve_to(cr, a.x, a.y, b.x, b.y, p.x, p.y)
                case .close: cairo_close_path(cr)
                }
            }
            return
        }
        var run = PolylineSimplifier(tolerance: tolerance)
        var subpathStart: Point?
        func endRun() { if let q = run.finish() { cairo_line_to(cr, q.x, q.y) } }
        for e in path.elements {
            switch e {
            case .move(let p):
                endRun()
                cairo_move_to(cr, p.x, p.y)
                run.start(at: p)
                subpathStart = p
            case .line(let p):
                if let q = run.add(p) { cairo_line_to(cr, q.x, q.y) }
                if subpathStart == nil { subpathStart = p }
            case .curve(let a, let b, let p):
                endRun()
                cairo_curve_to(cr, a.x, a.y, b.x, b.y, p.x, p.y)
                run.start(at: p)
                if subpathStart == nil { subpathStart = a } // Cairo moves to `a` when there is no current point
            case .close:
                endRun()
                cairo_close_path(cr)
                // Cairo's current point is now the subpath's start.
                if let s = subpathStart { run.start(at: s) }
            }
        }
        endRun()
    }

    public func fill(_ path: Path, color: Color) {
        guard color.alpha > 0, !path.isEmpty else { return }
        build(path)
        setSource(color)
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
        cairo_fill(cr)
    }

    public func stroke(_ path: Path, style: StrokeStyle) {
        guard style.color.alpha > 0, style.width > 0, !path.isEmpty else { return }
        build(path)
        setSource(style.color)
        cairo_set_line_width(cr, style.width)
        switch style.cap {
        case .butt: cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        case .round: cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        case .square: cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE)
        }
        switch style.join {
        case .miter: cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER)
        case .round: cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        case .bevel: cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL)
        }
        let dashes = style.dash.pattern(width: style.width)
        dashes.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        cairo_stroke(cr)
    }

    /// The fontconfig family for a font request.
    static func familyName(_ f: Font.Family) -> String {
        switch f {
        case .sans: return "DejaVu Sans"
        case .serif: return "DejaVu Serif"
        case .math: return "DejaVu Math TeX Gyre"
        }
    }

    private func select(_ font: Font) {
        cairo_select_font_face(cr, CairoRenderer.familyName(font.family),
                               font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, font.size)
    }

    public func measureText(_ text: String, font: Font) -> TextMetrics {
        select(font)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        var te = cairo_text_extents_t()
        if !text.isEmpty { cairo_text_extents(cr, text, &te) }
        return TextMetrics(width: te.x_advance, ascent: fe.ascent, descent: fe.descent)
    }

    public func drawText(_ text: String, at origin: Point, font: Font, color: Color, angle: Double) {
        // A non-finite origin or angle would make Cairo's matrix invalid (and the context unusable).
        guard !text.isEmpty, color.alpha > 0, origin.x.isFinite, origin.y.isFinite, angle.isFinite else { return }
        select(font)
        setSource(color)
        cairo_save(cr)
        cairo_translate(cr, origin.x, origin.y)
        if angle != 0 { cairo_rotate(cr, -angle) } // counter-clockwise on a y-down page
        cairo_move_to(cr, 0, 0)
        cairo_show_text(cr, text)
        cairo_restore(cr)
    }

    public func drawImage(_ image: RGBAImage, in rect: Rect, smooth: Bool) {
        // An image scaled to (nearly) nothing, or to a non-finite rectangle, draws nothing; Cairo
        // would reject the singular matrix and stop drawing altogether.
        guard image.width > 0, image.height > 0, Self.isDrawable(rect, width: image.width, height: image.height),
              let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height))
        else { return }
        defer { cairo_surface_destroy(surface) }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let data = cairo_image_surface_get_data(surface) else { return }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                let row = (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: image.width) { $0 }
                for x in 0..<image.width {
                    let i = (y * image.width + x) * 4
                    let a = UInt32(px[i + 3])
                    // Premultiplied ARGB in native endianness, as CAIRO_FORMAT_ARGB32 requires.
                    let r = (UInt32(px[i]) * a + 127) / 255, g = (UInt32(px[i + 1]) * a + 127) / 255
                    let b = (UInt32(px[i + 2]) * a + 127) / 255
                    row[x] = (a << 24) | (r << 16) | (g << 8) | b
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        cairo_save(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(image.width), rect.height / Double(image.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        if let pattern = cairo_get_source(cr) {
            cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
            cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        }
        cairo_new_path(cr)
        cairo_rectangle(cr, 0, 0, Double(image.width), Double(image.height))
        cairo_fill(cr)
        cairo_restore(cr)
    }

    public func clip(to rect: Rect) {
        cairo_new_path(cr)
        if rect.x.isFinite, rect.y.isFinite, rect.width.isFinite, rect.height.isFinite {
            cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        }
        cairo_clip(cr)   // an empty path clips everything away
    }

    /// Whether an image of `width` × `height` pixels can be scaled into `rect`: finite, and the
    /// scale factors neither below 1e-6 (a singular matrix to Cairo) nor above 1e6.
    static func isDrawable(_ rect: Rect, width: Int, height: Int) -> Bool {
        let sx = rect.width / Double(width), sy = rect.height / Double(height)
        return rect.x.isFinite && rect.y.isFinite && sx.isFinite && sy.isFinite
            && sx >= 1e-6 && sy >= 1e-6 && sx <= 1e6 && sy <= 1e6
    }

    public func save() { cairo_save(cr) }

    public func restore() { cairo_restore(cr) }
}
