@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Bulk-import jobs live in the database: a job left by a stopped instance is finished by the next
/// one, a job another live worker holds is left to it, and one whose holder stopped renewing its
/// lease is taken over — with the files already done kept as they were.
@Suite("Durable import jobs", .serialized)
struct ImportJobDurabilityTests {
    @Test func jobsOutliveTheirInstance() async throws {
        try await TestDatabase.with { storage in try await Self.jobsOutliveTheirInstance(storage) }
    }

    static func jobsOutliveTheirInstance(_ storage: StorageLocation) async throws {
        // The platform once, to have its schema, demo units and accounts.
        try await TestPlatform.run(storage: storage) { _ in }

        // Left behind by an instance that stopped: one job never started, one held by a worker whose lease has not lapsed yet.
        let (left, held) = try await StorageSession.with(storage) { session in
            let db = session.db
            let admin = try #require(try await UserAccount.query(on: db).filter(\.$username == "admin").first())
            let codes = try await SurveyUnit.query(on: db).filter(\.$name ~~ ["北京市政务服务和数据管理局", "广东省政务服务和数据管理局"]).all()
                .sorted { $0.name < $1.name }.map(\.creditCode)
            #expect(codes.count == 2)
            let jobs = ImportJobStore(database: db, gate: nil)
            let files = codes.enumerated().map { index, code in (name: "p2-\(index).csv", bytes: Self.csv(code, value: "\(700 + index)")) }
            let left = try await jobs.create(ownerID: try admin.requireID(), ownerName: "admin", address: "127.0.0.1", importStatus: "draft",
                                             files: files, now: Date())
            let held = try await jobs.create(ownerID: try admin.requireID(), ownerName: "admin", address: "127.0.0.1", importStatus: "draft",
                                             files: [(name: "again.csv", bytes: Self.csv(codes[0], value: "701"))], now: Date().addingTimeInterval(1))
            #expect(try await jobs.claim(worker: "another-instance", now: Date(), until: Date().addingTimeInterval(3_600)) == left)
            #expect(try await jobs.claim(worker: "another-instance", now: Date(), until: Date().addingTimeInterval(3_600)) == left, "its own, again")
            // The other instance had taken the second job too; then it left the first one to lapse.
            try await (db as? any SQLDatabase)?.raw("UPDATE import_jobs SET lease_owner = 'another-instance', lease_until = \(bind: Date().addingTimeInterval(3_600).timeIntervalSince1970) WHERE id = \(bind: held)").run()
            try await (db as? any SQLDatabase)?.raw("UPDATE import_jobs SET lease_until = 0 WHERE id = \(bind: left)").run()
            return (left, held)
        }

        // The next instance: finishes the lapsed job, leaves the held one alone.
        try await TestPlatform.run(storage: storage) { app in
            var admin = Client(app)
            try await admin.login("admin")
            let state = try await Self.finished(&admin, left)
            #expect(state["imported"] as? Int == 2 && state["done"] as? Int == 2 && state["total"] as? Int == 2, "\(state)")
            var beijing = Client(app)
            try await beijing.login("beijing-data")
            let stored = try await beijing.send(.GET, beijing.submissionPath("P2")).json["submission"] as? [String: Any]
            #expect(((stored?["values"] as? [String: Any])?["01"] as? [String: Any])?["cum"] as? String == "700")
            let other = try await admin.send(.GET, "/api/v1/import/jobs/\(held.uuidString)").json
            #expect(other["finished"] as? Bool == false && other["done"] as? Int == 0, "a live lease is respected")
            // Someone else's job does not exist for another account.
            var hq = Client(app)
            try await hq.login("cmcc-hq")
            #expect(try await hq.send(.GET, "/api/v1/import/jobs/\(left.uuidString)").status == .notFound)
        }
    }

    /// A live worker keeps its job through a step longer than its lease (`LeaseHeartbeat`, as the
    /// import and 催报 workers run it); once it stops renewing, the job passes on one lease later.
    @Test func aLiveWorkerKeepsItsJobBeyondItsLease() async throws {
        try await TestDatabase.with { storage in try await Self.aLiveWorkerKeepsItsJob(storage) }
    }

    static func aLiveWorkerKeepsItsJob(_ storage: StorageLocation) async throws {
        try await TestPlatform.run(storage: storage) { _ in }
        // Outside any server: no worker of the platform's own takes the job.
        try await StorageSession.with(storage) { session in
            let jobs = ImportJobStore(database: session.db, gate: nil)
            let admin = try #require(try await UserAccount.query(on: session.db).filter(\.$username == "admin").first())
            let job = try await jobs.create(ownerID: try admin.requireID(), ownerName: "admin", address: "127.0.0.1", importStatus: "draft",
                                            files: [(name: "p2.csv", bytes: Self.csv("none", value: "1"))], now: Date())
            let open = try await jobs.openProgress()
            #expect(open.running == 1 && open.filesDone == 0 && open.filesTotal == 1, "what /metrics reads: \(open)")
            let lease: TimeInterval = 3
            let claimed = Date()
            #expect(try await jobs.claim(worker: "live", now: claimed, until: claimed.addingTimeInterval(lease)) == job)
            let renewals = Renewals()
            let heartbeat = LeaseHeartbeat.start(lease: lease) {
                if (try? await jobs.renew(job, worker: "live", until: Date().addingTimeInterval(lease))) == true { await renewals.add() }
            }
            // The live worker's one long step: the heartbeat renews meanwhile (waited for, not timed).
            var polls = 0
            while await renewals.count < 2, polls < 600 {
                try await Task.sleep(for: .milliseconds(100))
                polls += 1
            }
            #expect(await renewals.count >= 2)
            #expect(try await jobs.claim(worker: "other", now: claimed.addingTimeInterval(lease + 0.5), until: Date().addingTimeInterval(60)) == nil,
                    "past the lease it was claimed with, renewed while it works")
            heartbeat.cancel()
            await heartbeat.value
            #expect(try await jobs.claim(worker: "other", now: Date().addingTimeInterval(lease + 1), until: Date().addingTimeInterval(60)) == job,
                    "a lease after its last renewal, the job is another's")
        }
    }

    /// The heartbeat's renewals that took, counted.
    actor Renewals {
        private(set) var count = 0
        func add() { count += 1 }
    }

    static func csv(_ creditCode: String, value: String) -> [UInt8] {
        Array("表号,指标代码,栏目,数值,年份,统一社会信用代码\n公共2表,01,截至本年,\(value),2026,\(creditCode)\n".utf8)
    }

    /// Polls the job until it is finished (the worker runs beside the requests), for at most 30 s.
    static func finished(_ client: inout Client, _ job: UUID) async throws -> [String: Any] {
        for _ in 0..<300 {
            let state = try await client.send(.GET, "/api/v1/import/jobs/\(job.uuidString)").json
            if state["finished"] as? Bool == true { return state }
            try await Task.sleep(for: .milliseconds(100))   // waiting for the worker, not timing it
        }
        Issue.record("the job did not finish")
        return [:]
    }
}
