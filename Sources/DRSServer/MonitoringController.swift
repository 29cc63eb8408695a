import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import NIOCore
import Prometheus
import SQLKit
import Vapor

/// What an operator's monitoring reads (docs/operator-guide.md, "Monitoring"):
/// - `GET /healthz`: the process answers (liveness; nothing else is touched).
/// - `GET /readyz`: the database answers a query within two seconds, so a load balancer may send
///   requests here (readiness); 503 otherwise.
/// - `GET /metrics`: Prometheus's text format (`ServerMetrics`); only for the monitoring system
///   (`AccessRule.monitoring`: a bearer token when one is configured, else direct local requests).
struct MonitoringController {
    func register(_ app: Application) throws {
        app.routes.secure(.GET, "healthz", access: .open) { _ in "ok" }
        app.routes.secure(.GET, "readyz", access: .open) { req async throws -> Response in
            let started = NIODeadline.now()
            do {
                try await Self.ping(req.db, within: .seconds(2))
            } catch {
                req.logger.warning("readiness: the database did not answer", metadata: ["error": "\(error)"])
                return Self.text(.serviceUnavailable, "unavailable: database\n")
            }
            let milliseconds = Double((NIODeadline.now() - started).nanoseconds) / 1_000_000
            return Self.text(.ok, "ready: database \(String(format: "%.1f", milliseconds)) ms\n")
        }
        app.routes.secure(.GET, "metrics", access: .monitoring) { req async throws -> Response in
            let scraped = await Self.readGauges(req)
            let response = Self.text(.ok, ServerMetrics.registry.emitToString() + scraped.emitToString())
            response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return response
        }
    }

    static func text(_ status: HTTPResponseStatus, _ body: String) -> Response {
        let response = Response(status: status, body: .init(string: body))
        response.headers.contentType = .plainText
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// `SELECT 1`, failed if it takes longer than `limit` (a pool with no free connection, a server gone).
    static func ping(_ db: any Database, within limit: Duration) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await sql.raw("SELECT 1 AS one").first() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw PingTimeout()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    struct PingTimeout: Error {}

    /// The gauges that are read, not counted: submissions by status this survey year, import jobs, 催报 runs,
    /// the database pool, the process's memory; in a registry of this scrape's own.
    static func readGauges(_ req: Request) async -> PrometheusCollectorRegistry {
        let scraped = PrometheusCollectorRegistry()
        let platform = req.platform
        let started = NIODeadline.now()
        if let sql = req.db as? any SQLDatabase {
            var byStatus = Dictionary(uniqueKeysWithValues: SubmissionStatus.allCases.map { ($0.rawValue, 0) })
            let totals = (try? await platform.store(req.db).statusTotals(year: platform.surveyYear)) ?? [:]
            byStatus.merge(totals) { _, counted in counted }
            for (status, n) in byStatus {
                ServerMetrics.gauge(.submissions, [("year", String(platform.surveyYear)), ("status", status)], Double(n), into: scraped)
            }
            if sql.dialect.name != "sqlite" { await readConnections(sql, into: scraped) }
        }
        ServerMetrics.gauge(.databaseQuerySeconds, Double((NIODeadline.now() - started).nanoseconds) / 1e9, into: scraped)
        let pool = (req.application.storage[MonitoringSettingsKey.self]?.connectionsPerEventLoop ?? 1) * System.coreCount
        ServerMetrics.gauge(.poolConnectionsMax, Double(pool), into: scraped)
        let imports = (try? await ImportJobStore(database: req.db, gate: platform.gate).openProgress()) ?? (running: 0, filesDone: 0, filesTotal: 0)
        ServerMetrics.gauge(.importJobsRunning, Double(imports.running), into: scraped)
        ServerMetrics.gauge(.importFiles, [("state", "done")], Double(imports.filesDone), into: scraped)
        ServerMetrics.gauge(.importFiles, [("state", "total")], Double(imports.filesTotal), into: scraped)
        let reminders = (try? await ReminderRunStore(database: req.db, gate: platform.gate).openProgress()) ?? (running: 0, unitsDone: 0, unitsTotal: 0)
        ServerMetrics.gauge(.reminderRunsRunning, Double(reminders.running), into: scraped)
        ServerMetrics.gauge(.reminderUnits, [("state", "done")], Double(reminders.unitsDone), into: scraped)
        ServerMetrics.gauge(.reminderUnits, [("state", "total")], Double(reminders.unitsTotal), into: scraped)
        if let memory = ServerMetrics.residentMemoryBytes() { ServerMetrics.gauge(.residentMemory, memory, into: scraped) }
        return scraped
    }

    /// PostgreSQL's own count of this database's client connections, by state (every instance's pool).
    static func readConnections(_ sql: any SQLDatabase, into scraped: PrometheusCollectorRegistry) async {
        var byState = ["active": 0, "idle": 0, "idle in transaction": 0]
        let rows = try? await sql.raw("""
            SELECT coalesce(state, 'unknown') AS state, count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND backend_type = 'client backend' GROUP BY 1
            """).all()
        for row in rows ?? [] {
            if let state = try? row.decode(column: "state", as: String.self), let n = try? row.decode(column: "n", as: Int.self) { byState[state] = n }
        }
        for (state, n) in byState { ServerMetrics.gauge(.databaseConnections, [("state", state)], Double(n), into: scraped) }
    }
}

/// How `/metrics` is reached: its bearer token (`drs serve --metrics-token`, `DRS_METRICS_TOKEN`),
/// and the pool's size for its gauge.
struct MonitoringSettings: Sendable {
    var token: String?
    var connectionsPerEventLoop: Int

    /// The monitoring system's request: with a token configured, `Authorization: Bearer <token>`
    /// (compared in constant time); without one, a request made directly on this machine, not
    /// forwarded by a proxy (whose clients could be anyone).
    func admits(authorization: String?, peer: String?, forwarded: Bool) -> Bool {
        if let token, !token.isEmpty {
            guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
            let sent = Array(authorization.dropFirst("Bearer ".count).utf8), expected = Array(token.utf8)
            guard sent.count == expected.count else { return false }
            return zip(sent, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
        guard !forwarded, let peer else { return false }
        return peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("127.")
    }
}

struct MonitoringSettingsKey: StorageKey { typealias Value = MonitoringSettings }
