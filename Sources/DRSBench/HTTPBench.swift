import AsyncHTTPClient
import DRSCatalog
import DRSCore
import DRSDemo
import DRSServer
import DRSStorage
import Fluent
import Foundation
import NIOCore
import Vapor

/// `drs bench http`: the platform under load on loopback. A server is started in this process on a
/// fresh SQLite file; `connections` filers, each with their own unit, save drafts as fast as the
/// server answers (every save is a real versioned, audited transaction with its checks), then load
/// the form page. Client and server share the machine's cores.
public enum HTTPBench {
    /// With `holdFile`, the server is prepared and started, the sessions written to that file (one line
    /// per connection: cookie, CSRF token, save path), and kept serving for an external load generator
    /// (tools/bench/http-wrk.sh) instead of the in-process client, for `seconds` or until the file is
    /// removed; then it stops and deletes its database.
    public static func run(connections: Int, seconds: Double, port: Int, catalogRoot: URL, holdFile: String? = nil) async throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("drs-bench-\(UUID().uuidString).sqlite").path
        defer { SQLiteFileSet.remove(path) }
        let app = try await Application.make(.init(name: "production", arguments: ["drs"]))
        app.logger.logLevel = .error
        do {
            try await configure(app, ServerOptions(storage: .sqliteFile(path), catalogRoot: catalogRoot, passwordCost: 4))
            let target = Target(base: "http://127.0.0.1:\(port)", year: app.surveyYear, form: try benchForm(catalogRoot: catalogRoot))
            let units = try await createFilers(connections, app: app)
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            var config = HTTPClient.Configuration()
            config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
            let lines: [String]
            do {
                lines = try await drive(client: client, target: target, units: units, seconds: seconds, holdFile: holdFile)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            await app.server.shutdown()
            try await app.asyncShutdown()
            return lines
        } catch {
            await app.server.shutdown()
            try? await app.asyncShutdown()
            throw error
        }
    }

    typealias Session = (cookie: String, csrf: String, unit: UUID)

    /// Where the load goes: the server, the data year, and the form the filers save.
    struct Target: Sendable {
        var base: String
        var year: Int
        var form: String
    }

    /// The form a 省级数据管理部门 files first (公共2表 in the 2026 edition; the save bodies name its rows 01–05).
    static func benchForm(catalogRoot: URL) throws -> String {
        let catalog = try CatalogLoader.load(root: catalogRoot)
        let filed = catalog.survey.respondentType("provincialDataDept")?.forms ?? []
        guard let form = catalog.forms.first(where: { $0.kind == .indicators && filed.contains($0.id) }) else {
            throw Abort(.internalServerError, reason: "the catalog has no indicators form for provincialDataDept")
        }
        return form.id
    }

    /// One unit and one filer account per connection.
    static func createFilers(_ connections: Int, app: Application) async throws -> [UUID] {
        let hash = try await app.password.async.hash("bench2026")
        var units: [UUID] = []
        for i in 0..<connections {
            let unit = SurveyUnit(creditCode: DemoData.creditCode(1000 + i, region: "110000"), name: "压测单位\(i)", regionCode: "110000",
                                  types: ["provincialDataDept"])
            try await unit.create(on: app.db)
            try await UserAccount(username: "bench-\(i)", displayName: "压测\(i)", passwordHash: hash, role: .respondent,
                                  unitID: unit.id, mustChangePassword: false).create(on: app.db)
            units.append(try unit.requireID())
        }
        return units
    }

    /// Logs every filer in, warms up, then either hands the sessions to an external load generator
    /// (`holdFile`) or measures draft saves and form pages in-process.
    static func drive(client: HTTPClient, target: Target, units: [UUID], seconds: Double, holdFile: String?) async throws -> [String] {
        let sessions = try await login(client: client, base: target.base, units: units)
        let versions = try await warmUp(client: client, target: target, sessions: sessions)
        if let holdFile {
            try await hold(holdFile, target: target, sessions: sessions, versions: versions, seconds: seconds)
            return []
        }
        let save = try await measure("http-draft-save", client: client, sessions: sessions, versions: versions, seconds: seconds) { s, n, version in
            let v = 1000 + n
            return saveRequest(target, session: s,
                               body: #"{"version":\#(version),"values":{"01":{"cum":"\#(v + 300)","cur":"\#(v)"},"02":{"cum":"\#(v)"},"03":{"cum":"300"},"05":{"cum":"\#(v)"}}}"#)
        }
        let page = try await measure("http-form-page", client: client, sessions: sessions, versions: versions, seconds: seconds) { s, _, _ in
            var request = HTTPClientRequest(url: "\(target.base)/units/\(s.unit.uuidString)/\(target.year)/\(target.form)")
            request.headers.add(name: "Cookie", value: s.cookie)
            return request
        }
        return [save, page]
    }

    static func login(client: HTTPClient, base: String, units: [UUID]) async throws -> [Session] {
        var sessions: [Session] = []
        for (i, unit) in units.enumerated() {
            var request = HTTPClientRequest(url: base + "/api/v1/session")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"username":"bench-\#(i)","password":"bench2026"}"#))
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            let json = try JSONValue.parse(bytes: Array(body.readableBytesView))
            let cookie = response.headers["set-cookie"].first?.split(separator: ";").first.map(String.init) ?? ""
            sessions.append((cookie, json["csrfToken"]?.stringValue ?? "", unit))
        }
        return sessions
    }

    /// Each filer's first save creates the submission and fills the instance's caches (last year's
    /// figures, the submission's id); the measurement is of the steady state after.
    static func warmUp(client: HTTPClient, target: Target, sessions: [Session]) async throws -> [Int] {
        var versions: [Int] = []
        for session in sessions {
            let request = saveRequest(target, session: session, body: #"{"version":0,"values":{"01":{"cum":"1"}}}"#)
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status == .ok, case .number(let v)? = (try? JSONValue.parse(bytes: Array(body.readableBytesView)))?["version"] else {
                throw Abort(.internalServerError, reason: "warm-up save refused: \(response.status)")
            }
            versions.append(Int(v) ?? 0)
        }
        return versions
    }

    /// Writes the sessions for tools/bench/http-wrk.sh and serves until the time is up or the file is removed.
    static func hold(_ holdFile: String, target: Target, sessions: [Session], versions: [Int], seconds: Double) async throws {
        let text = zip(sessions, versions).map { s, v in
            "\(s.cookie)\t\(s.csrf)\t/api/v1/units/\(s.unit.uuidString)/submissions/\(target.year)/\(target.form)\t\(v)"
        }.joined(separator: "\n") + "\n"
        try text.write(toFile: holdFile, atomically: true, encoding: .utf8)
        print("ready: \(sessions.count) sessions in \(holdFile); serving for \(Int(seconds)) s or until that file is removed")
        let until = Date().addingTimeInterval(seconds)
        while Date() < until, FileManager.default.fileExists(atPath: holdFile) { try await Task.sleep(for: .milliseconds(200)) }
    }

    /// A filer's draft save of the bench form.
    static func saveRequest(_ target: Target, session: Session, body: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "\(target.base)/api/v1/units/\(session.unit.uuidString)/submissions/\(target.year)/\(target.form)")
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Cookie", value: session.cookie)
        request.headers.add(name: "X-CSRF-Token", value: session.csrf)
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    /// Each session loops until time is up, one request at a time; saves track their version.
    static func measure(_ name: String, client: HTTPClient, sessions: [(cookie: String, csrf: String, unit: UUID)], versions: [Int], seconds: Double,
                        make: @escaping @Sendable ((cookie: String, csrf: String, unit: UUID), Int, Int) -> HTTPClientRequest) async throws -> String {
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(seconds * 1000))
        let started = clock.now
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for (s, initial) in zip(sessions, versions) {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0, version = initial, n = 0
                    while clock.now < end {
                        let t0 = clock.now
                        let response = try await client.execute(make(s, n, version), timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 8 << 20)
                        let elapsed = clock.now - t0
                        latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                        if response.status == .ok {
                            if case .number(let v)? = (try? JSONValue.parse(bytes: Array(body.readableBytesView)))?["version"] { version = Int(v) ?? version }
                        } else {
                            failures += 1
                        }
                        n += 1
                    }
                    return (latencies, failures)
                }
            }
            var all: [Double] = [], failures = 0
            for try await (l, f) in group { all += l; failures += f }
            return (all.sorted(), failures)
        }
        let elapsed = clock.now - started
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let latencies = results.0
        func pct(_ p: Double) -> String { latencies.isEmpty ? "0" : String(format: "%.2f", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) }
        return JSONValue.object([
            ("bench", .string(name)), ("connections", .int(sessions.count)), ("requests", .int(latencies.count)),
            ("failures", .int(results.1)), ("per_s", .int(Int(Double(latencies.count) / total))),
            ("p50_ms", .number(pct(0.5))), ("p99_ms", .number(pct(0.99))), ("database", .string("sqlite")),
        ]).serialized()
    }
}
