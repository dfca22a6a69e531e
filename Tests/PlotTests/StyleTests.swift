import TestSupport
import XCTest
@testable import Plot

final class StyleTests: XCTestCase {
    func testHexAndNamedColours() throws {
        let c = try XCTUnwrap(Color("#336B8B"))
        XCTAssertEqual(c, Color(r8: 0x33, g8: 0x6B, b8: 0x8B))
        XCTAssertEqual(Color("F0B51F"), Color(r8: 0xF0, g8: 0xB5, b8: 0x1F))
        XCTAssertEqual(Color("#fff"), .white)
        XCTAssertEqual(try XCTUnwrap(Color("#FF000080")).alpha, 128.0 / 255)
        XCTAssertEqual(Color("tab:blue"), Color(r8: 0x1F, g8: 0x77, b8: 0xB4))
        XCTAssertEqual(Color("Black"), .black)
        XCTAssertNil(Color("#12345"))
        XCTAssertNil(Color("notacolour"))
        XCTAssertEqual(c.hexString, "#336B8B")
    }

    /// Reference values printed by matplotlib 3.x: `colormaps[name](t)`.
    func testColourMapsMatchMatplotlib() {
        func check(_ m: ColorMap, _ t: Double, _ rgb: (Double, Double, Double), file: StaticString = #filePath, line: UInt = #line) {
            let c = m.color(at: t)
            for (a, b) in [(c.red, rgb.0), (c.green, rgb.1), (c.blue, rgb.2)] {
                XCTAssertTrue(isClose(a, b, relative: 2e-6, absolute: 1e-6), "\(m.name)(\(t)) = \(c) vs \(rgb)", file: file, line: line)
            }
        }
        XCTAssertEqual(ColorMap.viridis.colors.count, 256)
        XCTAssertEqual(ColorMap.magma.colors.count, 256)
        XCTAssertEqual(ColorMap.cividis.colors.count, 256)
        check(.viridis, 0, (0.267004, 0.004874, 0.329415))
        check(.viridis, 1, (0.993248, 0.906157, 0.143936))
        check(.jet, 0, (0, 0, 0.5))
        check(.jet, 0.2, (0, 0.3, 1))
        check(.jet, 0.5, (0.490196, 1.0, 0.477546))
        check(.jet, 0.9, (0.945633, 0.029775, 0))
        check(.jet, 1, (0.5, 0, 0))
        XCTAssertEqual(ColorMap.viridis.color(at: .nan), .clear)
        XCTAssertEqual(ColorMap.named("viridis_r")?.color(at: 0), ColorMap.viridis.color(at: 1))
        // rezende: blue at 0, white at 0.3, red at 1.
        let r = ColorMap.rezende
        XCTAssertGreaterThan(r.color(at: 0).blue, r.color(at: 0).red)
        XCTAssertEqual(r.color(at: 1).hexString, "#D71E1E")
        XCTAssertGreaterThan(r.color(at: 0.3).green, 0.98)
    }

    func testPaletteCycles() {
        let p = Palette.okabeIto
        XCTAssertEqual(p[0], Color(r8: 0x00, g8: 0x72, b8: 0xB2))
        XCTAssertEqual(p[8], p[0])
        XCTAssertEqual(p[-1], p[7])
    }
}
