import CCairo
import CZlib
import Foundation
import Plot

/// A PNG writer (8-bit RGB or RGBA, non-interlaced) tuned for plots, used instead of Cairo's
/// `cairo_surface_write_to_png_stream`.
///
/// Cairo hands its pixels to libpng, which tries all five row filters on every row and deflates
/// at zlib's default level 6; for a 960 × 720 figure that is most of the export time. Plots are
/// mostly flat colour, so a cheaper recipe loses little size: each row is filtered with *Up*
/// when it equals the row above (it then deflates to almost nothing) and *None* otherwise, and the
/// result is deflated at level 1 (`Z_BEST_SPEED`). The file is: signature, `IHDR`, `pHYs` (the
/// resolution, so that LaTeX and print tools size the image correctly), one `IDAT` and `IEND`,
/// each chunk with its CRC-32 (PNG specification, 2nd edition, W3C 2003, §5 and §11; zlib,
/// RFC 1950/1951). Nothing depends on time or memory addresses, so the same pixels always give
/// the same bytes (for one zlib version).
///
///     let bytes = try PNGEncoder.encode(image, dpi: 150)
/// TEMPORARY: the hand-written encoder, kept only to benchmark libpng against it.
public enum LegacyPNGEncoder {
    /// zlib's compression level: 1 (`Z_BEST_SPEED`). On the plot gallery, level 6 makes the
    /// files about 20 % smaller and takes three times as long; with this level and row-filter
    /// rule the gallery's PNGs are 8 % larger than libpng's (level 6, adaptive filters) and the
    /// benchmark figure's 4 % smaller, while its PNG export (same rasterization) fell from
    /// 33.5 ms to 9.5 ms (`flowbench bench plot-two-panel`).
    static let compressionLevel: Int32 = 1

    /// Rows converted per `deflate` call: a strip of this many rows stays in cache.
    static let stripRows = 16

    /// The PNG of straight-alpha RGBA pixels (colour type 6, RGBA), `dpi` recorded in `pHYs`
    /// when given.
    public static func encode(_ image: RGBAImage, dpi: Double? = nil) throws -> [UInt8] {
        try image.pixels.withUnsafeBytes { px in
            guard let base = px.baseAddress else {
                throw CairoError(message: "empty image", operation: "encode PNG")
            }
            let rowBytes = image.width * 4
            return try encode(width: image.width, height: image.height, hasAlpha: true, dpi: dpi,
                              sameAsPrevious: { y in memcmp(base + y * rowBytes, base + (y - 1) * rowBytes, rowBytes) == 0 },
                              convertRow: { y, out in out.copyMemory(from: base + y * rowBytes, byteCount: rowBytes) })
        }
    }

    /// The PNG of a Cairo image surface's pixel buffer: 32-bit native-endian words, `stride` bytes
    /// per row, premultiplied ARGB (`hasAlpha`, Cairo's `ARGB32`; written as RGBA) or xRGB
    /// (Cairo's `RGB24`; written as RGB). Premultiplied colour is divided by alpha exactly as
    /// Cairo's own PNG writer does: c = ⌊(c′·255 + ⌊a/2⌋) / a⌋, and 0 where a = 0.
    public static func encode(cairoPixels data: UnsafeRawPointer, width: Int, height: Int, stride: Int,
                       hasAlpha: Bool, dpi: Double?) throws -> [UInt8] {
        try encode(width: width, height: height, hasAlpha: hasAlpha, dpi: dpi,
                   sameAsPrevious: { y in memcmp(data + y * stride, data + (y - 1) * stride, width * 4) == 0 },
                   convertRow: { y, out in
                       let src = (data + y * stride).assumingMemoryBound(to: UInt32.self)
                       let dst = out.assumingMemoryBound(to: UInt8.self)
                       if hasAlpha {
                           for x in 0..<width {
                               let v = src[x], a = v >> 24, o = 4 * x
                               if a == 255 {
                                   dst[o] = UInt8(truncatingIfNeeded: v >> 16); dst[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                                   dst[o + 2] = UInt8(truncatingIfNeeded: v); dst[o + 3] = 255
                               } else if a == 0 {
                                   dst[o] = 0; dst[o + 1] = 0; dst[o + 2] = 0; dst[o + 3] = 0
                               } else {
                                   let h = a / 2
                                   dst[o] = UInt8(truncatingIfNeeded: (((v >> 16) & 0xFF) * 255 + h) / a)
                                   dst[o + 1] = UInt8(truncatingIfNeeded: (((v >> 8) & 0xFF) * 255 + h) / a)
                                   dst[o + 2] = UInt8(truncatingIfNeeded: ((v & 0xFF) * 255 + h) / a)
                                   dst[o + 3] = UInt8(truncatingIfNeeded: a)
                               }
                           }
                       } else {
                           for x in 0..<width {
                               let v = src[x], o = 3 * x
                               dst[o] = UInt8(truncatingIfNeeded: v >> 16)
                               dst[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                               dst[o + 2] = UInt8(truncatingIfNeeded: v)
                           }
                       }
                   })
    }

    /// The encoder proper. `convertRow(y, out)` writes row `y`'s unfiltered bytes (3 or 4 per
    /// pixel) to `out`; `sameAsPrevious(y)` (called for y ≥ 1) tells whether row `y` equals row
    /// `y − 1`, in which case it is not converted and is written as an all-zero *Up* row.
    static func encode(width: Int, height: Int, hasAlpha: Bool, dpi: Double?,
                       sameAsPrevious: (Int) -> Bool,
                       convertRow: (Int, UnsafeMutableRawPointer) -> Void) throws -> [UInt8] {
        guard width > 0, height > 0, width < 1 << 28, height < 1 << 28 else {
            throw CairoError(message: "invalid image size \(width)×\(height)", operation: "encode PNG")
        }
        let channels = hasAlpha ? 4 : 3
        let rowBytes = 1 + width * channels // filter byte + pixels
        let rawSize = rowBytes * height

        var stream = z_stream()
        guard flowreport_deflate_init(&stream, compressionLevel) == Z_OK else {
            throw CairoError(message: "zlib deflateInit2 failed", operation: "encode PNG")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(rawSize)))

        // signature 8 + IHDR 25 + pHYs 21 + IDAT header 8 + data + CRC 4 + IEND 12
        let capacity = 8 + 25 + 21 + 8 + bound + 4 + 12
        var deflateStatus = Z_OK
        let png = [UInt8](unsafeUninitializedCapacity: capacity) { buf, count in
            guard let out = buf.baseAddress else { return }
            var n = 0
            func put(_ bytes: [UInt8]) { for b in bytes { out[n] = b; n += 1 } }
            func put32(_ v: UInt32) { put([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }
            /// Writes a chunk's length, type and data, then its CRC-32 over type and data.
            func chunk(_ type: String, _ body: [UInt8]) {
                put32(UInt32(body.count))
                let start = n
                put(Array(type.utf8))
                put(body)
                put32(UInt32(crc32(0, out + start, uInt(n - start))))
            }
            func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

            put([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            // Bit depth 8; colour type 6 (RGBA) or 2 (RGB); deflate; adaptive filtering; no interlace.
            chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [8, hasAlpha ? 6 : 2, 0, 0, 0])
            if let dpi, dpi.isFinite, dpi > 0 {
                let perMetre = UInt32(min((dpi / 0.0254).rounded(), Double(UInt32.max)))
                chunk("pHYs", be32(perMetre) + be32(perMetre) + [1]) // unit 1 = metre
            }

            // IDAT: the length is patched in after deflating.
            let idatLength = n
            put32(0)
            let idatType = n
            put(Array("IDAT".utf8))
            let strip = UnsafeMutableRawPointer.allocate(byteCount: rowBytes * stripRows, alignment: 16)
            defer { strip.deallocate() }
            stream.next_out = out + n
            stream.avail_out = uInt(capacity - n - 16)
            var y = 0
            while y < height {
                let rows = min(stripRows, height - y)
                for r in 0..<rows {
                    let row = strip + r * rowBytes
                    let yy = y + r
                    if yy > 0, sameAsPrevious(yy) {
                        row.storeBytes(of: 2, as: UInt8.self) // Up: each byte minus the byte above = 0
                        (row + 1).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes - 1)
                    } else {
                        row.storeBytes(of: 0, as: UInt8.self) // None
                        convertRow(yy, row + 1)
                    }
                }
                y += rows
                stream.next_in = strip.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(rows * rowBytes)
                let flush = y == height ? Z_FINISH : Z_NO_FLUSH
                deflateStatus = deflate(&stream, flush)
                guard deflateStatus == (flush == Z_FINISH ? Z_STREAM_END : Z_OK), stream.avail_in == 0 else { return }
            }
            let idatSize = Int(stream.total_out)
            n += idatSize
            let saved = n
            n = idatLength
            put32(UInt32(idatSize))
            n = saved
            put32(UInt32(crc32(0, out + idatType, uInt(n - idatType))))
            chunk("IEND", [])
            count = n
        }
        guard deflateStatus == Z_STREAM_END else {
            throw CairoError(message: "zlib deflate failed (status \(deflateStatus))", operation: "encode PNG")
        }
        return png
    }
}

extension Figure {
    /// TEMPORARY (benchmark only): `pngData` through the hand-written encoder.
    public func legacyPNGData(dpi: Double = 150) throws -> [UInt8] {
        let w = Self.pixels(width, dpi: dpi), h = Self.pixels(height, dpi: dpi)
        let format = background.alpha >= 1 ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32
        guard let surface = cairo_image_surface_create(format, w, h) else {
            throw CairoError(CAIRO_STATUS_NO_MEMORY, operation: "create PNG surface")
        }
        defer { cairo_surface_destroy(surface) }
        try draw(on: surface, scale: dpi / 72, paintBackground: true)
        cairo_surface_flush(surface)
        guard let pixels = cairo_image_surface_get_data(surface) else {
            throw CairoError(CAIRO_STATUS_INVALID_FORMAT, operation: "read PNG surface pixels")
        }
        return try LegacyPNGEncoder.encode(cairoPixels: pixels, width: Int(w), height: Int(h),
                                           stride: Int(cairo_image_surface_get_stride(surface)),
                                           hasAlpha: format == CAIRO_FORMAT_ARGB32, dpi: dpi)
    }
}
