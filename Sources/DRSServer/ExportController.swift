import DRSCore
import DRSOffice
import DRSStorage
import Foundation
import Vapor

/// `GET /api/v1/export/submissions?year=&form=&status=&format=csv|xlsx`, streamed.
struct ExportController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1", "export")
        api.secure(.GET, "submissions", access: .admin) { req async throws -> Response in
            let platform = req.platform
            let year: Int = req.query["year"] ?? platform.surveyYear
            guard platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
            let formID = (req.query[String.self, at: "form"] ?? "").uppercased()
            guard let form = platform.catalog.forms[formID], form.form.kind != .basicInfo else {
                throw APIError.badRequest("bad_form", formID.isEmpty ? "请用 form 指定报表" : "「\(formID)」不是数值报表")
            }
            let format = (req.query[String.self, at: "format"] ?? "csv").lowercased()
            guard ["csv", "xlsx"].contains(format) else { throw APIError.badRequest("bad_format", "不支持的格式「\(format)」，可用：csv、xlsx") }
            let statuses = try AggregateRequest.statuses(req, default: Set(SubmissionStatus.allCases.filter { $0 != .notStarted }))
            let db = req.db, catalog = platform.catalog
            try await AuditEvent(userID: req.currentUser?.id, username: req.currentUser?.username ?? "-", address: req.clientAddress,
                                 kind: .userChanged, detail: "导出单位数据 \(formID) \(year) \(format)").create(on: db)
            let response = Response(status: .ok, headers: TableExport.downloadHeaders(type: format == "csv" ? TableExport.csvType : TableExport.xlsxType,
                                                                                    fileName: "单位数据-\(formID)-\(year).\(format)"))
            response.body = .init(asyncStream: { writer in
                do {
                    _ = try await SubmissionExport.write(db, catalog: catalog, form: form, year: year, statuses: statuses, format: format,
                                                         emit: { bytes in try await writer.write(.buffer(ByteBuffer(bytes: bytes))) })
                    try await writer.write(.end)
                } catch {
                    try? await writer.write(.error(error))
                }
            })
            return response
        }
    }
}
