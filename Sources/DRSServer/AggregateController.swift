import DRSCore
import DRSStorage
import Fluent
import DRSOffice
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
            // A protected CSV ends with the footnote explaining its symbol, as `drs aggregate` writes it.
            case "csv" where report.suppression != nil:
                return TableExport.download(Array(report.csv().utf8), type: TableExport.csvType, fileName: "汇总表-\(request.form)-\(request.year).csv")
            default: return try TableExport.response(report.exportTable, format: request.format, fileName: "汇总表-\(request.form)-\(request.year)")
            }
        }
        app.routes.secure(.GET, "aggregate", access: .admin) { req async throws -> View in
            var request = try AggregateRequest(req, defaultForm: req.platform.defaultNumericForm)
            request.format = "json"
            // The page shows the internal figures; publication goes through its protect=1 export links.
            request.protect = false
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
    /// `protect=1`: disclosure control with the server's rules, audited and recorded as a public release.
    var protect: Bool

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
        switch (req.query[String.self, at: "protect"] ?? "0").lowercased() {
        case "1", "true": protect = true
        case "0", "false", "": protect = false
        default: throw APIError.badRequest("bad_protect", "protect 只能为 1（按保密规则处理）或 0")
        }
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
        let groupings: [[String]] = by.isEmpty ? [[]] : [[], by]
        guard protect else {
            // Totals only: summed run by run as the submissions are read, never all held at once; of
            // verified figures, kept until a change that could move them is heard.
            let (db, year, form, statuses) = (req.db, year, form, statuses)
            let load = {
                let (compiled, table) = try await AggregateInputs.table(db, catalog: platform.catalog, year: year, formID: form,
                                                                        statuses: statuses, groupings: groupings)
                return KeptAggregate(form: compiled, table: table)
            }
            let kept = statuses == [.verified]
                ? try await req.application.readCache.aggregate(AggregateKey(year: year, form: form, groupings: groupings), load: load)
                : try await load()
            return AggregateReport(catalog: platform.catalog, form: kept.form, year: year, by: by, statuses: statuses, table: kept.table)
        }
        // Disclosure control needs every unit's contribution.
        let input = try await AggregateInputs.load(req.db, catalog: platform.catalog, year: year, formID: form, statuses: statuses,
                                                   lastYear: false)
        let table = try await Offload.run { try Aggregator(form: input.form).aggregate(input.records, groupings: groupings) }
        var report = AggregateReport(catalog: platform.catalog, form: input.form, year: year, by: by, statuses: statuses, table: table)
        report.suppression = try await released(req, input: input, table: table)
        return report
    }

    /// Protects and audits the aggregate, then records the release; a failing audit is 422
    /// `release_refused` and records nothing.
    private func released(_ req: Request, input: AggregateInputs.Input, table: AggregateTable) async throws -> AggregateSuppression {
        let protection = req.platform.release
        let by = self.by
        let release: ProtectedRelease
        do {
            release = try await Offload.run { try protection.protect(input, table, by: by) }
        } catch let refused as ReleaseRefused {
            throw APIError.unprocessable("release_refused", refused.message)
        }
        let actor = req.actor
        let maker = ReleaseRecords.Maker(userID: actor.userID, username: actor.username, address: actor.address)
        let row = ReleaseRecords.row(year: year, form: form, by: by, destination: .public, fingerprint: protection.fingerprint,
                                     release: release, maker: maker)
        let what = "\(year)年 \(form) 汇总（\(format)\(by.isEmpty ? "，全国" : "，按 " + by.joined(separator: ","))）", db = req.db
        try await req.platform.gate.run {   // as every write of the server: one writer on SQLite
            try await ReleaseRecords.store([row], destination: .public, fingerprint: protection.fingerprint, what: what, maker: maker, on: db)
        }
        return release.suppression
    }
}
