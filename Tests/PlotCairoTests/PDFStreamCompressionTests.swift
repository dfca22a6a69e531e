import CFlateLevel
import Foundation
import Plot
import XCTest
@testable import PlotCairo

/// Cairo's PDF streams are deflated at `PDFDocument.streamCompressionLevel` (through
/// `CFlateLevel`), and only while a `PDFDocument` writes.
final class PDFStreamCompressionTests: XCTestCase {
    /// The two-byte zlib headers (RFC 1950 §2.2: CMF, FLG) of every `/FlateDecode` stream in `pdf`.
    private func zlibHeaders(_ pdf: [UInt8]) -> [[UInt8]] {
        let marker = Array("stream\n".utf8)
        var headers: [[UInt8]] = []
        var i = 0
        while i + marker.count + 2 <= pdf.count {
            if pdf[i] == marker[0], pdf[i..<(i + marker.count)].elementsEqual(marker),
               i < 3 || !pdf[(i - 3)..<i].elementsEqual(Array("end".utf8)) {
                headers.append(Array(pdf[(i + marker.count)..<(i + marker.count + 2)]))
                i += marker.count
            } else {
                i += 1
            }
        }
        return headers
    }

    private func labelledFigure() -> Figure {
        var f = Figure(width: 200, height: 150)
        f.title = "Streams"
        f.panel.line(x: [0, 1, 2, 3], y: [0, 1, 4, 9], label: "squares")
        f.panel.x.label = "$x$"
        return f
    }

    func testPDFStreamsUseTheFastestLevel() throws {
        let headers = zlibHeaders(try labelledFigure().pdfData())
        // A page content stream plus embedded font programs and their ToUnicode maps.
        XCTAssertGreaterThanOrEqual(headers.count, 3)
        XCTAssertEqual(PDFDocument.streamCompressionLevel, 1)
        for header in headers {
            XCTAssertEqual(header[0], 0x78, "deflate with a 32 KiB window")
            // FLEVEL (the top two bits of FLG) is 0 for zlib levels 0 and 1, 2 for the default 6.
            XCTAssertEqual(header[1] >> 6, 0, String(format: "zlib header 78 %02x", header[1]))
            XCTAssertEqual((UInt16(header[0]) << 8 | UInt16(header[1])) % 31, 0, "FCHECK")
        }
    }

    func testLevelIsRestoredAfterEachDocumentCall() throws {
        XCTAssertEqual(flowreport_flate_set_default_level(-1), -1, "no level set outside PDFDocument")
        _ = try labelledFigure().pdfData()
        XCTAssertEqual(flowreport_flate_set_default_level(-1), -1, "PDFDocument restores the previous setting")
        XCTAssertEqual(flowreport_flate_set_default_level(4), -1)
        XCTAssertEqual(flowreport_flate_set_default_level(12), 4, "out of range: back to zlib's default")
        XCTAssertEqual(flowreport_flate_set_default_level(-1), -1)
    }

    func testTheSameFigureGivesTheSameBytesOnAnyThread() throws {
        let figure = labelledFigure()
        let here = try figure.pdfData()
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var bytes: [Int: [UInt8]] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            let bytes = (try? figure.pdfData()) ?? []
            results.lock.lock()
            results.bytes[k] = bytes
            results.lock.unlock()
        }
        for k in 0..<4 { XCTAssertEqual(results.bytes[k], here, "thread task \(k)") }
    }
}
