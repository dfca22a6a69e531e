import Foundation

/// The contents of a report's `metrics.json` (schema version 1, documented in
/// docs/metrics-schema.md): what `ReportPages` writes and what `ReportIndex` and tests read.
public struct ReportMetricsFile: Sendable, Equatable, Decodable {
    /// The version of the layout; bumped on any incompatible change.
    public static let schemaVersion = 1

    public struct Check: Sendable, Equatable, Decodable {
        public var name: String
        public var value: Double
        public var limit: Double
        public var passed: Bool
        public var summary: String
    }

    public struct Metric: Sendable, Equatable, Decodable {
        public var name: String
        public var value: Double
        public var unit: String?
        public var description: String
    }

    public struct Figure: Sendable, Equatable, Decodable {
        public struct File: Sendable, Equatable, Decodable {
            public var format: String
            public var path: String
        }
        public var id: String
        public var title: String
        public var caption: String?
        public var files: [File]
    }

    public struct Provenance: Sendable, Equatable, Decodable {
        public var tool: String
        public var seed: UInt64
        public var samples: Int
        public var threads: Int
        public var wallTimeSeconds: Double
        public var swiftVersion: String
        public var hostname: String?
        public var matrixProducts: String?
    }

    public var schemaVersion: Int
    public var name: String
    public var title: String
    public var description: String?
    public var specFile: String
    public var passed: Bool
    public var checksPassed: Int
    public var checksTotal: Int
    public var checks: [Check]
    /// Numerical trouble found during the run, in words (``ReportDocument/warnings``).
    public var warnings: [String]
    public var metrics: [Metric]
    public var figures: [Figure]
    public var provenance: Provenance

    /// The JSON for `document`, keys in the documented order.
    static func json(for document: ReportDocument, specFile: String) -> OrderedJSON {
        .object([
            ("schema_version", .int(schemaVersion)),
            ("name", .string(document.name)),
            ("title", .string(document.title)),
            ("description", .optional(document.description)),
            ("spec_file", .string(specFile)),
            ("passed", .bool(document.allChecksPassed)),
            ("checks_passed", .int(document.passedCheckCount)),
            ("checks_total", .int(document.checks.count)),
            ("checks", .array(document.checks.map { check in
                .object([
                    ("name", .string(check.name)),
                    ("value", .double(check.value)),
                    ("limit", .double(check.limit)),
                    ("passed", .bool(check.passed)),
                    ("summary", .string(check.summary)),
                ])
            })),
            ("warnings", .array(document.warnings.map { .string($0) })),
            ("metrics", .array(document.metrics.map { metric in
                .object([
                    ("name", .string(metric.name)),
                    ("value", .double(metric.value)),
                    ("unit", .optional(metric.unit)),
                    ("description", .string(metric.description)),
                ])
            })),
            ("figures", .array(document.figures.map { figure in
                .object([
                    ("id", .string(figure.id)),
                    ("title", .string(figure.title)),
                    ("caption", .optional(figure.caption)),
                    ("files", .array(figure.files.map { file in
                        .object([("format", .string(file.format)), ("path", .string(file.path))])
                    })),
                ])
            })),
            ("provenance", .object([
                ("tool", .string(document.provenance.tool)),
                ("seed", .uint(document.provenance.seed)),
                ("samples", .int(document.provenance.samples)),
                ("threads", .int(document.provenance.threads)),
                ("wall_time_seconds", .double(document.provenance.wallTimeSeconds)),
                ("swift_version", .string(document.provenance.swiftVersion)),
                ("hostname", .optional(document.provenance.hostname)),
                ("matrix_products", .optional(document.provenance.matrixProducts)),
            ])),
        ])
    }

    /// Decodes `metrics.json` text (snake_case keys; `"NaN"`, `"Infinity"`, `"-Infinity"`
    /// strings for non-finite numbers).
    public static func decode(_ data: Data) throws -> ReportMetricsFile {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN"
        )
        return try decoder.decode(ReportMetricsFile.self, from: data)
    }

    /// Reads and decodes the `metrics.json` at `path`.
    public static func read(path: String) throws(ReportError) -> ReportMetricsFile {
        guard let data = FileManager().contents(atPath: path) else {
            throw ReportError.io(path: path, message: "cannot read file")
        }
        do {
            return try decode(data)
        } catch {
            throw ReportError.io(path: path, message: "not a flowreport metrics.json: \(error)")
        }
    }
}
