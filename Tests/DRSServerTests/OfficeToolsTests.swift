@testable import DRSOffice
@testable import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor

/// The national office's tools through their routes: accounts, the audit log, reminders.
@Suite("Office tools: accounts, audit log, reminders", .serialized)
struct OfficeToolsTests {
    static func form(_ fields: [(String, String)], token: String?) -> String {
        (fields + (token.map { [("_csrf", $0)] } ?? [])).map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
    }

    static func post(_ client: inout Client, _ path: String, _ fields: [(String, String)], token: Bool = true) async throws -> Client.Reply {
        try await client.send(.POST, path, json: form(fields, token: token ? client.csrf : nil), csrf: false, contentType: .urlEncodedForm)
    }

    /// A 催报 send's answer followed to its run's page, read again until the run is finished (the
    /// page asks to be refreshed while it is being sent).
    static func finished(_ client: inout Client, _ sent: Client.Reply) async throws -> Client.Reply {
        #expect(sent.status == .seeOther)
        let location = try #require(sent.headers.first(name: .location))
        #expect(location.hasPrefix("/progress/reminders/runs/"))
        let deadline = Date().addingTimeInterval(60)
        while true {
            let page = try await client.send(.GET, location)
            if page.headers.first(name: "Refresh") == nil || Date() > deadline { return page }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func account(_ app: Application, _ username: String) async throws -> UserAccount {
        try #require(try await UserAccount.query(on: app.db).filter(\.$username == username).first())
    }

    static func temporaryPassword(_ page: String) -> String? {
        page.components(separatedBy: "id=\"temporary-password\">").dropFirst().first?.components(separatedBy: "<").first
    }

    @Test func onlyTheNationalOfficeReachesTheToolsAndFormsNeedTheirToken() async throws {
        try await TestPlatform.run { app in
            var filer = try await PagesTests.browserLogin(app, "beijing-data")
            for path in ["/admin/users", "/admin/audit", "/admin/audit.csv"] {
                #expect(try await filer.send(.GET, path).status == .forbidden, "\(path)")
            }
            #expect(try await Self.post(&filer, "/progress/reminders", [("all", "1")]).status == .forbidden)
            #expect(try await Self.post(&filer, "/admin/users", [("username", "x-user"), ("displayName", "x"), ("role", "admin")]).status == .forbidden)
            var reviewer = try await PagesTests.browserLogin(app, "review-beijing")
            #expect(try await Self.post(&reviewer, "/progress/reminders/send", [("all", "1")]).status == .forbidden)
            var admin = try await PagesTests.browserLogin(app, "admin")
            #expect(try await admin.send(.GET, "/admin/users").status == .ok)
            // Page numbers from the URL never reach arithmetic unclamped (a trap would stop the server).
            for page in ["-9223372036854775808", "9223372036854775807", "0", "abc"] {
                let reply = try await admin.send(.GET, "/admin/audit?page=\(page)")
                #expect(reply.status == .ok || reply.status == .badRequest, "page=\(page): \(reply.status)")
            }
            let noToken = try await Self.post(&admin, "/admin/users", [("username", "no-token"), ("displayName", "x"), ("role", "admin")], token: false)
            #expect(noToken.status == .forbidden)
            #expect(try await UserAccount.query(on: app.db).filter(\.$username == "no-token").first() == nil)
            let lab = try await Self.account(app, "lab")
            #expect(try await Self.post(&admin, "/admin/users/\(try lab.requireID())/disable", [], token: false).status == .forbidden)
            #expect(try await Self.account(app, "lab").disabled == false)
        }
    }

    @Test func aNewAccountGetsATemporaryPasswordItMustChange() async throws {
        try await TestPlatform.run { app in
            var admin = try await PagesTests.browserLogin(app, "admin")
            let unit = try #require(try await SurveyUnit.query(on: app.db).filter(\.$name == "北京中关村实验室").first())
            let missingUnit = try await Self.post(&admin, "/admin/users", [("username", "lab-2"), ("displayName", "第二填报人"), ("role", "respondent")])
            #expect(missingUnit.status == .unprocessableEntity)
            #expect(missingUnit.text.contains("须指定所属调查单位"))
            let made = try await Self.post(&admin, "/admin/users", [("username", "lab-2"), ("displayName", "第二填报人"), ("role", "respondent"),
                                                                    ("unitCreditCode", unit.creditCode)])
            #expect(made.status == .ok)
            let password = try #require(Self.temporaryPassword(made.text))
            #expect(made.text.contains("已新增账户 lab-2"))
            #expect(made.text.contains("北京中关村实验室"))
            var newcomer = Client(app)
            let login = try await newcomer.login("lab-2", password)
            #expect(login.json["mustChangePassword"] as? Bool == true)
            #expect(try await newcomer.send(.GET, "/api/v1/my/forms").errorCode == "password_change_required")
            let audit = try await AuditEvent.query(on: app.db).filter(\.$kind == .userChanged).all()
            #expect(audit.contains { $0.detail.contains("新增账户 lab-2") && $0.username == "admin" })
        }
    }

    @Test func aDisabledAccountCannotLogInAndItsSessionsEnd() async throws {
        try await TestPlatform.run { app in
            var lab = try await PagesTests.browserLogin(app, "lab")
            #expect(try await lab.send(.GET, "/api/v1/me").status == .ok)
            var admin = try await PagesTests.browserLogin(app, "admin")
            let id = try await Self.account(app, "lab").requireID()
            let disabled = try await Self.post(&admin, "/admin/users/\(id)/disable", [])
            #expect(disabled.status == .ok)
            #expect(disabled.text.contains("已停用账户 lab"))
            #expect(try await Self.account(app, "lab").disabled)
            #expect(try await lab.send(.GET, "/api/v1/me").status == .unauthorized)
            // Through the login page: refused with a clear message; through the API: 401.
            var browser = Client(app)
            let page = try await browser.send(.GET, "/login")
            let token = page.text.components(separatedBy: "name=\"_csrf\" value=\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
            let refused = try await browser.send(.POST, "/login", json: "username=lab&password=demo2026&_csrf=\(token)", csrf: false, contentType: .urlEncodedForm)
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("该账户已停用"))
            var api = Client(app)
            let viaAPI = try await api.login("lab")
            #expect(viaAPI.status == .unauthorized)
            #expect(viaAPI.errorMessage?.contains("已停用") == true)
            // A wrong password says nothing about the account being disabled.
            #expect(try await Client(app).loginReply("lab", "wrong-password").errorMessage == "用户名或密码不正确")
            #expect(try await Self.post(&admin, "/admin/users/\(id)/enable", []).status == .ok)
            var again = Client(app)
            #expect(try await again.login("lab").status == .ok)
            let lines = try await AuditEvent.query(on: app.db).filter(\.$kind == .userChanged).all().map(\.detail)
            #expect(lines.contains { $0.contains("停用账户 lab") })
            #expect(lines.contains { $0.contains("启用账户 lab") })
            // The administrator cannot lock themself out.
            let me = try await Self.account(app, "admin").requireID()
            #expect(try await Self.post(&admin, "/admin/users/\(me)/disable", []).status == .unprocessableEntity)
        }
    }

    @Test func aResetPasswordIsShownOnceAndMustBeChangedAtTheNextLogin() async throws {
        try await TestPlatform.run { app in
            var sdc = try await PagesTests.browserLogin(app, "sdc")
            var admin = try await PagesTests.browserLogin(app, "admin")
            let id = try await Self.account(app, "sdc").requireID()
            let reset = try await Self.post(&admin, "/admin/users/\(id)/reset", [])
            #expect(reset.status == .ok)
            let password = try #require(Self.temporaryPassword(reset.text))
            #expect(try await sdc.send(.GET, "/api/v1/me").status == .unauthorized)
            #expect(try await Client(app).loginReply("sdc", "demo2026").status == .unauthorized)
            var fresh = Client(app)
            let login = try await fresh.login("sdc", password)
            #expect(login.status == .ok)
            #expect(login.json["mustChangePassword"] as? Bool == true)
            #expect(try await fresh.send(.GET, "/api/v1/my/forms").errorCode == "password_change_required")
            let forced = try await fresh.send(.GET, "/password")
            #expect(forced.status == .ok)
            // The list shows the account waiting for its change; the temporary password is not shown again.
            let list = try await admin.send(.GET, "/admin/users")
            #expect(!list.text.contains(password))
            #expect(list.text.contains("待修改密码"))
        }
    }

    @Test func anAccountIsReassignedToAProvince() async throws {
        try await TestPlatform.run { app in
            var admin = try await PagesTests.browserLogin(app, "admin")
            let id = try await Self.account(app, "review-beijing").requireID()
            let moved = try await Self.post(&admin, "/admin/users/\(id)/assign", [("role", "provincialReviewer"), ("regionCode", "440000")])
            #expect(moved.status == .ok)
            #expect(try await Self.account(app, "review-beijing").regionCode == "440000")
            let bad = try await Self.post(&admin, "/admin/users/\(id)/assign", [("role", "provincialReviewer"), ("regionCode", "999999")])
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test func remindersReachTheUnitAsNoticeEMailAndAuditLine() async throws {
        try await TestPlatform.run { app in
            let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("drs-outbox-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: outbox) }
            app.mailDelivery = .outbox(directory: outbox, from: "drs@office.example")
            let unit = try #require(try await SurveyUnit.query(on: app.db).filter(\.$name == "北京中关村实验室").first())
            unit.contact = "filer@lab.example"
            try await unit.save(on: app.db)
            let unitID = try unit.requireID().uuidString
            var admin = try await PagesTests.browserLogin(app, "admin")
            let progress = try await admin.send(.GET, "/progress")
            #expect(progress.text.contains("value=\"\(unitID)\""))
            #expect(progress.text.contains("未报催报"))
            let confirm = try await Self.post(&admin, "/progress/reminders?year=2026", [("units[]", unitID)])
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("确认发送催报（1个单位）"))
            #expect(confirm.text.contains("filer@lab.example"))
            #expect(try await Reminder.query(on: app.db).count() == 0)
            let sent = try await Self.finished(&admin, try await Self.post(&admin, "/progress/reminders/send?year=2026", [("units[]", unitID)]))
            #expect(sent.status == .ok)
            #expect(sent.text.contains("已向 1 个单位发出催报"))
            let reminder = try #require(try await Reminder.query(on: app.db).first())
            #expect(reminder.channel == .outbox)
            #expect(reminder.recipient == "filer@lab.example")
            #expect(reminder.deadline == "2027年3月10日")
            let files = try FileManager.default.contentsOfDirectory(atPath: outbox.path)
            #expect(files.count == 1 && files.allSatisfy { $0.hasSuffix(".eml") && $0.contains(unit.creditCode) })
            let line = try #require(try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).first())
            #expect(line.unitID == unit.id)
            #expect(line.detail.contains("截止日期 2027年3月10日") && line.detail.contains("送达方式 outbox"))
            // The audit page finds it by kind and by unit; the CSV carries it.
            let page = try await admin.send(.GET, "/admin/audit?kind=reminderSent&unit=%E4%B8%AD%E5%85%B3%E6%9D%91")
            #expect(page.text.contains("data-kind=\"reminderSent\""))
            #expect(page.text.contains("北京中关村实验室"))
            let csv = try await admin.send(.GET, "/admin/audit.csv?kind=reminderSent")
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.hasPrefix("\u{FEFF}"))
            #expect(csv.text.contains("催报") && csv.text.contains(unit.creditCode))
            // The unit's filer sees the notice until acknowledging it.
            var filer = try await PagesTests.browserLogin(app, "lab")
            let home = try await filer.send(.GET, "/")
            #expect(home.text.contains("催报通知"))
            var sdc = try await PagesTests.browserLogin(app, "sdc")
            let other = try await sdc.send(.GET, "/")
            #expect(!other.text.contains("催报通知"))
            let read = try await Self.post(&filer, "/reminders/\(try reminder.requireID())/read", [])
            #expect(read.status == .seeOther || read.status == .found)
            #expect(!(try await filer.send(.GET, "/")).text.contains("催报通知"))
        }
    }

    @Test func remindingAllOfTheListRemindsEveryUnitThatOwesForms() async throws {
        try await TestPlatform.run { app in
            let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("drs-outbox-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: outbox) }
            app.mailDelivery = .outbox(directory: outbox, from: "drs@office.example")
            // The pages list the first three units and count all of them.
            app.reminderListLimit = 3
            var admin = try await PagesTests.browserLogin(app, "admin")
            let count = try await SurveyUnit.query(on: app.db).count()
            let confirm = try await Self.post(&admin, "/progress/reminders?year=2026", [("all", "1")])
            #expect(confirm.text.components(separatedBy: "<tr data-unit=").count - 1 == 3)
            #expect(confirm.text.contains("将催报的单位（\(count)个）") && confirm.text.contains("另有 \(count - 3) 个单位未列出"))
            #expect(confirm.text.contains("确认发送催报（\(count)个单位）"))
            // The confirmation names itself; its send goes once, however often it is posted.
            let run = try #require(confirm.text.components(separatedBy: "name=\"run\" value=\"").dropFirst().first?.prefix(36))
            let sent = try await Self.finished(&admin, try await Self.post(&admin, "/progress/reminders/send?year=2026", [("all", "1"), ("run", String(run))]))
            #expect(sent.status == .ok)
            #expect(sent.text.contains("已向 \(count) 个单位发出催报：仅站内提醒 \(count) 个。"))
            let again = try await Self.post(&admin, "/progress/reminders/send?year=2026", [("all", "1"), ("run", String(run))])
            #expect(again.status == .conflict && again.text.contains("这一次催报已经发送过") && !again.text.contains("已向"))
            #expect(try await ReminderRun.query(on: app.db).count() == 1)
            #expect(sent.text.components(separatedBy: "<tr data-unit=").count - 1 == 3)
            #expect(try await Reminder.query(on: app.db).count() == count)
            // No demo unit has an e-mail address: each is reminded on its home page only, and the audit says so.
            #expect(try await Reminder.query(on: app.db).all().allSatisfy { $0.channel == .notice })
            #expect(try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).count() == count)
            // An e-mail that fails is counted, and its unit listed first, wherever it is in the list.
            let last = try #require(try await SurveyUnit.query(on: app.db).sort(\.$regionCode, .descending).sort(\.$name, .descending).first())
            last.contact = "filer@last.example"
            try await last.save(on: app.db)
            app.mailDelivery = .smtp(url: "smtp://127.0.0.1:9", from: "drs@office.example", timeout: 5)
            let failing = try await Self.finished(&admin, try await Self.post(&admin, "/progress/reminders/send?year=2026", [("all", "1")]))
            #expect(failing.text.contains("其中 1 个单位有邮箱但邮件未能送出"))
            #expect(failing.text.components(separatedBy: "<tr data-unit=\"").dropFirst().first?.hasPrefix(try last.requireID().uuidString) == true)
            #expect(try await Reminder.query(on: app.db).count() == 2 * count)
        }
    }

    /// `ReminderDispatch` a batch at a time: every unit reminded once, in order, its address looked up
    /// with its batch's, a failed e-mail recorded as a notice with its reason.
    @Test func remindersGoOutInBatchesAndEachUnitIsRecordedOnce() async throws {
        try await TestPlatform.run { app in
            let outbox = FileManager.default.temporaryDirectory.appendingPathComponent("drs-outbox-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: outbox) }
            let units = Array(try await SurveyUnit.query(on: app.db).sort(\.$name).all().prefix(5))
            for (index, unit) in units.enumerated() where index % 2 == 0 {
                unit.contact = "filer\(index)@unit.example"
                try await unit.save(on: app.db)
            }
            let owing = units.map { ReminderDispatch.Owing(unit: $0, forms: ["公共1表（未填报）"]) }
            let actor = Actor(userID: nil, username: "admin", address: "127.0.0.1")
            // Five units in batches of three, one e-mail at a time: three with an address (an e-mail each),
            // two on their home page only.
            let written = ReminderDispatch(delivery: .outbox(directory: outbox, from: "drs@office.example"), catalog: app.platform.catalog,
                                           gate: app.platform.gate, batchSize: 3, concurrentDeliveries: 1)
            let outcomes = try await written.send(owing, year: 2026, deadline: "2027年3月10日", overdue: false, actor: actor, on: app.db)
            #expect(outcomes.map(\.creditCode) == units.map(\.creditCode))
            #expect(outcomes.map(\.channel) == [.outbox, .notice, .outbox, .notice, .outbox])
            #expect(outcomes.map(\.recipient) == ["filer0@unit.example", nil, "filer2@unit.example", nil, "filer4@unit.example"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 3)
            #expect(try await Reminder.query(on: app.db).count() == 5)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).count() == 5)
            // An SMTP server that does not answer: the e-mails fail with a reason, each unit still gets its notice.
            let refused = ReminderDispatch(delivery: .smtp(url: "smtp://127.0.0.1:9", from: "drs@office.example", timeout: 5),
                                           catalog: app.platform.catalog, gate: app.platform.gate, batchSize: 2)
            let failed = try await refused.send(owing, year: 2026, deadline: "2027年3月10日", overdue: true, actor: actor, on: app.db)
            #expect(failed.allSatisfy { $0.channel == .notice && $0.problem != nil })
            #expect(failed.map(\.recipient) == outcomes.map(\.recipient))
            let notices = try await Reminder.query(on: app.db).filter(\.$channel == .notice).all()
            #expect(notices.count == 5 + 2 && notices.allSatisfy { $0.recipient == nil })
            let lines = try await AuditEvent.query(on: app.db).filter(\.$kind == .reminderSent).all()
            #expect(lines.count == 10)
            #expect(lines.filter { $0.detail.contains("逾期催报") && $0.detail.contains("送达方式 notice") }.count == 5)
        }
    }

    /// A confirmation posted twice at once (a double click): one start wins, the other is refused.
    @Test func aConfirmationIsStartedOnceEvenTwiceAtOnce() async throws {
        try await TestPlatform.run { app in
            let actor = Actor(userID: nil, username: "admin", address: "127.0.0.1")
            let run = UUID()
            let store = ReminderRunStore(database: app.db, gate: app.platform.gate)
            let units = try await SurveyUnit.query(on: app.db).all().compactMap(\.id)
            func start(_ id: UUID) async throws -> Bool {
                try await store.start(id, year: 2026, deadline: "2027年3月10日", overdue: false, actor: actor, unitIDs: units, now: Date())
            }
            async let first = start(run)
            async let second = start(run)
            let started = try await [first, second]
            #expect(started.filter { $0 }.count == 1)
            #expect(try await !start(run))
            #expect(try await store.summary(run).total == units.count)
            #expect(try await start(UUID()))
        }
    }

    @Test func theAuditLogPagesAndFiltersByUserAndDay() async throws {
        try await TestPlatform.run { app in
            var admin = try await PagesTests.browserLogin(app, "admin")
            for i in 0..<105 {
                try await AuditEvent(at: Date(timeIntervalSince1970: 1_790_000_000 + Double(i)), userID: nil, username: "bulk-\(i)", address: "-",
                                     kind: .unitChanged, detail: "line \(i)").create(on: app.db)
            }
            let first = try await admin.send(.GET, "/admin/audit?user=bulk-")
            #expect(first.text.components(separatedBy: "<tr data-kind=").count - 1 == 100)
            #expect(first.text.contains("id=\"audit-next\""))
            #expect(first.text.contains("bulk-104"))   // newest first
            let second = try await admin.send(.GET, "/admin/audit?user=bulk-&page=2")
            #expect(second.text.components(separatedBy: "<tr data-kind=").count - 1 == 5)
            #expect(second.text.contains("bulk-0<"))
            let day = try await admin.send(.GET, "/admin/audit?user=bulk-&from=2026-09-21&to=2026-09-21")
            #expect(day.text.contains("bulk-104<"))
            let dayBefore = try await admin.send(.GET, "/admin/audit?user=bulk-&to=2026-09-20")
            #expect(!dayBefore.text.contains("bulk-104<"))
            let none = try await admin.send(.GET, "/admin/audit?user=bulk-&from=2027-01-01")
            #expect(none.text.contains("没有符合条件的记录") && !none.text.contains("bulk-0<"))
            let badDate = try await admin.send(.GET, "/admin/audit?from=yesterday")
            #expect(badDate.text.contains("无法识别"))
        }
    }
}

extension Client {
    /// A login attempt through the API, its answer whatever it is.
    func loginReply(_ username: String, _ password: String) async throws -> Reply {
        var copy = self
        return try await copy.send(.POST, "/api/v1/session", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }
}
