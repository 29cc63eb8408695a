import DRSCore
import DRSWorkflow
import Foundation

/// Lays one form out like the official table for `FormPage`, from the submission's detail as the
/// API returns it (`values`, `lastYear`, `answers`): indicator sections, grids, basic-information items.
struct FormPageBuilder {
    let compiled: CompiledForm
    /// This year's figures, `{code: {column: value | {member: value}}}`.
    let filled: JSONValue
    /// Last year's verified figures in the same shape, or null.
    let lastYear: JSONValue
    let profile: UnitProfile
    /// Rows skip logic leaves out for this unit, with the reason shown beside them (row code → reason).
    var skipped: [String: String] = [:]
    /// Slots of `compiled.layout.cells` that must be answered (blank is not zero).
    var requiredSlots: Set<Int> = []

    private var form: Form { compiled.form }

    /// The text of `key` in figures shaped like the API's `values`.
    static func valueText(_ json: JSONValue?, _ key: CellKey) -> String {
        guard let row = json?[key.code], let column = row[key.column] else { return "" }
        if let m = key.member { return column[m]?.stringValue ?? "" }
        return column.stringValue ?? ""
    }

    /// One input cell; a closed one (——) for a key the layout does not have.
    func cell(_ key: CellKey?, label: String) -> FormPage.CellView {
        guard let key, let slot = compiled.layout.slot(key) else { return .init(key: "", open: false, value: "", lastYear: "", label: label) }
        // A carried cell (上年同期) shows the figure of last year it is carried from.
        let hint = CarryOver.source(of: key).map { Self.valueText(lastYear, $0) } ?? ""
        return .init(key: key.description, open: true, value: Self.valueText(filled, key), lastYear: hint, label: label,
                     columnName: compiled.columnName(key.column), required: requiredSlots.contains(slot))
    }

    var columns: [FormPage.ColumnHead] {
        form.columns.enumerated().map { FormPage.ColumnHead(id: $1, name: compiled.columnName($1), number: $0 + 1) }
    }

    private func memberName(_ member: String) -> String {
        compiled.layout.cells.first { $0.key.member == member }?.memberName ?? member
    }

    /// Indicator forms: rows grouped by section, with a sub-table for rows broken down by province.
    func sections() -> [FormPage.Section] {
        var sections: [FormPage.Section] = []
        for indicator in form.allIndicators {
            let title = (indicator.section ?? "").replacingOccurrences(of: "/", with: " · ")
            if sections.last?.title != title { sections.append(.init(title: title, rows: [])) }
            sections[sections.count - 1].rows.append(row(indicator))
        }
        return sections
    }

    private func row(_ indicator: Indicator) -> FormPage.Row {
        let members = compiled.layout.membersByRow[indicator.code]
        let note = members != nil ? "分省填报" : indicator.appliesTo?.chineseName ?? ""
        // The accessible name carries the printed row name, its code and the column: 「数据生产总量（01）截至本年」.
        let rowName = indicator.printedName ?? indicator.name
        let cells = form.columns.map { column -> FormPage.CellView in
            guard indicator.columns.contains(column), members == nil else { return cell(nil, label: "") }
            return cell(CellKey(code: indicator.code, column: column), label: "\(rowName)（\(indicator.code)）\(compiled.columnName(column))")
        }
        let memberRows = (members ?? []).map { m -> FormPage.MemberRow in
            let name = memberName(m)
            return .init(name: name, cells: form.columns.map { column in
                guard indicator.columns.contains(column) else { return cell(nil, label: "") }
                return cell(CellKey(code: indicator.code, column: column, member: m), label: "\(rowName)·\(name)（\(indicator.code)）\(compiled.columnName(column))")
            })
        }
        let skipReason = skipped[indicator.code] ?? ""
        return .init(code: indicator.code, name: rowName, unit: indicator.unit, isSubItem: indicator.parent != nil,
                     definition: indicator.definition ?? "", note: note,
                     applies: (indicator.appliesTo?.applies(to: profile) ?? true) && skipReason.isEmpty, skipReason: skipReason,
                     cells: cells, members: memberRows, hasMembers: !memberRows.isEmpty)
    }

    /// Grid forms: one table per year column.
    func grids() -> [FormPage.Grid] {
        let members = compiled.layout.membersByRow[form.allIndicators.first?.code ?? ""] ?? []
        return form.columns.map { column in
            form.breakdown?.total != nil ? regionGrid(column, members: members) : industryGrid(column, members: members)
        }
    }

    /// 公共5表: regions as rows, indicators as columns.
    private func regionGrid(_ column: String, members: [String]) -> FormPage.Grid {
        let rows = members.map { m -> FormPage.GridRow in
            let name = memberName(m)
            return .init(name: name, isTotal: m == form.breakdown?.total, cells: form.allIndicators.map {
                cell(CellKey(code: $0.code, column: column, member: m), label: "\(name)·\($0.name)（\(compiled.columnName(column))）")
            })
        }
        return .init(column: column, columnName: compiled.columnName(column), heads: form.allIndicators.map { "\($0.name)（\($0.unit)）" }, rows: rows)
    }

    /// 企业4表: indicators as rows, industry sections as columns.
    private func industryGrid(_ column: String, members: [String]) -> FormPage.Grid {
        let names = members.map(memberName)
        let rows = form.allIndicators.map { indicator in
            FormPage.GridRow(name: "\(indicator.code) \(indicator.name)（\(indicator.unit)）", isTotal: false, cells: zip(members, names).map { m, n in
                cell(CellKey(code: indicator.code, column: column, member: m), label: "\(indicator.name)·\(n)（\(compiled.columnName(column))）")
            })
        }
        return .init(column: column, columnName: compiled.columnName(column), heads: names, rows: rows)
    }

    /// Basic-information forms: every item with its answer.
    func items(answers: JSONValue) -> [FormPage.ItemView] {
        let skip = ItemSkipLogic(form: form)
        return form.allItems.map { skip.apply(to: Self.itemView($0, key: $0.code, answer: answers[$0.code]), item: $0) }
    }

    private static func itemView(_ item: Item, key: String, answer: JSONValue?) -> FormPage.ItemView {
        let options = (item.options ?? []).map { option($0, answer: answer) }
        let fields = (item.fields ?? []).map { f in itemView(f, key: key + "." + (f.key ?? f.code), answer: answer?[f.key ?? f.code]) }
        var value = ""
        switch answer {
        case .string(let s)?: value = s
        case .number(let n)?: value = n
        default: break
        }
        return .init(code: item.code, name: item.name, type: item.type.rawValue, typeName: item.type.chineseName, required: item.isRequired,
                     officeFilled: item.filledBy == "office", definition: item.definition ?? "", key: key, value: value,
                     isChoice: item.type == .singleChoice || item.type == .multipleChoice, isMultiple: item.type == .multipleChoice,
                     isNumber: item.isNumeric, isText: !(item.isNumeric || item.type == .group || item.type == .singleChoice || item.type == .multipleChoice),
                     options: options, fields: fields, hasFields: !fields.isEmpty, unit: item.unit ?? (item.type == .percentage ? "%" : ""))
    }

    /// A choice, checked when the answer (one code, `{code, text}`, or a list of them) names it.
    private static func option(_ o: Item.Option, answer: JSONValue?) -> FormPage.OptionView {
        var checked = false, text = ""
        func matches(_ v: JSONValue) -> Bool {
            if v.stringValue == o.code { return true }
            if v["code"]?.stringValue == o.code { text = v["text"]?.stringValue ?? ""; return true }
            return false
        }
        if case .array(let list)? = answer { checked = list.contains(where: matches) } else if let answer { checked = matches(answer) }
        return .init(code: o.code, label: o.label, checked: checked, withText: o.withText ?? false, text: text)
    }
}
