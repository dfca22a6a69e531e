import XCTest
import Foundation
@testable import Report

/// The shipped fit specs' data: `reports/fit-points.csv` is what ``FitPointsExample`` generates
/// (regenerate with `FLOWREPORT_WRITE_FIT_POINTS=1 swift test --filter FitShippedSpecTests`).
final class FitShippedSpecTests: XCTestCase {
    static var reports: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports")
    }

    func testShippedPointsAreTheGeneratedOnes() throws {
        let url = Self.reports.appendingPathComponent(FitPointsExample.fileName)
        let generated = FitPointsExample.csv()
        if ProcessInfo.processInfo.environment["FLOWREPORT_WRITE_FIT_POINTS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), generated)
        XCTAssertEqual(generated.split(separator: "\n").count, 601)
    }
}
