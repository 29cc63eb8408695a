import Foundation
import Testing

/// `drs backup` and `drs restore` as an operator types them: a synthetic nation copied, the file
/// removed, put back and proved equal; an existing database is replaced only when asked.
@Suite("drs backup / restore", .serialized)
struct BackupCommandTests {
    @Test func backupThenRestoreAfterTheFileIsGone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drs-backup-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("nation.sqlite").path, backup = dir.appendingPathComponent("nation.backup").path
        let nation = try DRS.run(["demo", "nation", "--units", "200", "--year", "2026", "--database", database])
        #expect(nation.status == 0, "\(nation.stderr)")

        let made = try DRS.run(["backup", "--database", database, "--output", backup])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("已备份") && made.stdout.contains("张表"))
        #expect(FileManager.default.fileExists(atPath: backup + ".manifest.json"))
        // A second backup never overwrites the first.
        #expect(try DRS.run(["backup", "--database", database, "--output", backup]).status != 0)

        // With the database still there, a restore needs --replace.
        let refused = try DRS.run(["restore", "--database", database, "--input", backup])
        #expect(refused.status != 0 && refused.stderr.contains("--replace"))

        try FileManager.default.removeItem(atPath: database)
        let restored = try DRS.run(["restore", "--database", database, "--input", backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("核对一致"))
        let replaced = try DRS.run(["restore", "--database", database, "--input", backup, "--replace"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
    }
}
