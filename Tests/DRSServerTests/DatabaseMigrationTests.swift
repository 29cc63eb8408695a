import DRSOffice
import DRSStorage
import Foundation
import SQLKit
import Testing
import Vapor

/// `drs migrate-db`: an SQLite installation moved into PostgreSQL keeps every row of every table (the
/// same rows on both sides, table by table), the platform runs on the copy with the filers' saves and
/// passwords intact, a target with data is refused, and a copy that fails part-way leaves PostgreSQL
/// empty. Needs a PostgreSQL server: runs when `DRS_TEST_DATABASE` names one (CI's PostgreSQL step).
@Suite("SQLite → PostgreSQL migration", .serialized, .enabled(if: !TestDatabase.isSQLite))
struct DatabaseMigrationTests {
    @Test func everyRowMovesAndThePlatformRunsOnTheCopy() async throws {
        try await TestDatabase.with { postgres in try await Self.everyRowMoves(into: postgres) }
    }

    static func everyRowMoves(into postgres: StorageLocation) async throws {
        let sqlite = try await Self.filledSQLite()
        defer { Self.remove(sqlite) }

        let summary = try await DatabaseMigration.migrate(from: sqlite, to: postgres)
        #expect(summary.rows > 0)
        // Counted again by each engine itself, table by table.
        let before = try await StorageSession.with(sqlite) { try await DatabaseFingerprint.of($0.db) }
        let after = try await StorageSession.with(postgres) { try await DatabaseFingerprint.of($0.db) }
        #expect(before.tables.map(\.name) == after.tables.map(\.name))
        // The progress tallies are counted again in the copy, one row per key, rather than copied.
        let copied = { (fingerprint: DatabaseFingerprint) in fingerprint.tables.filter { !ProgressTallies.tables.contains($0.name) }.map(\.rows) }
        #expect(copied(before) == copied(after))
        let drift = try await StorageSession.with(postgres) { session in try await ProgressTallies.drift(on: session.db) }
        #expect(drift == [])
        #expect((after.tables.first { $0.name == ProgressTallies.submissions }?.rows ?? 0) > 0)
        let units = before.tables.first { $0.name == "units" }?.rows ?? 0
        #expect(units > 0 && summary.rowsByTable.contains { $0.table == "units" && $0.rows == units })

        // The platform on the copy: the same password logs in, the saved figure and its version are there,
        // and a subsidiary still points at its headquarters.
        try await TestPlatform.run(storage: postgres) { app in
            var filer = Client(app)
            let login = try await filer.login("beijing-data")
            #expect(login.status == .ok)
            let saved = try await filer.send(.GET, filer.submissionPath("P2"))
            #expect(saved.status == .ok)
            #expect(saved.text.contains("1234.5"))
            #expect(((saved.json["submission"] as? [String: Any])?["version"] as? Int) == 1)
            let sql = try #require(app.db as? any SQLDatabase)
            let linked = try await sql.raw("SELECT count(*) AS n FROM units WHERE parent_id IS NOT NULL").first()?.decode(column: "n", as: Int.self)
            #expect((linked ?? 0) > 0)
        }

        // Never into a database that holds data.
        await #expect(throws: DatabaseMigration.Failure.self) { try await DatabaseMigration.migrate(from: sqlite, to: postgres) }
    }

    @Test func aCopyThatFailsLeavesPostgreSQLEmpty() async throws {
        try await TestDatabase.with { postgres in try await Self.aFailedCopyLeavesEmpty(postgres) }
    }

    static func aFailedCopyLeavesEmpty(_ postgres: StorageLocation) async throws {
        let sqlite = try await Self.filledSQLite()
        defer { Self.remove(sqlite) }
        // A value SQLite accepted that no integer column can hold: found part-way through the copy.
        try await StorageSession.with(sqlite) { session in
            try await (session.db as? any SQLDatabase)?.raw("UPDATE submissions SET version = 'not a number' WHERE rowid = (SELECT max(rowid) FROM submissions)").run()
        }
        await #expect(throws: (any Error).self) { try await DatabaseMigration.migrate(from: sqlite, to: postgres) }
        let rows = try await StorageSession.with(postgres) { try await DatabaseFingerprint.of($0.db) }
        #expect(rows.tables.filter { $0.name != "_fluent_migrations" }.allSatisfy { $0.rows == 0 })
    }

    /// The demo platform on a fresh SQLite file, with one filer's save.
    static func filledSQLite() async throws -> StorageLocation {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-migrate-\(UUID().uuidString).sqlite").path
        let sqlite = StorageLocation.sqliteFile(path)
        try await TestPlatform.run(storage: sqlite) { app in
            var filer = Client(app)
            try await filer.login("beijing-data")
            let reply = try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"1234.5"}}}"#)
            #expect(reply.status == .ok)
        }
        return sqlite
    }

    static func remove(_ location: StorageLocation) {
        guard case .sqliteFile(let path) = location else { return }
        SQLiteFileSet.remove(path)
    }
}
