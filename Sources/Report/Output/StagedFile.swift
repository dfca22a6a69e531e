import Foundation

/// Writes one file of a report folder under construction: `open`, `write`, `close`, nothing
/// more.
///
/// Files inside a `ReportStaging` folder need no atomic write of their own: the folder becomes
/// visible only when `ReportStaging.commit()` renames it into place, so a reader never sees a
/// half-written file, and a failed run discards the whole folder. Foundation's atomic write
/// (temporary file, `fsync`, `rename`) therefore bought nothing here and cost a disk flush per
/// file: 18 `fsync` calls per run of `reports/lognormal.yaml`, 81 ms of wall time together
/// (`strace -c -w -f`, 2 cores, shared ext4 disk), against a run of about 130 ms. Files written
/// outside a staging folder (the reports root's `index.html`) keep the atomic write.
enum StagedFile {
    /// Writes `bytes` to `path`, creating or truncating it (mode 0644 before the umask).
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(ReportError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError.io(path: path, message: "cannot write file: \(ReportStaging.errnoReason())") }
        var offset = 0
        while let base = bytes.baseAddress, offset < bytes.count {
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let reason = ReportStaging.errnoReason()
                close(fd)
                throw ReportError.io(path: path, message: "cannot write file: \(reason)")
            }
            offset += written
        }
        guard close(fd) == 0 else { throw ReportError.io(path: path, message: "cannot write file: \(ReportStaging.errnoReason())") }
    }

    /// Writes `bytes` to `path`.
    static func write(_ bytes: [UInt8], to path: String) throws(ReportError) {
        // `withUnsafeBytes` rethrows untyped errors; carry the typed one out in a `Result`.
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(ReportError) in try write(buffer, to: path) }
        }
        try result.get()
    }

    /// Writes UTF-8 `text` to `path`.
    static func write(_ text: String, to path: String) throws(ReportError) {
        try write(Array(text.utf8), to: path)
    }
}
