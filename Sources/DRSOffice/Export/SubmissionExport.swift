import DRSCore
import DRSExchange
import DRSStorage
import FluentKit
import Foundation
import XLSXWriter

/// Unit-level data of a form and year (national staff only): one row per submission — the unit,
/// its status and every cell of the form — as CSV or XLSX, streamed: rows are read from the
/// database a page at a time and written out as they come, so a million rows never sit in memory.
/// An XLSX sheet holds at most 1,048,576 rows; longer exports continue on the next sheet.
public enum SubmissionExport {
    public static let pageSize = 500

    /// A format other than CSV or XLSX was asked for.
    public struct UnsupportedFormat: Error, CustomStringConvertible, Sendable {
        public var format: String
        public var description: String { "不支持的格式「\(format)」，可用：csv、xlsx" }
    }

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
            throw UnsupportedFormat(format: format)
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
