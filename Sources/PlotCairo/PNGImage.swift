import CCairo
import Plot

/// PNG decoding and in-memory rasterization, for headless checks of rendered pixels.
public enum PNGImage {
    /// Decodes PNG bytes (via Cairo's PNG reader) into straight-alpha RGBA pixels.
    public static func decode(_ bytes: [UInt8]) throws -> RGBAImage {
        final class Source { let bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let src = Source(bytes)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let s = Unmanaged<Source>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard s.offset + n <= s.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            for k in 0..<n { data[k] = s.bytes[s.offset + k] }
            s.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(src) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(src).toOpaque())
        }
        guard let surface else { throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "decode PNG") }
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "decode PNG")
        return try image(of: surface)
    }

    /// Rasterizes `figure` at `dpi` into pixels without encoding (white background included).
    public static func rasterize(_ figure: Figure, dpi: Double) throws -> RGBAImage {
        let scale = dpi / 72
        let w = Int32(max(1, (figure.width * scale).rounded(.up))), h = Int32(max(1, (figure.height * scale).rounded(.up)))
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h) else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create image surface")
        }
        defer { cairo_surface_destroy(surface) }
        try CairoError.check(cairo_surface_status(surface), "create image surface \(w)×\(h)")
        try figure.draw(on: surface, scale: scale, paintBackground: true)
        return try image(of: surface)
    }

    /// The pixels of an ARGB32 or RGB24 image surface, un-premultiplied.
    static func image(of surface: OpaquePointer) throws -> RGBAImage {
        cairo_surface_flush(surface)
        let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let opaque = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24
        guard let data = cairo_image_surface_get_data(surface) else {
            throw CairoError(CAIRO_STATUS_INVALID_FORMAT, operation: "read image pixels")
        }
        var px = [UInt8](repeating: 0, count: w * h * 4)
        for y in 0..<h {
            let row = (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
            for x in 0..<w {
                let v = row[x]
                let a = opaque ? 255 : (v >> 24) & 0xFF
                func un(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8(min(255, (c * 255 + a / 2) / a)) }
                let i = (y * w + x) * 4
                px[i] = un((v >> 16) & 0xFF); px[i + 1] = un((v >> 8) & 0xFF); px[i + 2] = un(v & 0xFF); px[i + 3] = UInt8(a)
            }
        }
        return RGBAImage(width: w, height: h, pixels: px)
    }
}
