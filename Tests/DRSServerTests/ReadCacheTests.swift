@testable import DRSServer
import DRSStorage
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
}
