@testable import DRSServer
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// `/healthz`, `/readyz` and `/metrics`: the metrics are refused without the monitoring token, and
/// with it show request timings, saves and workflow steps counted as they happen, submissions by
/// status, import and 催报 progress, the database pool and the process's memory. Logs as JSON lines.
@Suite("Monitoring")
struct MonitoringTests {
    static let token = "scrape-\(UUID().uuidString)"

    @Test func metricsCountWhatHappensAndAreOnlyForTheMonitoringSystem() async throws {
        try await TestPlatform.run(adjust: { $0.metricsToken = Self.token }) { app in
            var scraper = Client(app)
            #expect(try await scraper.send(.GET, "/metrics").status == .forbidden)
            #expect(try await Self.scrape(app, token: "wrong").status == .forbidden)
            #expect(try await scraper.send(.GET, "/healthz").text == "ok")
            let ready = try await scraper.send(.GET, "/readyz")
            #expect(ready.status == .ok && ready.text.hasPrefix("ready"))

            let before = try await Self.scrape(app, token: Self.token).text
            var filer = Client(app)
            try await filer.login("beijing-data")
            let saved = try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"10"}}}"#)
            #expect(saved.status == .ok)
            let stale = try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"11"}}}"#)
            #expect(stale.status == .conflict)
            let reply = try await Self.scrape(app, token: Self.token)
            #expect(reply.status == .ok)
            #expect(reply.headers.contentType?.subType == "plain")
            let after = reply.text

            let saves = #"drs_saves_total{form="P2",outcome="saved"}"#, conflicts = #"drs_saves_total{form="P2",outcome="conflict"}"#
            #expect(Self.value(saves, in: after) >= Self.value(saves, in: before) + 1)
            #expect(Self.value(conflicts, in: after) >= Self.value(conflicts, in: before) + 1)
            for series in [#"http_request_duration_seconds_bucket{method="PUT",path="/api/v1/units/:unitID/submissions/:year/:formID",status="200""#,
                           #"http_requests_total{"#, #"drs_submissions{year="2026",status="draft"}"#, #"drs_submissions{year="2026",status="verified"}"#,
                           "drs_import_jobs_running ", #"drs_import_files{state="done"}"#, "drs_reminder_runs_running ",
                           #"drs_reminder_run_units{state="total"}"#, "drs_database_pool_connections_max ",
                           "drs_database_query_seconds ", "process_resident_memory_bytes "] {
                #expect(after.contains(series), "\(series) is scraped")
            }
            // The server's own series say what they count, in Chinese, on their `# HELP` line.
            for name in ["drs_saves_total", "drs_submissions", "drs_import_jobs_running", "drs_import_files", "drs_reminder_runs_running",
                         "drs_reminder_run_units", "drs_database_pool_connections_max",
                         "drs_database_query_seconds", "process_resident_memory_bytes"] {
                let help = after.split(separator: "\n").first { $0.hasPrefix("# HELP \(name) ") }
                #expect(help.map { $0.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } } == true, "\(name) has a help line")
            }
            // By status, as the submissions themselves count (the gauge reads the progress tallies).
            for status in ["draft", "notStarted", "verified"] {
                let counted = try await Submission.query(on: app.db).filter(\.$year == 2026).filter(\.$status == SubmissionStatus(rawValue: status) ?? .draft).count()
                #expect(Self.value("drs_submissions{year=\"2026\",status=\"\(status)\"}", in: after) == Double(counted), "\(status)")
            }
            #expect(Self.value(#"drs_submissions{year="2026",status="draft"}"#, in: after) >= 1)
            if let sql = app.db as? any SQLDatabase, sql.dialect.name != "sqlite" { #expect(after.contains(#"drs_database_connections{state="active"}"#)) }
        }
    }

    /// Two scrapes at once (two monitoring servers; here two applications in one process, as the tests
    /// run) each show what they read: a value read by the other meanwhile never replaces it.
    @Test func aScrapeShowsWhatItReadWhateverAnotherReadMeanwhile() async throws {
        let drafts = #"drs_submissions{year="2026",status="draft"}"#
        try await TestPlatform.run { saving in
            var filer = Client(saving)
            try await filer.login("beijing-data")
            #expect(try await filer.send(.PUT, filer.submissionPath("P2"), json: #"{"version":0,"values":{"01":{"cum":"10"}}}"#).status == .ok)
            let counted = try await Submission.query(on: saving.db).filter(\.$year == 2026).filter(\.$status == .draft).count()
            let first = await MonitoringController.readGauges(Request(application: saving, on: saving.eventLoopGroup.any()))
            try await TestPlatform.run { other in
                let meanwhile = await MonitoringController.readGauges(Request(application: other, on: other.eventLoopGroup.any()))
                #expect(Self.value(drafts, in: meanwhile.emitToString()) != Double(counted), "the other application has other drafts")
            }
            #expect(Self.value(drafts, in: first.emitToString()) == Double(counted))
        }
    }

    @Test func withoutATokenOnlyDirectLocalRequestsAreAdmitted() {
        let open = MonitoringSettings(token: nil, connectionsPerEventLoop: 1)
        #expect(open.admits(authorization: nil, peer: "127.0.0.1", forwarded: false))
        #expect(open.admits(authorization: nil, peer: "::1", forwarded: false))
        #expect(!open.admits(authorization: nil, peer: "127.0.0.1", forwarded: true), "through a proxy: anyone")
        #expect(!open.admits(authorization: nil, peer: "10.0.0.8", forwarded: false))
        #expect(!open.admits(authorization: nil, peer: nil, forwarded: false))
        let guarded = MonitoringSettings(token: "s3cret", connectionsPerEventLoop: 1)
        #expect(guarded.admits(authorization: "Bearer s3cret", peer: "10.0.0.8", forwarded: true))
        #expect(!guarded.admits(authorization: "Bearer s3cre", peer: "127.0.0.1", forwarded: false))
        #expect(!guarded.admits(authorization: "Bearer s3cretX", peer: "127.0.0.1", forwarded: false))
        #expect(!guarded.admits(authorization: nil, peer: "127.0.0.1", forwarded: false), "a token, once set, is always asked for")
    }

    @Test func logsAreOneJSONObjectPerLine() throws {
        let line = JSONLogHandler.line(time: Date(timeIntervalSince1970: 1_795_305_600), level: .warning, label: "codes.vapor.application",
                                       message: "数据库未响应\n第二行", source: "DRSServer",
                                       metadata: ["request-id": .string("abc"), "message": .string("never over the fixed keys"),
                                                  "tries": .array([.stringConvertible(3)])])
        let text = try #require(String(data: line, encoding: .utf8))
        #expect(text.hasSuffix("}\n") && text.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "数据库未响应\n第二行")
        #expect(object["request-id"] as? String == "abc")
        #expect(object["tries"] as? [String] == ["3"])
        #expect((object["time"] as? String)?.hasPrefix("2026-11-22T") == true)
    }

    static func scrape(_ app: Application, token: String) async throws -> Client.Reply {
        var headers = HTTPHeaders()
        headers.add(name: .authorization, value: "Bearer \(token)")
        let response = try await app.testing().sendRequest(.GET, "/metrics", headers: headers)
        return Client.Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// The value of the series that starts `series` (0 when absent).
    static func value(_ series: String, in text: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? 0
        }
        return 0
    }
}
