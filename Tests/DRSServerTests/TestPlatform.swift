import DRSServer
import DRSStorage
import Foundation
import Testing
import Vapor
import VaporTesting

/// A platform with the demo data, on a fresh SQLite file — or, when `DRS_TEST_DATABASE` names a
/// PostgreSQL server, on that (reset first), so the same suite proves both.
enum TestPlatform {
    static let catalogRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("catalog")
    }()

    /// 2026-11-22: collecting data year 2026; 2025's verified figures are last year's.
    static let today = Date(timeIntervalSince1970: 1_795_305_600)

    static func storage() -> StorageLocation {
        if let url = ProcessInfo.processInfo.environment["DRS_TEST_DATABASE"], !url.isEmpty { return .postgres(url) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-test-\(UUID().uuidString).sqlite").path
        return .sqliteFile(path)
    }

    /// A storage session without the server, on the test database (a fresh SQLite file removed
    /// afterwards, or `DRS_TEST_DATABASE`'s server): for tests of the store itself.
    static func withSession(_ test: (StorageSession) async throws -> Void) async throws {
        let storage = storage()
        defer {
            if case .sqliteFile(let path) = storage {
                for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        }
        try await StorageSession.with(storage, test)
    }

    static func run(_ test: (Application) async throws -> Void) async throws {
        let storage = storage()
        try await run(storage: storage, test)
        if case .sqliteFile(let path) = storage {
            for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// The platform without the demo data, on a fresh database removed afterwards: for a test that
    /// loads its own (a synthetic nation).
    static func runEmpty(_ test: (Application) async throws -> Void) async throws {
        let storage = storage()
        try await withApp(configure: { app in
            var options = ServerOptions(storage: storage, catalogRoot: catalogRoot, demo: false, today: { today }, passwordCost: 4)
            options.resetDatabase = !storage.isSQLite
            try await configure(app, options)
        }, test)
        if case .sqliteFile(let path) = storage {
            for suffix in ["", "-wal", "-shm", ".lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// The platform on a database the caller keeps (and removes) after the server has stopped.
    /// PostgreSQL is emptied first unless `keepingData` (a database a test has just filled).
    static func run(storage: StorageLocation, keepingData: Bool = false, _ test: (Application) async throws -> Void) async throws {
        try await withApp(configure: { app in
            var options = ServerOptions(storage: storage, catalogRoot: catalogRoot, demo: true, today: { today }, passwordCost: 4)
            options.resetDatabase = !storage.isSQLite && !keepingData
            try await configure(app, options)
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
