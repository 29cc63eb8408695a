import DRSAPI
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import DRSOffice
import Foundation
import Vapor

/// 核查清单: the figures the national office follows up — year-over-year changes beyond the threshold
/// and outliers within each respondent type (robust z-score on median and MAD) — sorted by their
/// weight in the national total, each linking to the submission's review page.
struct FollowUpController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "follow-up", access: .admin) { req async throws -> APIBody<Components.Schemas.FollowUp> in
            let requested = try PageWindow.requested(req)   // checked before any work
            let result = try await load(req, defaultForm: nil, requested: requested)
            let stored = result.stored, page = result.page
            return APIBody(Components.Schemas.FollowUp(
                year: result.year, form: result.form.form.id,
                statuses: try result.statuses.map { status in
                    guard let s = Components.Schemas.SubmissionStatus(rawValue: status) else {
                        throw Abort(.internalServerError, reason: "openapi.json has no status '\(status)'")
                    }
                    return s
                },
                yearOverYear: stored.yearOverYear.map { result.view($0).body },
                outliers: stored.outliers.map { result.view($0).body },
                yearOverYearTotal: stored.yearOverYearTotal, outliersTotal: stored.outliersTotal,
                page: page.page, pageSize: page.size, pages: page.pages,
                computedAt: stored.computedAt, current: stored.current))
        }
        app.routes.secure(.GET, "follow-up", access: .admin) { req async throws -> View in
            let requested = try PageWindow.requested(req)
            let result = try await load(req, defaultForm: req.platform.defaultNumericForm, requested: requested)
            let stored = result.stored, page = result.page
            let query = "/follow-up?year=\(result.year)&form=\(result.form.form.id)&pageSize=\(page.size)&page="
            return try await req.view.render("follow-up", FollowUpPage(
                layout: PageController().layout(req, "核查清单"), year: result.year, form: result.form.form.id,
                title: "\(result.form.form.tableNumber) \(result.form.form.title)",
                forms: req.platform.catalog.orderedForms.filter { $0.form.kind != .basicInfo }.map { .init(id: $0.form.id, name: "\($0.form.tableNumber) \($0.form.title)") },
                yearOverYear: stored.yearOverYear.map(result.view), outliers: stored.outliers.map(result.view),
                yearOverYearTotal: stored.yearOverYearTotal, outliersTotal: stored.outliersTotal,
                computedAt: AuditSearch.beijingTime(stored.computedAt), current: stored.current,
                pager: Pager(page) { query + String($0) }))
        }
    }

    struct Result {
        var year: Int
        var form: CompiledForm
        var statuses: [String]
        var page: PageWindow
        var stored: FollowUpStoredPage
        /// An item as shown: only the page's items are made (a form's lists run to a million items).
        var view: (FollowUpItem) -> FollowUpPage.Item
    }

    /// A page of the lists as stored and kept current (`FollowUpKeeper`): the reported figures
    /// (已提交, 已通过, 已核定: what the office still can act on).
    func load(_ req: Request, defaultForm: String?, requested: PageWindow.Request) async throws -> Result {
        let platform = req.platform
        let year: Int = req.query["year"] ?? platform.surveyYear
        guard platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
        let formID = (req.query[String.self, at: "form"] ?? defaultForm ?? "").uppercased()
        guard let form = platform.catalog.forms[formID], form.form.kind != .basicInfo else {
            throw APIError.badRequest("bad_form", formID.isEmpty ? "请用 form 指定报表" : "「\(formID)」不是数值报表")
        }
        let stored = try await platform.followUps.page(req.application.db, gate: platform.gate, catalog: platform.catalog,
                                                       year: year, formID: formID) { total in
            let window = requested.over(total: total)
            let start = (window.page - 1) * window.size
            return start..<(start + window.size)
        }
        let page = requested.over(total: max(stored.yearOverYearTotal, stored.outliersTotal))
        let names = stored.names
        func view(_ item: FollowUpItem) -> FollowUpPage.Item {
            func text(_ d: ExactDecimal?) -> String { d.map { $0.normalized.grouped } ?? "" }
            return .init(unitID: item.unitID, unitName: names[item.unitID] ?? item.unitID, type: platform.catalog.catalog.survey.respondentType(item.respondentType)?.name ?? item.respondentType,
                         cell: item.cell.description, code: item.cell.code, name: item.indicatorName + (item.memberName.map { "·\($0)" } ?? ""),
                         column: form.columnName(item.cell.column), unit: item.measureUnit, value: text(item.value), lastYear: text(item.lastValue),
                         changePercent: item.changePercent.map { $0.normalized.description + "%" } ?? "",
                         z: item.z.map { String(format: "%.2f", $0) } ?? "", weight: item.weight.map { String(format: "%.2f%%", $0 * 100) } ?? "",
                         note: item.note, url: "/review/units/\(item.unitID)/\(year)/\(formID)")
        }
        return Result(year: year, form: form, statuses: FollowUpComputation.statuses.map(\.rawValue).sorted(), page: page,
                      stored: stored, view: view)
    }
}

struct FollowUpPage: Encodable {
    var layout: Layout
    var year: Int
    var form: String
    var title: String
    var forms: [UnitsPage.Choice]
    var yearOverYear: [Item]
    var outliers: [Item]
    var yearOverYearTotal: Int
    var outliersTotal: Int
    /// When the lists were computed (Beijing time), and whether the figures have changed since.
    var computedAt: String
    var current: Bool
    var pager: Pager

    struct Item: Encodable {
        var unitID: String
        var unitName: String
        var type: String
        var cell: String
        var code: String
        var name: String
        var column: String
        var unit: String
        var value: String
        var lastYear: String
        var changePercent: String
        var z: String
        var weight: String
        var note: String
        var url: String

        /// The item as the API answers it (`FollowUpItem`); empty texts are `null`.
        var body: Components.Schemas.FollowUpItem {
            func text(_ s: String) -> String? { s.isEmpty ? nil : s }
            return Components.Schemas.FollowUpItem(
                unit: .init(id: unitID, name: unitName), _type: type, cell: cell, code: code, name: name, column: column,
                measureUnit: unit, value: value, lastYear: text(lastYear), changePercent: text(changePercent), z: text(z),
                weight: text(weight), note: note, url: url)
        }
    }
}
