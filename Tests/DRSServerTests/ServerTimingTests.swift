@testable import DRSServer
import Foundation
import Testing

/// `Server-Timing`: the server's milliseconds to a tenth, on every response.
@Suite("Server-Timing")
struct ServerTimingTests {
    @Test func millisecondsAreWrittenToATenthRoundedHalfUp() {
        #expect(ServerTimingMiddleware.value(nanoseconds: 0) == "app;dur=0.0")
        #expect(ServerTimingMiddleware.value(nanoseconds: 49_999) == "app;dur=0.0")
        #expect(ServerTimingMiddleware.value(nanoseconds: 50_000) == "app;dur=0.1")
        #expect(ServerTimingMiddleware.value(nanoseconds: 12_449_999) == "app;dur=12.4")
        #expect(ServerTimingMiddleware.value(nanoseconds: 12_450_000) == "app;dur=12.5")
        #expect(ServerTimingMiddleware.value(nanoseconds: 999_950_000) == "app;dur=1000.0")
        #expect(ServerTimingMiddleware.value(nanoseconds: Int64.max) == "app;dur=9223372036854.8")
        #expect(ServerTimingMiddleware.value(nanoseconds: -5) == "app;dur=0.0")
    }

    @Test func everyResponseCarriesIt() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            for path in ["/healthz", "/login", "/no-such-page"] {
                let reply = try await client.send(.GET, path)
                let value = try #require(reply.headers.first(name: "Server-Timing"), "\(path)")
                #expect(value.wholeMatch(of: /app;dur=[0-9]+\.[0-9]/) != nil, "\(path): \(value)")
            }
        }
    }
}
