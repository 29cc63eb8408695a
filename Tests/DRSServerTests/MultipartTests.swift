@testable import DRSServer
import Foundation
import Testing
import Vapor

/// Issue #11, finding 1: a 55-byte anonymous multipart body used to kill the process (multipart-kit
/// indexes a 128-entry table with each part-header byte). Routes that take no files refuse multipart
/// outright; the one route that takes files checks the part headers before multipart-kit sees them.
@Suite("Multipart bodies", .serialized)
struct MultipartTests {
    /// `--b`, a part header whose name holds the byte 0xFF, a body, the closing boundary.
    static let hostileBody: ByteBuffer = {
        var bytes = Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n".utf8)
        bytes += [0xFF, 0x80] + Array(": y\r\n\r\nx\r\n--b--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }()

    static func multipart(_ client: inout Client, _ method: HTTPMethod, _ path: String) async throws -> Client.Reply {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=b")
        if let cookie = client.cookie { headers.add(name: .cookie, value: "drs-session=\(cookie)") }
        if let csrf = client.csrf { headers.add(name: "X-CSRF-Token", value: csrf) }
        let response = try await client.app.testing().sendRequest(method, path, headers: headers, body: hostileBody)
        return Client.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    @Test func anAnonymousMultipartLoginIsRefusedAndTheServerLives() async throws {
        try await TestPlatform.run { app in
            var anonymous = Client(app)
            let api = try await Self.multipart(&anonymous, .POST, "/api/v1/session")
            #expect(api.status == .unsupportedMediaType)
            #expect(api.errorCode == "unsupported_media_type")
            let page = try await Self.multipart(&anonymous, .POST, "/login")
            #expect(page.status == .unsupportedMediaType || page.status == .forbidden)
            #expect(try await anonymous.send(.GET, "/healthz").status == .ok)
        }
    }

    @Test func routesThatTakeNoFilesRefuseMultipart() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let save = try await Self.multipart(&client, .PUT, client.submissionPath("P2"))
            #expect(save.status == .unsupportedMediaType)
            let password = try await Self.multipart(&client, .POST, "/api/v1/password")
            #expect(password.status == .unsupportedMediaType)
        }
    }

    @Test func theImportRouteRefusesABadPartHeaderInsteadOfCrashing() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let reply = try await Self.multipart(&admin, .POST, "/api/v1/import/jobs")
            #expect(reply.status == .badRequest)
            #expect(try await admin.send(.GET, "/healthz").status == .ok)
        }
    }

    @Test func theHeaderCheckFindsHighBytesInNamesOnly() {
        let good = Array("preamble\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"北京.xlsx\"\r\n\r\n\u{ff}\u{80}body\r\n--b--\r\n".utf8)
        #expect(MultipartHeaderCheck.headerNamesAreASCII(good, boundary: Array("b".utf8)))
        #expect(!MultipartHeaderCheck.headerNamesAreASCII(Array(Self.hostileBody.readableBytesView), boundary: Array("b".utf8)))
        var second = Array("--b\r\nA: 1\r\n\r\nx\r\n--b\r\nB: 2\r\n".utf8)
        second += [0xC3, 0xA9] + Array(": 3\r\n\r\ny\r\n--b--".utf8)
        #expect(!MultipartHeaderCheck.headerNamesAreASCII(second, boundary: Array("b".utf8)))
    }
}
