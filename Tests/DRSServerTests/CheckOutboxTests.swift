@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting

/// A save, a submission and a review step leave their check result stored (`CheckOutbox`), exactly as
/// a review queue would check and store it afresh: the same stamp, the same counts.
@Suite(.serialized) struct CheckOutboxTests {
    /// The stored result of the unit's P2, and the one a queue computes now with nothing stored.
    func storedAndFresh(_ app: Application, unitID: UUID) async throws -> (stored: CheckSummary?, fresh: CheckSummary?, head: SubmissionHead) {
        let platform = app.platform, store = platform.store(app.db)
        await platform.checkOutbox.flush(store, logger: app.logger)
        #expect(platform.checkOutbox.waiting == 0)
        let head = try #require(try await store.submissionHeads(year: 2026, unitIDs: [unitID], formID: "P2").first)
        let stored = try await store.checkSummaries(ids: [head.id])[head.id]
        let unit = try #require(try await SurveyUnit.find(unitID, on: app.db))
        let sql = try #require(app.db as? any SQLDatabase)
        try await sql.raw("DELETE FROM submission_checks WHERE submission_id = \(bind: head.id)").run()
        let checks = try await QueueChecks(platform: platform, store: store, logger: app.logger, year: 2026, form: "P2", heads: [head])
        let fresh = try await checks.summaries(of: [head], units: [unitID: unit])[head.id]
        return (stored, fresh, head)
    }

    @Test func aWriteLeavesItsCheckStoredAsAQueueWouldCheckIt() async throws {
        try await TestPlatform.run { app in
            var filer = Client(app), reviewer = Client(app)
            try await filer.login("beijing-data")
            try await reviewer.login("review-beijing")
            let unitID = try #require(filer.unitID.flatMap(UUID.init(uuidString:)))
            let path = filer.submissionPath("P2")

            // A draft save with a year-over-year jump (a warning that needs an explanation).
            let detail = try await filer.send(.GET, path).json
            var values = try #require(detail["lastYear"] as? [String: [String: Any]])
            values["01"]?["cur"] = "999999"
            let version = try #require((detail["submission"] as? [String: Any])?["version"] as? Int)
            let body = try JSONSerialization.data(withJSONObject: ["version": version, "values": values])
            #expect(try await filer.send(.PUT, path, json: String(decoding: body, as: UTF8.self)).status == .ok)
            let saved = try await storedAndFresh(app, unitID: unitID)
            #expect(saved.stored != nil && saved.stored == saved.fresh, "after the save")
            #expect(saved.stored?.version == saved.head.version && (saved.stored?.warnings ?? 0) > 0 && saved.stored?.clean == false)

            // Submitted (with the figures of last year), then approved by the province.
            try await fillAndSubmit(&filer, "P2")
            let submitted = try await storedAndFresh(app, unitID: unitID)
            #expect(submitted.head.status == .submitted)
            #expect(submitted.stored != nil && submitted.stored == submitted.fresh, "after the submission")
            #expect(submitted.stored?.clean == true)
            // A cell the catalog does not define, written behind the platform's back (as an older import might).
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("UPDATE submissions SET cells = replace(cells, '{', '{\"99:cur\":\"1\",') WHERE id = \(bind: submitted.head.id)").run()
            let approve = try await reviewer.send(.POST, path + "/approve", json: #"{"version":\#(submitted.head.version)}"#)
            #expect(approve.status == .ok, "\(approve.text)")
            let approved = try await storedAndFresh(app, unitID: unitID)
            #expect(approved.head.status == .approved && approved.head.version == submitted.head.version + 1)
            #expect(approved.stored != nil && approved.stored == approved.fresh, "after the approval")
            #expect(approved.stored?.unknownCells == ["99:cur"])
        }
    }
}
