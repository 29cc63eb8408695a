import DRSCore
import XLSXWriter

/// What a template is prefilled with (all optional).
struct TemplateContent: Sendable {
    var unitName: String?
    var creditCode: String?
    var year: Int?
    var values: CellValues?
    var answers: [String: JSONValue] = [:]
    var explanations: [String: String] = [:]
}

/// The visible sheet of a form's template and its markers, built cell by cell. The same builder
/// lays out a template for download and, without content, the expected layout an upload is read
/// against — so the two cannot drift apart.
struct TemplateLayout {
    enum Binding: Sendable {
        case figure(slot: Int)
        case answer(AnswerField)
        case explanation(code: String)
    }

    struct Input: Sendable {
        var marker: TemplateMarker
        var position: CellAddress
        var binding: Binding
    }

    let form: CompiledForm
    let catalog: CompiledCatalog
    let content: TemplateContent
    let sheetName: String

    private(set) var grid: [Int: [Int: Cell]] = [:]
    private(set) var heights: [Int: Double] = [:]
    private(set) var merges: [CellRange] = []
    private(set) var markers: [TemplateMarker] = []
    private(set) var inputs: [Input] = []
    private(set) var closed: [(marker: TemplateMarker, position: CellAddress)] = []
    private(set) var anchors: [(marker: TemplateMarker, position: CellAddress)] = []
    private(set) var columnFormats: [ColumnFormat] = []
    private(set) var frozen: FrozenPanes?
    private(set) var headerRows: ClosedRange<Int>?
    private(set) var lastColumn = 1
    private(set) var lead = 3
    private var row = 1

    static let indentUnit = "\u{3000}\u{3000}"

    init(form: CompiledForm, catalog: CompiledCatalog, content: TemplateContent = TemplateContent()) {
        self.form = form
        self.catalog = catalog
        self.content = content
        self.sheetName = SheetName.sanitize(form.form.tableNumber, fallback: form.form.id)
        switch form.form.kind {
        case .basicInfo: basicInfoBody()
        case .indicators: indicatorsBody()
        case .grid:
            if membersAsRows { gridMembersAsRows() } else { gridMembersAsColumns() }
        }
        foot()
    }

    // MARK: Output

    var sheet: Sheet {
        let lastRow = row - 1
        var rows: [Sheet.Row] = []
        rows.reserveCapacity(lastRow)
        for r in 1...max(lastRow, 1) {
            let cells = grid[r] ?? [:]
            let width = cells.keys.max() ?? 0
            var line = Array(repeating: Cell.empty, count: width)
            for (c, cell) in cells { line[c - 1] = cell }
            rows.append(Sheet.Row(line, height: heights[r]))
        }
        let setup = SheetSetup(columns: columnFormats, frozen: frozen, page: .officialTable(headerRows: headerRows))
        return Sheet(name: sheetName, setup: setup, rows: rows, merges: merges)
    }

    // MARK: Building blocks

    private mutating func put(_ r: Int, _ c: Int, _ cell: Cell) {
        grid[r, default: [:]][c] = cell
        lastColumn = max(lastColumn, c)
    }

    private mutating func mergeRow(_ r: Int, _ columns: ClosedRange<Int>) {
        guard columns.count > 1 else { return }
        merges.append(CellRange(rows: r...r, columns: columns))
    }

    private func address(_ r: Int, _ c: Int) -> CellAddress { CellAddress(row: r, column: c) }

    private mutating func input(_ r: Int, _ c: Int, key: String, label: String, binding: Binding, cell: Cell) {
        let position = address(r, c)
        let kind: TemplateMarker.Kind
        if case .explanation = binding { kind = .explanation } else { kind = .cell }
        let marker = TemplateMarker(kind: kind, key: key, sheet: sheetName, address: position.description, label: label)
        markers.append(marker)
        inputs.append(Input(marker: marker, position: position, binding: binding))
        put(r, c, cell)
    }

    private mutating func closedCell(_ r: Int, _ c: Int, key: String, reason: String) {
        let position = address(r, c)
        let marker = TemplateMarker(kind: .closed, key: key, sheet: sheetName, address: position.description, label: reason)
        markers.append(marker)
        closed.append((marker, position))
        put(r, c, .empty(style: .notApplicable))
    }

    private mutating func anchor(_ kind: TemplateMarker.Kind, _ r: Int, _ c: Int, key: String, text: String, label: String, style: CellStyle) {
        let position = address(r, c)
        let marker = TemplateMarker(kind: kind, key: key, sheet: sheetName, address: position.description, expected: text, label: label)
        markers.append(marker)
        anchors.append((marker, position))
        put(r, c, .text(text, style: style))
    }

    private func figureCell(_ slot: Int) -> Cell {
        if let value = content.values?[slot] { return .number(value.description, style: .number()) }
        return .empty(style: .number())
    }

    private func unitName(_ id: String) -> String { catalog.catalog.survey.unit(id)?.name ?? id }

    private func indent(_ depth: Int) -> String { String(repeating: Self.indentUnit, count: depth) }

    private var indicators: [Indicator] { form.form.allIndicators }

    private func depth(of indicator: Indicator) -> Int {
        var depth = 0
        var parent = indicator.parent
        while let p = parent, depth < 8 {
            depth += 1
            parent = form.form.indicator(p)?.parent
        }
        return depth
    }

    private func members(of indicator: Indicator) -> [CodeList.Member] {
        guard let breakdown = indicator.breakdown ?? (form.form.kind == .grid ? form.form.breakdown : nil) else { return [] }
        return catalog.catalog.codeLists[breakdown.codelist]?.members ?? []
    }

    /// 公共5表 (4 indicators × 33 regions) runs its regions down the sheet, as printed; 企业4表 (20
    /// indicators × 20 industry sections) its indicators: the longer dimension goes down.
    private var membersAsRows: Bool {
        indicators.count < (indicators.first.map { members(of: $0).count } ?? 0)
    }

    private func yearNote(_ column: ColumnID) -> String {
        guard let year = content.year else { return "" }
        switch column {
        case "cum": return "（截至\(year)年末）"
        case "cur": return "（\(year)年）"
        case "prev": return "（\(year - 1)年）"
        case "next": return "（\(year + 1)年）"
        default: return ""
        }
    }

    /// Rows 1–6: title; unit and year on the left; 表号, 制定机关, 批准机关, 批准文号, 有效期 on the right.
    private mutating func head(lead: Int, last: Int) {
        self.lead = lead
        lastColumn = last
        let f = form.form
        put(1, 1, .text(f.title, style: .title))
        mergeRow(1, 1...last)
        heights[1] = 32
        let left = [
            "统一社会信用代码：" + (content.creditCode ?? ""),
            "单位详细名称：" + (content.unitName ?? ""),
            "调查年份：" + (content.year.map { "\($0)年" } ?? "\u{3000}\u{3000}\u{3000}\u{3000}年"),
            "报告期别：" + f.period,
            "报送方式：" + f.submissionMethod,
        ]
        let right = [
            "表\u{3000}\u{3000}号：" + f.tableNumber,
            "制定机关：" + f.issuedBy,
            "批准机关：" + f.approvedBy,
            "批准文号：" + f.approvalNumber,
            "有效期至：" + Self.validity(f.validUntil),
        ]
        for i in 0..<5 {
            let r = 2 + i
            put(r, 1, .text(left[i]))
            mergeRow(r, 1...lead)
            put(r, lead + 1, .text(right[i]))
            mergeRow(r, (lead + 1)...max(lead + 1, last))
        }
        row = 8
    }

    /// `2029-02` → `2029年2月`.
    static func validity(_ text: String) -> String {
        let parts = text.split(separator: "-")
        if parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]) { return "\(y)年\(m)月" }
        return text
    }

    /// A section or part heading across the whole table, with who fills its rows when all share it.
    private mutating func heading(_ text: String, rows: [Indicator]) {
        var title = text
        if let first = rows.first?.appliesTo, rows.allSatisfy({ $0.appliesTo == first }) { title += "（\(first.chineseName)）" }
        put(row, 1, .text(title, style: .text))
        for c in 2...max(2, lastColumn) { put(row, c, .empty(style: .text)) }
        mergeRow(row, 1...lastColumn)
        row += 1
    }

    private static func splitSection(_ section: String?) -> (part: String?, section: String?) {
        guard let section else { return (nil, nil) }
        let pieces = section.split(separator: "/", maxSplits: 1).map(String.init)
        return pieces.count == 2 ? (pieces[0], pieces[1]) : (nil, section)
    }

    /// Section and part headings before each indicator that starts one.
    private mutating func headings(before index: Int, in list: [Indicator]) {
        let current = Self.splitSection(list[index].section)
        let previous = index > 0 ? Self.splitSection(list[index - 1].section) : (part: nil, section: nil)
        if let part = current.part, part != previous.part {
            heading(part, rows: list.filter { Self.splitSection($0.section).part == part })
        }
        if let section = current.section, section != previous.section || current.part != previous.part {
            heading(section, rows: list.filter { Self.splitSection($0.section) == current })
        }
    }

    // MARK: Indicators forms (rows × 截至本年/本年实际/上年同期/下年预估)

    private mutating func indicatorsBody() {
        let columns = form.form.columns
        let explanationColumn = 4 + columns.count
        indicatorsHead(columns: columns, explanationColumn: explanationColumn)
        let list = indicators
        for (index, indicator) in list.enumerated() {
            headings(before: index, in: list)
            indicatorRows(indicator, columns: columns, explanationColumn: explanationColumn)
        }
        let nameWidth = ColumnFormat.width(fitting: list.map { indent(depth(of: $0)) + ($0.printedName ?? $0.name) }, minimum: 24, maximum: 46)
        columnFormats = [ColumnFormat(1, width: nameWidth), ColumnFormat(2, width: 8), ColumnFormat(3, width: 10)]
        if !columns.isEmpty { columnFormats.append(ColumnFormat(4...(3 + columns.count), width: 15)) }
        columnFormats.append(ColumnFormat(explanationColumn, width: 30))
    }

    /// The two header rows (names, then 甲乙丙 and column numbers), frozen above the body.
    private mutating func indicatorsHead(columns: [ColumnID], explanationColumn: Int) {
        head(lead: 3, last: explanationColumn)
        let h = row
        anchor(.head, h, 1, key: "name", text: "指标名称", label: "表头", style: .header)
        anchor(.head, h, 2, key: "code", text: "代码", label: "表头", style: .header)
        anchor(.head, h, 3, key: "unit", text: "计量单位", label: "表头", style: .header)
        anchor(.head, h + 1, 1, key: "name#", text: "甲", label: "表头", style: .header)
        anchor(.head, h + 1, 2, key: "code#", text: "乙", label: "表头", style: .header)
        anchor(.head, h + 1, 3, key: "unit#", text: "丙", label: "表头", style: .header)
        for (i, column) in columns.enumerated() {
            anchor(.head, h, 4 + i, key: column, text: form.columnName(column), label: "栏目", style: .header)
            anchor(.head, h + 1, 4 + i, key: column + "#", text: String(i + 1), label: "栏目", style: .header)
        }
        anchor(.head, h, explanationColumn, key: "explanation", text: "情况说明", label: "栏目", style: .header)
        put(h + 1, explanationColumn, .text("（选填）", style: .header))
        heights[h] = 24
        headerRows = h...(h + 1)
        frozen = FrozenPanes(rows: h + 1, columns: 3)
        row = h + 2
    }

    /// An indicator's row, then one row per member when it is broken down.
    private mutating func indicatorRows(_ indicator: Indicator, columns: [ColumnID], explanationColumn: Int) {
        let name = indicator.printedName ?? indicator.name
        let label = "\(indicator.code) \(name)"
        let r = row
        let depth = depth(of: indicator)
        put(r, 1, .text(indent(depth) + name, style: .text))
        anchor(.row, r, 2, key: indicator.code, text: indicator.code, label: label, style: .textCentered)
        put(r, 3, .text(unitName(indicator.unit), style: .textCentered))
        let members = self.members(of: indicator)
        for (i, column) in columns.enumerated() {
            let key = "\(indicator.code):\(column)"
            if !indicator.columns.contains(column) {
                closedCell(r, 4 + i, key: key, reason: "指标\(indicator.code)（\(name)）没有“\(form.columnName(column))”栏")
            } else if !members.isEmpty {
                closedCell(r, 4 + i, key: key, reason: "指标\(indicator.code)（\(name)）按分组分行填写，请填在下方各行")
            } else if let slot = form.layout.slot(code: indicator.code, column: column) {
                input(r, 4 + i, key: key, label: "\(label)·\(form.columnName(column))", binding: .figure(slot: slot), cell: figureCell(slot))
            }
        }
        let explanation = content.explanations[indicator.code]
        input(r, explanationColumn, key: indicator.code, label: "\(label)·情况说明", binding: .explanation(code: indicator.code),
              cell: explanation.map { .text($0, style: .text) } ?? .empty(style: .text))
        row += 1
        for member in members {
            memberRow(member, of: indicator, label: label, depth: depth, columns: columns, explanationColumn: explanationColumn)
        }
    }

    /// One member's row under its indicator; its 情况说明 cell is grey (the indicator's row holds it).
    private mutating func memberRow(_ member: CodeList.Member, of indicator: Indicator, label: String, depth: Int,
                                    columns: [ColumnID], explanationColumn: Int) {
        let name = indicator.printedName ?? indicator.name
        let r = row
        let memberLabel = "\(label)·\(member.name)"
        put(r, 1, .text(indent(depth + 1) + member.name, style: .text))
        anchor(.row, r, 2, key: "\(indicator.code)@\(member.code)", text: member.code, label: memberLabel, style: .textCentered)
        put(r, 3, .text(unitName(indicator.unit), style: .textCentered))
        for (i, column) in columns.enumerated() {
            let key = "\(indicator.code):\(column)@\(member.code)"
            if indicator.columns.contains(column), let slot = form.layout.slot(code: indicator.code, column: column, member: member.code) {
                input(r, 4 + i, key: key, label: "\(memberLabel)·\(form.columnName(column))", binding: .figure(slot: slot), cell: figureCell(slot))
            } else {
                closedCell(r, 4 + i, key: key, reason: "指标\(indicator.code)（\(name)）没有“\(form.columnName(column))”栏")
            }
        }
        closedCell(r, explanationColumn, key: "\(indicator.code)@\(member.code):explanation",
                   reason: "情况说明请填在指标\(indicator.code)所在行")
        row += 1
    }

    // MARK: Grid forms

    /// A grid form's block of one year column opens with the column's name across the table (after a
    /// blank row, but for the first); returns the name.
    private mutating func columnBlockTitle(_ column: ColumnID, first: Bool) -> String {
        if !first { row += 1 }
        let columnName = form.columnName(column)
        put(row, 1, .text(columnName + yearNote(column), style: .header))
        for c in 2...lastColumn { put(row, c, .empty(style: .header)) }
        mergeRow(row, 1...lastColumn)
        row += 1
        return columnName
    }

    /// 企业4表: per year column a block of indicators × industry sections.
    private mutating func gridMembersAsColumns() {
        let list = indicators
        let members = list.first.map { self.members(of: $0) } ?? []
        head(lead: 3, last: 3 + max(members.count, 1))
        for (b, column) in form.form.columns.enumerated() {
            let columnName = columnBlockTitle(column, first: b == 0)
            let h = row
            anchor(.head, h, 1, key: "\(column)/name", text: "指标名称", label: "\(columnName)表头", style: .header)
            anchor(.head, h, 2, key: "\(column)/code", text: "代码", label: "\(columnName)表头", style: .header)
            anchor(.head, h, 3, key: "\(column)/unit", text: "计量单位", label: "\(columnName)表头", style: .header)
            anchor(.head, h + 1, 1, key: "\(column)/name#", text: "甲", label: "\(columnName)表头", style: .header)
            anchor(.head, h + 1, 2, key: "\(column)/code#", text: "乙", label: "\(columnName)表头", style: .header)
            anchor(.head, h + 1, 3, key: "\(column)/unit#", text: "丙", label: "\(columnName)表头", style: .header)
            for (i, member) in members.enumerated() {
                anchor(.head, h, 4 + i, key: "\(column)/\(member.code)", text: member.name, label: "\(columnName)·行业门类", style: .header)
                anchor(.head, h + 1, 4 + i, key: "\(column)/\(member.code)#", text: String(member.printedColumn ?? i + 1),
                       label: "\(columnName)·\(member.name)", style: .header)
            }
            heights[h] = 54
            if b == 0 { headerRows = h...(h + 1) }
            row = h + 2
            for (index, indicator) in list.enumerated() {
                headings(before: index, in: list)
                let name = indicator.printedName ?? indicator.name
                let label = "\(indicator.code) \(name)"
                let r = row
                put(r, 1, .text(indent(depth(of: indicator)) + name, style: .text))
                anchor(.row, r, 2, key: "\(column)/\(indicator.code)", text: indicator.code, label: "\(label)（\(columnName)）", style: .textCentered)
                put(r, 3, .text(unitName(indicator.unit), style: .textCentered))
                for (i, member) in members.enumerated() {
                    let key = "\(indicator.code):\(column)@\(member.code)"
                    if indicator.columns.contains(column), let slot = form.layout.slot(code: indicator.code, column: column, member: member.code) {
                        input(r, 4 + i, key: key, label: "\(label)·\(member.name)·\(columnName)", binding: .figure(slot: slot), cell: figureCell(slot))
                    } else {
                        closedCell(r, 4 + i, key: key, reason: "指标\(indicator.code)（\(name)）没有“\(columnName)”栏")
                    }
                }
                row += 1
            }
        }
        let nameWidth = ColumnFormat.width(fitting: list.map { indent(depth(of: $0)) + ($0.printedName ?? $0.name) }, minimum: 20, maximum: 36)
        columnFormats = [ColumnFormat(1, width: nameWidth), ColumnFormat(2, width: 6), ColumnFormat(3, width: 9),
                         ColumnFormat(4...lastColumn, width: 12)]
        frozen = FrozenPanes(rows: 0, columns: 3)
    }

    /// 公共5表: per year column a block of regions (全国, 31 provinces, 兵团) × indicators.
    private mutating func gridMembersAsRows() {
        let list = indicators
        let members = list.first.map { self.members(of: $0) } ?? []
        let total = form.form.breakdown?.total
        head(lead: 2, last: 2 + max(list.count, 1))
        for (b, column) in form.form.columns.enumerated() {
            let columnName = columnBlockTitle(column, first: b == 0)
            let h = row
            anchor(.head, h, 1, key: "\(column)/member", text: "地区", label: "\(columnName)表头", style: .header)
            anchor(.head, h, 2, key: "\(column)/code", text: "代码", label: "\(columnName)表头", style: .header)
            anchor(.head, h + 1, 1, key: "\(column)/member#", text: "甲", label: "\(columnName)表头", style: .header)
            anchor(.head, h + 1, 2, key: "\(column)/code#", text: "乙", label: "\(columnName)表头", style: .header)
            for (i, indicator) in list.enumerated() {
                let name = indicator.printedName ?? indicator.name
                anchor(.head, h, 3 + i, key: "\(column)/\(indicator.code)", text: "\(name)（\(unitName(indicator.unit))）",
                       label: "\(columnName)·指标\(indicator.code)", style: .header)
                anchor(.head, h + 1, 3 + i, key: "\(column)/\(indicator.code)#", text: String(i + 1),
                       label: "\(columnName)·指标\(indicator.code)", style: .header)
            }
            heights[h] = 40
            if b == 0 { headerRows = h...(h + 1) }
            row = h + 2
            for member in members {
                let r = row
                let isTotal = member.code == total
                put(r, 1, .text((isTotal || total == nil ? "" : Self.indentUnit) + member.name, style: .text))
                anchor(.row, r, 2, key: "\(column)/\(member.code)", text: member.code, label: "\(member.name)（\(columnName)）", style: .textCentered)
                for (i, indicator) in list.enumerated() {
                    let key = "\(indicator.code):\(column)@\(member.code)"
                    let name = indicator.printedName ?? indicator.name
                    if indicator.columns.contains(column), let slot = form.layout.slot(code: indicator.code, column: column, member: member.code) {
                        input(r, 3 + i, key: key, label: "\(indicator.code) \(name)·\(member.name)·\(columnName)", binding: .figure(slot: slot),
                              cell: figureCell(slot))
                    } else {
                        closedCell(r, 3 + i, key: key, reason: "指标\(indicator.code)（\(name)）没有“\(columnName)”栏")
                    }
                }
                row += 1
            }
        }
        columnFormats = [ColumnFormat(1, width: 22), ColumnFormat(2, width: 10), ColumnFormat(3...lastColumn, width: 18)]
        frozen = FrozenPanes(rows: 0, columns: 2)
    }

    // MARK: Basic-information forms (代码 | 项目 | 填报内容 | 填写说明)

    private mutating func basicInfoBody() {
        head(lead: 2, last: 4)
        let h = row
        anchor(.head, h, 1, key: "code", text: "代码", label: "表头", style: .header)
        anchor(.head, h, 2, key: "item", text: "项目", label: "表头", style: .header)
        anchor(.head, h, 3, key: "answer", text: "填报内容", label: "表头", style: .header)
        anchor(.head, h, 4, key: "note", text: "填写说明", label: "表头", style: .header)
        headerRows = h...h
        frozen = FrozenPanes(rows: h, columns: 2)
        row = h + 1
        for (item, fields) in AnswerField.all(form.form) {
            if item.type == .group {
                let r = row
                anchor(.row, r, 1, key: item.code, text: item.code, label: "\(item.code) \(item.name)", style: .textCentered)
                put(r, 2, .text(item.name, style: .text))
                closedCell(r, 3, key: item.code, reason: "项目\(item.code)（\(item.name)）按下列各项分别填写")
                put(r, 4, .text(Self.note(item, survey: catalog.catalog.survey, codeLists: catalog.catalog.codeLists, group: true), style: .text))
                row += 1
            }
            for field in fields {
                let r = row
                anchor(.row, r, 1, key: field.path, text: field.path, label: "\(field.path) \(field.fullName)", style: .textCentered)
                put(r, 2, .text(indent(field.depth) + field.item.name, style: .text))
                input(r, 3, key: field.path, label: "\(field.path) \(field.fullName)", binding: .answer(field), cell: answerCell(field))
                put(r, 4, .text(Self.note(field.item, survey: catalog.catalog.survey, codeLists: catalog.catalog.codeLists, group: false), style: .text))
                row += 1
            }
        }
        columnFormats = [ColumnFormat(1, width: 18), ColumnFormat(2, width: 44), ColumnFormat(3, width: 36), ColumnFormat(4, width: 80)]
    }

    private func answerCell(_ field: AnswerField) -> Cell {
        if field.item.isNumeric {
            if let slot = form.layout.slot(code: field.path, column: "value"), let value = content.values?[slot] {
                return .number(value.description, style: .number())
            }
            if let text = AnswerInput.lookup(field.path, in: content.answers).flatMap({ AnswerInput.text($0) }),
               let value = try? NumberInput.parse(text, allowPercentSign: field.item.type == .percentage) {
                return .number(value.description, style: .number())
            }
            return .empty(style: .number())
        }
        var text = AnswerInput.lookup(field.path, in: content.answers).flatMap { AnswerInput.text($0) }
        // 109 统一社会信用代码 and 102 单位详细名称 (the standard codes of national surveys) from the unit.
        if text == nil, field.depth == 0, field.item.type == .creditCode { text = content.creditCode }
        if text == nil, field.depth == 0, field.item.code == "102" { text = content.unitName }
        return text.map { .text($0, style: .text) } ?? .empty(style: .text)
    }

    /// The 填写说明 of an item: type, options, limits, when it is asked, who fills it.
    static func note(_ item: Item, survey: Survey, codeLists: [String: CodeList], group: Bool) -> String {
        var parts: [String] = []
        let office = item.filledBy == "office"
        if office { parts.append("调查单位免填") } else if item.isRequired { parts.append("必填") }
        if let condition = item.condition {
            if let other = condition.item, let value = condition.equals { parts.append("仅当\(other)选“\(value)”时填写") }
            if let type = condition.respondentType { parts.append("仅\(survey.respondentType(type)?.name ?? type)填写") }
        }
        if group {
            parts.append("按下列各项分别填写")
            return parts.joined(separator: "；")
        }
        let options = AnswerInput.options(of: item, codeLists: codeLists)
        let listed = options.map { "\($0.code) \($0.label)" }.joined(separator: "；")
        switch item.type {
        case .singleChoice:
            parts.append("单选，填选项代码：\(listed)")
        case .multipleChoice:
            parts.append("多选，填选项代码，用顿号或逗号分隔（如 \(options.prefix(2).map(\.code).joined(separator: "、"))）：\(listed)")
            if let max = item.maxChoices { parts.append("最多选\(max)项") }
        case .number:
            parts.append("数值" + (item.unit.map { "，计量单位：\(survey.unit($0)?.name ?? $0)" } ?? ""))
        case .percentage:
            parts.append("百分比，填百分数的数值（如 25 表示 25%）")
        case .industryCode:
            let level = item.level == "division" ? "大类代码（2位）" : "小类代码（4位）"
            if item.multiple == true {
                parts.append("国民经济行业分类（GB/T 4754-2017）\(level)" + (item.maxChoices.map { "，最多\($0)个" } ?? "") + "，用顿号或逗号分隔")
            } else {
                parts.append("国民经济行业分类（GB/T 4754-2017）\(level)")
            }
        case .yearMonth:
            parts.append("年月，如 2015-06")
        default:
            parts.append(item.type.chineseName)
        }
        for option in options where option.withText {
            parts.append("选“\(option.code) \(option.label)”时请写作 \(option.code):具体内容")
        }
        for option in options where option.exclusive {
            parts.append("选“\(option.code) \(option.label)”时不能再选其他项")
        }
        if let max = item.maxLength { parts.append("最多\(max)字") }
        return parts.joined(separator: "；")
    }

    // MARK: Signature block and notes

    private mutating func foot() {
        row += 1
        put(row, 1, .text("单位负责人：\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}统计负责人：\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}填表人："))
        row += 1
        put(row, 1, .text("联系电话：\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}报出日期：\u{3000}\u{3000}\u{3000}\u{3000}年\u{3000}\u{3000}月\u{3000}\u{3000}日"))
        row += 2
        let notes = form.form.notes
        if !notes.isEmpty {
            put(row, 1, .text("填报说明：", style: .note))
            row += 1
            for (i, note) in notes.enumerated() {
                let numbered = note.first.map { $0.isNumber } ?? false
                put(row, 1, .text(numbered ? note : "\(i + 1)．\(note)", style: .note))
                row += 1
            }
        }
        put(row, 1, .text("模板说明：", style: .note))
        row += 1
        let lines: [String]
        if form.form.kind == .basicInfo {
            lines = [
                "1．请只在“填报内容”列的白色单元格中填写，灰色单元格不填；选择题填选项代码（见“填写说明”），多选用顿号或逗号分隔。",
                "2．不要插入、删除或移动行和列，不要改动表头，不要删除或修改隐藏的识别信息；不要输入公式。",
                "3．本模板只能用于所注明的表、调查年份和单位；上传后平台按填报要求检查。",
            ]
        } else {
            lines = [
                "1．请只在白色单元格中填写，灰色单元格不填；不要插入、删除或移动行和列，不要改动表头，不要删除或修改隐藏的识别信息。",
                "2．数值直接输入数字（可带千分位逗号），不要输入公式或日期；最多保留6位小数；计量单位为%的指标填百分数的数值（如 45 表示 45%）。",
                form.form.kind == .grid
                    ? "3．本模板只能用于所注明的表、调查年份和单位；上传后平台按审核关系检查数据。"
                    : "3．本模板只能用于所注明的表、调查年份和单位；上传后平台按审核关系检查数据，同比变化较大的指标请在“情况说明”中说明原因。",
            ]
        }
        for line in lines {
            put(row, 1, .text(line, style: .note))
            row += 1
        }
    }
}
