import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The history of one submission as a person reads it: the form's, rows', columns' and members'
/// Chinese names instead of cell keys, values as entered (thousands separators, 空 for none), who
/// (name and role), when (Beijing time), and what the platform did on its own — 摘抄, 合并, 批量导入,
/// 重新打开 — labelled as such. The API's `GET …/history` answers the same lines unchanged.
struct HistoryPages {
    func page(_ req: Request) async throws -> View {
        let (unit, form, year) = try SubmissionController().resolve(req)
        let store = req.platform.store(req.db)
        let unitID = try unit.requireID()
        var events: [AuditEvent] = []
        if let s = try await store.find(unitID: unitID, formID: form.form.id, year: year) {
            events = try await store.history(id: try s.requireID())
        }
        let ids = Array(Set(events.compactMap(\.userID)))
        let users = ids.isEmpty ? [] : try await UserAccount.query(on: req.db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(users.compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        let describer = HistoryLines(form: form, codeLists: req.platform.catalog.catalog.codeLists)
        let lines = events.flatMap { describer.lines($0, user: $0.userID.flatMap { byID[$0] }) }
        let base = "/units/\(unitID.uuidString)/\(year)/\(form.form.id)"
        return try await req.view.render("history", ReadableHistoryPage(
            layout: PageController().layout(req, "修改记录"), title: "\(unit.name) \(year)年 \(form.form.tableNumber) \(form.form.title)",
            backURL: base, events: lines))
    }
}

struct ReadableHistoryPage: Encodable {
    var layout: Layout
    var title: String
    var backURL: String
    var events: [HistoryLines.Line]
}

/// The lines of one audit event, in words (an answers change becomes one line per item changed).
struct HistoryLines {
    var form: CompiledForm
    var codeLists: [String: CodeList]

    struct Line: Encodable {
        var at: String
        var who: String
        var role: String
        var address: String
        var action: String
        /// The platform acted (摘抄, 合并, 批量导入, 重新打开), not a person typing.
        var isSystem: Bool
        var item: String
        var old: String
        var new: String
        var note: String
    }

    /// Beijing time, as the survey's calendar reads it (one formatter per page: formatters are not shared across tasks).
    let timeFormat: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "zh_CN")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f
    }()

    func lines(_ event: AuditEvent, user: UserAccount?) -> [Line] {
        let system = event.userID == nil && event.username == SystemAudit.username
        var line = Line(at: timeFormat.string(from: event.at), who: system ? "系统" : (user?.displayName ?? event.username),
                        role: system ? "" : (user?.role.chineseName ?? ""), address: system ? "" : event.address,
                        action: PageController.kindName(event.kind), isSystem: system, item: "", old: "", new: "", note: event.detail)
        (line.action, line.isSystem, line.note) = action(event, system: system)
        if event.kind == .statusChanged {
            line.item = "状态"
            line.old = event.oldValue.map(PageController.statusText) ?? "空"
            line.new = event.newValue.map(PageController.statusText) ?? "空"
            return [line]
        }
        guard let cell = event.cell else { return [line] }
        if cell == "answers" { return answerLines(event, base: line) }
        if cell.hasPrefix("说明:") {
            let code = String(cell.dropFirst("说明:".count))
            line.item = "变化说明（\(form.form.indicator(code).map { "\($0.name)[\(code)]" } ?? code)）"
            line.old = Self.text(event.oldValue)
            line.new = Self.text(event.newValue)
            return [line]
        }
        line.item = Self.cellName(cell, form)
        line.old = Self.figure(event.oldValue)
        line.new = Self.figure(event.newValue)
        return [line]
    }

    /// The action's words, whether the platform took it, and what remains of the detail to show.
    private func action(_ event: AuditEvent, system: Bool) -> (String, Bool, String) {
        let detail = event.detail
        if detail == SystemAudit.carryOver { return ("摘抄上年数据（上年同期）", true, "取自上年已核定报表的本年实际数") }
        if detail == SystemAudit.consolidation { return ("集团汇总（合并）", true, "由子公司报表与总部本部数据合并生成") }
        if detail.hasPrefix(SystemAudit.importPrefix) {
            return ("批量导入", true, "来源：" + detail.dropFirst(SystemAudit.importPrefix.count))
        }
        if event.kind == .statusChanged {
            // A step's line reads "审核通过" or "退回：原因" (SubmissionStore.transition names the step).
            let parts = detail.split(separator: "：", maxSplits: 1).map(String.init)
            let step = parts.first ?? ""
            let reason = parts.count > 1 ? "原因：" + parts[1] : ""
            if step == SubmissionStep.reopen.chineseName { return ("重新打开", true, reason) }
            // A group's report returned or reopened because a subsidiary's was (ConsolidationRules.groupReason).
            if detail.hasSuffix("集团汇总数须重新计算") { return ("\(step)（随子公司报表）", true, reason) }
            if SubmissionLifecycle.transitions.contains(where: { $0.chineseName == step }), !step.isEmpty { return (step, system, reason) }
            return (Self.stepName(from: event.oldValue, to: event.newValue), system, detail)
        }
        return (event.kind == .valueChanged ? (system ? "系统修改" : "修改") : PageController.kindName(event.kind), system, detail)
    }

    /// The step a status change without a named step was (提交: 草稿 → 已提交), from the lifecycle table.
    static func stepName(from old: String?, to new: String?) -> String {
        guard let from = old.flatMap(SubmissionStatus.init(rawValue:)), let to = new.flatMap(SubmissionStatus.init(rawValue:)) else {
            return "状态变更"
        }
        if from == .notStarted { return "开始填报" }
        let steps = SubmissionLifecycle.steps(from: from).filter { SubmissionLifecycle.transition($0).status(after: from) == to }
        return steps.count == 1 ? (steps.first?.chineseName ?? "状态变更") : "状态变更"
    }

    /// An answers change (the whole answers object before and after) as one line per item that changed.
    private func answerLines(_ event: AuditEvent, base: Line) -> [Line] {
        let old = event.oldValue.flatMap { try? JSONValue.parse($0) } ?? .object([])
        let new = event.newValue.flatMap { try? JSONValue.parse($0) } ?? .object([])
        var lines: [Line] = []
        for item in form.form.allItems {
            for (name, itemDef, key) in Self.answerItems(item) {
                let before = AnswerSummary.answerText(itemDef, Self.lookup(old, key), codeLists)
                let after = AnswerSummary.answerText(itemDef, Self.lookup(new, key), codeLists)
                guard before != after else { continue }
                var line = base
                line.item = name
                line.old = before.isEmpty ? "空" : before
                line.new = after.isEmpty ? "空" : after
                lines.append(line)
            }
        }
        if lines.isEmpty {
            var line = base
            line.item = "基本情况"
            line.new = "（格式调整，内容未变）"
            lines.append(line)
        }
        return lines
    }

    /// An item and, for a group, each field: (name, definition, path of keys in the answers).
    static func answerItems(_ item: Item) -> [(String, Item, [String])] {
        guard item.type == .group else { return [(item.name, item, [item.code])] }
        return (item.fields ?? []).map { field in
            (field.name == item.name ? item.name : "\(item.name)·\(field.name)", field, [item.code, field.key ?? field.code])
        }
    }

    static func lookup(_ json: JSONValue, _ path: [String]) -> JSONValue? {
        var value: JSONValue? = json
        for key in path { value = value?[key] }
        return value
    }

    /// 数据生产总量[01] 本年实际 · 北京市, from a stored key (`01:cur@110000`); the key when the catalog has no such cell.
    static func cellName(_ cell: String, _ form: CompiledForm) -> String {
        guard let key = CellKey(parsing: cell), let slot = form.layout.slot(key), slot < form.layout.cells.count else {
            return "（本版报表已无此单元格）"
        }
        let c = form.layout.cells[slot]
        let column = key.column == "value" ? "" : " " + form.columnName(key.column)
        return "\(c.name)[\(key.code)]\(column)\(c.memberName.map { " · \($0)" } ?? "")"
    }

    static func figure(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "空" }
        return ReviewDesk.grouped(value)
    }

    static func text(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "空" }
        return value
    }
}
