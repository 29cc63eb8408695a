@testable import DRSServer
import DRSOffice
import DRSStorage
import Foundation
import Testing
import Vapor

/// Issue #11, finding 10: forwarded addresses only from trusted proxies, a password policy for real accounts.
@Suite("Request trust and passwords", .serialized)
struct TrustTests {
    @Test func aForwardedForFromAnUntrustedClientIsIgnored() async throws {
        try await TestPlatform.run { app in
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.add(name: "X-Forwarded-For", value: "203.0.113.77")
            _ = try await app.testing().sendRequest(.POST, "/api/v1/session", headers: headers,
                                                    body: ByteBuffer(string: #"{"username":"beijing-data","password":"wrong-password"}"#))
            let failures = try await AuditEvent.query(on: app.db).all().filter { $0.kind == .loginFailed }
            #expect(!failures.isEmpty)
            #expect(failures.allSatisfy { $0.address != "203.0.113.77" })
        }
    }

    @Test func weakPasswordsAreRefusedWhenChanged() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            for weak in ["short1a", "password123456", "Qwertyuiop1", "beijing-data-2026x", "1qaz2wsx3edc"] {
                let reply = try await client.send(.POST, "/api/v1/password", json: #"{"currentPassword":"demo2026","newPassword":"\#(weak)"}"#)
                #expect(reply.status == .unprocessableEntity, "\(weak) accepted")
            }
            let good = try await client.send(.POST, "/api/v1/password", json: #"{"currentPassword":"demo2026","newPassword":"Tea-kettle-river-47"}"#)
            #expect(good.status == .noContent)
        }
    }

    /// Bcrypt at the lowest cost: the accounts' policy is under test, not the hash.
    let hashPassword: OfficeTasks.PasswordHasher = { try Bcrypt.hash($0, cost: 4) }

    @Test func theDemoPasswordIsRefusedForARealAccount() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-users-\(UUID().uuidString).sqlite").path
        defer { SQLiteFileSet.remove(path) }
        await #expect(throws: OfficeTasks.Failure.self) {
            _ = try await OfficeTasks.addUser(storage: .sqliteFile(path), username: "chief", role: "admin",
                                             name: nil, unitCreditCode: nil, region: nil, password: "demo2026", hash: hashPassword)
        }
        await #expect(throws: OfficeTasks.Failure.self) {
            _ = try await OfficeTasks.addUser(storage: .sqliteFile(path), username: "chief", role: "admin",
                                             name: nil, unitCreditCode: nil, region: nil, password: "password2026", hash: hashPassword)
        }
        let initial = try await OfficeTasks.addUser(storage: .sqliteFile(path), username: "chief", role: "admin",
                                                   name: nil, unitCreditCode: nil, region: nil, password: nil, hash: hashPassword)
        #expect(initial.count >= 12)
        // An administrator's reset: the same policy.
        await #expect(throws: OfficeTasks.Failure.self) {
            _ = try await OfficeTasks.resetPassword(storage: .sqliteFile(path), catalogRoot: TestPlatform.catalogRoot, username: "chief", password: "chief-2026-pw",
                                                    hash: hashPassword)
        }
        let reset = try await OfficeTasks.resetPassword(storage: .sqliteFile(path), catalogRoot: TestPlatform.catalogRoot, username: "chief", password: nil,
                                                          hash: hashPassword)
        #expect(PasswordPolicy.problem(reset, username: "chief") == nil)
    }

    @Test func forwardedAddressesAreReadFromTrustedProxiesOnly() {
        let proxies = TrustedProxies(["127.0.0.1", "10.0.0.2"])
        #expect(proxies.clientAddress(peer: "198.51.100.4", forwardedFor: ["203.0.113.7"]) == "198.51.100.4")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"]) == "203.0.113.7")
        // A client's own X-Forwarded-For entry, to the left of what the proxies appended, is not believed.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(TrustedProxies([]).clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.7"]) == "127.0.0.1")
    }

    @Test func cookiesAreSecureAndHSTSIsSentWhenServedOverHTTPS() async throws {
        try await TestPlatform.run(adjust: { $0.hsts = true }) { app in
            var client = Client(app)
            let page = try await client.send(.GET, "/login")
            #expect(page.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
            #expect(page.headers.first(name: .setCookie)?.contains("Secure") == true)     // the login form's token
            let login = try await client.login("beijing-data")
            #expect(login.headers.first(name: .setCookie)?.contains("Secure") == true)
        }
    }

    @Test func withoutHTTPSNeitherIsSent() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            let page = try await client.send(.GET, "/login")
            #expect(page.headers.first(name: "Strict-Transport-Security") == nil)
            let login = try await client.login("beijing-data")
            #expect(login.headers.first(name: .setCookie)?.contains("Secure") == false)
        }
    }
}
