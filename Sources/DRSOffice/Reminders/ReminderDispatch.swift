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
        /// Whether this sending stored the unit's notice and audit line: false only within a run, when
        /// another worker's sending of the same batch recorded the unit first (its lease had lapsed).
        public var recorded = true

        /// Whether this sending reminded the unit: it stored the notice, or it sent or wrote an e-mail
        /// (which went out even when the other worker recorded the unit first).
        public var reminded: Bool { recorded || channel != .notice }
    }

    public var delivery: MailDelivery
    public var catalog: CompiledCatalog
    public var gate: WriteGate?
    public var now: @Sendable () -> Date
    /// Units recorded per transaction: a whole nation's 全部催报 is thousands of units, and one
    /// transaction (and, on SQLite, one turn of the writer) per unit made it a matter of minutes.
    public var batchSize: Int
    /// E-mails on their way at once (each SMTP message is a `curl` of its own, waiting on the server).
    public var concurrentDeliveries: Int

    public init(delivery: MailDelivery, catalog: CompiledCatalog, gate: WriteGate?, now: @escaping @Sendable () -> Date = { Date() },
                batchSize: Int = 200, concurrentDeliveries: Int = 8) {
        self.delivery = delivery
        self.catalog = catalog
        self.gate = gate
        self.now = now
        self.batchSize = max(1, batchSize)
        self.concurrentDeliveries = max(1, concurrentDeliveries)
    }

    /// Reminds each unit of `owing` of the year's deadline, a batch at a time: the batch's addresses in
    /// one look-up, its e-mails a few at once, then its notices and audit lines in one transaction.
    /// The outcomes come in `owing`'s order. Within a run (`ReminderRunStore`), each batch's transaction
    /// also records its units' outcomes, and the first records the units `skipped` (they no longer owe).
    public func send(_ owing: [Owing], year: Int, deadline: String, overdue: Bool, actor: Actor, on db: any Database,
                     run: UUID? = nil, skipped: [UUID] = []) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        var skipped = skipped.map { ReminderRunStore.Recorded(unitID: $0, outcome: ReminderRunStore.skipped, forms: nil, recipient: nil, problem: nil) }
        if owing.isEmpty, let run, !skipped.isEmpty {
            let recorded = skipped
            try await gate.run { try await db.transaction { tx in _ = try await ReminderRunStore.record(recorded, run: run, on: tx) } }
        }
        for start in stride(from: 0, to: owing.count, by: batchSize) {
            let batch = Array(owing[start..<min(start + batchSize, owing.count)])
            outcomes += try await sendBatch(batch, year: year, deadline: deadline, overdue: overdue, actor: actor, on: db,
                                            run: run.map { ($0, skipped) })
            skipped = []
        }
        return outcomes
    }

    /// One unit's reminder as it is being sent.
    private struct Planned: Sendable {
        var item: Owing
        var unitID: UUID
        var id: UUID
        var address: String?
        var channel = Reminder.Channel.notice
        var problem: String?
    }

    private func sendBatch(_ batch: [Owing], year: Int, deadline: String, overdue: Bool, actor: Actor, on db: any Database,
                           run: (id: UUID, skipped: [ReminderRunStore.Recorded])?) async throws -> [Outcome] {
        let sentAt = now()
        let addresses = try await ContactEmail.addresses(for: batch.map(\.unit), year: year, catalog: catalog, on: db)
        var planned = try batch.map { item in
            let unitID = try item.unit.requireID()
            return Planned(item: item, unitID: unitID, id: UUID(), address: addresses[unitID])
        }
        try await deliver(&planned, year: year, deadline: deadline, overdue: overdue, sentAt: sentAt)
        let reminders = planned.map { unit in
            Reminder(id: unit.id, unitID: unit.unitID, year: year, forms: unit.item.forms.joined(separator: "、"), deadline: deadline, sentAt: sentAt,
                     sentBy: actor.username, channel: unit.channel, recipient: unit.channel == .notice ? nil : unit.address)
        }
        let audit = planned.map { unit in
            AuditEvent(at: sentAt, userID: actor.userID, username: actor.username, address: actor.address, kind: .reminderSent, unitID: unit.unitID,
                       newValue: unit.channel.rawValue,
                       detail: Self.auditDetail(year: year, forms: unit.item.forms, deadline: deadline, overdue: overdue, channel: unit.channel,
                                                recipient: unit.address, problem: unit.problem))
        }
        let recorded = planned.map { unit in
            ReminderRunStore.Recorded(unitID: unit.unitID, outcome: unit.channel.rawValue, forms: unit.item.forms.joined(separator: "、"),
                                      recipient: unit.address, problem: unit.problem)
        }
        let batchUnits = Set(planned.map(\.unitID))
        let recordedHere = try await gate.run {
            try await db.transaction { tx in
                // Within a run, only the units this batch records first get their notice and audit line.
                var mine = batchUnits
                if let run { mine = try await ReminderRunStore.record(run.skipped + recorded, run: run.id, on: tx) }
                let kept = (reminders: reminders.filter { mine.contains($0.$unit.id) }, audit: audit.filter { $0.unitID.map(mine.contains) ?? false })
                if !kept.reminders.isEmpty { try await kept.reminders.create(on: tx) }
                if !kept.audit.isEmpty { try await kept.audit.create(on: tx) }
                return mine
            }
        }
        return planned.map { unit in
            Outcome(unitName: unit.item.unit.name, creditCode: unit.item.unit.creditCode, channel: unit.channel, recipient: unit.address,
                    problem: unit.problem, recorded: recordedHere.contains(unit.unitID))
        }
    }

    /// The batch's e-mails, at most `concurrentDeliveries` at once; each result lands in its own slot
    /// (a unit without an address, or whose e-mail fails, keeps the notice with the reason).
    private func deliver(_ planned: inout [Planned], year: Int, deadline: String, overdue: Bool, sentAt: Date) async throws {
        try await withThrowingTaskGroup(of: (Int, Reminder.Channel, String?).self) { group in
            var next = 0, running = 0
            func startNext() {
                while running < concurrentDeliveries, next < planned.count {
                    let index = next, unit = planned[index]
                    next += 1
                    guard let address = unit.address else {
                        planned[index].problem = "该单位没有联系邮箱（名录库联系方式或基本情况表「电子邮箱」），仅作站内提醒"
                        continue
                    }
                    running += 1
                    group.addTask { [delivery] in
                        let content = ReminderMail.Content(unitName: unit.item.unit.name, year: year, forms: unit.item.forms, deadline: deadline, overdue: overdue)
                        let mail = ReminderMail.reminder(content, from: delivery.from, to: address, date: sentAt, id: unit.id)
                        do {
                            try await delivery.deliver(mail, name: Self.fileName(sentAt, unit.item.unit.creditCode, unit.id))
                            return (index, delivery.channel, nil)
                        } catch {
                            return (index, .notice, (error as? MailDelivery.Failure)?.description ?? "\(error)")
                        }
                    }
                }
            }
            startNext()
            while let (index, channel, problem) = try await group.next() {
                running -= 1
                planned[index].channel = channel
                planned[index].problem = problem
                startNext()
            }
        }
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
