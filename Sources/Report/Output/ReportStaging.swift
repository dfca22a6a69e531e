import Foundation

/// Builds a report folder next to where it will live and swaps it in only when complete, so a
/// failed or interrupted run never destroys the report that was there.
///
/// For a final folder `reports/lognormal` the staging folder is the hidden sibling
/// `reports/.lognormal.staging-<pid>` (same file system, so renames are atomic). `commit()`
/// renames the old report to `reports/.lognormal.backup-<pid>`, renames staging to the final
/// name and removes the backup; if the second rename fails the backup is renamed back.
/// Creating a staging folder first cleans up leftovers of dead processes: stale staging
/// folders are removed, and a stale backup is restored if the final folder is missing (the
/// process died between the two renames) or removed otherwise.
public struct ReportStaging: Sendable {
    /// The folder the finished report will occupy.
    public let finalDirectory: String
    /// The staging folder to write into; it already contains an empty `figures/` folder.
    public let directory: String

    /// Creates a fresh staging folder for `finalDirectory` (creating its parent if needed) after
    /// cleaning up stale staging and backup folders left by dead processes.
    public init(finalDirectory: String) throws(ReportError) {
        let final = URL(fileURLWithPath: finalDirectory).standardizedFileURL
        let parent = final.deletingLastPathComponent().path
        let name = final.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw ReportError.io(path: finalDirectory, message: "not a usable report folder name")
        }
        self.finalDirectory = final.path
        let fileManager = FileManager()
        do {
            try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError.io(path: parent, message: "cannot create folder: \(Self.reason(error))")
        }
        try Self.cleanUpStale(parent: parent, name: name, finalPath: final.path)
        try Self.checkReplaceable(final.path)
        let staging = try Self.claimSibling(parent: parent, name: name, role: "staging", create: true)
        self.directory = staging
        let figures = (staging as NSString).appendingPathComponent("figures")
        do {
            try fileManager.createDirectory(atPath: figures, withIntermediateDirectories: false)
        } catch {
            throw ReportError.io(path: figures, message: "cannot create folder: \(Self.reason(error))")
        }
    }

    /// Runs `body` with a fresh staging folder, commits on success and discards on error (the
    /// body's error is rethrown; a failure to discard is ignored, the next run cleans up).
    public static func build<T>(
        finalDirectory: String,
        _ body: (ReportStaging) throws(ReportError) -> T
    ) throws(ReportError) -> T {
        let staging = try ReportStaging(finalDirectory: finalDirectory)
        let result: T
        do {
            result = try body(staging)
        } catch {
            try? staging.discard()
            throw error
        }
        do {
            try staging.commit()
        } catch {
            try? staging.discard()
            throw error
        }
        return result
    }

    /// Swaps the staging folder in as the final folder. On failure the old report (if any) is
    /// back in place and the staging folder is left for `discard()`.
    public func commit() throws(ReportError) {
        try commit { source, destination in rename(source, destination) == 0 }
    }

    /// `commit()` with the rename primitive injectable, so tests can make the second rename
    /// fail after the old report was moved aside. `move` returns false and leaves `errno` set
    /// on failure.
    func commit(move: (String, String) -> Bool) throws(ReportError) {
        let fileManager = FileManager()
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.io(path: directory, message: "staging folder is missing; nothing to commit")
        }
        let final = URL(fileURLWithPath: finalDirectory)
        let parent = final.deletingLastPathComponent().path
        let name = final.lastPathComponent
        try Self.checkReplaceable(finalDirectory)
        var backup: String?
        if fileManager.fileExists(atPath: finalDirectory) {
            let claimed = try Self.claimSibling(parent: parent, name: name, role: "backup", create: false)
            guard move(finalDirectory, claimed) else {
                throw ReportError.io(path: finalDirectory, message: "cannot move the old report aside: \(Self.errnoReason())")
            }
            backup = claimed
        }
        guard move(directory, finalDirectory) else {
            let message = Self.errnoReason()
            if let backup { _ = move(backup, finalDirectory) }
            throw ReportError.io(path: finalDirectory, message: "cannot move the new report in place: \(message)")
        }
        if let backup {
            // The new report is in place; a backup that cannot be removed is cleaned up by the
            // next run (its process will be dead by then).
            try? fileManager.removeItem(atPath: backup)
        }
    }

    /// Removes the staging folder and everything in it.
    public func discard() throws(ReportError) {
        let fileManager = FileManager()
        guard fileManager.fileExists(atPath: directory) else { return }
        do {
            try fileManager.removeItem(atPath: directory)
        } catch {
            throw ReportError.io(path: directory, message: "cannot remove staging folder: \(Self.reason(error))")
        }
    }

    // MARK: - Safety

    /// Throws unless `path` is absent, an empty folder, or a report folder (one holding
    /// `metrics.json`): a report named like an unrelated folder (`--out .` with a spec called
    /// `src.yaml`) must never replace that folder.
    static func checkReplaceable(_ path: String) throws(ReportError) {
        let fileManager = FileManager()
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ReportError.io(path: path, message: "exists and is not a folder; refusing to replace it with a report")
        }
        let metrics = (path as NSString).appendingPathComponent("metrics.json")
        if fileManager.fileExists(atPath: metrics) { return }
        let contents = (try? fileManager.contentsOfDirectory(atPath: path)) ?? ["?"]
        guard contents.isEmpty else {
            throw ReportError.io(path: path, message: "is not a flowreport report folder (no metrics.json); refusing to replace it")
        }
    }

    // MARK: - Sibling names

    /// The prefix of sibling folders of `name` in `role` (`staging` or `backup`).
    static func siblingPrefix(name: String, role: String) -> String { ".\(name).\(role)-" }

    /// Claims an unused sibling path `.<name>.<role>-<pid>` (then `-<pid>.2`, `-<pid>.3`, …).
    /// With `create`, the folder is made with mkdir, which fails if it exists, so two claims
    /// never return the same folder; without, only a free name is returned (for a rename).
    private static func claimSibling(parent: String, name: String, role: String, create: Bool) throws(ReportError) -> String {
        let pid = getpid()
        for attempt in 1...1000 {
            let suffix = attempt == 1 ? "\(pid)" : "\(pid).\(attempt)"
            let path = (parent as NSString).appendingPathComponent(siblingPrefix(name: name, role: role) + suffix)
            if create {
                if mkdir(path, 0o755) == 0 { return path }
                if errno != EEXIST {
                    throw ReportError.io(path: path, message: "cannot create staging folder: \(errnoReason())")
                }
            } else if !FileManager().fileExists(atPath: path) {
                return path
            }
        }
        throw ReportError.io(path: parent, message: "too many \(role) folders for '\(name)'")
    }

    /// The process id encoded in a sibling folder name, or nil if the name is not one of ours.
    static func ownerPID(of entry: String, name: String, role: String) -> pid_t? {
        let prefix = siblingPrefix(name: name, role: role)
        guard entry.hasPrefix(prefix) else { return nil }
        let digits = entry.dropFirst(prefix.count).prefix { $0.isASCII && $0.isNumber }
        return pid_t(digits)
    }

    /// Whether a process with `pid` exists (kill with signal 0 probes without signalling).
    static func isAlive(_ pid: pid_t) -> Bool {
        if pid <= 0 { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    private static func cleanUpStale(parent: String, name: String, finalPath: String) throws(ReportError) {
        let fileManager = FileManager()
        let entries: [String]
        do {
            entries = try fileManager.contentsOfDirectory(atPath: parent)
        } catch {
            throw ReportError.io(path: parent, message: "cannot list folder: \(reason(error))")
        }
        for entry in entries.sorted() {
            let path = (parent as NSString).appendingPathComponent(entry)
            if let pid = ownerPID(of: entry, name: name, role: "staging"), !isAlive(pid) {
                try? fileManager.removeItem(atPath: path)
            } else if let pid = ownerPID(of: entry, name: name, role: "backup"), !isAlive(pid) {
                if !fileManager.fileExists(atPath: finalPath) {
                    // The owner died between its two renames: the backup is the last good report.
                    guard rename(path, finalPath) == 0 else {
                        throw ReportError.io(path: path, message: "cannot restore the previous report: \(errnoReason())")
                    }
                } else {
                    try? fileManager.removeItem(atPath: path)
                }
            }
        }
    }

    // MARK: - Error text

    static func errnoReason() -> String { String(cString: strerror(errno)) }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           let posix = POSIXErrorCode(rawValue: Int32(underlying.code)), underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(posix.rawValue))
        }
        return nsError.localizedDescription
    }
}
