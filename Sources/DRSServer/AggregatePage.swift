import DRSCore
import DRSOffice
import DRSStorage

/// The aggregate page (汇总): the national figures of a form by indicator, and a few by group.
extension AggregateReport {
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
