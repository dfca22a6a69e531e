import Foundation
import XCTest

/// Loads the JSON reference values written by `Fixtures/make_distribution_fixtures.py`
/// (mpmath for special functions, scipy.stats for distributions).
enum DistributionFixtures {
    static func url(_ name: String) throws -> URL {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil), "Fixtures folder missing")
        return folder.appendingPathComponent(name)
    }

    /// The top-level JSON object of a fixture file.
    static func object(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: url(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not an object")
    }

    /// The records of one table of `special.json`.
    static func special(_ table: String) throws -> [[String: Any]] {
        try XCTUnwrap(object("special.json")[table] as? [[String: Any]], "special.json has no table \(table)")
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A numeric field; fails the test (throws) when absent.
    func number(_ key: String) throws -> Double {
        try XCTUnwrap((self[key] as? NSNumber)?.doubleValue, "missing number '\(key)' in \(self)")
    }
}
