import Foundation
import Plot
import XCTest
@testable import PlotCairo

/// `PNGEncoder` (libpng): files decode (through Cairo's libpng reader) to exactly the pixels
/// encoded, chunks carry correct CRCs, `pHYs` holds the dpi, the deflate level is 1, the same
/// figure gives the same bytes on every run, and figure PNGs hold exactly the rasterized pixels.
final class PNGEncoderTests: XCTestCase {
    /// A deterministic 24-bit pattern (integer hash of the position; no random generator).
    func pattern(_ x: Int, _ y: Int) -> UInt32 {
        var h = UInt32(truncatingIfNeeded: x &* 73_856_093 ^ y &* 19_349_663)
        h ^= h >> 13
        h = h &* 0x5BD1_E995
        h ^= h >> 15
        return h & 0xFF_FFFF
    }

    /// Cairo-layout pixels (native-endian words, `stride` bytes per row) with rows 5–9 equal
    /// to row 4, so both the None and the Up row filters are exercised.
    func cairoPixels(width: Int, height: Int, stridePixels: Int, word: (Int, Int) -> UInt32) -> [UInt32] {
        var px = [UInt32](repeating: 0xDEAD_BEEF, count: stridePixels * height) // padding must be ignored
        for y in 0..<height {
            let source = (5...9).contains(y) ? 4 : y
            for x in 0..<width { px[y * stridePixels + x] = word(x, source) }
        }
        return px
    }

    func testRGB24PixelsRoundTrip() throws {
        let (w, h, sp) = (37, 23, 40)
        let px = cairoPixels(width: w, height: h, stridePixels: sp) { x, y in 0xFF00_0000 | self.pattern(x, y) }
        let png = try px.withUnsafeBytes {
            try PNGEncoder.encode(cairoPixels: $0.baseAddress!, width: w, height: h, stride: sp * 4, hasAlpha: false, dpi: nil)
        }
        XCTAssertEqual(png[25], 2, "IHDR colour type 2 (RGB)")
        let img = try PNGImage.decode(png)
        XCTAssertEqual(img.width, w)
        XCTAssertEqual(img.height, h)
        for y in 0..<h {
            for x in 0..<w {
                let v = px[y * sp + x], i = (y * w + x) * 4
                XCTAssertEqual(Array(img.pixels[i..<(i + 4)]), [UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF), 255],
                               "pixel (\(x), \(y))")
            }
        }
    }

    func testARGB32IsUnpremultipliedLikeCairo() throws {
        let (w, h) = (64, 12)
        let alphas: [UInt32] = [0, 1, 2, 17, 100, 127, 128, 200, 254, 255]
        // Premultiplied: each channel at most alpha.
        let px = cairoPixels(width: w, height: h, stridePixels: w) { x, y in
            let a = alphas[(x + y) % alphas.count], c = self.pattern(x, y)
            func ch(_ s: UInt32) -> UInt32 { a == 0 ? 0 : ((c >> s) & 0xFF) % (a + 1) }
            return a << 24 | ch(16) << 16 | ch(8) << 8 | ch(0)
        }
        let png = try px.withUnsafeBytes {
            try PNGEncoder.encode(cairoPixels: $0.baseAddress!, width: w, height: h, stride: w * 4, hasAlpha: true, dpi: nil)
        }
        XCTAssertEqual(png[25], 6, "IHDR colour type 6 (RGBA)")
        // Cairo's reader premultiplies again (exactly inverting c = round(c′·255/a)), and
        // `decode` un-premultiplies with Cairo's formula: so it returns the file's values.
        let img = try PNGImage.decode(png)
        for y in 0..<h {
            for x in 0..<w {
                let v = px[y * w + x], a = v >> 24, i = (y * w + x) * 4
                func un(_ c: UInt32) -> UInt8 { a == 0 ? 0 : UInt8((c * 255 + a / 2) / a) }
                XCTAssertEqual(Array(img.pixels[i..<(i + 4)]), [un(v >> 16 & 0xFF), un(v >> 8 & 0xFF), un(v & 0xFF), UInt8(a)],
                               "pixel (\(x), \(y)) alpha \(a)")
            }
        }
    }

    func testRGBAImageRoundTrip() throws {
        var image = RGBAImage(width: 19, height: 11)
        for y in 0..<11 {
            for x in 0..<19 {
                let c = pattern(x, y)
                image[x, y] = Color(r8: Int(c >> 16), g8: Int(c >> 8 & 0xFF), b8: Int(c & 0xFF))
            }
        }
        image[3, 3] = .clear
        let decoded = try PNGImage.decode(try PNGEncoder.encode(image))
        XCTAssertEqual(decoded, image)
    }

    /// The CRC-32 of PNG (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), bit by bit.
    func referenceCRC(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    func testChunkLayoutAndCRCs() throws {
        XCTAssertEqual(referenceCRC(ArraySlice("123456789".utf8)), 0xCBF4_3926, "CRC-32 check value")
        let png = try PlotBenchmarkFigure.make().pngData(dpi: 150)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var chunks: [(String, [UInt8])] = []
        var i = 8
        while i + 12 <= png.count {
            let n = Int(be32(png, i))
            guard i + 12 + n <= png.count else { return XCTFail("chunk at \(i) overruns the file") }
            let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
            XCTAssertEqual(be32(png, i + 8 + n), referenceCRC(png[(i + 4)..<(i + 8 + n)]), "CRC of \(type)")
            chunks.append((type, Array(png[(i + 8)..<(i + 8 + n)])))
            i += 12 + n
        }
        XCTAssertEqual(i, png.count, "no trailing bytes")
        // libpng splits the deflate stream over consecutive IDAT chunks; no tIME or text chunk.
        let idatCount = chunks.filter { $0.0 == "IDAT" }.count
        XCTAssertGreaterThanOrEqual(idatCount, 1)
        XCTAssertEqual(chunks.map(\.0), ["IHDR", "pHYs"] + Array(repeating: "IDAT", count: idatCount) + ["IEND"])
        // The raster's size (300 × 240 pt at 150 dpi = 625 × 500 px); 8-bit RGB, deflate, no interlace.
        let raster = try PNGImage.rasterize(PlotBenchmarkFigure.make(), dpi: 150)
        XCTAssertEqual(raster.width, 625)
        XCTAssertEqual(raster.height, 500)
        XCTAssertEqual(Int(be32(chunks[0].1, 0)), raster.width)
        XCTAssertEqual(Int(be32(chunks[0].1, 4)), raster.height)
        XCTAssertEqual(Array(chunks[0].1.suffix(5)), [8, 2, 0, 0, 0])
        // 150 dpi = 5906 pixels per metre (150 / 0.0254 = 5905.5…), both axes, unit metre.
        XCTAssertEqual(be32(chunks[1].1, 0), 5906)
        XCTAssertEqual(be32(chunks[1].1, 4), 5906)
        XCTAssertEqual(chunks[1].1[8], 1)
        XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        // zlib stream header: deflate, 32 KiB window, FLEVEL 0 (the fastest levels, 0 and 1),
        // header checksum divisible by 31: 0x78 0x01.
        let z = chunks[2].1
        XCTAssertEqual(z[0], 0x78)
        XCTAssertEqual(z[1] >> 6, 0, "FLEVEL of compression level 1")
        XCTAssertEqual((UInt16(z[0]) << 8 | UInt16(z[1])) % 31, 0)
    }

    /// No time stamp or other varying data: the same figure (RGB and RGBA) and the same image
    /// give identical bytes every time, and a different dpi changes only `pHYs`.
    func testSameInputGivesTheSameBytes() throws {
        var f = PlotBenchmarkFigure.make()
        XCTAssertEqual(try f.pngData(dpi: 72), try f.pngData(dpi: 72))
        f.background = .clear
        let transparent = try f.pngData(dpi: 72)
        XCTAssertEqual(transparent, try f.pngData(dpi: 72))
        var image = RGBAImage(width: 40, height: 30)
        for y in 0..<30 { for x in 0..<40 { image[x, y] = Color(r8: x * 6, g8: y * 8, b8: (x * y) % 256) } }
        let a = try PNGEncoder.encode(image, dpi: 300), b = try PNGEncoder.encode(image, dpi: 300)
        XCTAssertEqual(a, b)
        let other = try PNGEncoder.encode(image, dpi: 96)
        XCTAssertEqual(a.count, other.count)
        // IHDR is bytes 8..<33; pHYs' data is bytes 41..<50 and its CRC 50..<54.
        XCTAssertEqual(a[0..<41], other[0..<41])
        XCTAssertNotEqual(a[41..<54], other[41..<54])
        XCTAssertEqual(a[54...], other[54...])
        // 300 dpi = 11811 px/m, 96 dpi = 3780 px/m.
        XCTAssertEqual(be32(a, 41), 11811)
        XCTAssertEqual(be32(other, 41), 3780)
    }

    /// A libpng error (here its default width limit of 10⁶ pixels) becomes a thrown error with
    /// libpng's message, through the shim's setjmp, instead of ending the process.
    func testLibpngErrorsAreThrown() {
        XCTAssertThrowsError(try PNGEncoder.encode(width: 2_000_000, height: 1, hasAlpha: false, dpi: nil) { _, _ in false }) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("encode PNG: libpng: "), text)
            XCTAssertGreaterThan(text.count, "encode PNG: libpng: ".count, "libpng's message")
        }
        // The encoder still works afterwards.
        XCTAssertNoThrow(try PNGEncoder.encode(RGBAImage(width: 2, height: 2)))
    }

    /// Rows equal to the row above are written with the Up filter (all zeros after filtering).
    /// The test rows are 36,000 bytes of hash noise, longer than deflate's 32 KiB window: with
    /// the None filter a repeated row could not refer back to its copy and would cost its full
    /// size again, so the file would be about 8 rows long instead of about 1.
    func testRepeatedRowsAreFilteredWithUp() throws {
        let (w, h) = (12_000, 8)
        let px = [UInt32]((0..<(w * h)).map { 0xFF00_0000 | pattern($0 % w, 0) })
        let png = try px.withUnsafeBytes {
            try PNGEncoder.encode(cairoPixels: $0.baseAddress!, width: w, height: h, stride: w * 4, hasAlpha: false, dpi: nil)
        }
        let row = w * 3
        XCTAssertGreaterThan(png.count, row, "one row of noise does not compress")
        XCTAssertLessThan(png.count, row + row / 10, "the 7 repeated rows cost almost nothing")
        let img = try PNGImage.decode(png)
        XCTAssertEqual(img[w - 1, h - 1], img[w - 1, 0])
    }

    /// Without a dpi there is no `pHYs` chunk.
    func testNoDPIWritesNoPHYs() throws {
        let png = try PNGEncoder.encode(RGBAImage(width: 3, height: 2))
        XCTAssertEqual(String(decoding: png[37..<41], as: UTF8.self), "IDAT")
        XCTAssertEqual(try PNGImage.decode(png), RGBAImage(width: 3, height: 2))
    }

    func testFigurePNGHoldsTheRasterizedPixels() throws {
        let f = PlotBenchmarkFigure.make()
        let decoded = try PNGImage.decode(try f.pngData(dpi: 100))
        let raster = try PNGImage.rasterize(f, dpi: 100)
        XCTAssertEqual(decoded.width, raster.width)
        XCTAssertEqual(decoded.height, raster.height)
        var differing = 0
        for k in 0..<(raster.pixels.count / 4) where decoded.pixels[(4 * k)..<(4 * k + 4)] != raster.pixels[(4 * k)..<(4 * k + 4)] {
            differing += 1
        }
        XCTAssertEqual(differing, 0, "pixels differing from the rasterization")
    }

    func testTransparentBackgroundGivesRGBA() throws {
        var f = PlotBenchmarkFigure.make()
        f.background = .clear
        let png = try f.pngData(dpi: 72)
        XCTAssertEqual(png[25], 6, "colour type RGBA")
        let img = try PNGImage.decode(png)
        XCTAssertEqual(img[0, 0], .clear)
        let raster = try PNGImage.rasterize(f, dpi: 72)
        XCTAssertEqual(img, raster)
    }
}
