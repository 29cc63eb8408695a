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
            let result = try await load(req, defaultForm: nil)
            let page = result.window(requested)
            return APIBody(Components.Schemas.FollowUp(
                year: result.year, form: result.form.form.id,
                statuses: try result.statuses.map { status in
                    guard let s = Components.Schemas.SubmissionStatus(rawValue: status) else {
                        throw Abort(.internalServerError, reason: "openapi.json has no status '\(status)'")
                    }
                    return s
                },
                yearOverYear: page.slice(result.yearOverYear).map { result.view($0).body },
                outliers: page.slice(result.outliers).map { result.view($0).body },
                yearOverYearTotal: result.yearOverYear.count, outliersTotal: result.outliers.count,
                page: page.page, pageSize: page.size, pages: page.pages))
        }
        app.routes.secure(.GET, "follow-up", access: .admin) { req async throws -> View in
            let requested = try PageWindow.requested(req)
            let result = try await load(req, defaultForm: req.platform.defaultNumericForm)
            let page = result.window(requested)
            let query = "/follow-up?year=\(result.year)&form=\(result.form.form.id)&pageSize=\(page.size)&page="
            return try await req.view.render("follow-up", FollowUpPage(
                layout: PageController().layout(req, "核查清单"), year: result.year, form: result.form.form.id,
                title: "\(result.form.form.tableNumber) \(result.form.form.title)",
                forms: req.platform.catalog.orderedForms.filter { $0.form.kind != .basicInfo }.map { .init(id: $0.form.id, name: "\($0.form.tableNumber) \($0.form.title)") },
                yearOverYear: page.slice(result.yearOverYear).map(result.view), outliers: page.slice(result.outliers).map(result.view),
                yearOverYearTotal: result.yearOverYear.count, outliersTotal: result.outliers.count,
                pager: Pager(page) { query + String($0) }))
        }
    }

    struct Result {
        var year: Int
        var form: CompiledForm
        var statuses: [String]
        var yearOverYear: FollowUpItems
        var outliers: FollowUpItems
        /// An item as shown: only the page's items are formatted (a form's lists run to 95,000 items).
        var view: (FollowUpItem) -> FollowUpPage.Item

        /// One page index over both lists: as many pages as the longer list needs.
        func window(_ requested: PageWindow.Request) -> PageWindow {
            requested.over(total: max(yearOverYear.count, outliers.count))
        }
    }

    /// Follows up the reported figures (已提交, 已通过, 已核定: what the office still can act on).
    func load(_ req: Request, defaultForm: String?) async throws -> Result {
        let platform = req.platform
        let year: Int = req.query["year"] ?? platform.surveyYear
        guard platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
        let formID = (req.query[String.self, at: "form"] ?? defaultForm ?? "").uppercased()
        guard let form = platform.catalog.forms[formID], form.form.kind != .basicInfo else {
            throw APIError.badRequest("bad_form", formID.isEmpty ? "请用 form 指定报表" : "「\(formID)」不是数值报表")
        }
        let statuses = SubmissionStatus.reported
        let input = try await AggregateInputs.load(req.db, catalog: platform.catalog, year: year, formID: formID, statuses: statuses)
        let lists = try await Offload.run {
            let aggregator = try Aggregator(form: form)
            let table = try aggregator.aggregate(input.records, groupings: [[]])
            let units = zip(input.records, input.units).map { record, unit in
                FollowUpUnit(unitID: unit.id.uuidString, respondentType: unit.type, values: record.values, lastYear: unit.lastYear)
            }
            // One grouping, the national one, was asked for: the table always has it.
            guard let national = table.national else { throw Abort(.internalServerError, reason: "汇总结果缺少全国合计") }
            return FollowUpLists(aggregator: aggregator, units: units, national: national)
        }
        let names = Dictionary(input.units.map { ($0.id.uuidString, $0.name) }, uniquingKeysWith: { a, _ in a })
        func view(_ item: FollowUpItem) -> FollowUpPage.Item {
            func text(_ d: ExactDecimal?) -> String { d.map { $0.normalized.grouped } ?? "" }
            return .init(unitID: item.unitID, unitName: names[item.unitID] ?? item.unitID, type: platform.catalog.catalog.survey.respondentType(item.respondentType)?.name ?? item.respondentType,
                         cell: item.cell.description, code: item.cell.code, name: item.indicatorName + (item.memberName.map { "·\($0)" } ?? ""),
                         column: form.columnName(item.cell.column), unit: item.measureUnit, value: text(item.value), lastYear: text(item.lastValue),
                         changePercent: item.changePercent.map { $0.normalized.description + "%" } ?? "",
                         z: item.z.map { String(format: "%.2f", $0) } ?? "", weight: item.weight.map { String(format: "%.2f%%", $0 * 100) } ?? "",
                         note: item.note, url: "/review/units/\(item.unitID)/\(year)/\(formID)")
        }
        return Result(year: year, form: form, statuses: statuses.map(\.rawValue).sorted(),
                      yearOverYear: lists.yearOverYear, outliers: lists.outliers, view: view)
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
