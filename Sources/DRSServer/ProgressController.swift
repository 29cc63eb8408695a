import DRSAPI
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import DRSOffice
import Foundation
import Vapor

/// 报送进度: by province × respondent type × form, for the units a reviewer oversees (the national
/// office: all; a province: its units; a headquarters: its group), as JSON, a page with a bar
/// chart, CSV and XLSX; and the units still owing forms, with contacts for reminders.
struct ProgressController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1", "progress")
        api.secure(.GET, access: .reviewer) { req async throws -> APIBody<Components.Schemas.Progress> in
            let progress = try await Progress.load(req, outstanding: .page(try PageWindow.requested(req), from: try UnitCursor.requested(req)))
            return APIBody(try progress.body)
        }
        api.secure(.GET, "export", access: .reviewer) { req async throws -> Response in
            let progress = try await Progress.load(req, outstanding: .none)
            let format = (req.query[String.self, at: "format"] ?? "xlsx").lowercased()
            return try TableExport.response(progress.exportTable, format: format, fileName: "报送进度-\(progress.year)")
        }
        app.routes.secure(.GET, "progress", access: .reviewer) { req async throws -> View in
            let progress = try await Progress.load(req, outstanding: .page(try PageWindow.requested(req), from: try UnitCursor.requested(req)))
            var page = progress.page(PageController().layout(req, "报送进度")) { page, size, from in
                "/progress?year=\(progress.year)&page=\(page)&pageSize=\(size)&\(from.queryItem)"
            }
            page.canRemind = try req.requireUser().role == .admin
            return try await req.view.render("progress", page)
        }
    }
}

struct Progress {
    var year: Int
    var deadline: String
    var pastDeadline: Bool
    var table: ProgressTable
    var outstanding: [Owing]
    var provinceNames: [String: String]
    var typeNames: [String: String]
    var formNames: [String: String]
    /// The page of `outstanding`, when it is one (the API and the page; reminders read the units they name).
    var outstandingPage: OwingPage?
    /// For reminders: every owing unit chosen, in the list's order (`outstanding` holds the first of them).
    var owingIDs: [UUID] = []
    /// The access table's decision per group of units, for reading more of `owingIDs` (`owing`).
    var decided: [UnitGroup: DecidedGroup] = [:]

    struct OwingPage {
        /// The page's number: where it was reached from counts the pages (a page continued from a unit
        /// is numbered by the link that led to it).
        var page: Int
        var size: Int
        var hasPrevious: Bool
        var hasMore: Bool
    }

    struct Owing {
        var unit: SurveyUnit
        var forms: [(id: String, status: SubmissionStatus)]
        var accounts: [String]
    }

    func rowBody(_ row: ProgressTable.Row) throws -> Components.Schemas.ProgressRow {
        let counts = Dictionary(zip(ProgressTable.statuses, row.byStatus), uniquingKeysWith: { a, _ in a })
        func count(_ status: Components.Schemas.SubmissionStatus) throws -> Int {
            guard let n = counts[status.rawValue] else { throw Abort(.internalServerError, reason: "no progress count for \(status)") }
            return n
        }
        let labelled = !row.province.isEmpty
        return Components.Schemas.ProgressRow(
            province: labelled ? row.province : nil, provinceName: labelled ? provinceNames[row.province] ?? row.province : nil,
            _type: labelled ? row.type : nil, typeName: labelled ? typeNames[row.type] ?? row.type : nil,
            form: labelled ? row.form : nil, tableNumber: labelled ? formNames[row.form] ?? row.form : nil,
            assigned: row.assigned, notStarted: try count(.notStarted), draft: try count(.draft), submitted: try count(.submitted),
            returned: try count(.returned), approved: try count(.approved), verified: try count(.verified),
            overdue: row.overdue, reportedPercent: row.reportedPercent)
    }

    var body: Components.Schemas.Progress {
        get throws {
            Components.Schemas.Progress(
                year: year, deadline: deadline, pastDeadline: pastDeadline,
                rows: try table.rows.map(rowBody), total: try rowBody(table.total),
                outstanding: try outstanding.map { o in
                    Components.Schemas.ProgressOutstanding(
                        unit: .init(id: try o.unit.requireID().uuidString, name: o.unit.name, creditCode: o.unit.creditCode,
                                    region: o.unit.regionCode, contact: o.unit.contact),
                        forms: try o.forms.map { .init(form: $0.id, status: try APIEnum.convert($0.status)) },
                        accounts: o.accounts, overdue: pastDeadline)
                },
                outstandingPage: outstandingPage?.page, outstandingPageSize: outstandingPage?.size, outstandingHasMore: outstandingPage?.hasMore)
        }
    }

    /// The table as exported: one header row, then a row per province × type × form, then 合计.
    var exportTable: TableExport.Table {
        let head = ["省份", "调查对象类型", "表号", "应报", "未填报", "草稿", "已提交", "已退回", "已通过", "已核定", "逾期", "报送率（%）"]
        func cells(_ row: ProgressTable.Row, _ label: [String]) -> [TableExport.Cell] {
            label.map { .text($0) } + [.integer(row.assigned)] + row.byStatus.map { .integer($0) } + [.integer(row.overdue), .integer(row.reportedPercent)]
        }
        var rows = table.rows.map { r in cells(r, [provinceNames[r.province] ?? r.province, typeNames[r.type] ?? r.type, formNames[r.form] ?? r.form]) }
        rows.append(cells(table.total, ["合计", "", ""]))
        return TableExport.Table(title: "全国数据资源调查\(year)年度报送进度", subtitle: "截止日期 \(deadline)\(pastDeadline ? "（已过）" : "")",
                                 sheetName: "报送进度", head: [head], rows: rows, textColumns: 3)
    }
}

extension Progress {
    /// `link(page, size, from)`: the address of a page of the owing units; the pages next to this one
    /// continue from its last and first units, so each costs what the first does.
    func page(_ layout: Layout, link: (Int, Int, UnitCursor) -> String) -> ProgressPage {
        func view(_ r: ProgressTable.Row, label: [String]) -> ProgressPage.Row {
            .init(labels: label, assigned: r.assigned, counts: r.byStatus, overdue: r.overdue, percent: r.reportedPercent)
        }
        // The chart: one stacked bar per province, its segments the share of each status (SVG
        // attributes, since the content security policy allows no inline styles).
        var byProvince: [(String, [Int])] = []
        for r in table.rows {
            if byProvince.last?.0 != r.province { byProvince.append((r.province, Array(repeating: 0, count: ProgressTable.statuses.count))) }
            for i in r.byStatus.indices { byProvince[byProvince.count - 1].1[i] += r.byStatus[i] }
        }
        let bars = byProvince.enumerated().map { index, entry -> ProgressPage.Bar in
            let total = entry.1.reduce(0, +)
            var x = 0.0
            let segments = entry.1.enumerated().compactMap { i, n -> ProgressPage.Segment? in
                guard n > 0, total > 0 else { return nil }
                let width = Double(n) * 100 / Double(total)
                defer { x += width }
                return .init(status: ProgressTable.statuses[i], name: ProgressTable.statusNames[i], count: n,
                             x: String(format: "%.2f%%", x), width: String(format: "%.2f%%", width))
            }
            return .init(name: provinceNames[entry.0] ?? entry.0, y: index * 28, textY: index * 28 + 15, segments: segments, total: total)
        }
        return ProgressPage(
            layout: layout, year: year, deadline: deadline, pastDeadline: pastDeadline,
            statusNames: ProgressTable.statusNames,
            legend: zip(ProgressTable.statuses, ProgressTable.statusNames).map { UnitsPage.Choice(id: $0, name: $1) },
            rows: table.rows.map { view($0, label: [provinceNames[$0.province] ?? $0.province, typeNames[$0.type] ?? $0.type, formNames[$0.form] ?? $0.form]) },
            total: view(table.total, label: ["合计", "", ""]), bars: bars, chartHeight: max(bars.count * 28, 28),
            outstanding: outstanding.map { o in
                .init(id: o.unit.id?.uuidString ?? "", name: o.unit.name, creditCode: o.unit.creditCode, region: provinceNames[o.unit.provinceCode] ?? o.unit.regionCode,
                      contact: o.unit.contact, accounts: o.accounts.joined(separator: "、"),
                      forms: o.forms.map { "\(formNames[$0.id] ?? $0.id)（\($0.status.chineseName)）" }.joined(separator: "、"))
            },
            owedForms: ProgressTable.outstanding.reduce(0) { $0 + table.total.count($1) },
            owingPage: outstandingPage?.page ?? 1,
            owingPrevious: outstandingPage.flatMap { p in
                p.hasPrevious ? outstanding.first?.unit.id.map { link(max(1, p.page - 1), p.size, .before($0)) } : nil } ?? "",
            owingNext: outstandingPage.flatMap { p in p.hasMore ? outstanding.last?.unit.id.map { link(p.page + 1, p.size, .after($0)) } : nil } ?? "")
    }
}

struct ProgressPage: Encodable {
    var layout: Layout
    var year: Int
    var deadline: String
    var pastDeadline: Bool
    var statusNames: [String]
    var legend: [UnitsPage.Choice]
    var rows: [Row]
    var total: Row
    var bars: [Bar]
    var chartHeight: Int
    var outstanding: [Owing]
    /// Forms not started, drafts and returned forms: what the units of the list owe, all pages.
    var owedForms: Int
    /// The list's page, and links to the pages around it (empty: none).
    var owingPage: Int
    var owingPrevious: String
    var owingNext: String
    /// The national office may send reminders (催报) from the list.
    var canRemind = false

    struct Row: Encodable { var labels: [String]; var assigned: Int; var counts: [Int]; var overdue: Int; var percent: Int }
    struct Bar: Encodable { var name: String; var y: Int; var textY: Int; var segments: [Segment]; var total: Int }
    struct Segment: Encodable { var status: String; var name: String; var count: Int; var x: String; var width: String }
    struct Owing: Encodable { var id: String; var name: String; var creditCode: String; var region: String; var contact: String; var accounts: String; var forms: String }
}
