@testable import DRSServer
import DRSStorage
import Foundation
import Testing
import Vapor
import VaporTesting

/// A clock the test moves (sessions, login throttling).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_795_305_600)

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

extension TestPlatform {
    /// `run`, with options of the test's choosing (clock, cookies, proxies…).
    static func run(adjust: @escaping @Sendable (inout ServerOptions) -> Void, _ test: (Application) async throws -> Void) async throws {
        try await TestDatabase.with { storage in
            try await withApp(configure: { app in
                var options = ServerOptions(storage: storage, catalogRoot: catalogRoot, demo: true, today: { today }, passwordCost: 4)
                adjust(&options)
                try await configure(app, options)
            }, test)
        }
    }
}
