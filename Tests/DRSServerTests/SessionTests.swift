@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// Issue #11, finding 8: sessions expire on the server, are renewed at login, end on a password
/// change, and anonymous pages store none.
@Suite("Sessions", .serialized)
struct SessionTests {
    static func sessionRows(_ app: Application) async throws -> Int {
        try await SessionRecord.query(on: app.db).count()
    }

    @Test func anonymousPagesStoreNoSession() async throws {
        try await TestPlatform.run { app in
            let before = try await Self.sessionRows(app)
            for _ in 0..<5 {
                var anonymous = Client(app)
                #expect(try await anonymous.send(.GET, "/login").status == .ok)
            }
            // A stale cookie does not make a row either.
            var stale = Client(app)
            stale.cookie = "no-such-session"
            #expect(try await stale.send(.GET, "/login").status == .ok)
            #expect(try await Self.sessionRows(app) == before)
        }
    }

    @Test func theLoginFormNeedsItsToken() async throws {
        try await TestPlatform.run { app in
            var forged = Client(app)
            let reply = try await forged.send(.POST, "/login", json: "username=beijing-data&password=demo2026", contentType: .urlEncodedForm)
            #expect(reply.status == .forbidden)
            #expect(forged.cookie == nil)
        }
    }

    @Test func aPasswordChangeEndsTheOtherSessions() async throws {
        try await TestPlatform.run { app in
            var laptop = Client(app), phone = Client(app)
            try await laptop.login("beijing-data")
            try await phone.login("beijing-data")
            let oldCookie = laptop.cookie
            let changed = try await laptop.send(.POST, "/api/v1/password", json: #"{"currentPassword":"demo2026","newPassword":"Tea-kettle-river-47"}"#)
            #expect(changed.status == .noContent)
            #expect(try await phone.send(.GET, "/api/v1/me").status == .unauthorized)
            // The one that changed it goes on, under a new session id.
            #expect(try await laptop.send(.GET, "/api/v1/me").status == .ok)
            #expect(laptop.cookie != oldCookie)
            var replay = Client(app)
            replay.cookie = oldCookie
            #expect(try await replay.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func sessionsEndWhenIdle() async throws {
        let clock = TestClock()
        try await TestPlatform.run(adjust: { $0.clock = { clock.now } }) { app in
            var client = Client(app)
            try await client.login("beijing-data")
            clock.advance(3500)
            #expect(try await client.send(.GET, "/api/v1/me").status == .ok)   // in use: the idle time starts again
            clock.advance(3500)
            #expect(try await client.send(.GET, "/api/v1/me").status == .ok)
            clock.advance(3601)
            #expect(try await client.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    /// A kept session is answered from memory until its touch is due (`DatabaseSessions.kept`), and then
    /// read and noted in use (`read`): both ask the policy the same question.
    @Test func aSessionInUseIsNotedOncePerTouchInterval() {
        let policy = SessionPolicy(idle: 3600, lifetime: 12 * 3600)
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(policy.touchEvery == 60)
        #expect(!policy.isDueForTouch(lastSeen: 1_000_000 - 59.5, now: now))
        #expect(policy.isDueForTouch(lastSeen: 1_000_000 - 60, now: now))
        #expect(!policy.isDueForTouch(lastSeen: nil, now: now))
        #expect(SessionPolicy(idle: 300).touchEvery == 30)
    }

    @Test func sessionsEndAfterTheirLifetimeEvenWhenInUse() async throws {
        let clock = TestClock()
        try await TestPlatform.run(adjust: { $0.clock = { clock.now }; $0.sessionLifetime = 7200 }) { app in
            var client = Client(app)
            try await client.login("beijing-data")
            for _ in 0..<2 {
                clock.advance(3000)
                #expect(try await client.send(.GET, "/api/v1/me").status == .ok)
            }
            clock.advance(3000)
            #expect(try await client.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func loginGivesANewSessionAndPurgesExpiredOnes() async throws {
        let clock = TestClock()
        try await TestPlatform.run(adjust: { $0.clock = { clock.now } }) { app in
            var early = Client(app)
            try await early.login("shanghai-data")
            let before = try await Self.sessionRows(app)
            clock.advance(3700)
            var client = Client(app)
            client.cookie = early.cookie          // a session id handed in is never kept at login
            try await client.login("beijing-data")
            #expect(client.cookie != early.cookie)
            #expect(try await Self.sessionRows(app) == before)   // the expired one went, the new one came
            #expect(try await early.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func theLoginFormWorksWithItsToken() async throws {
        try await TestPlatform.run { app in
            let before = try await Self.sessionRows(app)
            var browser = try await PagesTests.browserLogin(app, "beijing-data")
            #expect(try await browser.send(.GET, "/api/v1/me").status == .ok)
            #expect(try await Self.sessionRows(app) == before + 1)
        }
    }
}
