import Foundation
import XCTest
@testable import Report

final class OutputStagingTests: XCTestCase {
    /// A pid no process can have (above Linux's PID_MAX_LIMIT of 2^22), so kill(pid, 0) → ESRCH.
    private let deadPID: pid_t = 2_000_000_000

    private func makeOldReport(in root: String, name: String = "lognormal") throws -> String {
        let final = (root as NSString).appendingPathComponent(name)
        try FileManager().createDirectory(atPath: (final as NSString).appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Data("old index".utf8).write(to: URL(fileURLWithPath: (final as NSString).appendingPathComponent("index.html")))
        try Data("{}".utf8).write(to: URL(fileURLWithPath: (final as NSString).appendingPathComponent("metrics.json")))
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: (final as NSString).appendingPathComponent("figures/densities.png")))
        return final
    }

    private func hiddenEntries(_ root: String) throws -> [String] {
        try FileManager().contentsOfDirectory(atPath: root).filter { $0.hasPrefix(".") }.sorted()
    }

    func testStagingIsAHiddenSiblingWithFigures() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = (root as NSString).appendingPathComponent("reports/lognormal")
        let staging = try ReportStaging(finalDirectory: final)
        XCTAssertEqual(staging.finalDirectory, final)
        XCTAssertEqual((staging.directory as NSString).deletingLastPathComponent, (root as NSString).appendingPathComponent("reports"))
        XCTAssertEqual((staging.directory as NSString).lastPathComponent, ".lognormal.staging-\(getpid())")
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager().fileExists(atPath: (staging.directory as NSString).appendingPathComponent("figures"), isDirectory: &isDirectory))
        XCTAssertTrue(isDirectory.boolValue)
        // A second staging of the same report in the same process gets its own folder.
        let second = try ReportStaging(finalDirectory: final)
        XCTAssertEqual((second.directory as NSString).lastPathComponent, ".lognormal.staging-\(getpid()).2")
        try staging.discard()
        try second.discard()
        XCTAssertEqual(try hiddenEntries((root as NSString).appendingPathComponent("reports")), [])
    }

    func testCommitReplacesTheOldReport() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let staging = try ReportStaging(finalDirectory: final)
        try ReportPages.write(OutputFixtures.document(), into: staging.directory)
        try staging.commit()
        let files = OutputFixtures.snapshot(final)
        XCTAssertEqual(files.keys.sorted(), ["index.html", "lognormal.yaml", "metrics.json", "report.md"])
        XCTAssertNotEqual(files["index.html"], Data("old index".utf8))
        XCTAssertEqual(try hiddenEntries(root), [])
    }

    func testFirstCommitWithoutAnOldReport() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = (root as NSString).appendingPathComponent("new/nested/report")
        try ReportStaging.build(finalDirectory: final) { staging throws(ReportError) in
            try ReportPages.writeFile("hello", to: (staging.directory as NSString).appendingPathComponent("index.html"))
        }
        XCTAssertEqual(try OutputFixtures.read((final as NSString).appendingPathComponent("index.html")), "hello")
    }

    func testFailingBuildLeavesTheOldReportByteIdentical() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let before = OutputFixtures.snapshot(final)
        XCTAssertEqual(before.count, 3)
        XCTAssertThrowsError(try ReportStaging.build(finalDirectory: final) { staging throws(ReportError) in
            try ReportPages.write(OutputFixtures.document(), into: staging.directory)
            try ReportPages.writeFile("half a figure", to: (staging.directory as NSString).appendingPathComponent("figures/densities.png"))
            throw ReportError.rendering("simulated failure mid-run")
        }) { error in
            guard case ReportError.rendering("simulated failure mid-run")? = error as? ReportError else {
                return XCTFail("the body's error must come through, got \(error)")
            }
        }
        XCTAssertEqual(OutputFixtures.snapshot(final), before)
        XCTAssertEqual(try hiddenEntries(root), [])
    }

    func testFailedSwapRestoresTheOldReport() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let before = OutputFixtures.snapshot(final)
        let staging = try ReportStaging(finalDirectory: final)
        // Make the second rename fail: the staging folder is gone when commit runs.
        try FileManager().removeItem(atPath: staging.directory)
        XCTAssertThrowsError(try staging.commit()) { error in
            guard case ReportError.io? = error as? ReportError else { return XCTFail("expected io, got \(error)") }
        }
        XCTAssertEqual(OutputFixtures.snapshot(final), before)
        XCTAssertEqual(try hiddenEntries(root), [])
    }

    func testRenameFailureAfterMovingAsideRestoresTheOldReport() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let before = OutputFixtures.snapshot(final)
        let staging = try ReportStaging(finalDirectory: final)
        try ReportPages.writeFile("new", to: (staging.directory as NSString).appendingPathComponent("index.html"))
        // The first rename (old report → backup) succeeds, the second (staging → final) fails.
        var calls: [(String, String)] = []
        XCTAssertThrowsError(try staging.commit { source, destination in
            calls.append((source, destination))
            if calls.count == 2 { errno = EXDEV; return false }
            return rename(source, destination) == 0
        }) { error in
            XCTAssertTrue("\(error)".contains("cannot move the new report in place"), "\(error)")
        }
        XCTAssertEqual(calls.count, 3, "old → backup, staging → final (fails), backup → final")
        XCTAssertEqual(calls.first?.0, final)
        XCTAssertEqual(calls.last?.1, final)
        XCTAssertEqual(OutputFixtures.snapshot(final), before)
        // The staging folder is intact for discard(), which leaves no hidden sibling behind.
        XCTAssertEqual(try OutputFixtures.read((staging.directory as NSString).appendingPathComponent("index.html")), "new")
        try staging.discard()
        XCTAssertEqual(try hiddenEntries(root), [])
    }

    func testStaleStagingOfADeadProcessIsCleanedUp() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let before = OutputFixtures.snapshot(final)
        let stale = (root as NSString).appendingPathComponent(".lognormal.staging-\(deadPID)")
        try FileManager().createDirectory(atPath: (stale as NSString).appendingPathComponent("figures"), withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: URL(fileURLWithPath: (stale as NSString).appendingPathComponent("index.html")))
        // Another report's stale folder and a live process's staging are left alone.
        let otherReport = (root as NSString).appendingPathComponent(".other.staging-\(deadPID)")
        let live = (root as NSString).appendingPathComponent(".lognormal.staging-1")
        try FileManager().createDirectory(atPath: otherReport, withIntermediateDirectories: false)
        try FileManager().createDirectory(atPath: live, withIntermediateDirectories: false)

        let staging = try ReportStaging(finalDirectory: final)
        XCTAssertFalse(FileManager().fileExists(atPath: stale))
        XCTAssertTrue(FileManager().fileExists(atPath: otherReport))
        XCTAssertTrue(FileManager().fileExists(atPath: live))
        XCTAssertEqual(OutputFixtures.snapshot(final), before)
        try staging.discard()
    }

    func testBackupOfAProcessThatDiedMidSwapIsRestored() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let old = try makeOldReport(in: root, name: "lognormal")
        let before = OutputFixtures.snapshot(old)
        // Simulate a crash between the two renames: the old report sits in the backup name.
        let backup = (root as NSString).appendingPathComponent(".lognormal.backup-\(deadPID)")
        XCTAssertEqual(rename(old, backup), 0)
        XCTAssertFalse(FileManager().fileExists(atPath: old))
        let staging = try ReportStaging(finalDirectory: old)
        XCTAssertEqual(OutputFixtures.snapshot(old), before)
        XCTAssertFalse(FileManager().fileExists(atPath: backup))
        try staging.discard()
    }

    func testStaleBackupNextToAFinishedReportIsRemoved() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let final = try makeOldReport(in: root)
        let before = OutputFixtures.snapshot(final)
        let backup = (root as NSString).appendingPathComponent(".lognormal.backup-\(deadPID)")
        try FileManager().createDirectory(atPath: backup, withIntermediateDirectories: false)
        let staging = try ReportStaging(finalDirectory: final)
        XCTAssertFalse(FileManager().fileExists(atPath: backup))
        XCTAssertEqual(OutputFixtures.snapshot(final), before)
        try staging.discard()
    }

    func testNeverReplacesAFolderThatIsNotAReport() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let unrelated = (root as NSString).appendingPathComponent("src")
        try FileManager().createDirectory(atPath: unrelated, withIntermediateDirectories: false)
        try Data("let x = 1".utf8).write(to: URL(fileURLWithPath: (unrelated as NSString).appendingPathComponent("main.swift")))
        let before = OutputFixtures.snapshot(unrelated)
        XCTAssertThrowsError(try ReportStaging(finalDirectory: unrelated)) { error in
            guard case let ReportError.io(path, message)? = error as? ReportError else { return XCTFail("expected io, got \(error)") }
            XCTAssertEqual(path, unrelated)
            XCTAssertTrue(message.contains("not a flowreport report folder"), message)
        }
        XCTAssertEqual(OutputFixtures.snapshot(unrelated), before)
        XCTAssertEqual(try hiddenEntries(root), [])
        // A plain file of that name is refused too; an empty folder may be replaced.
        let file = (root as NSString).appendingPathComponent("notes")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try ReportStaging(finalDirectory: file))
        XCTAssertEqual(try OutputFixtures.read(file), "keep")
        let empty = (root as NSString).appendingPathComponent("empty")
        try FileManager().createDirectory(atPath: empty, withIntermediateDirectories: false)
        try ReportStaging.build(finalDirectory: empty) { _ throws(ReportError) in }
        XCTAssertTrue(FileManager().fileExists(atPath: (empty as NSString).appendingPathComponent("figures")))
    }

    func testOwnerPIDParsing() {
        XCTAssertEqual(ReportStaging.ownerPID(of: ".lognormal.staging-123", name: "lognormal", role: "staging"), 123)
        XCTAssertEqual(ReportStaging.ownerPID(of: ".lognormal.staging-123.4", name: "lognormal", role: "staging"), 123)
        XCTAssertNil(ReportStaging.ownerPID(of: ".lognormal-2.staging-123", name: "lognormal", role: "staging"))
        XCTAssertNil(ReportStaging.ownerPID(of: ".lognormal.backup-123", name: "lognormal", role: "staging"))
        XCTAssertNil(ReportStaging.ownerPID(of: ".lognormal.staging-x", name: "lognormal", role: "staging"))
        XCTAssertTrue(ReportStaging.isAlive(getpid()))
        XCTAssertFalse(ReportStaging.isAlive(deadPID))
    }

    func testCommitTwiceFails() throws {
        let root = try OutputFixtures.temporaryDirectory()
        let staging = try ReportStaging(finalDirectory: (root as NSString).appendingPathComponent("r"))
        try staging.commit()
        XCTAssertThrowsError(try staging.commit())
        XCTAssertTrue(FileManager().fileExists(atPath: (root as NSString).appendingPathComponent("r/figures")))
    }
}
