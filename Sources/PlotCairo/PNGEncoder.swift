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
///     let bytes = PNGEncoder.encode(image, dpi: 150)
public enum PNGEncoder {
    /// zlib's compression level: 1 (`Z_BEST_SPEED`). Level 6 makes plot PNGs about 15 % smaller
    /// and takes about three times as long.
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
    static func encode(cairoPixels data: UnsafeRawPointer, width: Int, height: Int, stride: Int,
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

    /// Raw (unfiltered) bytes per independently deflated part: images above this size are
    /// split into up to `maxParts` bands of rows, deflated in parallel.
    static let bytesPerPart = 256 * 1024
    static let maxParts = 4

    /// The number of bands for `rawSize` filtered bytes: depends only on the size, never on
    /// the number of processors, so the bytes are the same on every machine.
    static func partCount(rawSize: Int, height: Int) -> Int {
        max(1, min(maxParts, height, rawSize / bytesPerPart))
    }

    /// One band's deflate output: raw DEFLATE (RFC 1951) ending byte-aligned (`Z_SYNC_FLUSH`) or
    /// final (`Z_FINISH`), with the Adler-32 of its filtered bytes.
    struct Part {
        var data: UnsafeMutablePointer<UInt8>?
        var size = 0
        var adler: uLong = 1
        var failure: String?
    }

    /// The encoder proper. `convertRow(y, out)` writes row `y`'s unfiltered bytes (3 or 4 per
    /// pixel) to `out`; `sameAsPrevious(y)` (called for y ≥ 1) tells whether row `y` equals row
    /// `y − 1`, in which case it is not converted and is written as an all-zero *Up* row. Both
    /// are called concurrently from several threads for different rows.
    ///
    /// Large images are cut into `partCount` bands of rows, each filtered and deflated on its
    /// own thread (pigz's scheme): every band but the last ends with a sync flush, so the raw
    /// streams concatenate into one, and the zlib trailer is the Adler-32 of the whole, joined
    /// from the bands' with `adler32_combine`. A band restarts the 32 KiB window, which costs a
    /// fraction of a percent in size.
    static func encode(width: Int, height: Int, hasAlpha: Bool, dpi: Double?,
                       sameAsPrevious: (Int) -> Bool,
                       convertRow: (Int, UnsafeMutableRawPointer) -> Void) throws -> [UInt8] {
        guard width > 0, height > 0, width < 1 << 28, height < 1 << 28 else {
            throw CairoError(message: "invalid image size \(width)×\(height)", operation: "encode PNG")
        }
        let channels = hasAlpha ? 4 : 3
        let rowBytes = 1 + width * channels // filter byte + pixels
        let bands = bands(height: height, rawSize: rowBytes * height)
        let parts = bands.count
        let results = UnsafeMutableBufferPointer<Part>.allocate(capacity: parts)
        results.initialize(repeating: Part())
        defer {
            for r in results { r.data?.deallocate() }
            results.deallocate()
        }
        withoutActuallyEscaping(sameAsPrevious) { same in
            withoutActuallyEscaping(convertRow) { convert in
                // Each band reads the pixels and writes only `results[k]` and its own buffers.
                nonisolated(unsafe) let same = same, convert = convert, results = results
                DispatchQueue.concurrentPerform(iterations: parts) { k in
                    results[k] = deflatePart(rows: bands[k], rowBytes: rowBytes, final: k == parts - 1,
                                             sameAsPrevious: same, convertRow: convert)
                }
            }
        }
        if let failure = results.lazy.compactMap(\.failure).first {
            throw CairoError(message: failure, operation: "encode PNG")
        }
        var adler = results[0].adler
        for k in 1..<parts { adler = adler32_combine(adler, results[k].adler, off_t(bands[k].count * rowBytes)) }
        let deflated = results.reduce(0) { $0 + $1.size }

        var png: [UInt8] = []
        png.reserveCapacity(8 + 25 + 21 + 12 + 2 + deflated + 4 + 12)
        func put32(_ v: UInt32) { png.append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]) }
        /// Appends a chunk: length, type, data, then the CRC-32 of type and data.
        func chunk(_ type: String, _ body: () -> Void) {
            let lengthAt = png.count
            put32(0)
            let start = png.count
            png.append(contentsOf: Array(type.utf8))
            body()
            let length = UInt32(png.count - start - 4)
            for j in 0..<4 { png[lengthAt + j] = UInt8((length >> (24 - 8 * UInt32(j))) & 0xFF) }
            let crc = png.withUnsafeBufferPointer { crc32(0, $0.baseAddress! + start, uInt($0.count - start)) }
            put32(UInt32(crc))
        }
        png.append(contentsOf: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // Bit depth 8; colour type 6 (RGBA) or 2 (RGB); deflate; adaptive filtering; no interlace.
        chunk("IHDR") {
            put32(UInt32(width)); put32(UInt32(height))
            png.append(contentsOf: [8, hasAlpha ? 6 : 2, 0, 0, 0])
        }
        if let dpi, dpi.isFinite, dpi > 0 {
            let perMetre = UInt32(min((dpi / 0.0254).rounded(), Double(UInt32.max)))
            chunk("pHYs") { put32(perMetre); put32(perMetre); png.append(1) } // unit 1 = metre
        }
        chunk("IDAT") {
            png.append(contentsOf: [0x78, 0x01]) // zlib header: deflate, 32 KiB window, level 1
            for r in results { if let d = r.data { png.append(contentsOf: UnsafeBufferPointer(start: d, count: r.size)) } }
            put32(UInt32(adler))
        }
        chunk("IEND") {}
        return png
    }

    /// The bands of rows deflated separately: `partCount` bands of ⌈height / parts⌉ rows (the
    /// last may be shorter), never an empty one.
    static func bands(height: Int, rawSize: Int) -> [Range<Int>] {
        let rowsPerPart = (height + partCount(rawSize: rawSize, height: height) - 1) / partCount(rawSize: rawSize, height: height)
        return stride(from: 0, to: height, by: rowsPerPart).map { $0..<min(height, $0 + rowsPerPart) }
    }

    /// Filters and deflates `rows` (see `encode`).
    static func deflatePart(rows: Range<Int>, rowBytes: Int, final: Bool,
                            sameAsPrevious: (Int) -> Bool,
                            convertRow: (Int, UnsafeMutableRawPointer) -> Void) -> Part {
        var part = Part()
        var stream = z_stream()
        guard flowreport_deflate_init_raw(&stream, compressionLevel) == Z_OK else {
            part.failure = "zlib deflateInit2 failed"
            return part
        }
        defer { deflateEnd(&stream) }
        // deflateBound, plus the sync flush's empty stored block (at most 5 bytes), rounded up.
        let capacity = Int(deflateBound(&stream, uLong(rows.count * rowBytes))) + 64
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        part.data = out
        let strip = UnsafeMutableRawPointer.allocate(byteCount: rowBytes * stripRows, alignment: 16)
        defer { strip.deallocate() }
        stream.next_out = out
        stream.avail_out = uInt(capacity)
        var y = rows.lowerBound
        while y < rows.upperBound {
            let n = min(stripRows, rows.upperBound - y)
            for r in 0..<n {
                let row = strip + r * rowBytes
                if y + r > 0, sameAsPrevious(y + r) {
                    row.storeBytes(of: 2, as: UInt8.self) // Up: each byte minus the byte above = 0
                    (row + 1).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes - 1)
                } else {
                    row.storeBytes(of: 0, as: UInt8.self) // None
                    convertRow(y + r, row + 1)
                }
            }
            y += n
            let input = strip.assumingMemoryBound(to: Bytef.self)
            part.adler = adler32(part.adler, input, uInt(n * rowBytes))
            stream.next_in = input
            stream.avail_in = uInt(n * rowBytes)
            let flush = y < rows.upperBound ? Z_NO_FLUSH : final ? Z_FINISH : Z_SYNC_FLUSH
            let status = deflate(&stream, flush)
            let expected = flush == Z_FINISH ? Z_STREAM_END : Z_OK
            guard status == expected, stream.avail_in == 0 else {
                part.failure = "zlib deflate failed (status \(status))"
                return part
            }
        }
        part.size = Int(stream.total_out)
        return part
    }
}
