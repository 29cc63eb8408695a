@testable import DRSOffice
@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// 催报 runs are durable jobs: a run an instance left half-sent is finished by another worker, each
/// unit reminded once; each batch is decided when it is sent.
@Suite("催报 runs", .serialized)
struct ReminderRunTests {
    static let deadline = "2027年3月10日"

    /// Waits until the run is finished (by whichever worker holds it), at most a minute.
    static func finished(_ store: ReminderRunStore, _ run: UUID) async throws -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try await store.run(run)?.finished == true { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// A worker sends one batch and dies (its lease lapses); another worker takes the run up and
    /// reminds the units left, each unit once, and finishes it.
    @Test func aRunLeftHalfSentIsFinishedByAnotherWorkerEachUnitOnce() async throws {
        try await TestPlatform.run(adjust: { $0.metricsToken = MonitoringTests.token }) { app in
            let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("drs-outbox-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: outbox) }
            app.mailDelivery = .outbox(directory: outbox, from: "drs@office.example")
            let admin = try await OfficeToolsTests.account(app, "admin")
            let actor = Actor(userID: try admin.requireID(), username: admin.username, address: "127.0.0.1")
            let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
            // Every demo unit owes forms (remindingAllOfTheListRemindsEveryUnitThatOwesForms).
            let units = try await SurveyUnit.query(on: app.db).sort(\.$regionCode).sort(\.$name).all().compactMap(\.id)
            let run = UUID()
            #expect(try await store.start(run, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, unitIDs: units, now: Date()))

            // The first worker holds the run, sends its first batch of 3 (recorded with the run) and dies.
            #expect(try await store.claim(worker: "gone", now: Date(), until: Date().addingTimeInterval(60)) == run)
            #expect(try await store.claim(worker: "other", now: Date(), until: Date().addingTimeInterval(60)) == nil)
            let first = try await store.pending(run, after: -1, limit: 3)
            #expect(first.map(\.position) == [0, 1, 2])
            let firstUnits = try await app.platform.store(app.db).units(inOrder: first.map { $0.unitID })
            let dispatch = ReminderDispatch(delivery: app.mailDelivery, catalog: app.platform.catalog, gate: app.platform.gate)
            _ = try await dispatch.send(firstUnits.map { .init(unit: $0, forms: ["公共1表（未填报）"]) }, year: 2026, deadline: Self.deadline,
                                        overdue: false, actor: actor, on: app.db, run: run)
            #expect(try await store.summary(run).pending == units.count - 3)
            // The monitoring system sees the open run and how far it is.
            let open = try await MonitoringTests.scrape(app, token: MonitoringTests.token).text
            #expect(MonitoringTests.value("drs_reminder_runs_running", in: open) == 1)
            #expect(MonitoringTests.value(#"drs_reminder_run_units{state="done"}"#, in: open) == 3)
            #expect(MonitoringTests.value(#"drs_reminder_run_units{state="total"}"#, in: open) == Double(units.count))
            let notices = #"drs_reminders_total{channel="notice"}"#
            let noticesBefore = MonitoringTests.value(notices, in: open)
            #expect(try await store.claim(worker: "gone", now: Date(), until: Date().addingTimeInterval(-1)) == run)   // its lease lapses

            // Another worker (a test's own, or the application's, whichever looks first) finishes it.
            await ReminderRunner(lease: 60, name: "next", batchSize: 4).work(app)
            #expect(try await Self.finished(store, run))
            let reminders = try await Reminder.query(on: app.db).all()
            #expect(reminders.count == units.count)
            #expect(Set(reminders.map(\.$unit.id)) == Set(units))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).count() == units.count)
            let summary = try await store.summary(run)
            #expect(summary.pending == 0 && summary.reminded == units.count && summary.byOutcome["notice"] == units.count)
            let closed = try await MonitoringTests.scrape(app, token: MonitoringTests.token).text
            #expect(MonitoringTests.value("drs_reminder_runs_running", in: closed) == 0)
            #expect(MonitoringTests.value(notices, in: closed) >= noticesBefore + Double(units.count - 3), "counted by the worker that sent them")
            // The run's page lists its units with what they owed, and asks no more refreshes.
            var browser = try await PagesTests.browserLogin(app, "admin")
            let page = try await browser.send(.GET, "/progress/reminders/runs/\(run)")
            #expect(page.status == .ok && page.headers.first(name: "Refresh") == nil)
            #expect(page.text.contains("已向 \(units.count) 个单位发出催报"))
            #expect(page.text.contains("公共1表（未填报）"))
            #expect(try await store.claim(worker: "late", now: Date(), until: Date().addingTimeInterval(60)) == nil)
        }
    }

    /// Two workers sending the same batch at once (one took the run over while the other, too slow
    /// to renew, was still sending): each unit gets one notice and one audit line.
    @Test func overlappingWorkersRecordEachUnitOnce() async throws {
        try await TestPlatform.run { app in
            let admin = try await OfficeToolsTests.account(app, "admin")
            let actor = Actor(userID: try admin.requireID(), username: admin.username, address: "127.0.0.1")
            let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
            let units = try await SurveyUnit.query(on: app.db).sort(\.$name).all()
            let run = UUID()
            #expect(try await store.start(run, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, unitIDs: units.compactMap(\.id), now: Date()))
            // Held by a worker the application's own will not disturb.
            #expect(try await store.claim(worker: "first", now: Date(), until: Date().addingTimeInterval(600)) == run)
            let dispatch = ReminderDispatch(delivery: app.mailDelivery, catalog: app.platform.catalog, gate: app.platform.gate, batchSize: 4)
            let owing = units.map { ReminderDispatch.Owing(unit: $0, forms: ["公共1表（未填报）"]) }
            let db = app.db
            async let first = dispatch.send(owing, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, on: db, run: run)
            async let second = dispatch.send(owing, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, on: db, run: run)
            let (firstOutcomes, secondOutcomes) = try await (first, second)
            #expect(try await Reminder.query(on: app.db).count() == units.count)
            // Each unit recorded by one of the two, so counted once in `drs_reminders_total`: only
            // notices here (the test platform has no mail), which the other worker did not store.
            let outcomes = firstOutcomes + secondOutcomes
            #expect(outcomes.count == 2 * units.count && outcomes.allSatisfy { $0.channel == .notice })
            #expect(outcomes.filter(\.recorded).count == units.count)
            #expect(outcomes.filter(\.reminded).count == units.count)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).count() == units.count)
            #expect(try await store.summary(run).pending == 0)
        }
    }

    /// While a run is being sent its page says how far it is and asks to be read again.
    @Test func aRunsPageFollowsItWhileItIsSent() async throws {
        try await TestPlatform.run { app in
            let admin = try await OfficeToolsTests.account(app, "admin")
            let actor = Actor(userID: try admin.requireID(), username: admin.username, address: "127.0.0.1")
            let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
            let units = try await SurveyUnit.query(on: app.db).all().compactMap(\.id)
            let run = UUID()
            #expect(try await store.start(run, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, unitIDs: units, now: Date()))
            // Held by a live worker that has sent nothing yet.
            #expect(try await store.claim(worker: "busy", now: Date(), until: Date().addingTimeInterval(600)) == run)
            var browser = try await PagesTests.browserLogin(app, "admin")
            let page = try await browser.send(.GET, "/progress/reminders/runs/\(run)")
            #expect(page.status == .ok && page.headers.first(name: "Refresh") == "2")
            #expect(page.text.contains("id=\"reminders-running\"") && page.text.contains("已处理 0 / \(units.count) 个单位"))
            #expect(!page.text.contains("id=\"reminders-sent\""))
            #expect(try await browser.send(.GET, "/progress/reminders/runs/\(UUID())").status == .notFound)
            #expect(try await browser.send(.GET, "/progress/reminders/runs/not-a-run").status == .notFound)
            var filer = try await PagesTests.browserLogin(app, "lab")
            #expect(try await filer.send(.GET, "/progress/reminders/runs/\(run)").status == .forbidden)
        }
    }

    /// Each batch is decided when it is sent, as its sender: a sender disabled after confirming
    /// reminds no one; every unit is recorded as skipped and the run is finished.
    @Test func aSenderDisabledMeanwhileRemindsNoOne() async throws {
        try await TestPlatform.run { app in
            let sender = UserAccount(username: "office-2", displayName: "第二国家账户", passwordHash: "-", role: .admin, mustChangePassword: false)
            try await sender.create(on: app.db)
            let actor = Actor(userID: try sender.requireID(), username: sender.username, address: "127.0.0.1")
            let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
            let units = try await SurveyUnit.query(on: app.db).all().compactMap(\.id)
            let run = UUID()
            // Held until the account is disabled, then let go.
            #expect(try await store.start(run, year: 2026, deadline: Self.deadline, overdue: false, actor: actor, unitIDs: units, now: Date()))
            #expect(try await store.claim(worker: "holding", now: Date(), until: Date().addingTimeInterval(60)) == run)
            sender.disabled = true
            try await sender.save(on: app.db)
            #expect(try await store.claim(worker: "holding", now: Date(), until: Date().addingTimeInterval(-1)) == run)
            await ReminderRunner(lease: 60, name: "next", batchSize: 5).work(app)
            #expect(try await Self.finished(store, run))
            #expect(try await Reminder.query(on: app.db).count() == 0)
            let summary = try await store.summary(run)
            #expect(summary.byOutcome == [ReminderRunStore.skipped: units.count] && summary.reminded == 0)
            var browser = try await PagesTests.browserLogin(app, "admin")
            let page = try await browser.send(.GET, "/progress/reminders/runs/\(run)")
            #expect(page.text.contains("没有单位需要催报") && !page.text.contains("id=\"reminders-sent\""))
        }
    }
}
