import DRSApplication
import DRSCore
import DRSStorage
import FluentKit
import Foundation

/// Sends reminders (催报) to units that owe forms: for each, the e-mail (when the unit has an
/// address), the notice its filers see on their home page, and an audit line — one unit's failed
/// e-mail does not stop the others, and is recorded as such.
public struct ReminderDispatch: Sendable {
    /// One unit to remind and what it owes.
    public struct Owing: Sendable {
        public var unit: SurveyUnit
        /// Table numbers with their state (`公共1表（未填报）`).
        public var forms: [String]

        public init(unit: SurveyUnit, forms: [String]) {
            self.unit = unit
            self.forms = forms
        }
    }

    /// What happened for one unit.
    public struct Outcome: Sendable {
        public var unitName: String
        public var creditCode: String
        public var channel: Reminder.Channel
        public var recipient: String?
        /// Why the e-mail did not go (the notice was stored all the same).
        public var problem: String?
    }

    public var delivery: MailDelivery
    public var catalog: CompiledCatalog
    public var gate: WriteGate?
    public var now: @Sendable () -> Date

    public init(delivery: MailDelivery, catalog: CompiledCatalog, gate: WriteGate?, now: @escaping @Sendable () -> Date = { Date() }) {
        self.delivery = delivery
        self.catalog = catalog
        self.gate = gate
        self.now = now
    }

    /// Reminds each unit of `owing` of the year's deadline, one after another.
    public func send(_ owing: [Owing], year: Int, deadline: String, overdue: Bool, actor: Actor, on db: any Database) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for item in owing {
            outcomes.append(try await send(item, year: year, deadline: deadline, overdue: overdue, actor: actor, on: db))
        }
        return outcomes
    }

    private func send(_ item: Owing, year: Int, deadline: String, overdue: Bool, actor: Actor, on db: any Database) async throws -> Outcome {
        let unit = item.unit
        let unitID = try unit.requireID()
        let id = UUID()
        let sentAt = now()
        let address = try await ContactEmail.find(for: unit, year: year, catalog: catalog, on: db)
        var channel = Reminder.Channel.notice
        var problem: String?
        if let address {
            let content = ReminderMail.Content(unitName: unit.name, year: year, forms: item.forms, deadline: deadline, overdue: overdue)
            let mail = ReminderMail.reminder(content, from: delivery.from, to: address, date: sentAt, id: id)
            do {
                try await delivery.deliver(mail, name: Self.fileName(sentAt, unit.creditCode, id))
                channel = delivery.channel
            } catch {
                problem = (error as? MailDelivery.Failure)?.description ?? "\(error)"
            }
        } else {
            problem = "该单位没有联系邮箱（名录库联系方式或基本情况表「电子邮箱」），仅作站内提醒"
        }
        let channelUsed = channel
        let reminder = Reminder(id: id, unitID: unitID, year: year, forms: item.forms.joined(separator: "、"), deadline: deadline,
                                sentAt: sentAt, sentBy: actor.username, channel: channel, recipient: channel == .notice ? nil : address)
        let detail = Self.auditDetail(year: year, forms: item.forms, deadline: deadline, overdue: overdue, channel: channel,
                                      recipient: address, problem: problem)
        try await gate.run {
            try await db.transaction { tx in
                try await reminder.create(on: tx)
                try await AuditEvent(at: sentAt, userID: actor.userID, username: actor.username, address: actor.address, kind: .reminderSent,
                                     unitID: unitID, newValue: channelUsed.rawValue, detail: detail).create(on: tx)
            }
        }
        return Outcome(unitName: unit.name, creditCode: unit.creditCode, channel: channel, recipient: address, problem: problem)
    }

    /// The audit line's detail, in Chinese: forms, deadline, channel (smtp / outbox / notice).
    static func auditDetail(year: Int, forms: [String], deadline: String, overdue: Bool, channel: Reminder.Channel,
                            recipient: String?, problem: String?) -> String {
        var parts = ["\(overdue ? "逾期" : "未报")催报 \(year)年度：\(forms.joined(separator: "、"))", "截止日期 \(deadline)",
                     "送达方式 \(channel.rawValue)（\(channel.chineseName)）"]
        if let recipient, channel != .notice { parts.append("收件人 \(recipient)") }
        if let problem { parts.append(problem) }
        return parts.joined(separator: "；")
    }

    /// `20261204-101924-<credit code>-<id>`: sorts by time, says whom it is for, never collides.
    static func fileName(_ date: Date, _ creditCode: String, _ id: UUID) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let code = creditCode.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return "\(formatter.string(from: date))-\(code)-\(id.uuidString.lowercased())"
    }
}
