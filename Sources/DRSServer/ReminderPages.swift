import DRSOffice
import DRSStorage
import Fluent
import Foundation
import Vapor

/// 催报 from the progress page: the national office picks units that still owe forms (or all of the
/// year's), confirms on a page that says whom and how, and sends — per unit an e-mail (SMTP or the
/// outbox), the notice its filers see at their next login, and an audit line. Before the deadline the
/// same list holds the units that have not yet submitted (未报); after it, the overdue ones (逾期).
struct ReminderPages {
    struct Selection: Content {
        var units: [String]?
        var all: String?
        /// The confirmation page's own id (`ReminderRun`): its send goes once.
        var run: String?
    }

    func register(_ app: Application) throws {
        let reminders = app.routes.grouped("progress", "reminders")
        reminders.secure(.POST, access: .admin) { req async throws -> View in try await confirm(req) }
        reminders.secure(.POST, "send", access: .admin) { req async throws -> Response in try await send(req) }
        reminders.secure(.GET, "runs", ":runID", access: .admin) { req async throws -> Response in try await result(req) }
        app.routes.secure(.POST, "reminders", ":reminderID", "read", access: .authenticated) { req async throws -> Response in
            let user = try req.requireUser()
            guard let id = req.parameters.get("reminderID", as: UUID.self), let unitID = user.$unit.id,
                  try await ReminderNotices.acknowledge(id, unitID: unitID, by: user.username, gate: req.platform.gate, on: req.db) else {
                throw APIError.notFound("催报通知")
            }
            return req.redirect(to: "/")
        }
    }

    /// The progress of the year with the units the form names (or all of them) that still owe forms:
    /// all their ids in the list's order, and the first `shown` of them read.
    func selected(_ req: Request, _ selection: Selection, shown: Int) async throws -> Progress {
        if selection.all == "1" { return try await Progress.load(req, outstanding: .all(shown: shown)) }
        let ids = Array(Set((selection.units ?? []).compactMap { UUID(uuidString: $0) }))
        return try await Progress.load(req, outstanding: .units(ids, shown: shown))
    }

    func forms(_ owing: Progress.Owing, _ progress: Progress) -> [String] { Self.owed(owing, names: progress.formNames) }

    /// `公共1表（未填报）`: the forms a unit owes, by table number, with their state.
    static func owed(_ owing: Progress.Owing, names: [String: String]) -> [String] {
        owing.forms.map { "\(names[$0.id] ?? $0.id)（\($0.status.chineseName)）" }
    }

    /// The confirmation: how many units, and the first of them with their addresses (a nation's
    /// 全部催报 is tens of thousands of units: the page lists `Application.reminderListLimit`).
    func confirm(_ req: Request) async throws -> View {
        let selection = try req.content.decode(Selection.self)
        let progress = try await selected(req, selection, shown: req.application.reminderListLimit)
        let addresses = try await ContactEmail.addresses(for: progress.outstanding.map(\.unit), year: progress.year, catalog: req.platform.catalog, on: req.db)
        let units = try progress.outstanding.map { owing in
            let id = try owing.unit.requireID()
            return ReminderPage.Unit(id: id.uuidString, name: owing.unit.name, creditCode: owing.unit.creditCode,
                                     forms: forms(owing, progress).joined(separator: "、"), email: addresses[id] ?? "", outcome: "", problem: "")
        }
        let all = selection.all == "1"
        return try await render(req, progress, units: units, total: progress.owingIDs.count, sent: false,
                                chosen: all ? nil : progress.owingIDs.map(\.uuidString),
                                error: units.isEmpty ? "没有选中需要催报的单位：请在报送进度页勾选单位，或选择「全部催报」。" : nil)
    }

    /// Stores the units chosen as a 催报 run (`ReminderRunStore`) and shows its page: the run is sent
    /// by this or any instance's worker (`ReminderRunner`), a batch at a time, and finished by another
    /// if this instance stops half-way. The same confirmation sent again is refused (409).
    func send(_ req: Request) async throws -> Response {
        let selection = try req.content.decode(Selection.self)
        let progress = try await selected(req, selection, shown: 0)
        guard !progress.owingIDs.isEmpty else {
            return try await render(req, progress, units: [], total: 0, sent: true, chosen: nil, error: "没有选中需要催报的单位。").encodeResponse(for: req)
        }
        let run = selection.run.flatMap(UUID.init(uuidString:)) ?? UUID()
        let store = ReminderRunStore(database: req.db, gate: req.platform.gate)
        guard try await store.start(run, year: progress.year, deadline: Self.chineseDeadline(req, progress.year), overdue: progress.pastDeadline,
                                    actor: req.actor, unitIDs: progress.owingIDs, now: Date()) else {
            return try await render(req, year: progress.year, pastDeadline: progress.pastDeadline, units: [], total: 0, sent: true, chosen: nil,
                                    error: "这一次催报已经发送过（同一确认页只发送一次），没有再次发送；发送结果见审计日志。")
                .encodeResponse(status: .conflict, for: req)
        }
        req.application.storage[ReminderWorkerKey.self]?.wake()
        return req.redirect(to: "/progress/reminders/runs/\(run.uuidString.lowercased())", redirectType: .normal)
    }

    /// A run's page: while it is being sent, how far it is (the page asks again every 2 seconds);
    /// then every unit counted by channel and the first listed, those whose e-mail failed first.
    func result(_ req: Request) async throws -> Response {
        let store = ReminderRunStore(database: req.db, gate: req.platform.gate)
        guard let id = req.parameters.get("runID", as: UUID.self), let run = try await store.run(id) else { throw APIError.notFound("催报任务") }
        let summary = try await store.summary(id)
        let units = try await store.listed(id, limit: req.application.reminderListLimit).map { unit in
            ReminderPage.Unit(id: unit.unitID.uuidString, name: unit.name, creditCode: unit.creditCode, forms: unit.forms, email: unit.recipient ?? "",
                              outcome: Reminder.Channel(rawValue: unit.outcome)?.chineseName ?? unit.outcome, problem: unit.problem ?? "")
        }
        let tally = ReminderTally(summary)
        let nothing = run.finished && summary.reminded == 0
        let response = try await render(req, year: run.year, pastDeadline: run.overdue, units: units, total: summary.reminded, sent: true, chosen: nil,
                                        running: run.finished ? nil : ReminderPage.Running(done: summary.total - summary.pending, of: summary.total),
                                        summary: tally.summary, error: nothing ? "没有单位需要催报：所选单位在发送时均已提交全部报表，或发起催报的账户已停用。" : nil).encodeResponse(for: req)
        if !run.finished { response.headers.replaceOrAdd(name: "Refresh", value: "2") }
        return response
    }

    func render(_ req: Request, _ progress: Progress, units: [ReminderPage.Unit], total: Int, sent: Bool, chosen: [String]?,
                error: String?) async throws -> View {
        try await render(req, year: progress.year, pastDeadline: progress.pastDeadline, units: units, total: total, sent: sent, chosen: chosen, error: error)
    }

    func render(_ req: Request, year: Int, pastDeadline: Bool, units: [ReminderPage.Unit], total: Int, sent: Bool, chosen: [String]?,
                running: ReminderPage.Running? = nil, summary: String = "", error: String?) async throws -> View {
        let delivery: String
        switch req.application.mailDelivery {
        case .smtp(let url, _, _): delivery = "通过 SMTP 服务器 \(Self.hostOnly(url)) 发送邮件"
        case .outbox(let directory, _): delivery = "未配置 SMTP：邮件写入发件箱目录 \(directory.path)（.eml 文件，可用邮件客户端发送）"
        }
        return try await req.view.render("reminders", ReminderPage(run: UUID().uuidString,
            layout: PageController().layout(req, running != nil ? "正在催报" : sent ? "催报结果" : "确认催报"), year: year,
            deadline: Self.chineseDeadline(req, year), pastDeadline: pastDeadline, mode: pastDeadline ? "逾期催报" : "未报催报", delivery: delivery,
            units: units, hasUnits: !units.isEmpty, total: total, unlisted: max(0, total - units.count), all: chosen == nil, chosen: chosen ?? [],
            summary: summary, sent: sent, running: running, error: error))
    }

    /// `2027年3月10日`: the deadline as the reminder and its e-mail say it.
    static func chineseDeadline(_ req: Request, _ year: Int) -> String {
        let day = req.platform.deadline(for: year)
        return "\(day.year)年\(day.month)月\(day.day)日"
    }

    /// The unit's unacknowledged reminders, for its home page.
    static func notices(unitID: UUID, on db: any Database) async throws -> [ReminderNoticeView] {
        try await ReminderNotices.unread(unitID: unitID, on: db).map {
            ReminderNoticeView(id: try $0.requireID().uuidString, sentAt: AuditSearch.beijingTime($0.sentAt), year: $0.year, forms: $0.forms,
                               deadline: $0.deadline)
        }
    }

    /// `smtp://user:secret@mail.example:587` → `mail.example:587`: never show a password on a page.
    static func hostOnly(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "（已配置）" }
        return components.port.map { "\(host):\($0)" } ?? host
    }
}

/// What a 催报 run did, counted over every unit (the page lists only the first).
struct ReminderTally {
    var units = 0
    var byChannel: [Reminder.Channel: Int] = [:]
    /// E-mails that did not go although the unit has an address.
    var failed = 0
    /// Units that had submitted every form they owed by the time their batch was sent.
    var skipped = 0

    init(_ summary: ReminderRunStore.Summary) {
        units = summary.reminded
        failed = summary.mailFailed
        skipped = summary.byOutcome[ReminderRunStore.skipped] ?? 0
        for (outcome, count) in summary.byOutcome {
            if let channel = Reminder.Channel(rawValue: outcome) { byChannel[channel, default: 0] += count }
        }
    }

    /// `邮件（SMTP） 3 个，仅站内提醒 2 个（其中 1 个单位有邮箱但邮件未能送出，…）`.
    var summary: String {
        let labels: [(Reminder.Channel, String)] = [(.smtp, "邮件（SMTP）"), (.outbox, "邮件（发件箱文件）"), (.notice, "仅站内提醒")]
        var text = labels.compactMap { channel, label in byChannel[channel].map { "\(label) \($0) 个" } }.joined(separator: "，")
        if failed > 0 { text += "（其中 \(failed) 个单位有邮箱但邮件未能送出：列在下表最前，原因也记入审计日志）" }
        if skipped > 0 { text += "；另有 \(skipped) 个单位在发送前已提交全部报表，未再催报" }
        return text
    }
}

struct MailDeliveryKey: StorageKey { typealias Value = MailDelivery }
struct ReminderListLimitKey: StorageKey { typealias Value = Int }

extension Application {
    /// How reminder e-mails leave (set by `OfficeTools.register` from the environment).
    var mailDelivery: MailDelivery {
        get { storage[MailDeliveryKey.self] ?? .outbox(directory: URL(fileURLWithPath: "outbox"), from: "noreply@drs.invalid") }
        set { storage[MailDeliveryKey.self] = newValue }
    }

    /// How many units the 催报 pages list (the confirmation's and the result's first); all are counted.
    var reminderListLimit: Int {
        get { storage[ReminderListLimitKey.self] ?? 200 }
        set { storage[ReminderListLimitKey.self] = newValue }
    }
}
