@testable import DRSBench
import Foundation
import Synchronization
import Testing
import Vapor

/// `drs bench deadline` logs a thousand filers in at its start; a server whose password checks are all
/// taken answers 429 with `Retry-After`. The bench waits as asked and goes on (CI once failed when it
/// took the first 429 for a wrong password).
@Suite("The bench's log-in waits when the server is busy", .serialized)
struct BenchLoginTests {
    /// How often the log-in was asked for.
    final class Asked: Sendable { let count = Mutex(0) }

    /// A server that answers the log-in 429 (`Retry-After: 1`) `busyTimes` times, then as `finally`.
    static func withServer(busyTimes: Int, finally status: HTTPStatus, _ test: (String, Asked) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        let asked = Asked()
        app.http.server.configuration.port = 0
        app.post("api", "v1", "session") { _ -> Response in
            let n = asked.count.withLock { $0 += 1; return $0 }
            if n <= busyTimes {
                let response = Response(status: .tooManyRequests)
                response.headers.replaceOrAdd(name: "Retry-After", value: "1")
                return response
            }
            let response = Response(status: status, body: .init(string: #"{"csrfToken":"token-1"}"#))
            response.headers.replaceOrAdd(name: "Set-Cookie", value: "drs-session=abc; Path=/; HttpOnly")
            return response
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = try #require(app.http.server.shared.localAddress?.port)
        do {
            try await test("http://127.0.0.1:\(port)", asked)
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    @Test func aBusyServerIsAskedAgainAfterItsRetryAfter() async throws {
        try await Self.withServer(busyTimes: 2, finally: .ok) { base, asked in
            let client = DeadlineClient.make(connections: 2)
            let started = ContinuousClock.now
            let session: DeadlineClient.Session?
            do { session = try await client.login(base: base, username: "deadline-7", password: "x") } catch {
                Issue.record("\(error)")
                session = nil
            }
            await client.shutdown()   // before any failure stops the test: a client left open stops the process
            #expect(session?.cookie == "drs-session=abc" && session?.csrf == "token-1")
            #expect(asked.count.withLock { $0 } == 3)
            #expect(ContinuousClock.now - started >= .seconds(2), "it waited Retry-After each time")
        }
    }

    @Test func aWrongPasswordIsSaidSoAtOnce() async throws {
        try await Self.withServer(busyTimes: 0, finally: .unauthorized) { base, asked in
            let client = DeadlineClient.make(connections: 2)
            await #expect(throws: DeadlineError.self) { try await client.login(base: base, username: "deadline-7", password: "x") }
            await client.shutdown()
            #expect(asked.count.withLock { $0 } == 1)
        }
    }

    @Test func retryAfterIsBounded() {
        var headers = HTTPHeaders()
        #expect(DeadlineClient.retryAfter(headers) == 1)
        headers.replaceOrAdd(name: "Retry-After", value: "7")
        #expect(DeadlineClient.retryAfter(headers) == 7)
        headers.replaceOrAdd(name: "Retry-After", value: "3600")
        #expect(DeadlineClient.retryAfter(headers) == 30)
        headers.replaceOrAdd(name: "Retry-After", value: "Wed, 21 Oct 2026 07:28:00 GMT")
        #expect(DeadlineClient.retryAfter(headers) == 1)
    }
}
