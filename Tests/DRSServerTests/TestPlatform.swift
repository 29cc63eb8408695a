import DRSServer
import DRSStorage
import Foundation
import Testing
import Vapor
import VaporTesting

/// A platform with the demo data, on a database of the test's own (`TestDatabase`): a fresh SQLite
/// file, or a new database on the PostgreSQL server `DRS_TEST_DATABASE` names, so the same suite
/// proves both.
enum TestPlatform {
    static let catalogRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("catalog")
    }()

    /// 2026-11-22: collecting data year 2026; 2025's verified figures are last year's.
    static let today = Date(timeIntervalSince1970: 1_795_305_600)

    /// A storage session without the server, on a database of its own: for tests of the store itself.
    static func withSession(_ test: (StorageSession) async throws -> Void) async throws {
        try await TestDatabase.with { storage in try await StorageSession.with(storage, test) }
    }

    static func run(_ test: (Application) async throws -> Void) async throws {
        try await TestDatabase.with { storage in try await run(storage: storage, test) }
    }

    /// The platform without the demo data, on a database of its own: for a test that loads its own
    /// (a synthetic nation).
    static func runEmpty(_ test: (Application) async throws -> Void) async throws {
        try await TestDatabase.with { storage in
            try await withApp(configure: { app in
                try await configure(app, ServerOptions(storage: storage, catalogRoot: catalogRoot, demo: false, today: { today }, passwordCost: 4))
            }, test)
        }
    }

    /// The platform on a database the caller made (`TestDatabase.with`), and may run it on again:
    /// the demo data is loaded into an empty one, and what is there already is kept.
    static func run(storage: StorageLocation, _ test: (Application) async throws -> Void) async throws {
        try await withApp(configure: { app in
            try await configure(app, ServerOptions(storage: storage, catalogRoot: catalogRoot, demo: true, today: { today }, passwordCost: 4))
        }, test)
    }
}

/// A logged-in browser-like client: keeps the session cookie and sends the CSRF token.
struct Client {
    let app: Application
    var cookie: String?
    /// The anonymous pages' CSRF cookie (`drs-csrf`, double submit), kept like a browser keeps it.
    var csrfCookie: String?
    var csrf: String?
    var unitID: String?

    init(_ app: Application) { self.app = app }

    struct Reply {
        var status: HTTPStatus
        var headers: HTTPHeaders
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
    }

    @discardableResult
    mutating func login(_ username: String, _ password: String = "demo2026") async throws -> Reply {
        let reply = try await send(.POST, "/api/v1/session", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        if reply.status == .ok {
            csrf = reply.json["csrfToken"] as? String
            unitID = (reply.json["unit"] as? [String: Any])?["id"] as? String
        }
        return reply
    }

    /// `overTheNetwork` sends the request to the server listening on a port, as a browser does: a body
    /// larger than the server's first read then arrives after the request's head (in memory, the
    /// whole body always comes with it).
    mutating func send(_ method: HTTPMethod, _ path: String, json: String? = nil, raw: ByteBuffer? = nil,
                       csrf sendToken: Bool = true, contentType: HTTPMediaType = .json, overTheNetwork: Bool = false) async throws -> Reply {
        var headers = HTTPHeaders()
        let cookies = [cookie.map { "drs-session=\($0)" }, csrfCookie.map { "drs-csrf=\($0)" }].compactMap { $0 }
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookies.joined(separator: "; ")) }
        if sendToken, let csrf { headers.add(name: "X-CSRF-Token", value: csrf) }
        var body = raw
        if let json {
            headers.contentType = contentType
            body = ByteBuffer(string: json)
        }
        let tester = overTheNetwork ? try app.testing(method: .running(port: 0)) : try app.testing()
        let response = try await tester.sendRequest(method, path, headers: headers, body: body)
        if let set = response.headers.setCookie?["drs-session"] { cookie = set.string }
        if let set = response.headers.setCookie?["drs-csrf"] { csrfCookie = set.string }
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func submissionPath(_ form: String, year: Int = 2026, unit: String? = nil) -> String {
        "/api/v1/units/\(unit ?? unitID!)/submissions/\(year)/\(form)"
    }
}
