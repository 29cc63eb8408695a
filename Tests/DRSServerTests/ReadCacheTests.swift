@testable import DRSServer
import DRSCore
import DRSStorage
import DRSWorkflow
import Foundation
import Synchronization
import Testing
import Vapor

/// The per-instance caches: how long an entry is trusted, and that a change heard while an entry
/// was being read keeps the read from being stored (it may be older than the change).
@Suite("Read cache and session cache")
struct ReadCacheTests {
    let unit = UUID(), form = "P2", year = 2025

    func figures(_ version: Int) -> LastYearFigures { LastYearFigures(values: nil, source: (UUID(), version)) }

    final class Count: Sendable {
        private let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        func withLock<R: Sendable>(_ read: (inout Int) -> R) -> R { value.withLock { read(&$0) } }
    }

    /// Looks last year's figures up, counting the loads.
    func look(_ cache: ReadCache, _ loads: Count, version: Int = 1) async throws -> Int? {
        try await cache.lastYear(unit: unit, form: form, year: year) {
            loads.add()
            return figures(version)
        }.source?.version
    }

    @Test func entriesLiveLongOnlyWhileChangesAreHeard() async throws {
        let cache = ReadCache(ttl: 0, heardTTL: 600), loads = Count()
        _ = try await look(cache, loads)
        _ = try await look(cache, loads)
        #expect(loads.withLock { $0 } == 2)   // not hearing: trusted for `ttl` (here none)
        cache.hearing(true)
        _ = try await look(cache, loads)
        _ = try await look(cache, loads)
        #expect(loads.withLock { $0 } == 3)   // hearing: kept
        cache.forget(.submission(unit: unit, form: form, year: year))
        #expect(try await look(cache, loads, version: 2) == 2)
        #expect(loads.withLock { $0 } == 4)   // the change was heard: read again
        cache.forget(.submission(unit: unit, form: form, year: year + 1))
        cache.forget(.user(UUID()))
        _ = try await look(cache, loads)
        #expect(loads.withLock { $0 } == 4)   // others' changes leave it
        cache.hearing(false)
        cache.hearing(true)
        _ = try await look(cache, loads)
        #expect(loads.withLock { $0 } == 5)   // the feed was down: everything forgotten
        cache.forget(.everything)
        _ = try await look(cache, loads)
        #expect(loads.withLock { $0 } == 6)
    }

    /// The session's account is read without waiting when it is kept (`CurrentUserMiddleware`): only
    /// what `user(_:load:)` kept, only while it is trusted, never after its change was heard.
    @Test func aKeptAccountIsSeenWithoutLoadingOnlyWhileTrusted() async throws {
        let id = UUID(), account = UserAccount(id: id, username: "filer-1", displayName: "填报人", passwordHash: "-", role: .respondent,
                                                   mustChangePassword: false)
        let cache = ReadCache(ttl: 600, heardTTL: 600)
        #expect(cache.keptUser(id) == nil)
        _ = try await cache.user(UUID()) { nil }   // an account not found is never kept
        _ = try await cache.user(id) { account }
        #expect(cache.keptUser(id)?.username == "filer-1")
        #expect(cache.keptUser(UUID()) == nil)
        cache.forget(.user(id))
        #expect(cache.keptUser(id) == nil)
        let shortLived = ReadCache(ttl: 0, heardTTL: 600)
        _ = try await shortLived.user(id) { account }
        #expect(shortLived.keptUser(id) == nil)   // not hearing, trusted for `ttl` (here none)
        shortLived.hearing(true)
        _ = try await shortLived.user(id) { account }
        #expect(shortLived.keptUser(id)?.id == id)
    }

    @Test func eachKindIsBounded() async throws {
        let cache = ReadCache(ttl: 600, heardTTL: 600, lastYearLimit: 2), loads = Count()
        cache.hearing(true)
        for year in [2023, 2024, 2025, 2023] {
            _ = try await cache.lastYear(unit: unit, form: form, year: year) { loads.add(); return figures(1) }
        }
        // The third entry emptied the kind (two were kept): 2023 is read again.
        #expect(loads.withLock { $0 } == 4)
        _ = try await cache.lastYear(unit: unit, form: form, year: 2025) { loads.add(); return figures(1) }
        #expect(loads.withLock { $0 } == 4)
    }

    @Test func aReadOverlappingAChangeIsNotKept() async throws {
        let cache = ReadCache(ttl: 600, heardTTL: 600), loads = Count()
        cache.hearing(true)
        let read = try await cache.lastYear(unit: unit, form: form, year: year) {
            loads.add()
            cache.forget(.submission(unit: unit, form: form, year: year))   // committed while this read ran
            return figures(1)
        }
        #expect(read.source?.version == 1)   // answered with what it read…
        #expect(try await look(cache, loads, version: 2) == 2)   // …but not kept
        #expect(loads.withLock { $0 } == 2)
    }

    @Test func sessionsAreKeptOnlyWhileHeardAndNeverFromAReadOverlappingAChange() {
        let id = SessionID(string: "k"), entry = SessionCache.Entry(data: SessionData(), userID: "u", created: 0, lastSeen: 0)
        let cache = SessionCache(alwaysHearing: false)
        cache.store(id, entry)
        #expect(cache.entry(id) == nil)   // the feed is not listening: nothing kept
        cache.hearing(true)
        var readAt = cache.epoch
        cache.store(id, entry, readAt: readAt)
        #expect(cache.entry(id) != nil)
        cache.forget(.session("k"))
        #expect(cache.entry(id) == nil)
        readAt = cache.epoch
        cache.forget(.session("other"))   // a change heard while this session was read
        cache.store(id, entry, readAt: readAt)
        #expect(cache.entry(id) == nil)
        cache.store(id, entry, readAt: cache.epoch)
        cache.hearing(false)
        #expect(cache.entry(id) == nil)
        #expect(SessionCache(alwaysHearing: true).epoch == 0)
    }

    /// The answers that decide another form's rows: kept only while changes are heard, per form, only
    /// of forms that have a row; forgotten by a change to that form's row of that year, by this
    /// instance's own save of them, and never kept from a read that overlapped a change.
    @Test func answersAreKeptWhileHeardPerFormUntilTheirRowChanges() async throws {
        let cache = ReadCache(ttl: 600, heardTTL: 600), asked = Mutex<[[String]]>([])
        var stored: [String: [String: JSONValue]] = ["E1": ["Q10": .string("1")]]
        func answers(_ forms: [String] = ["E1", "P1"], during: (() -> Void)? = nil) async throws -> [String: [String: JSONValue]] {
            let current = stored
            return try await cache.answers(unit: unit, year: 2026, forms: forms) { missing in
                asked.withLock { $0.append(missing) }
                during?()
                return current.filter { missing.contains($0.key) }
            }
        }
        _ = try await answers()
        _ = try await answers()
        #expect(asked.withLock { $0 } == [["E1", "P1"], ["E1", "P1"]], "not hearing: read every time, even with a long ttl")
        cache.hearing(true)
        asked.withLock { $0 = [] }
        #expect(try await answers()["E1"]?["Q10"] == .string("1"))
        #expect(try await answers()["E1"]?["Q10"] == .string("1"))
        #expect(asked.withLock { $0 } == [["E1", "P1"], ["P1"]], "hearing: E1 kept; P1 has no row, so its absence is not kept")
        stored["E1"] = ["Q10": .string("2")]
        for other: StoredChange in [.submission(unit: unit, form: "E1", year: 2025), .submission(unit: unit, form: "E5", year: 2026),
                                    .submission(unit: UUID(), form: "E1", year: 2026), .user(UUID()), .session("k")] {
            cache.forget(other)
        }
        #expect(try await answers(["E1"])["E1"]?["Q10"] == .string("1"), "another year's, form's, unit's change leaves it")
        cache.forget(.submission(unit: unit, form: "E1", year: 2026))
        #expect(try await answers(["E1"])["E1"]?["Q10"] == .string("2"), "its row's change was heard: read again")
        stored["E1"] = ["Q10": .string("1")]
        cache.forget(answersOf: unit, form: "E1", year: 2026)
        #expect(try await answers(["E1"])["E1"]?["Q10"] == .string("1"), "this instance's own save: read again")
        cache.forget(answersOf: unit, form: "E1", year: 2026)
        let overlapping = try await answers(["E1"], during: { cache.forget(.submission(unit: self.unit, form: "E1", year: 2026)) })
        #expect(overlapping["E1"]?["Q10"] == .string("1"))
        let before = asked.withLock { $0.count }
        _ = try await answers(["E1"])
        #expect(asked.withLock { $0.count } == before + 1, "a read that overlapped a change is answered but not kept")
        cache.hearing(false)
        _ = try await answers(["E1"])
        #expect(asked.withLock { $0.count } == before + 2, "the feed lost: nothing kept is trusted")
    }

    /// National aggregates of verified figures: kept only while changes are heard, and forgotten by
    /// a change to the form's submissions of that year or to any unit.
    @Test func aggregatesAreKeptWhileHeardUntilTheirFiguresOrAUnitChange() async throws {
        let cache = ReadCache(ttl: 600, heardTTL: 600), loads = Count()
        let compiled = try #require(CompleteFigures.catalog.forms["E5"])
        let key = AggregateKey(year: 2026, form: "E5", groupings: [[], ["province"]])
        func aggregate(_ key: AggregateKey = key) async throws {
            _ = try await cache.aggregate(key) {
                loads.add()
                return KeptAggregate(form: compiled, table: try Aggregator(form: compiled).aggregate([], groupings: key.groupings))
            }
        }
        try await aggregate()
        try await aggregate()
        #expect(loads.withLock { $0 } == 2, "not hearing: every aggregate computed afresh, even with a long ttl")
        cache.hearing(true)
        try await aggregate()
        try await aggregate()
        #expect(loads.withLock { $0 } == 3, "hearing: kept")
        try await aggregate(AggregateKey(year: 2026, form: "E5", groupings: [[]]))
        #expect(loads.withLock { $0 } == 4, "another grouping is another aggregate")
        for other: StoredChange in [.submission(unit: unit, form: "E6", year: 2026), .submission(unit: unit, form: "E5", year: 2025),
                                    .user(UUID()), .session("k")] {
            cache.forget(other)
        }
        try await aggregate()
        #expect(loads.withLock { $0 } == 4, "another form's, another year's, an account's or a session's change leaves it")
        for change: StoredChange in [.submission(unit: unit, form: "E5", year: 2026), .unit(UUID()), .everything] {
            cache.forget(change)
            try await aggregate()
        }
        #expect(loads.withLock { $0 } == 7, "its form's figures, a unit, everything: each computed again")
        // This instance's own steps: approving or returning leaves the verified figures as they were;
        // verifying or reopening forgets them at once.
        for step: SubmissionStep in [.approve, .return, .submit] { cache.forget(after: step, unit: unit, form: "E5", year: 2026) }
        try await aggregate()
        #expect(loads.withLock { $0 } == 7)
        for step: SubmissionStep in [.verify, .reopen] {
            cache.forget(after: step, unit: unit, form: "E5", year: 2026)
            try await aggregate()
        }
        #expect(loads.withLock { $0 } == 9)
        cache.hearing(false)
        try await aggregate()
        #expect(loads.withLock { $0 } == 10, "the feed down: computed afresh")
    }
}
