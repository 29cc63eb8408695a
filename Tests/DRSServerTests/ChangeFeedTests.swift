@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Synchronization
import Testing
import Vapor

/// Caches invalidated through PostgreSQL (`NotifyChanges`, `ChangeFeed`, `ChangeListening`): the
/// triggers announce exactly the changes an instance's copies depend on, and a session ended on one
/// instance is refused by another at once, though that one keeps sessions in memory. Needs a
/// PostgreSQL server: runs when `DRS_TEST_DATABASE` names one.
@Suite("Caches invalidated through PostgreSQL", .serialized, .enabled(if: !TestDatabase.isSQLite))
struct ChangeFeedTests {
    /// Polls `condition` until it holds or `seconds` pass; a notification arrives in milliseconds.
    static func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test func theTriggersAnnounceWhatInstancesCopy() async throws {
        try await TestDatabase.with { storage in try await Self.theTriggersAnnounce(storage) }
    }

    static func theTriggersAnnounce(_ storage: StorageLocation) async throws {
        guard case .postgres(let url) = storage else { return }
        try await TestPlatform.run(storage: storage) { app in
            let heard = Mutex<[StoredChange]>([]), listening = Mutex(false)
            let feed = Task {
                await ChangeFeed(url: url).run(logger: app.logger, listening: { on in listening.withLock { $0 = on } },
                                               heard: { change in heard.withLock { $0.append(change) } })
            }
            defer { feed.cancel() }
            #expect(try await Self.eventually { listening.withLock { $0 } })
            let sql = try #require(app.db as? any SQLDatabase)
            func row(_ status: String) async throws -> (id: UUID, unit: UUID, form: String, year: Int) {
                let row = try #require(try await sql.raw("""
                    SELECT id, unit_id, form_id, year FROM submissions WHERE status = \(bind: status) ORDER BY id LIMIT 1
                    """).first())
                return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "unit_id", as: UUID.self),
                        try row.decode(column: "form_id", as: String.self), try row.decode(column: "year", as: Int.self))
            }
            let verified = try await row("verified")
            let user = try #require(try await sql.raw("SELECT id FROM users ORDER BY id LIMIT 1").first()).decode(column: "id", as: UUID.self)
            let unit = try #require(try await sql.raw("SELECT id FROM units ORDER BY id LIMIT 1").first()).decode(column: "id", as: UUID.self)

            // In this order; PostgreSQL delivers notifications in commit order.
            let id = verified.id
            try await sql.raw("UPDATE submissions SET checked_version = -7 WHERE id = \(bind: id)").run()   // a check stored: not
            try await sql.raw("UPDATE submissions SET version = version + 1 WHERE id = \(bind: id)").run()   // verified: announced
            try await sql.raw("UPDATE users SET username = username WHERE id = \(bind: user)").run()
            try await sql.raw("UPDATE units SET name = name WHERE id = \(bind: unit)").run()
            try await sql.raw("UPDATE submissions SET status = 'draft' WHERE id = \(bind: id)").run()   // reopened: announced
            try await sql.raw("UPDATE submissions SET version = version + 1 WHERE id = \(bind: id)").run()   // a draft saved: not
            try await sql.raw("UPDATE submissions SET answers = answers WHERE id = \(bind: id)").run()   // its answers as they were: not
            try await sql.raw(#"UPDATE submissions SET answers = '{"Q10":"2"}' WHERE id = \#(bind: id)"#).run()   // its answers: announced
            try await sql.raw("DELETE FROM submissions WHERE id = \(bind: id)").run()   // deleted: announced

            let change = StoredChange.submission(unit: verified.unit, form: verified.form, year: verified.year)
            let expected: [StoredChange] = [change, .user(user), .unit(unit), change, change, change]
            let touched: (StoredChange) -> Bool = { change in
                switch change {
                case .submission(let u, _, _): u == verified.unit
                case .user(let id): id == user
                case .unit(let id): id == unit
                case .session, .everything: false
                }
            }
            #expect(try await Self.eventually { heard.withLock { $0.filter(touched).count >= expected.count } })
            try await Task.sleep(for: .milliseconds(200))   // nothing more is coming for these rows
            #expect(heard.withLock { $0.filter(touched) } == expected)
        }
    }

    @Test func aSessionEndedOnAnotherInstanceIsRefusedAtOnce() async throws {
        try await TestDatabase.with { storage in try await Self.aSessionEndedOnAnotherInstance(storage) }
    }

    static func aSessionEndedOnAnotherInstance(_ storage: StorageLocation) async throws {
        try await TestPlatform.run(storage: storage) { (first: Application) async throws in
            try await TestPlatform.run(storage: storage) { (second: Application) async throws in
                var onFirst = Client(first), onSecond = Client(second)
                _ = try await onFirst.send(.GET, "/readyz")   // boots the instance (its lifecycle starts the feed)
                _ = try await onSecond.send(.GET, "/readyz")
                #expect(try await Self.eventually { first.readCache.isHearing && second.readCache.isHearing })
                #expect(try await onFirst.login("beijing-data").status == .ok)
                #expect(try await onFirst.send(.GET, onFirst.submissionPath("P2")).status == .ok)   // kept on the first
                onSecond.cookie = onFirst.cookie
                onSecond.csrf = onFirst.csrf
                #expect(try await onSecond.send(.GET, onFirst.submissionPath("P2")).status == .ok)
                #expect(try await onSecond.send(.DELETE, "/api/v1/session").status.code < 300)
                // The first instance keeps sessions for as long as it hears changes: only the
                // announcement of the deleted row can make it refuse this one.
                #expect(try await Self.eventually(within: 5) {
                    try await onFirst.send(.GET, onFirst.submissionPath("P2")).status == .unauthorized
                })
            }
        }
    }

    /// A national aggregate of verified figures is kept while the feed is heard, and computed afresh
    /// once a change to the form's verified figures is announced.
    @Test func aKeptAggregateIsForgottenWhenItsVerifiedFiguresChange() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            _ = try await admin.send(.GET, "/readyz")   // boots the instance (its lifecycle starts the feed)
            #expect(try await Self.eventually { app.readCache.isHearing })
            try await admin.login("admin")
            let query = "/api/v1/aggregate?year=2025&form=P2&by=province"
            let before = try await admin.send(.GET, query)
            let records = try #require(before.json["records"] as? Int)
            let sql = try #require(app.db as? any SQLDatabase)
            let ids = try await sql.raw("""
                SELECT id FROM submissions WHERE year = 2025 AND form_id = 'P2' AND status = 'verified' ORDER BY id LIMIT 2
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            try #require(ids.count == 2)
            // A change no trigger announces (the trigger off for a moment, which nothing but this probe
            // does): the kept aggregate is answered as it was, so it was kept.
            try await sql.raw("ALTER TABLE submissions DISABLE TRIGGER drs_submissions_changed").run()
            try await sql.raw("UPDATE submissions SET status = 'draft' WHERE id = \(bind: ids[0])").run()
            try await sql.raw("ALTER TABLE submissions ENABLE TRIGGER drs_submissions_changed").run()
            #expect(try await admin.send(.GET, query).text == before.text)
            // An announced change to the form's verified figures: computed afresh, without the reopened one.
            try await sql.raw("UPDATE submissions SET version = version + 1 WHERE id = \(bind: ids[1])").run()
            #expect(try await Self.eventually { try await admin.send(.GET, query).json["records"] as? Int == records - 1 })
            // Other statuses are never kept: always read afresh.
            let submitted = "/api/v1/aggregate?year=2025&form=P2&by=province&status=verified,submitted"
            _ = try await admin.send(.GET, submitted)
            try await sql.raw("ALTER TABLE submissions DISABLE TRIGGER drs_submissions_changed").run()
            try await sql.raw("UPDATE submissions SET status = 'submitted' WHERE id = \(bind: ids[0])").run()
            try await sql.raw("ALTER TABLE submissions ENABLE TRIGGER drs_submissions_changed").run()
            #expect(try await admin.send(.GET, submitted).json["records"] as? Int == records)
        }
    }

    /// The answers that decide another form's rows (企业1表 Q10 for 企业5表) are kept while the feed is
    /// heard: forgotten when any writer changes them (the announcement), and at once by this
    /// instance's own save (before the announcement could arrive).
    @Test func keptAnswersAreForgottenWhenTheirRowChanges() async throws {
        try await TestPlatform.run { app in
            var filer = Client(app)
            _ = try await filer.send(.GET, "/readyz")   // boots the instance (its lifecycle starts the feed)
            #expect(try await Self.eventually { app.readCache.isHearing })
            try await filer.login("tech")   // the demo's data-technology enterprise: 企业1表 and 企业5表
            let unit = try #require(try await SurveyUnit.find(UUID(uuidString: filer.unitID ?? ""), on: app.db))
            let e5 = try #require(app.platform.catalog.forms["E5"])
            func q10() async throws -> String? {
                try await app.platform.profile(of: unit, year: 2026, form: e5, on: app.db, cache: app.readCache).answers?["E1.Q10"]
            }
            var version = 0
            func save(_ answer: String) async throws {
                let reply = try await filer.send(.PUT, filer.submissionPath("E1"), json: #"{"version":\#(version),"answers":{"Q10":"\#(answer)"}}"#)
                #expect(reply.status == .ok, "\(reply.text)")
                version = reply.json["version"] as? Int ?? version
            }
            let sql = try #require(app.db as? any SQLDatabase)
            try await save("1")
            #expect(try await q10() == "1")
            // The trigger off (nothing but this probe does that): only the instance's own forgetting
            // can make its next read see the new answer.
            try await sql.raw("ALTER TABLE submissions DISABLE TRIGGER drs_submissions_answered").run()
            try await save("2")
            #expect(try await q10() == "2")
            // …and the kept answer is kept: a change nobody announces is not seen.
            try await sql.raw(#"UPDATE submissions SET answers = '{"Q10":"1"}' WHERE unit_id = \#(bind: try unit.requireID()) AND form_id = 'E1' AND year = 2026"#).run()
            try await sql.raw("ALTER TABLE submissions ENABLE TRIGGER drs_submissions_answered").run()
            #expect(try await q10() == "2")
            // Another writer's change, announced: read afresh.
            try await sql.raw(#"UPDATE submissions SET answers = '{"Q10":"1","Q11":"算力"}' WHERE unit_id = \#(bind: try unit.requireID()) AND form_id = 'E1' AND year = 2026"#).run()
            #expect(try await Self.eventually { try await q10() == "1" })
        }
    }
}
