import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The reviewers' pages: the queue, and one submission with its checks, last year's figures side
/// by side, the cells changed since it was returned, and the steps allowed (the page's script posts
/// to the same `/api/v1/…/approve|return|verify|reopen` endpoints).
struct ReviewPages {
    func register(_ app: Application) throws {
        app.routes.secure(.GET, "review", access: .reviewer) { req async throws -> View in
            var filter = try ReviewQueue.Filter(req)
            if req.query[String.self, at: "status"] == nil { filter.statuses = [.submitted] }
            let items = try await ReviewQueue.items(req, filter: filter)
            let platform = req.platform
            return try await req.view.render("review-queue", ReviewQueuePage(
                layout: PageController().layout(req, "审核"), year: filter.year,
                form: filter.form ?? "", status: filter.statuses.map(\.rawValue).sorted().joined(separator: ","), type: filter.type ?? "",
                flag: filter.flag ?? "",
                forms: platform.catalog.orderedForms.map { .init(id: $0.form.id, name: "\($0.form.tableNumber) \($0.form.title)") },
                statuses: SubmissionStatus.allCases.filter { $0 != .notStarted }.map { .init(id: $0.rawValue, name: $0.chineseName) },
                types: platform.catalog.catalog.survey.respondentTypes.map { .init(id: $0.id, name: $0.name) },
                items: items.map { item in
                    .init(unitName: item.unit.name, creditCode: item.unit.creditCode, region: item.unit.regionCode, form: item.submission.formID,
                          tableNumber: item.tableNumber, title: item.formTitle, status: item.submission.status.rawValue,
                          statusName: item.submission.status.chineseName, errors: item.errors, warnings: item.warnings,
                          unexplained: item.unexplained, url: item.url)
                }))
        }
        app.routes.grouped("review", "units", ":unitID", ":year", ":formID").secure(.GET, access: .unitReview) { req async throws -> View in
            try await detailPage(req)
        }
    }

    func detailPage(_ req: Request) async throws -> View {
        let (unit, form, year) = try SubmissionController().resolve(req)
        let detail = try await ReviewController().reviewDetail(req)
        let submission = detail["submission"] ?? .object([])
        let values = submission["values"] ?? .object([])
        let last = detail["lastYear"] ?? .null
        func text(_ json: JSONValue?, _ key: CellKey) -> String {
            guard let column = json?[key.code]?[key.column] else { return "" }
            if let m = key.member { return column[m]?.stringValue ?? "" }
            return column.stringValue ?? ""
        }
        let changed = Set((detail["changedSinceReturn"]?.arrayValue ?? []).compactMap { $0["cell"]?.stringValue })
        var rows: [ReviewPage.ValueRow] = []
        for cell in form.layout.cells {
            let now = text(values, cell.key)
            // Last year's figure of the same cell; for a carried cell (上年同期) the one it is carried
            // from (last year's 本年实际), which is that cell's own figure, so no change is shown.
            let carriedFrom = CarryOver.source(of: cell.key)
            let before = text(last, carriedFrom ?? cell.key)
            if now.isEmpty && before.isEmpty && !changed.contains(cell.key.description) { continue }
            var change = ""
            if let a = try? NumberInput.parse(now), let b = try? NumberInput.parse(before), !b.isZero, carriedFrom == nil {
                change = Self.percentChange(a, b)
            }
            rows.append(.init(code: cell.key.code, name: cell.name, unit: cell.unit, column: form.columnName(cell.key.column),
                              member: cell.memberName ?? "", value: now, lastYear: before, change: change,
                              changed: changed.contains(cell.key.description)))
        }
        func violations(_ key: String) -> [ReviewPage.Message] {
            (detail["report"]?[key]?.arrayValue ?? []).map {
                .init(text: $0["message"]?.stringValue ?? "", explanation: $0["explanation"]?.stringValue ?? "")
            }
        }
        let actions = Set((detail["actions"]?.arrayValue ?? []).compactMap(\.stringValue))
        var version = 0
        if case .number(let n)? = submission["version"] { version = Int(n) ?? 0 }
        let unitID = try unit.requireID().uuidString
        let base = "/units/\(unitID)/\(year)/\(form.form.id)"
        return try await req.view.render("review", ReviewPage(
            layout: PageController().layout(req, "审核 \(form.form.tableNumber)"), unitName: unit.name, creditCode: unit.creditCode,
            region: unit.regionCode, year: year, tableNumber: form.form.tableNumber, title: form.form.title,
            status: submission["status"]?.stringValue ?? "", statusName: submission["statusName"]?.stringValue ?? "", version: version,
            returnReason: submission["returnReason"]?.stringValue, storedCellNotes: req.storedCellNotes.map(\.text),
            apiURL: "/api/v1/units/\(unitID)/submissions/\(year)/\(form.form.id)",
            formURL: base, historyURL: base + "/history", printURL: base + "/print",
            errors: violations("errors"), warnings: violations("warnings"),
            changedSinceReturn: (detail["changedSinceReturn"]?.arrayValue ?? []).map {
                .init(cell: $0["cell"]?.stringValue ?? "", name: $0["name"]?.stringValue ?? "", before: $0["before"]?.stringValue ?? "",
                      now: $0["now"]?.stringValue ?? "")
            },
            rows: rows, mayApprove: actions.contains("approve"), mayReturn: actions.contains("return"),
            mayVerify: actions.contains("verify"), mayReopen: actions.contains("reopen")))
    }

    /// (a − b) / |b| in percent with one decimal, for display only; empty when there is none.
    /// The figures may have any decimals each (12.3456 against last year's 12.3): see `percentChange(from:)`.
    static func percentChange(_ a: ExactDecimal, _ b: ExactDecimal) -> String {
        a.percentChange(from: b)?.signedPercentText ?? ""
    }
}

struct ReviewQueuePage: Encodable {
    var layout: Layout
    var year: Int
    var form: String
    var status: String
    var type: String
    var flag: String
    var forms: [UnitsPage.Choice]
    var statuses: [UnitsPage.Choice]
    var types: [UnitsPage.Choice]
    var items: [Item]

    struct Item: Encodable {
        var unitName: String
        var creditCode: String
        var region: String
        var form: String
        var tableNumber: String
        var title: String
        var status: String
        var statusName: String
        var errors: Int
        var warnings: Int
        var unexplained: Int
        var url: String
    }
}

struct ReviewPage: Encodable {
    var layout: Layout
    var unitName: String
    var creditCode: String
    var region: String
    var year: Int
    var tableNumber: String
    var title: String
    var status: String
    var statusName: String
    var version: Int
    var returnReason: String?
    /// Stored cells this catalog cannot show, one line per source.
    var storedCellNotes: [String]
    var apiURL: String
    var formURL: String
    var historyURL: String
    var printURL: String
    var errors: [Message]
    var warnings: [Message]
    var changedSinceReturn: [Change]
    var rows: [ValueRow]
    var mayApprove: Bool
    var mayReturn: Bool
    var mayVerify: Bool
    var mayReopen: Bool

    struct Message: Encodable { var text: String; var explanation: String }
    struct Change: Encodable { var cell: String; var name: String; var before: String; var now: String }
    struct ValueRow: Encodable {
        var code: String
        var name: String
        var unit: String
        var column: String
        var member: String
        var value: String
        var lastYear: String
        var change: String
        var changed: Bool
    }
}
