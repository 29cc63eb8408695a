import DRSApplication
@testable import DRSStorage
import DRSServer
import Fluent
import Foundation
import Testing
import Vapor

/// What the SQLite deployment relies on: one server per database file, and audit lines whose ids
/// grow with time (so the hot path appends to its index).
@Suite("SQLite: one server per file")
struct SQLiteServerTests {
    @Test func aSecondServerOnTheSameFileIsRefusedUntilTheFirstStops() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-lock-\(UUID().uuidString).sqlite").path
        defer { SQLiteFileSet.remove(path) }
        let options = ServerOptions(storage: .sqliteFile(path), catalogRoot: TestPlatform.catalogRoot, today: { TestPlatform.today },
                                    passwordCost: 4)
        let first = try await Application.make(.testing)
        try await configure(first, options)
        let second = try await Application.make(.testing)
        do {
            try await configure(second, options)
            Issue.record("a second server started on the same SQLite file")
        } catch let error as SingleServerLock.Held {
            #expect(error.description.contains("PostgreSQL"))
        }
        try await second.asyncShutdown()
        try await first.asyncShutdown()
        // Once the first has stopped, the file is free again.
        let third = try await Application.make(.testing)
        try await configure(third, options)
        try await third.asyncShutdown()
    }

    @Test func auditIdsSortByTime() {
        let t = Date(timeIntervalSince1970: 1_795_305_600)
        let ids = (0..<1000).map { TimeOrderedID.make(at: t.addingTimeInterval(Double($0) / 100)) }
        let texts = ids.map(\.uuidString)
        // Ordered wherever the milliseconds differ (every id here is 10 ms after the last).
        #expect(texts == texts.sorted())
        #expect(Set(ids).count == ids.count)
        // RFC 9562 layout: version 7, variant 10.
        #expect(ids.allSatisfy { $0.uuid.6 >> 4 == 7 && $0.uuid.8 >> 6 == 0b10 })
    }

    /// Submissions and returns run in gated Fluent transactions that read, then write; draft saves
    /// commit through the writer's own connection. Without the gate holding the writer, a step whose
    /// snapshot a save had overtaken failed with SQLITE_BUSY_SNAPSHOT (a 500 in `drs bench deadline`).
    @Test func stepsBesideDraftSavesNeverMeetAStaleSnapshot() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-snapshot-\(UUID().uuidString).sqlite").path
        defer { SQLiteFileSet.remove(path) }
        let app = try await Application.make(.testing)
        try await configure(app, ServerOptions(storage: .sqliteFile(path), catalogRoot: TestPlatform.catalogRoot, today: { TestPlatform.today },
                                               passwordCost: 4))
        let gate = WriteGate()
        let writer = try SQLiteWriter(path: path)
        await gate.holding(writer)
        let store = SubmissionStore(database: app.db, gate: gate, writer: writer)
        do {
            try await saveBesideSteps(store: store, app: app)
        } catch {
            writer.close()
            try await app.asyncShutdown()
            throw error
        }
        writer.close()
        try await app.asyncShutdown()
    }

    private func saveBesideSteps(store: SubmissionStore, app: Application) async throws {
        let actor = Actor(userID: nil, username: "test", address: "127.0.0.1")
        let unit = SurveyUnit(creditCode: "91110000000000001X", name: "快照测试单位", regionCode: "110000", types: ["provincialDataDept"])
        try await unit.create(on: app.db)
        let saved = try await store.findOrCreate(unitID: try unit.requireID(), formID: "P2", year: 2026).requireID()
        let stepped = try await store.findOrCreate(unitID: try unit.requireID(), formID: "P3", year: 2026).requireID()
        _ = try await store.saveDraft(id: stepped, expectedVersion: 0, cells: ["01|cum": "1"], explanations: [:], actor: actor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<400 {
                    _ = try await store.saveDraft(id: saved, expectedVersion: n, cells: ["01|cum": String(n + 1)], explanations: [:], actor: actor)
                }
            }
            group.addTask {
                for _ in 0..<80 {
                    _ = try await store.take(.submit, id: stepped, actor: actor)
                    _ = try await store.take(.return, id: stepped, reason: "请核对", actor: actor)
                }
            }
            try await group.waitForAll()
        }
        let final = try #require(try await Submission.find(saved, on: app.db))
        #expect(final.version == 400)
        let steps = try await AuditEvent.query(on: app.db).filter(\.$submissionID == stepped).filter(\.$kind == .statusChanged).count()
        // The first save's 未填报 → 草稿, then 80 submissions and 80 returns.
        #expect(steps == 161)
    }
}
