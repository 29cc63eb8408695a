import Foundation
import Testing
import Vapor

@Suite("Nobody let in", .serialized)
struct AccessTests {
    @Test func everyRouteHasAnAccessRule() async throws {
        try await TestPlatform.run { app in
            #expect(app.routes.all.count > 20)
            for route in app.routes.all {
                #expect(route.userInfo["access"] != nil, "route \(route.method) /\(route.path.map(\.description).joined(separator: "/")) has no access rule")
            }
        }
    }

    @Test func aRespondentCannotTouchAnotherUnit() async throws {
        try await TestPlatform.run { app in
            var shanghai = Client(app)
            try await shanghai.login("shanghai-data")
            let other = shanghai.unitID!
            var beijing = Client(app)
            try await beijing.login("beijing-data")
            let path = beijing.submissionPath("P2", unit: other)
            let attempts: [(HTTPMethod, String, String?)] = [
                (.GET, path, nil), (.PUT, path, #"{"version":0,"values":{"01":{"cum":"1"}}}"#), (.POST, path + "/check", #"{"values":{}}"#),
                (.POST, path + "/submit", #"{"version":0}"#), (.GET, path + "/history", nil), (.GET, "/api/v1/units/\(other)/forms/2026", nil),
                (.GET, "/units/\(other)/2026/P2", nil), (.GET, "/units/\(other)/2026/P2/print", nil), (.GET, "/units/\(other)/2026/P2/history", nil),
            ]
            for (method, url, body) in attempts {
                let reply = try await beijing.send(method, url, json: body)
                #expect([.notFound, .forbidden].contains(reply.status), "\(method) \(url) → \(reply.status)")
            }
            // Admin-only routes.
            for (method, url) in [(HTTPMethod.GET, "/api/v1/units"), (.GET, "/api/v1/audit")] {
                #expect(try await beijing.send(method, url).status == .forbidden)
            }
            // Shanghai's form is untouched.
            let own = try await shanghai.send(.GET, shanghai.submissionPath("P2")).json["submission"] as! [String: Any]
            #expect(own["version"] as? Int == 0)
        }
    }

    @Test func aProvincialReviewerSeesOnlyTheProvinceAndWritesNothing() async throws {
        try await TestPlatform.run { app in
            var beijing = Client(app), shanghai = Client(app), reviewer = Client(app)
            try await beijing.login("beijing-data")
            try await shanghai.login("shanghai-data")
            try await reviewer.login("review-beijing")
            #expect(try await reviewer.send(.GET, beijing.submissionPath("P2")).status == .ok)
            #expect(try await reviewer.send(.GET, shanghai.submissionPath("P2")).status == .notFound)
            #expect(try await reviewer.send(.PUT, beijing.submissionPath("P2"), json: #"{"version":0,"values":{}}"#).status == .notFound)
        }
    }

    @Test func withoutASessionNothingButLoginWorks() async throws {
        try await TestPlatform.run { app in
            var anonymous = Client(app)
            #expect(try await anonymous.send(.GET, "/api/v1/my/forms").status == .unauthorized)
            #expect(try await anonymous.send(.GET, "/api/v1/units").status == .unauthorized)
            #expect(try await anonymous.send(.GET, "/healthz").status == .ok)
            let page = try await anonymous.send(.GET, "/")
            #expect(page.status == .seeOther || page.status == .found || page.status == .unauthorized)
        }
    }

    @Test func stateChangesNeedTheCSRFToken() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let reply = try await client.send(.PUT, client.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"1"}}}"#, csrf: false)
            #expect(reply.status == .forbidden)
            #expect(reply.errorCode == "csrf")
            #expect(try await client.send(.GET, client.submissionPath("P2")).json["submission"].map { ($0 as! [String: Any])["version"] as? Int } == 0)
        }
    }

    @Test func repeatedFailedLoginsLockTheAccount() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            for _ in 0..<5 { #expect(try await client.login("beijing-data", "wrong-password").status == .unauthorized) }
            let locked = try await client.login("beijing-data")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorMessage?.contains("锁定") == true)
            var admin = Client(app)
            try await admin.login("admin")
            let audit = try await admin.send(.GET, "/api/v1/audit?kind=loginFailed").json["events"] as! [[String: Any]]
            #expect(audit.count >= 5)
        }
    }

    @Test func securityHeadersAreSent() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            let page = try await client.send(.GET, "/login")
            #expect(page.status == .ok)
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(page.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(page.headers.first(name: "X-Content-Type-Options") == "nosniff")
            var fresh = Client(app)
            let cookie = try await fresh.login("beijing-data").headers.first(name: .setCookie) ?? ""
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
    }
}
