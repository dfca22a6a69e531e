import Foundation

/// Runs an installed program (poppler's `pdfinfo`, `pdftoppm`, `pdftotext`) and returns its exit
/// status and standard output, for tests that read our files with independent tools.
public enum ExternalTool {
    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) is not installed (make test installs poppler-utils)" }
    }

    /// The exit status and standard output of `path` run with `arguments`; throws ``Missing``
    /// when `path` is not an executable file.
    public static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: Data) {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
