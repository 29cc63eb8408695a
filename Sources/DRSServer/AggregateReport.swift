import DRSCore
import DRSStorage
import Foundation

/// An aggregation's result with the names needed to show it: JSON for machines, the 汇总表 (one
/// sheet nationally by indicator, one long sheet by group) for people.
public struct AggregateReport: Sendable {
    public var catalog: CompiledCatalog
    public var form: CompiledForm
    public var year: Int
    public var by: [String]
    public var statuses: Set<SubmissionStatus>
    public var table: AggregateTable
    /// Disclosure control's marks when the aggregate is protected for publication (nil: internal use,
    /// every figure shown).
    public var suppression: AggregateSuppression?

    public init(catalog: CompiledCatalog, form: CompiledForm, year: Int, by: [String], statuses: Set<SubmissionStatus>, table: AggregateTable) {
        self.catalog = catalog
        self.form = form
        self.year = year
        self.by = by
        self.statuses = statuses
        self.table = table
    }

    func name(_ dimension: String, _ code: String) -> String {
        if code == AggregateInputs.unclassified { return "未分类" }
        switch dimension {
        case "province": return catalog.catalog.codeLists["provinces"]?.members.first { $0.code == code }?.name ?? code
        case "type": return catalog.catalog.survey.respondentType(code)?.name ?? code
        case "industry": return catalog.catalog.codeLists["industrySections"]?.members.first { $0.code == code }.map { "\($0.code) \($0.name)" } ?? code
        default: return code
        }
    }

    var statusText: String { SubmissionStatus.allCases.filter { statuses.contains($0) }.map(\.chineseName).joined(separator: "、") }

    func methodName(_ slot: Int) -> String {
        switch table.methods[slot] {
        case .sum: "求和"
        case .weightedMean: "加权平均（权数 \(form.form.indicator(form.layout.cells[slot].key.code)?.aggregation?.weight ?? "")）"
        case .none: "不汇总"
        }
    }

    /// The disclosure mark of a slot in a group, when the aggregate is protected.
    func mark(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> SuppressionMark? {
        suppression?.mark(grouping.dimensions, group.key, slot)
    }

    func cellJSON(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> JSONValue {
        let cell = form.layout.cells[slot]
        var a = group.cell(slot)
        let withheld = mark(grouping, group, slot)
        if withheld != nil {
            a.total = nil
            a.weightBase = nil
        }
        var members: [(String, JSONValue)] = [
            ("cell", .string(cell.key.description)), ("code", .string(cell.key.code)), ("column", .string(cell.key.column)),
        ]
        if let m = cell.key.member { members.append(("member", .string(m))) }
        members += [("name", .string(cell.name)), ("unit", .string(cell.unit)), ("method", .string(table.methods[slot].rawValue)),
                    ("total", a.total.map { .string($0.normalized.description) } ?? .null), ("units", .int(a.units))]
        if table.methods[slot] == .weightedMean { members.append(("base", a.weightBase.map { .string($0.normalized.description) } ?? .null)) }
        if let withheld { members.append(("suppressed", .string(withheld.rawValue))) }
        return .object(members)
    }

    public var json: JSONValue {
        let grouping = table.grouping(by) ?? table.grouping([])!
        return .object([
            ("year", .int(year)), ("form", .string(form.form.id)), ("by", .array(by.map { .string($0) })),
            ("statuses", .array(SubmissionStatus.allCases.filter { statuses.contains($0) }.map { .string($0.rawValue) })),
            ("records", .int(table.records)),
            ("groups", .array(grouping.groups.map { g in
                .object([
                    ("key", .object(zip(grouping.dimensions, g.key).map { ($0, .string($1)) })),
                    ("names", .object(zip(grouping.dimensions, g.key).map { ($0, .string(name($0, $1))) })),
                    ("units", .int(g.units)),
                    ("cells", .array((0..<form.layout.count).filter { g.cell($0).units > 0 }.map { cellJSON(grouping, g, $0) })),
                ])
            })),
        ] + (suppression == nil ? [] : [("footnote", .string(AggregateSuppression.footnote))]))
    }

    /// 汇总表: a row per indicator (and member), the form's columns, with the number of units.
    var exportTable: TableExport.Table {
        let grouping = table.grouping(by) ?? table.grouping([])!
        let dims = grouping.dimensions
        var head = dims.map { AggregateInputs.dimensionNames[$0] ?? $0 }
        head += ["指标代码", "指标名称", "分组", "计量单位", "栏目", "汇总方法", "合计", "单位数"]
        var rows: [[TableExport.Cell]] = []
        for g in grouping.groups {
            for slot in 0..<form.layout.count {
                let a = g.cell(slot)
                guard a.units > 0 else { continue }
                let cell = form.layout.cells[slot]
                var row = zip(dims, g.key).map { TableExport.Cell.text(name($0, $1)) }
                row += [.text(cell.key.code), .text(cell.name), .text(cell.memberName ?? ""), .text(cell.unit), .text(form.columnName(cell.key.column)),
                        .text(methodName(slot)), figure(grouping, g, slot), .integer(a.units)]
                rows.append(row)
            }
        }
        return TableExport.Table(title: "\(form.form.tableNumber) \(form.form.title) 汇总表（\(year)年）",
                                 subtitle: "纳入状态：\(statusText)；\(dims.isEmpty ? "全国" : "按" + dims.map { AggregateInputs.dimensionNames[$0] ?? $0 }.joined(separator: "×"))；单位数为该单元格有数据的调查单位数",
                                 sheetName: "汇总表", head: [head], rows: rows, textColumns: dims.count + 6,
                                 notes: ["占比、平均类指标按权数加权平均重新计算，不直接相加。"]
                                     + (suppression == nil ? [] : [AggregateSuppression.footnote])
                                     + ["制定机关：国家数据局　批准机关：国家统计局"])
    }

    /// A figure of the 汇总表: the total, or the symbol when disclosure control withholds it.
    func figure(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> TableExport.Cell {
        if mark(grouping, group, slot) != nil { return .text(AggregateSuppression.symbol) }
        return group.cell(slot).total.map { .decimal($0.normalized) } ?? .empty
    }
}

extension AggregateReport {
    /// The 汇总表 as CSV (UTF-8 with BOM) and as an XLSX workbook, for `drs aggregate`.
    /// A protected table ends with the footnote that explains its symbol, as a line of its own.
    public func csv() -> String {
        TableExport.csv(exportTable) + (suppression == nil ? "" : TableExport.csvLine([AggregateSuppression.footnote]))
    }
    public func xlsx() throws -> [UInt8] { try TableExport.xlsx([exportTable]) }
    /// Several forms' 汇总表 in one workbook, a sheet each.
    public static func workbook(_ reports: [AggregateReport]) throws -> [UInt8] {
        try TableExport.xlsx(reports.map { r in
            var t = r.exportTable
            t.sheetName = r.form.form.tableNumber
            return t
        })
    }

    func page(_ layout: Layout, request: AggregateRequest, forms: [CompiledForm]) -> AggregatePage {
        let national = table.national
        var rows: [AggregatePage.Row] = []
        for indicator in form.form.allIndicators {
            func value(_ column: String, _ member: String?) -> String {
                guard let national, let slot = form.layout.slot(code: indicator.code, column: column, member: member) else { return "——" }
                let a = national.cell(slot)
                return a.total.map { $0.normalized.grouped } ?? (a.units > 0 ? "不汇总" : "")
            }
            func units(_ member: String?) -> Int {
                guard let national else { return 0 }
                return form.form.columns.compactMap { form.layout.slot(code: indicator.code, column: $0, member: member) }.map { national.cell($0).units }.max() ?? 0
            }
            let members = form.layout.membersByRow[indicator.code]
            if let members {
                for m in members {
                    let name = form.layout.cells.first { $0.key.code == indicator.code && $0.key.member == m }?.memberName ?? m
                    rows.append(.init(code: indicator.code, name: "\(indicator.name)·\(name)", unit: indicator.unit,
                                      values: form.form.columns.map { value($0, m) }, units: units(m), method: ""))
                }
            } else {
                let slot = form.layout.slot(code: indicator.code, column: indicator.columns.first ?? "cur")
                rows.append(.init(code: indicator.code, name: indicator.name, unit: indicator.unit, values: form.form.columns.map { value($0, nil) },
                                  units: units(nil), method: slot.map { table.methods[$0] == .sum ? "" : methodName($0) } ?? ""))
            }
        }
        var groupRows: [AggregatePage.GroupRow] = []
        if !by.isEmpty, let grouping = table.grouping(by), let cur = form.form.columns.first(where: { $0 == "cur" }) ?? form.form.columns.first {
            let shown = form.form.allIndicators.prefix(6).compactMap { i in form.layout.slot(code: i.code, column: cur).map { (i, $0) } }
            for g in grouping.groups {
                groupRows.append(.init(labels: zip(by, g.key).map { name($0, $1) }, units: g.units,
                                       values: shown.map { g.cell($0.1).total.map { $0.normalized.grouped } ?? "" }))
            }
        }
        let cur = form.form.columns.first(where: { $0 == "cur" }) ?? form.form.columns.first ?? "cur"
        let groupHeads = form.form.allIndicators.prefix(6).filter { form.layout.slot(code: $0.code, column: cur) != nil }
            .map { "\($0.code) \($0.name)（\($0.unit)，\(form.columnName(cur))）" }
        let query = "year=\(year)&form=\(form.form.id)&by=\(by.joined(separator: ","))&status=\(statuses.map(\.rawValue).sorted().joined(separator: ","))"
        return AggregatePage(
            layout: layout, year: year, form: form.form.id, title: "\(form.form.tableNumber) \(form.form.title)",
            forms: forms.map { .init(id: $0.form.id, name: "\($0.form.tableNumber) \($0.form.title)") },
            dimensions: AggregateInputs.dimensions.map { .init(id: $0, name: AggregateInputs.dimensionNames[$0] ?? $0, checked: by.contains($0)) },
            statuses: SubmissionStatus.allCases.filter { $0 != .notStarted }.map { .init(id: $0.rawValue, name: $0.chineseName, checked: statuses.contains($0)) },
            statusText: statusText, records: table.records, columns: form.form.columns.map { form.columnName($0) }, rows: rows,
            groupDimensions: by.map { AggregateInputs.dimensionNames[$0] ?? $0 }, groupHeads: groupHeads, groupRows: groupRows,
            csvURL: "/api/v1/aggregate?\(query)&format=csv", xlsxURL: "/api/v1/aggregate?\(query)&format=xlsx", jsonURL: "/api/v1/aggregate?\(query)",
            protectedCSVURL: "/api/v1/aggregate?\(query)&format=csv&protect=1", protectedXLSXURL: "/api/v1/aggregate?\(query)&format=xlsx&protect=1")
    }
}

struct AggregatePage: Encodable {
    var layout: Layout
    var year: Int
    var form: String
    var title: String
    var forms: [UnitsPage.Choice]
    var dimensions: [Option]
    var statuses: [Option]
    var statusText: String
    var records: Int
    var columns: [String]
    var rows: [Row]
    var groupDimensions: [String]
    var groupHeads: [String]
    var groupRows: [GroupRow]
    var csvURL: String
    var xlsxURL: String
    var jsonURL: String
    /// The exports for publication (`protect=1`).
    var protectedCSVURL: String
    var protectedXLSXURL: String

    struct Option: Encodable { var id: String; var name: String; var checked: Bool }
    struct Row: Encodable { var code: String; var name: String; var unit: String; var values: [String]; var units: Int; var method: String }
    struct GroupRow: Encodable { var labels: [String]; var units: Int; var values: [String] }
}
