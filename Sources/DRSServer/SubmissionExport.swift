import DRSCore
import DRSExchange
import DRSStorage
import Fluent
import Foundation
import Vapor
import XLSXWriter

/// Unit-level data of a form and year (national staff only): one row per submission — the unit,
/// its status and every cell of the form — as CSV or XLSX, streamed: rows are read from the
/// database a page at a time and written out as they come, so a million rows never sit in memory.
/// An XLSX sheet holds at most 1,048,576 rows; longer exports continue on the next sheet.
public enum SubmissionExport {
    public static let pageSize = 500

    /// The head: fixed unit columns, then one column per cell of the form's layout.
    public static func head(_ form: CompiledForm) -> (codes: [String], names: [String]) {
        let fixed = ["统一社会信用代码", "单位详细名称", "区划代码", "调查对象类型", "状态", "版本"]
        let cells = form.layout.cells
        return (["creditCode", "name", "region", "type", "status", "version"] + cells.map(\.key.description),
                fixed + cells.map { "\($0.name)（\(form.columnName($0.key.column))\($0.memberName.map { "·\($0)" } ?? "")，\($0.unit)）" })
    }

    /// A row of figures for one submission, in the order of `head`.
    public static func row(unit: SurveyUnit?, submission: Submission, form: CompiledForm, typeName: String) -> [TableExport.Cell] {
        let map = SubmissionStore.decode(submission.cells)
        var row: [TableExport.Cell] = [.text(unit?.creditCode ?? ""), .text(unit?.name ?? ""), .text(unit?.regionCode ?? ""), .text(typeName),
                                       .text(submission.status.chineseName), .integer(submission.version)]
        row.reserveCapacity(6 + form.layout.count)
        for cell in form.layout.cells {
            if let text = map[cell.key.description], let value = try? NumberInput.parse(text) { row.append(.decimal(value)) } else { row.append(.empty) }
        }
        return row
    }

    /// Pages through the submissions (keyset on id: stable and cheap on both databases).
    public static func pages(_ db: any Database, year: Int, formID: String, statuses: Set<SubmissionStatus>,
                             _ body: ([Submission]) async throws -> Void) async throws {
        var last: UUID?
        while true {
            var query = Submission.query(on: db).filter(\.$year == year).filter(\.$formID == formID).filter(\.$status ~~ Array(statuses))
            if let last { query = query.filter(\.$id > last) }
            let page = try await query.sort(\.$id).limit(pageSize).all()
            if page.isEmpty { return }
            try await body(page)
            last = page.last?.id
            if page.count < pageSize { return }
        }
    }

    /// The whole export of a form and year from the database, written to `emit`; returns the rows written.
    public static func write(_ db: any Database, catalog: CompiledCatalog, form: CompiledForm, year: Int, statuses: Set<SubmissionStatus>,
                             format: String, emit: @escaping ([UInt8]) async throws -> Void) async throws -> Int {
        let units = Dictionary(try await SurveyUnit.query(on: db).all().map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        let survey = catalog.catalog.survey
        let formID = form.form.id
        return try await write(
            format: format, title: "\(form.form.tableNumber) \(form.form.title) \(year)年 单位数据", head: head(form), created: Date(),
            rows: { yield in
                try await pages(db, year: year, formID: formID, statuses: statuses) { page in
                    try await yield(page.map { s in
                        let unit = units[s.$unit.id]
                        let type = unit?.respondentType(filing: formID, in: survey) ?? ""
                        return row(unit: unit, submission: s, form: form, typeName: survey.respondentType(type)?.name ?? type)
                    })
                }
            }, emit: emit)
    }

    /// Writes the export to `emit` chunk by chunk. `rows` yields the body rows a batch at a time.
    public static func write(format: String, title: String, head: (codes: [String], names: [String]), created: Date,
                             rows: (_ yield: ([[TableExport.Cell]]) async throws -> Void) async throws -> Void,
                             emit: @escaping ([UInt8]) async throws -> Void) async throws -> Int {
        var count = 0
        switch format {
        case "csv":
            try await emit(Array(("\u{FEFF}" + csvLine(head.names) + csvLine(head.codes)).utf8))
            try await rows { batch in
                var text = ""
                for row in batch { text += csvLine(row.map(\.csv)) }
                count += batch.count
                try await emit(Array(text.utf8))
            }
        case "xlsx":
            let buffer = PendingBytes()
            let formatter = ISO8601DateFormatter()
            let writer = try XLSXStreamWriter(sink: ClosureSink { buffer.bytes.append(contentsOf: $0) },
                                              properties: DocumentProperties(title: title, created: formatter.string(from: created)))
            var sheet = 0
            func begin() throws {
                sheet += 1
                try writer.beginSheet(sheet == 1 ? "数据" : "数据（续\(sheet - 1)）", setup: SheetSetup(frozen: FrozenPanes(rows: 2, columns: 2)))
                try writer.appendRow(head.names.map { .text($0, style: .header) })
                try writer.appendRow(head.codes.map { .text($0, style: .textCentered) })
            }
            try begin()
            try await rows { batch in
                for row in batch {
                    if (writer.nextRow ?? 0) > SheetLimits.maxRows { try begin() }
                    try writer.appendRow(row.map { cell in
                        switch cell {
                        case .text(let s): .text(SpreadsheetText.neutralised(s))   // formulas inert, as in the CSV
                        case .integer(let i): .integer(i)
                        case .decimal(let d): .number(d.description)
                        case .empty: .empty
                        }
                    })
                }
                count += batch.count
                if buffer.bytes.count >= 1 << 20 { try await emit(buffer.take()) }
            }
            try writer.finish()
            try await emit(buffer.take())
        default:
            throw APIError.badRequest("bad_format", "不支持的格式「\(format)」，可用：csv、xlsx")
        }
        return count
    }

    static func csvLine(_ fields: [String]) -> String { TableExport.csvLine(fields) }

    /// The writer's output between two flushes to the (asynchronous) destination. Not `Sendable`:
    /// the export's one task fills and empties it in turn.
    final class PendingBytes {
        var bytes: [UInt8] = []
        func take() -> [UInt8] {
            defer { bytes = [] }
            return bytes
        }
    }
}

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
