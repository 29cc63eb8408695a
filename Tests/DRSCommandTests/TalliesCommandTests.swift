import DRSStorage
import Foundation
import SQLKit
import Testing

/// `drs tallies` as an operator types it: a synthetic nation's progress tallies and its submissions'
/// provinces agree with a recount; a tally or a province put wrong is listed and the command fails;
/// `--rebuild` counts again and they agree.
@Suite("drs tallies", .serialized)
struct TalliesCommandTests {
    @Test func aWrongTallyIsFoundAndRebuilt() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drs-tallies-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("nation.sqlite").path
        let nation = try DRS.run(["demo", "nation", "--units", "200", "--year", "2026", "--database", database])
        #expect(nation.status == 0, "\(nation.stderr)")

        let agreed = try DRS.run(["tallies", "--database", database])
        #expect(agreed.status == 0 && agreed.stdout.contains("一致"), "\(agreed.stdout)\(agreed.stderr)")

        try await StorageSession.with(.sqliteFile(database)) { session in
            let sql = try #require(session.db as? any SQLDatabase)
            // The load summed its appended rows back: one row per key.
            let rows = try await sql.raw("""
                SELECT (SELECT COUNT(*) FROM submission_tallies) AS n,
                       (SELECT COUNT(*) FROM (SELECT DISTINCT year, form_id, status, province, types, parent_id FROM submission_tallies) k) AS keys
                """).first()
            #expect(try rows?.decode(column: "n", as: Int.self) == rows?.decode(column: "keys", as: Int.self))
            try await sql.raw("UPDATE submission_tallies SET n = n + 3 WHERE rowid = (SELECT MIN(rowid) FROM submission_tallies)").run()
            // A submission put in a province not its unit's (SQLite keeps what SQL writes).
            try await sql.raw("UPDATE submissions SET province = '00' WHERE rowid = (SELECT MIN(rowid) FROM submissions)").run()
        }
        let found = try DRS.run(["tallies", "--database", database])
        #expect(found.status == 1 && found.stdout.contains("有 2 处不同") && found.stdout.contains("submissions.province 00 → ") && found.stdout.contains(": 1\n"),
                "\(found.stdout)\(found.stderr)")
        let rebuilt = try DRS.run(["tallies", "--database", database, "--rebuild"])
        #expect(rebuilt.status == 0 && rebuilt.stdout.contains("已重新计数"), "\(rebuilt.stdout)\(rebuilt.stderr)")
        #expect(try DRS.run(["tallies", "--database", database]).status == 0)
        // A mistyped path is refused, not created.
        let missing = dir.appendingPathComponent("typo.sqlite").path
        #expect(try DRS.run(["tallies", "--database", missing]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
