import DRSCore
import Foundation

/// A form laid out as the official table (表式): head, rows with 计量单位 and 代码, the columns, the
/// signature block, 填报说明 and 审核关系.
enum OfficialTable {
    static func render(_ compiled: CompiledForm, catalog: Catalog, definitions: Bool) -> String {
        let form = compiled.form
        var out: [String] = []
        let width = 96
        out.append(TextLayout.pad("", max(0, (width - TextLayout.width(form.title)) / 2)) + form.title)
        out.append("")
        for (label, value) in [("表　　号", form.tableNumber), ("制定机关", form.issuedBy), ("批准机关", form.approvedBy),
                               ("批准文号", form.approvalNumber), ("有效期至", yearMonth(form.validUntil))] {
            out.append(TextLayout.pad("", width - 34) + "\(label)：\(value)")
        }
        out.append("统计范围：\(form.scope)")
        out.append("报送单位：\(form.reporters)　报送：\(form.submissionMethod)")
        out.append("")
        switch form.kind {
        case .basicInfo: out += basicInfo(form)
        case .indicators: out += indicators(compiled, catalog: catalog, definitions: definitions)
        case .grid: out += grid(compiled, catalog: catalog, definitions: definitions)
        }
        out.append("")
        out.append("单位负责人：　　　　统计负责人：　　　　填表人：　　　　联系电话：　　　　报出日期：20　　年　　月　　日")
        if !form.notes.isEmpty {
            out.append("")
            out.append("填报说明：")
            for (i, note) in form.notes.enumerated() { out.append("　\(i + 1). \(note)") }
        }
        let printed = form.rules.filter { $0.origin == .printed }
        if !printed.isEmpty {
            out.append("")
            out.append("审核关系（\(printed.count)条）：" + printed.map { $0.seed ?? $0.expr }.joined(separator: "，"))
        }
        let implied = form.rules.filter { $0.origin == .implied }
        if !implied.isEmpty {
            out.append("隐含规则：" + implied.map { "\($0.expr)（\($0.severity.chineseName)）" }.joined(separator: "；"))
        }
        if form.source.rebuilt {
            out.append("")
            out.append("* 该行据「主要指标解释」重建（原表式页缺失）。\(form.source.how ?? "")")
        }
        for issue in form.seedIssues ?? [] { out.append("⚠ 原文问题 [\(issue.ref)]：\(issue.issue)") }
        return out.joined(separator: "\n")
    }

    private static func basicInfo(_ form: Form) -> [String] {
        var rows: [[String]] = []
        func add(_ item: Item, indent: String) {
            var detail = item.type.chineseName
            if let options = item.options {
                detail += "：" + options.map { "\($0.code) \($0.label)\($0.withText == true ? "____" : "")" }.joined(separator: "　")
            }
            if let unit = item.unit { detail += "（\(unit)）" }
            if item.filledBy == "office" { detail += "　〔调查单位免填〕" }
            rows.append([indent.isEmpty ? item.code : "", indent + item.name, detail, item.isRequired ? "必填" : ""])
            for field in item.fields ?? [] { add(field, indent: indent + "　") }
        }
        for item in form.allItems { add(item, indent: "") }
        return [TextLayout.table(["代码", "项目", "填写方式", ""], rows)]
    }

    private static func indicators(_ compiled: CompiledForm, catalog: Catalog, definitions: Bool) -> [String] {
        let form = compiled.form
        let columns = form.columns
        let head = ["指标名称", "计量单位", "代码"] + columns.map { compiled.columnName($0) }
        let numbering = ["甲", "乙", "丙"] + columns.indices.map { String($0 + 1) }
        var rows: [[String]] = [numbering]
        var section: String?
        for indicator in form.allIndicators {
            if let s = indicator.section, s != section {
                section = s
                for part in s.split(separator: "/") where !rows.contains(where: { $0.first == String(part) }) {
                    rows.append([String(part), "——", "——"] + columns.map { _ in "——" })
                }
            }
            let indent = indicator.parent == nil ? "" : "　　"
            let mark = indicator.rebuilt == true ? "*" : ""
            var note = ""
            if let applies = indicator.appliesTo { note = "〔\(applies.chineseName)〕" }
            if let breakdown = indicator.breakdown { note += "〔分\(catalog.codeLists[breakdown.codelist]?.name ?? breakdown.codelist)填报〕" }
            rows.append([indent + (indicator.printedName ?? indicator.name) + mark + note, indicator.unit, indicator.code]
                        + columns.map { indicator.columns.contains($0) ? "" : "——" })
            if definitions, let d = indicator.definition { rows.append(["　　" + d, "", ""] + columns.map { _ in "" }) }
        }
        return [TextLayout.table(head, rows)]
    }

    private static func grid(_ compiled: CompiledForm, catalog: Catalog, definitions: Bool) -> [String] {
        let form = compiled.form
        guard let breakdown = form.breakdown, let list = catalog.codeLists[breakdown.codelist] else { return [] }
        var out: [String] = []
        let years = form.columns.map { compiled.columnName($0) }.joined(separator: "、")
        out.append("分组：\(list.name)（\(list.members.count)个）；按\(years)分别填写。")
        // The code list says how the grid is printed: members with a printed column number (企业4表's
        // industry sections) are columns; members without (公共5表's regions) are rows, with the
        // indicators as columns.
        if !list.members.contains(where: { $0.printedColumn != nil }) {
            let head = ["地区"] + form.allIndicators.map { "\($0.name)（\($0.unit)）[\($0.code)]" }
            let rows = [["甲"] + form.allIndicators.indices.map { String($0 + 1) }] + list.members.map { [$0.name] + form.allIndicators.map { _ in "" } }
            out.append(TextLayout.table(head, rows))
        } else {
            out.append("栏目：" + list.members.enumerated().map { "\($0 + 1) \($1.name)" }.joined(separator: "　"))
            var rows: [[String]] = [["甲", "乙", "丙", "1–\(list.members.count)"]]
            var section: String?
            for indicator in form.allIndicators {
                if let s = indicator.section, s != section { section = s; rows.append([s, "——", "——", "——"]) }
                rows.append([(indicator.parent == nil ? "" : "　　") + indicator.name, indicator.unit, indicator.code, ""])
            }
            out.append(TextLayout.table(["指标名称", "计量单位", "代码", "各行业门类"], rows))
        }
        return out
    }
}

/// "2029-02" → "2029年2月", as printed on the forms.
func yearMonth(_ text: String) -> String {
    let parts = text.split(separator: "-")
    guard parts.count == 2, let month = Int(parts[1]) else { return text }
    return "\(parts[0])年\(month)月"
}
