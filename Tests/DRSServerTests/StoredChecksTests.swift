@testable import DRSServer
import DRSStorage
import Foundation
import SQLKit
import Testing
import Vapor

/// The review queue keeps each submission's check result (`submission_checks`) with the stamp of what
/// it was computed from: a second list reads it instead of checking again, and a change to the
/// submission (a return, a save) moves the stamp, so the result is computed afresh.
@Suite("Stored check results", .serialized)
struct StoredChecksTests {
    @Test func theQueueReadsStoredResultsUntilTheSubmissionChanges() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), reviewer = Client(app)
            try await beijing.login("beijing-data")
            try await reviewer.login("review-beijing")
            try await fillAndSubmit(&beijing, "P2")
            let path = beijing.submissionPath("P2")
            let queuePath = "/api/v1/review/queue?year=2026&form=P2&status=submitted,returned"
            let sql = try #require(app.db as? any SQLDatabase)

            var item = try await Self.item(&reviewer, queuePath, unit: beijing.unitID)
            #expect(item["errors"] as? Int == 0)
            let unitID = try #require(UUID(uuidString: beijing.unitID ?? ""))
            let row = try await sql.raw("SELECT id FROM submissions WHERE unit_id = \(bind: unitID) AND form_id = 'P2' AND year = 2026").first()
            let id = try #require(try row?.decode(column: "id", as: UUID.self))
            let stamp = try #require(try await sql.raw("SELECT stamp FROM submission_checks WHERE submission_id = \(bind: id)").first()?.decode(column: "stamp", as: String.self))
            let submitted = try await version(&beijing, path)
            #expect(stamp.hasPrefix("\(submitted)|"))

            // The stored result is what the list shows (marked here so the test can tell it from a fresh
            // check; after the results the writes kept are stored, so none of them lands on the mark).
            await app.platform.checkOutbox.flush(app.platform.store(app.db), logger: app.logger)
            try await sql.raw("UPDATE submission_checks SET errors = 7 WHERE submission_id = \(bind: id)").run()
            item = try await Self.item(&reviewer, queuePath, unit: beijing.unitID)
            #expect(item["errors"] as? Int == 7, "read from storage, not checked again")

            // Returned: a new version, so the list checks it again and stores the new result.
            let returned = try await reviewer.send(.POST, path + "/return", json: #"{"version":\#(submitted),"reason":"请核实数据"}"#)
            #expect(returned.status == .ok, "\(returned.text)")
            item = try await Self.item(&reviewer, queuePath, unit: beijing.unitID)
            #expect(item["errors"] as? Int == 0)
            #expect(item["status"] as? String == "returned")
            let restamped = try await sql.raw("SELECT stamp, errors FROM submission_checks WHERE submission_id = \(bind: id)").first()
            #expect(try restamped?.decode(column: "errors", as: Int.self) == 0)
            #expect(try restamped?.decode(column: "stamp", as: String.self).hasPrefix("\(submitted + 1)|") == true)
        }
    }

    static func item(_ reviewer: inout Client, _ path: String, unit: String?) async throws -> [String: Any] {
        let items = try #require(try await reviewer.send(.GET, path).json["items"] as? [[String: Any]])
        return try #require(items.first { ($0["unit"] as? [String: Any])?["id"] as? String == unit })
    }
}

/// The review queue comes in bounded pages: the pages together are the whole list in its order, a page
/// past the end is the last, and sizes out of range are refused before any work.
@Suite("Review queue pages")
struct ReviewQueuePagingTests {
    @Test func thePagesTogetherAreTheWholeQueue() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let base = "/api/v1/review/queue?year=2025&status=verified"
            let whole = try await admin.send(.GET, base + "&pageSize=500").json
            let everything = try #require(whole["items"] as? [[String: Any]]).map(Self.key)
            let total = try #require(whole["total"] as? Int)
            #expect(total == everything.count && total >= 3)
            #expect(whole["pages"] as? Int == 1 && whole["page"] as? Int == 1)

            var paged: [String] = []
            let pages = (total + 1) / 2
            for page in 1...pages {
                let reply = try await admin.send(.GET, base + "&pageSize=2&page=\(page)").json
                #expect(reply["total"] as? Int == total && reply["pages"] as? Int == pages && reply["page"] as? Int == page)
                let items = try #require(reply["items"] as? [[String: Any]])
                #expect(items.count == (page < pages ? 2 : total - 2 * (pages - 1)))
                paged += items.map(Self.key)
            }
            #expect(paged == everything)
            let past = try await admin.send(.GET, base + "&pageSize=2&page=999").json
            #expect(past["page"] as? Int == pages)
            for bad in ["pageSize=0", "pageSize=501", "page=0", "page=x", "pageSize=1.5"] {
                let reply = try await admin.send(.GET, base + "&" + bad)
                #expect(reply.status == .badRequest && reply.errorCode == "bad_page", "\(bad)")
            }
            // The page: its part of the queue and a link to the next.
            let page = try await admin.send(.GET, "/review?year=2025&status=verified&pageSize=2")
            #expect(page.status == .ok)
            #expect(page.text.contains("共 \(total) 份：第 1 / \(pages) 页"))
            #expect(page.text.contains("page=2&amp;pageSize=2") || page.text.contains("page=2&pageSize=2"))
        }
    }

    static func key(_ item: [String: Any]) -> String {
        "\((item["unit"] as? [String: Any])?["id"] as? String ?? "")/\(item["form"] as? String ?? "")"
    }
}

/// The engine part of a stored result's stamp names the catalog and the program file, the same in
/// every process that runs that program (so a restart keeps the stored results), and changes with either.
@Suite("Check stamps")
struct CheckStampTests {
    @Test func theEngineStampFollowsTheProgramFileAndTheCatalogOnly() throws {
        let program = FileManager.default.temporaryDirectory.appendingPathComponent("drs-program-\(UUID().uuidString)")
        try Data("release 1".utf8).write(to: program)
        defer { try? FileManager.default.removeItem(at: program) }
        let first = CheckStamp.engine(catalogRoot: TestPlatform.catalogRoot, program: program)
        #expect(CheckStamp.engine(catalogRoot: TestPlatform.catalogRoot, program: program) == first)
        try Data("release 2, longer".utf8).write(to: program)
        #expect(CheckStamp.engine(catalogRoot: TestPlatform.catalogRoot, program: program) != first, "a new program")
        // The running program is a file, not the per-process link /proc/self/exe.
        #expect(CheckStamp.runningProgram.path != "/proc/self/exe")
        #expect(FileManager.default.fileExists(atPath: CheckStamp.runningProgram.path))
    }
}
