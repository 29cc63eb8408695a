import DRSCore
import DRSStorage
import Fluent
import Foundation
import Vapor

/// National aggregation (汇总) for the national office: totals of a form by province, respondent type
/// and industry, with the units behind each cell, as JSON, CSV or the XLSX 汇总表; and the page.
struct AggregateController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "aggregate", access: .admin) { req async throws -> Response in
            let request = try AggregateRequest(req)
            let report = try await request.run(req)
            switch request.format {
            case "json": return report.json.response(status: .ok)
            default: return try TableExport.response(report.exportTable, format: request.format, fileName: "汇总表-\(request.form)-\(request.year)")
            }
        }
        app.routes.secure(.GET, "aggregate", access: .admin) { req async throws -> View in
            var request = try AggregateRequest(req, defaultForm: "P2")
            request.format = "json"
            let report = try await request.run(req)
            return try await req.view.render("aggregate", report.page(PageController().layout(req, "汇总"), request: request,
                                                                      forms: req.platform.catalog.orderedForms.filter { $0.form.kind != .basicInfo }))
        }
    }
}

/// The parameters of an aggregation: year, form, grouping dimensions, statuses, output format.
struct AggregateRequest {
    var year: Int
    var form: String
    var by: [String]
    var statuses: Set<SubmissionStatus>
    var format: String

    init(_ req: Request, defaultForm: String? = nil, formats: [String] = ["json", "csv", "xlsx"]) throws {
        let platform = req.platform
        year = req.query["year"] ?? platform.surveyYear
        guard platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
        let formText = (req.query[String.self, at: "form"] ?? defaultForm ?? "").uppercased()
        guard let compiled = platform.catalog.forms[formText], compiled.form.kind != .basicInfo else {
            throw APIError.badRequest("bad_form", formText.isEmpty ? "请用 form 指定要汇总的报表" : "「\(formText)」不是可汇总的报表（基本情况表不汇总）")
        }
        form = formText
        by = try Self.list(req.query[String.self, at: "by"]).map { d in
            guard AggregateInputs.dimensions.contains(d) else {
                throw APIError.badRequest("bad_dimension", "未知的分组「\(d)」，可用：province（省份）、type（调查对象类型）、industry（行业门类）")
            }
            return d
        }
        statuses = try Self.statuses(req, default: [.verified])
        format = (req.query[String.self, at: "format"] ?? formats[0]).lowercased()
        guard formats.contains(format) else { throw APIError.badRequest("bad_format", "不支持的格式「\(format)」，可用：\(formats.joined(separator: "、"))") }
    }

    /// The `status` query parameter (comma-separated), or `default` when absent.
    static func statuses(_ req: Request, default fallback: Set<SubmissionStatus>) throws -> Set<SubmissionStatus> {
        let (statuses, unknown) = SubmissionStatus.list(req.query[String.self, at: "status"] ?? "")
        if let bad = unknown.first ?? (statuses.contains(.notStarted) ? "notStarted" : nil) {
            throw APIError.badRequest("bad_status", "未知的状态「\(bad)」")
        }
        return statuses.isEmpty ? fallback : statuses
    }

    static func list(_ text: String?) throws -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run(_ req: Request) async throws -> AggregateReport {
        let platform = req.platform
        let input = try await AggregateInputs.load(req.db, catalog: platform.catalog, year: year, formID: form, statuses: statuses)
        let groupings: [[String]] = by.isEmpty ? [[]] : [[], by]
        let table = try await Offload.run { try Aggregator(form: input.form).aggregate(input.records, groupings: groupings) }
        return AggregateReport(catalog: platform.catalog, form: input.form, year: year, by: by, statuses: statuses, table: table)
    }
}
