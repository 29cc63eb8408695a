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

    public func name(_ dimension: String, _ code: String) -> String {
        if code == AggregateInputs.unclassified { return "未分类" }
        switch dimension {
        case "province": return catalog.catalog.codeLists["provinces"]?.members.first { $0.code == code }?.name ?? code
        case "type": return catalog.catalog.survey.respondentType(code)?.name ?? code
        case "industry": return catalog.catalog.codeLists["industrySections"]?.members.first { $0.code == code }.map { "\($0.code) \($0.name)" } ?? code
        default: return code
        }
    }

    public var statusText: String { SubmissionStatus.allCases.filter { statuses.contains($0) }.map(\.chineseName).joined(separator: "、") }

    public func methodName(_ slot: Int) -> String {
        switch table.methods[slot] {
        case .sum: "求和"
        case .weightedMean: "加权平均（权数 \(form.form.indicator(form.layout.cells[slot].key.code)?.aggregation?.weight ?? "")）"
        case .none: "不汇总"
        }
    }

    /// The disclosure mark of a slot in a group, when the aggregate is protected.
    public func mark(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> SuppressionMark? {
        suppression?.mark(grouping.dimensions, group.key, slot)
    }

    public func cellJSON(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> JSONValue {
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

    /// The grouping shown: the breakdown asked for, or the national total when there is none.
    var shownGrouping: AggregateGrouping {
        table.grouping(by) ?? table.grouping([]) ?? AggregateGrouping(dimensions: [], groups: [])
    }

    public var json: JSONValue {
        let grouping = shownGrouping
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
    public var exportTable: TableExport.Table {
        let grouping = shownGrouping
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
    public func figure(_ grouping: AggregateGrouping, _ group: AggregateGroup, _ slot: Int) -> TableExport.Cell {
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
}
