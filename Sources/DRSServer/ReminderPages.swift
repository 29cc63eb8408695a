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
    func selected(_ req: Request, shown: Int) async throws -> Progress {
        let selection = try req.content.decode(Selection.self)
        if selection.all == "1" { return try await Progress.load(req, outstanding: .all(shown: shown)) }
        let ids = Array(Set((selection.units ?? []).compactMap { UUID(uuidString: $0) }))
        return try await Progress.load(req, outstanding: .units(ids, shown: shown))
    }

    func forms(_ owing: Progress.Owing, _ progress: Progress) -> [String] {
        owing.forms.map { "\(progress.formNames[$0.id] ?? $0.id)（\($0.status.chineseName)）" }
    }

    /// The confirmation: how many units, and the first of them with their addresses (a nation's
    /// 全部催报 is tens of thousands of units: the page lists `Application.reminderListLimit`).
    func confirm(_ req: Request) async throws -> View {
        let progress = try await selected(req, shown: req.application.reminderListLimit)
        let addresses = try await ContactEmail.addresses(for: progress.outstanding.map(\.unit), year: progress.year, catalog: req.platform.catalog, on: req.db)
        let units = try progress.outstanding.map { owing in
            let id = try owing.unit.requireID()
            return ReminderPage.Unit(id: id.uuidString, name: owing.unit.name, creditCode: owing.unit.creditCode,
                                     forms: forms(owing, progress).joined(separator: "、"), email: addresses[id] ?? "", outcome: "", problem: "")
        }
        let all = (try? req.content.get(String.self, at: "all")) == "1"
        return try await render(req, progress, units: units, total: progress.owingIDs.count, sent: false,
                                chosen: all ? nil : progress.owingIDs.map(\.uuidString),
                                error: units.isEmpty ? "没有选中需要催报的单位：请在报送进度页勾选单位，或选择「全部催报」。" : nil)
    }

    /// Sends to every unit chosen, a batch at a time (`ReminderDispatch`): the units are read a batch
    /// at a time too. The page counts all outcomes and lists the first, those whose e-mail failed first.
    func send(_ req: Request) async throws -> Response {
        let progress = try await selected(req, shown: 0)
        if let run = try req.content.decode(Selection.self).run.flatMap(UUID.init(uuidString:)),
           try await !ReminderDispatch.claim(run, year: progress.year, actor: req.actor, gate: req.platform.gate, on: req.db) {
            return try await render(req, progress, units: [], total: 0, sent: true, chosen: nil,
                                    error: "这一次催报已经发送过（同一确认页只发送一次），没有再次发送；发送结果见审计日志。")
                .encodeResponse(status: .conflict, for: req)
        }
        let dispatch = ReminderDispatch(delivery: req.application.mailDelivery, catalog: req.platform.catalog, gate: req.platform.gate)
        let store = req.platform.store(req.db)
        let deadline = Self.chineseDeadline(req, progress.year)
        let listed = req.application.reminderListLimit
        var failed: [ReminderPage.Unit] = [], others: [ReminderPage.Unit] = []
        var tally = ReminderTally()
        for start in stride(from: 0, to: progress.owingIDs.count, by: dispatch.batchSize) {
            let batch = try await store.units(inOrder: Array(progress.owingIDs[start..<min(start + dispatch.batchSize, progress.owingIDs.count)]))
            let chosen = try await Progress.owing(req, year: progress.year, units: batch, progress.decided)
            let outcomes = try await dispatch.send(chosen.map { .init(unit: $0.unit, forms: forms($0, progress)) }, year: progress.year,
                                                   deadline: deadline, overdue: progress.pastDeadline, actor: req.actor, on: req.db)
            for (owing, outcome) in zip(chosen, outcomes) {
                tally.count(outcome)
                let mailFailed = ReminderTally.mailFailed(outcome)
                guard (mailFailed ? failed : others).count < listed else { continue }
                let unit = ReminderPage.Unit(id: try owing.unit.requireID().uuidString, name: outcome.unitName, creditCode: outcome.creditCode,
                                             forms: forms(owing, progress).joined(separator: "、"), email: outcome.recipient ?? "",
                                             outcome: outcome.channel.chineseName, problem: outcome.problem ?? "")
                if mailFailed { failed.append(unit) } else { others.append(unit) }
            }
        }
        return try await render(req, progress, units: Array((failed + others).prefix(listed)), total: tally.units, sent: true, chosen: nil,
                                summary: tally.summary, error: tally.units == 0 ? "没有选中需要催报的单位。" : nil).encodeResponse(for: req)
    }

    func render(_ req: Request, _ progress: Progress, units: [ReminderPage.Unit], total: Int, sent: Bool, chosen: [String]?, summary: String = "",
                error: String?) async throws -> View {
        let delivery: String
        switch req.application.mailDelivery {
        case .smtp(let url, _, _): delivery = "通过 SMTP 服务器 \(Self.hostOnly(url)) 发送邮件"
        case .outbox(let directory, _): delivery = "未配置 SMTP：邮件写入发件箱目录 \(directory.path)（.eml 文件，可用邮件客户端发送）"
        }
        return try await req.view.render("reminders", ReminderPage(run: UUID().uuidString,
            layout: PageController().layout(req, sent ? "催报结果" : "确认催报"), year: progress.year, deadline: Self.chineseDeadline(req, progress.year),
            pastDeadline: progress.pastDeadline, mode: progress.pastDeadline ? "逾期催报" : "未报催报", delivery: delivery, units: units, hasUnits: !units.isEmpty,
            total: total, unlisted: max(0, total - units.count), all: chosen == nil, chosen: chosen ?? [], summary: summary, sent: sent, error: error))
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

    mutating func count(_ outcome: ReminderDispatch.Outcome) {
        units += 1
        byChannel[outcome.channel, default: 0] += 1
        if Self.mailFailed(outcome) { failed += 1 }
    }

    /// The unit has an address, and its e-mail did not go.
    static func mailFailed(_ outcome: ReminderDispatch.Outcome) -> Bool { outcome.recipient != nil && outcome.channel == .notice }

    /// `邮件（SMTP） 3 个，仅站内提醒 2 个（其中 1 个单位有邮箱但邮件未能送出，…）`.
    var summary: String {
        let labels: [(Reminder.Channel, String)] = [(.smtp, "邮件（SMTP）"), (.outbox, "邮件（发件箱文件）"), (.notice, "仅站内提醒")]
        let counted = labels.compactMap { channel, label in byChannel[channel].map { "\(label) \($0) 个" } }.joined(separator: "，")
        return failed > 0 ? "\(counted)（其中 \(failed) 个单位有邮箱但邮件未能送出：列在下表最前，原因也记入审计日志）" : counted
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
