import Foundation

/// Runs the `flowreport` binary as a subprocess with a time limit; its output goes to files in
/// `scratch` (no pipe can fill up and block it).
struct CommandRunner {
    struct Outcome {
        var arguments: [String]
        /// The exit status, or the signal number when `signalled`.
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var seconds: Double
        var stdout: String
        var stderr: String
    }

    let binary: URL
    let scratch: URL

    func run(_ arguments: [String], timeout: Double) throws -> Outcome {
        let outURL = scratch.appendingPathComponent("stdout.txt"), errURL = scratch.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = scratch
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                process.terminate()
                let killAt = Date()
                while process.isRunning && Date().timeIntervalSince(killAt) < 2 { usleep(10_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        func read(_ url: URL) -> String {
            let data = (try? Data(contentsOf: url)) ?? Data()
            return String(decoding: data.prefix(200_000), as: UTF8.self)
        }
        return Outcome(arguments: arguments, status: process.terminationStatus,
                       signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
                       seconds: seconds, stdout: read(outURL), stderr: read(errURL))
    }
}
