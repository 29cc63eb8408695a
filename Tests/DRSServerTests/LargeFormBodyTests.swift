@testable import DRSServer
import Foundation
import Testing
import Vapor

/// A page's form whose body is larger than the server's first read of the connection (2 kB, head
/// included) reaches the server in parts: the body comes after the head. A browser sends it that
/// way (Chromium merges head and body only up to 1,400 bytes), so ticking 40 units on 报送进度 or
/// 40 forms in a review queue makes such a form.
@Suite("Form bodies that arrive after their head")
struct LargeFormBodyTests {
    static func ticked(_ count: Int) -> [String] {
        (0..<count).map { _ in "units%5B%5D=\(UUID().uuidString)" }
    }

    @Test func aFormsTokenIsReadFromABodyThatArrivesAfterItsHead() async throws {
        try await TestPlatform.run { app in
            var admin = try await PagesTests.browserLogin(app, "admin")
            let token = try #require(admin.csrf)
            // 2,000 units ticked (about 90 kB), `_csrf` first as the page's form lists it.
            let body = (["_csrf=\(token)"] + Self.ticked(2000)).joined(separator: "&")
            let confirm = try await admin.send(.POST, "/progress/reminders?year=2026", json: body, csrf: false,
                                               contentType: .urlEncodedForm, overTheNetwork: true)
            #expect(confirm.status == .ok, "\(confirm.status): \(confirm.text.prefix(300))")
            #expect(confirm.text.contains("没有选中需要催报的单位"), "the route read the ticked units (none of them owes)")

            // The token is still checked: another one is refused.
            let forged = (["_csrf=\(String(token.reversed()))"] + Self.ticked(2000)).joined(separator: "&")
            let refused = try await admin.send(.POST, "/progress/reminders?year=2026", json: forged, csrf: false,
                                               contentType: .urlEncodedForm, overTheNetwork: true)
            #expect(refused.status == .forbidden)

            // Bounded: a form beyond the routes' limit (1 MB) is refused as too large, not read whole.
            let huge = (["_csrf=\(token)"] + Self.ticked(30_000)).joined(separator: "&")
            let tooLarge = try await admin.send(.POST, "/progress/reminders?year=2026", json: huge, csrf: false,
                                                contentType: .urlEncodedForm, overTheNetwork: true)
            #expect(tooLarge.status == .payloadTooLarge)
        }
    }
}
