import CPNG
import Foundation
import Plot

/// A PNG writer (8-bit RGB or RGBA, non-interlaced) through libpng, with the settings that
/// suit plots, used instead of Cairo's `cairo_surface_write_to_png_stream`.
///
/// Cairo's writer lets libpng try all five row filters on every row and deflate at zlib's
/// default level 6; for a 960 × 720 figure that is most of the export time. Plots are mostly
/// flat colour, so a cheaper recipe loses little size: each row is filtered with *Up* when it
/// equals the row above (it then becomes all zeros and deflates to almost nothing) and *None*
/// otherwise, decided here instead of by libpng's trial of filters on every row, and the
/// result is deflated at level 1 (`Z_BEST_SPEED`). The C side, with libpng's setjmp error
/// handling, is `flowreport_png_write` in `Sources/CPNG/shim.h`. The file is: signature,
/// `IHDR`, `pHYs` (the resolution, so that LaTeX and print tools size the image correctly),
/// `IDAT` and `IEND` (PNG specification, 2nd edition, W3C 2003, §5 and §11). No time stamp or
/// text is written, so the same pixels always give the same bytes (for one libpng and zlib).
///
///     let bytes = try PNGEncoder.encode(image, dpi: 150)
public enum PNGEncoder {
    /// zlib's compression level: 1 (`Z_BEST_SPEED`). On the plot gallery, level 6 makes the
    /// files about 20 % smaller and takes three times as long. With this level and row-filter
    /// rule, libpng encodes the benchmark figure about 5 % slower than the hand-written encoder
    /// it replaced (7.2 against 6.8 ms; seven interleaved runs of `flowbench bench plot-raster`
    /// on a loaded 2-core machine, median ratio 1.05), into a file 0.1 % larger.
    static let compressionLevel: Int32 = 1

    /// The PNG of straight-alpha RGBA pixels (colour type 6, RGBA), `dpi` recorded in `pHYs`
    /// when given.
    public static func encode(_ image: RGBAImage, dpi: Double? = nil) throws -> [UInt8] {
        try image.pixels.withUnsafeBytes { px in
            guard let base = px.baseAddress else {
                throw CairoError(message: "empty image", operation: "encode PNG")
            }
            let rowBytes = image.width * 4
            return try encode(width: image.width, height: image.height, hasAlpha: true, dpi: dpi) { y, out in
                if y > 0, memcmp(base + y * rowBytes, base + (y - 1) * rowBytes, rowBytes) == 0 { return true }
                out.copyMemory(from: base + y * rowBytes, byteCount: rowBytes)
                return false
            }
        }
    }

    /// The PNG of a Cairo image surface's pixel buffer: 32-bit native-endian words, `stride` bytes
    /// per row, premultiplied ARGB (`hasAlpha`, Cairo's `ARGB32`; written as RGBA) or xRGB
    /// (Cairo's `RGB24`; written as RGB). Premultiplied colour is divided by alpha exactly as
    /// Cairo's own PNG writer does: c = ⌊(c′·255 + ⌊a/2⌋) / a⌋, and 0 where a = 0.
    static func encode(cairoPixels data: UnsafeRawPointer, width: Int, height: Int, stride: Int,
                       hasAlpha: Bool, dpi: Double?) throws -> [UInt8] {
        try encode(width: width, height: height, hasAlpha: hasAlpha, dpi: dpi) { y, out in
            // A row equal to the one above is already in the buffer.
            if y > 0, memcmp(data + y * stride, data + (y - 1) * stride, width * 4) == 0 { return true }
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
            return false
        }
    }

    /// The encoder proper. `fillRow(y, out)` writes row `y`'s bytes (3 or 4 per pixel) to `out`
    /// and returns false, or returns true and leaves `out` unchanged when row `y` equals row
    /// `y − 1` (`out` still holds that row, which is then written with the *Up* filter).
    static func encode(width: Int, height: Int, hasAlpha: Bool, dpi: Double?,
                       fillRow: (Int, UnsafeMutableRawPointer) -> Bool) throws -> [UInt8] {
        guard width > 0, height > 0, width < 1 << 24, height < 1 << 24 else {
            throw CairoError(message: "invalid image size \(width)×\(height)", operation: "encode PNG")
        }
        // pHYs in pixels per metre: 150 dpi = 5906 (150 / 0.0254 = 5905.5…).
        var perMetre: UInt32 = 0
        if let dpi, dpi.isFinite, dpi > 0 {
            perMetre = UInt32(min((dpi / 0.0254).rounded(), Double(UInt32.max)))
        }
        let row = UnsafeMutableRawPointer.allocate(byteCount: width * 4, alignment: 16)
        defer { row.deallocate() }
        var output = flowreport_png_output()
        defer { free(output.bytes) }
        let status = withoutActuallyEscaping(fillRow) { fill in
            var source = RowSource(fill: fill)
            return withUnsafeMutablePointer(to: &source) { context in
                flowreport_png_write(UInt32(width), UInt32(height), hasAlpha ? 1 : 0, perMetre, compressionLevel,
                                     { context, y, row in
                                         guard let context, let row else { return 0 }
                                         let source = context.assumingMemoryBound(to: RowSource.self)
                                         return source.pointee.fill(Int(y), UnsafeMutableRawPointer(row)) ? 1 : 0
                                     },
                                     context, row.assumingMemoryBound(to: UInt8.self), &output)
            }
        }
        guard status == 0, let bytes = output.bytes else {
            let message = withUnsafeBytes(of: output.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw CairoError(message: "libpng: \(message)", operation: "encode PNG")
        }
        return Array(UnsafeBufferPointer(start: bytes, count: output.count))
    }
}

/// The row callback, reached from C through the context pointer.
private struct RowSource {
    let fill: (Int, UnsafeMutableRawPointer) -> Bool
}
