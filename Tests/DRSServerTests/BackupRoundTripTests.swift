import DRSOffice
import DRSStorage
import Foundation
import SQLKit
import Testing
import Vapor

/// Backup → wipe → restore gives back every row of every table, proved by the manifest's checksums;
/// a backup altered after it was taken is refused and leaves the database as it was. On SQLite by
/// default, and on PostgreSQL (pg_dump, pg_restore) when `DRS_TEST_DATABASE` names a server.
@Suite("Backup and restore", .serialized)
struct BackupRoundTripTests {
    @Test func backupWipeRestoreGivesBackEveryRow() async throws {
        try await TestDatabase.with { storage in try await Self.roundTrip(storage) }
    }

    static func roundTrip(_ storage: StorageLocation) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drs-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The demo platform, and a filer's saves (submissions, audit lines, a session).
        try await TestPlatform.run(storage: storage) { app in
            var filer = Client(app)
            try await filer.login("beijing-data")
            let reply = try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"1234.5"}}}"#)
            #expect(reply.status == .ok)
        }
        let file = directory.appendingPathComponent("drs.backup")
        let manifest = try await DatabaseBackup.backup(storage, to: file)
        let tables = Dictionary(manifest.fingerprint.tables.map { ($0.name, $0.rows) }, uniquingKeysWith: { a, _ in a })
        #expect((tables["submissions"] ?? 0) > 0 && (tables["audit_events"] ?? 0) > 0 && (tables["users"] ?? 0) > 0)

        try await Self.wipe(storage)
        let emptied = try await StorageSession.with(storage) { try await DatabaseFingerprint.of($0.db) }
        #expect(!manifest.fingerprint.differences(from: emptied).isEmpty, "the wipe removed the data")

        _ = try await DatabaseBackup.restore(file, into: storage, replace: true)
        let restored = try await StorageSession.with(storage) { try await DatabaseFingerprint.of($0.db) }
        #expect(restored == manifest.fingerprint)

        // A backup changed after it was taken: refused, the database untouched.
        if storage.isSQLite {
            let altered = directory.appendingPathComponent("altered.backup")
            try FileManager.default.copyItem(at: file, to: altered)
            try FileManager.default.copyItem(atPath: file.path + ".manifest.json", toPath: altered.path + ".manifest.json")
            try await StorageSession.with(.sqliteFile(altered.path)) { session in
                try await (session.db as? any SQLDatabase)?.raw("UPDATE submissions SET version = version + 1").run()
            }
            await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.restore(altered, into: storage, replace: true) }
            let after = try await StorageSession.with(storage) { try await DatabaseFingerprint.of($0.db) }
            #expect(after == manifest.fingerprint)
            // Without --replace an existing database is never overwritten.
            await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.restore(file, into: storage, replace: false) }
        }
    }

    /// Everything gone: the SQLite file removed; PostgreSQL's schema dropped and made again, empty.
    static func wipe(_ storage: StorageLocation) async throws {
        switch storage {
        case .sqliteFile(let path):
            SQLiteFileSet.remove(path)
        case .postgres:
            try await StorageSession.with(storage) { session in
                guard let sql = session.db as? any SQLDatabase else { return }
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
        case .sqliteMemory:
            break
        }
    }
}
