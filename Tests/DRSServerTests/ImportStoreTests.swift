import DRSApplication
import DRSStorage
import Fluent
import Foundation
import Testing

/// `drs import` stores through SQLite's single writer (prepared statements, a window of files per
/// transaction) and elsewhere through Fluent in a transaction: both decide alike (`planImport`) and
/// must leave the same rows and audit lines. The Fluent side runs on PostgreSQL when
/// `DRS_TEST_DATABASE` names a server.
@Suite("Import through the writer and through Fluent", .serialized)
struct ImportStoreTests {
    typealias Request = SubmissionStore.ImportRequest

    /// What a scenario leaves: every outcome, each submission and its audit lines, ids and times aside.
    struct Result: Equatable {
        var outcomes: [SubmissionStore.ImportOutcome]
        var rows: [String]
        var audit: [String]
    }

    /// Two units, codes unique to this run.
    static func scenario(_ session: StorageSession, store: SubmissionStore) async throws -> Result {
        let run = UUID().uuidString.prefix(8)
        let units = [SurveyUnit(creditCode: "T\(run)A", name: "甲", regionCode: "110000", types: ["dataTechEnterprise"]),
                     SurveyUnit(creditCode: "T\(run)B", name: "乙", regionCode: "440300", types: ["dataTechEnterprise"])]
        for unit in units { try await unit.create(on: session.db) }
        let a = try units[0].requireID(), b = try units[1].requireID()
        func request(_ unit: UUID, year: Int = 2026, _ cells: [String: String], _ status: SubmissionStatus = .draft,
                     explanations: [String: String] = [:], source: String = "a.csv") -> Request {
            Request(unitID: unit, formID: "E5", year: year, cells: cells, explanations: explanations, answers: nil, status: status, source: source)
        }
        let actor = Actor(userID: nil, username: "drs import", address: "-")
        var outcomes: [SubmissionStore.ImportOutcome] = []
        for batch in [
            [request(a, ["01:cur": "1", "02:cur": "2"]), request(b, year: 2025, ["01:cur": "7"], .verified)],
            // The same figures again: unchanged; one changed figure; a draft over a verified form: refused.
            [request(a, ["01:cur": "1", "02:cur": "2"]), request(a, ["01:cur": "1", "02:cur": "3"], source: "b.csv"),
             request(b, year: 2025, ["01:cur": "8"])],
            // Two files for one form in one batch: stored in order; an explanation alone is a change.
            [request(a, ["01:cur": "5"], source: "c.csv"), request(a, ["01:cur": "6"], source: "d.csv"),
             request(a, ["01:cur": "6"], explanations: ["01": "口径调整"], source: "e.csv"), request(b, ["03:cur": "9"], .submitted)],
        ] {
            outcomes += try await store.importSubmissions(batch, actor: actor)
        }
        let name = [a: "甲", b: "乙"]
        let rows = try await Submission.query(on: session.db).filter(\.$unit.$id ~~ [a, b]).all().map { s in
            "\(name[s.$unit.id] ?? "?") \(s.formID) \(s.year) \(s.status.rawValue) v\(s.version) \(s.cells) \(s.explanations) \(s.answers) "
                + "submitted:\(s.submittedAt != nil) updated:\(s.updatedAt != nil) idIsV7:\(s.id.map { $0.uuidString.dropFirst(14).first == "7" } ?? false)"
        }.sorted()
        let audit = try await AuditEvent.query(on: session.db).filter(\.$unitID ~~ [Optional(a), Optional(b)]).all().map { e in
            "\(name[e.unitID ?? UUID()] ?? "?") \(e.kind.rawValue) \(e.cell ?? "-") \(e.oldValue ?? "-")→\(e.newValue ?? "-") \(e.detail) \(e.username) \(e.submissionID != nil)"
        }.sorted()
        return Result(outcomes: outcomes, rows: rows, audit: audit)
    }

    @Test func theWriterAndFluentStoreTheSame() async throws {
        let writerFile = FileManager.default.temporaryDirectory.appendingPathComponent("drs-import-\(UUID().uuidString).sqlite").path
        defer { SQLiteFileSet.remove(writerFile) }
        let throughWriter = try await StorageSession.with(.sqliteFile(writerFile)) { session in
            let (store, writer) = try session.bulkStore()
            defer { writer?.close() }
            #expect(writer != nil)
            return try await Self.scenario(session, store: store)
        }
        let throughFluent = try await TestDatabase.with { fluentStorage in
            try await StorageSession.with(fluentStorage) { session in try await Self.scenario(session, store: session.submissionStore()) }
        }
        #expect(throughWriter == throughFluent)
        #expect(throughWriter.outcomes == [.imported(version: 1), .imported(version: 1),
                                           .unchanged, .imported(version: 2), .refused("此表已核定，导入不能覆盖；如需修改请先退回"),
                                           .imported(version: 3), .imported(version: 4), .imported(version: 5), .imported(version: 1)])
        #expect(throughWriter.rows == [
            #"乙 E5 2025 verified v1 {"01:cur":"7"} {} {} submitted:true updated:true idIsV7:true"#,
            #"乙 E5 2026 submitted v1 {"03:cur":"9"} {} {} submitted:true updated:true idIsV7:true"#,
            #"甲 E5 2026 draft v5 {"01:cur":"6"} {"01":"口径调整"} {} submitted:false updated:true idIsV7:true"#,
        ])
        // Every changed figure once, the status lines, and the file named in each line.
        #expect(throughWriter.audit.filter { $0.hasPrefix("甲 valueChanged") } == [
            "甲 valueChanged 01:cur -→1 导入：a.csv drs import true", "甲 valueChanged 01:cur 1→5 导入：c.csv drs import true",
            "甲 valueChanged 01:cur 5→6 导入：d.csv drs import true", "甲 valueChanged 02:cur -→2 导入：a.csv drs import true",
            "甲 valueChanged 02:cur 2→3 导入：b.csv drs import true", "甲 valueChanged 02:cur 3→- 导入：c.csv drs import true",
            "甲 valueChanged 说明:01 -→口径调整 导入：e.csv drs import true",
        ])
        #expect(throughWriter.audit.filter { $0.contains("statusChanged") }.count == 3)
    }
}
