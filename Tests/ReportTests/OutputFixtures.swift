import Foundation
import XCTest
@testable import Report

/// Shared builders for the Output tests: a document with hostile strings, temporary folders.
enum OutputFixtures {
    static let hostileTitle = #"<script>alert("title")</script> & 'quotes'"#
    static let hostileDescription = #"<img src=x onerror="alert(1)"> Zdybał's "intro" | a*b_c"#
    static let hostileSpec = """
    title: "<script>alert('spec')</script>"
    # a comment with </pre></code><script>evil()</script>
    description: "``` fence breaker ````"
    seed: 2024
    samples: 10000
    base: {normal: {mean: 0, std: 1}}
    flow: [exp]

    """

    static func document(
        name: String = "lognormal",
        title: String = hostileTitle,
        checks: [CheckResult]? = nil
    ) -> ReportDocument {
        ReportDocument(
            name: name,
            title: title,
            description: hostileDescription,
            specSource: hostileSpec,
            specFileName: "specs/\(name).yaml",
            checks: checks ?? [
                CheckResult(name: "eq4_vs_eq5", value: 2.220446049250313e-16, limit: 1e-12, passed: true,
                            summary: "max |Δ log p| between Eq. 4 and Eq. 5 on a 2001-point grid ≤ limit"),
                CheckResult(name: "ks_pvalue", value: 0.0031, limit: 0.01, passed: false,
                            summary: "KS p-value of the samples against the reference CDF ≥ limit"),
                CheckResult(name: "integral", value: 1.0000000002, limit: 1e-6, passed: true,
                            summary: "|∫p − 1| on the support ≤ limit"),
            ],
            figures: [
                ReportFigure(id: "densities", title: "Densities <b>by</b> Eq. 4 & 5", caption: "Histogram under the analytic density.",
                             formats: ["png", "pdf", "svg"]),
                ReportFigure(id: "odd name:(x)", title: "Odd", caption: nil, formats: ["png"]),
            ],
            metrics: [
                ReportMetric(name: "sample_mean", value: 1.6487212707001282, description: "mean of the output samples"),
                ReportMetric(name: "undefined", value: .nan, unit: "nats", description: "a NaN value"),
                ReportMetric(name: "blow_up", value: -.infinity, description: "a −∞ value"),
            ],
            provenance: ReportProvenance(
                tool: "flowreport 0.1.0", seed: 2024, samples: 10_000, threads: 2,
                wallTimeSeconds: 0.4125, swiftVersion: "6.3", hostname: "box <1>"
            )
        )
    }

    /// A fresh, empty folder under the system temporary folder (mkdtemp).
    static func temporaryDirectory(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("flowreport-output-XXXXXX").utf8CString)
        let result = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard result != nil else {
            XCTFail("mkdtemp failed", file: file, line: line)
            throw ReportError.io(path: NSTemporaryDirectory(), message: "mkdtemp failed")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Every file under `directory` (relative path → bytes), for byte-identity comparisons.
    static func snapshot(_ directory: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let fileManager = FileManager()
        guard let enumerator = fileManager.enumerator(atPath: directory) else { return files }
        for case let relative as String in enumerator {
            let path = (directory as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = fileManager.contents(atPath: path)
            }
        }
        return files
    }

    /// All regex capture groups of every match of `pattern` in `text`.
    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            (1..<match.numberOfRanges).map { ns.substring(with: match.range(at: $0)) }
        }
    }
}
