@testable import DRSStorage
import DRSServer
import Foundation
import Testing
import Vapor

/// What the SQLite deployment relies on: one server per database file, and audit lines whose ids
/// grow with time (so the hot path appends to its index).
@Suite("SQLite: one server per file")
struct SQLiteServerTests {
    @Test func aSecondServerOnTheSameFileIsRefusedUntilTheFirstStops() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-lock-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
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
}
