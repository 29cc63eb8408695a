import DRSCore
import DRSExchange
import DRSStorage
import Fluent
import Foundation
import Vapor
import XLSXReader

/// Excel for filers: the form's template with the unit, the year and the figures so far filled in;
/// and uploads of a filled template (or CSV), stored as the draft only when the whole file is usable.
struct TemplateController {
    /// The largest upload accepted (`UploadLimits`); a bigger body is refused while it arrives.
    static let maximumUploadBytes = UploadLimits.maximumFileBytes

    func register(_ app: Application) throws {
        MemoryRelease.configure()   // large upload buffers go back to the system when freed
        let one = app.routes.grouped("api", "v1", "units", ":unitID", "submissions", ":year", ":formID")
        one.secure(.GET, "template", access: .unitRead) { req async throws -> Response in try await template(req) }
        one.secure(.POST, "upload", access: .unitWrite, body: .stream) { req async throws -> Response in try await upload(req) }
    }

    func template(_ req: Request) async throws -> Response {
        let controller = SubmissionController()
        let (unit, form, year) = try controller.resolve(req)
        let detail = try await controller.detail(req)
        let stored = detail["submission"]?["values"] ?? .object([])
        var values = CellValues(count: form.layout.count)
        for (slot, cell) in form.layout.cells.enumerated() {
            guard let column = stored[cell.key.code]?[cell.key.column] else { continue }
            let text = cell.key.member.flatMap { column[$0]?.stringValue } ?? (cell.key.member == nil ? column.stringValue : nil)
            if let text, let value = try? NumberInput.parse(text) { values[slot] = value }
        }
        let answers = Dictionary(detail["submission"]?["answers"]?.objectMembers ?? [], uniquingKeysWith: { a, _ in a })
        let explanations = Dictionary((detail["submission"]?["explanations"]?.objectMembers ?? []).compactMap { k, v in v.stringValue.map { (k, $0) } },
                                      uniquingKeysWith: { a, _ in a })
        let template = FormTemplate(form: form, catalog: req.platform.catalog, unitName: unit.name, creditCode: unit.creditCode, year: year,
                                    prefill: values, answers: answers, explanations: explanations)
        let bytes = try template.bytes(created: ISO8601DateFormatter().string(from: Date()))
        return TableExport.download(bytes, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fileName: template.suggestedFileName)
    }

    func upload(_ req: Request) async throws -> Response {
        let (unit, form, year) = try SubmissionController().resolve(req)
        // The body is collected here (the route streams it), up to the upload limit and no further: a
        // bigger file is refused as it arrives, with this route's answer, and what it held is released.
        let buffer: ByteBuffer
        do {
            buffer = try await req.body.collect(max: Self.maximumUploadBytes).get() ?? ByteBuffer()
        } catch let error as any AbortError where error.status == .payloadTooLarge {
            MemoryRelease.afterLargeInput(bytes: Self.maximumUploadBytes)
            throw Self.tooLarge
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("empty_body", "没有收到文件") }
        guard buffer.readableBytes <= Self.maximumUploadBytes else { throw Self.tooLarge }
        defer { MemoryRelease.afterLargeInput(bytes: buffer.readableBytes) }
        let isCSV = req.headers.contentType?.subType == "csv" || req.query[String.self, at: "format"] == "csv"
        let expecting = (formID: Optional(form.form.id), year: Optional(year), creditCode: Optional(unit.creditCode))
        let catalog = req.platform.catalog
        // Reading a workbook of several megabytes takes a while: off the event loop (`Offload`). A CSV
        // is read in place, a record at a time; only a workbook is copied out of the body.
        let (read, unreadable): (UploadResult?, String?) = try await Offload.run {
            if isCSV { return (CSVUpload.read(contiguous: buffer.readableBytesView, catalog: catalog, expecting: expecting), nil) }
            do {
                return (TemplateUpload.read(try XLSXFile.read(Array(buffer.readableBytesView)), catalog: catalog, expecting: expecting), nil)
            } catch {
                return (nil, String(describing: error))
            }
        }
        guard let result = read else {
            let message = unreadable ?? "无法读取"
            return JSONValue.errorBody("unusable_file", message, [("problems", .array([Self.json(UploadProblem(code: "unreadable", message: message))])),
                                                                  ("problemCount", .int(1))])
                .response(status: .unprocessableEntity)
        }
        guard result.isUsable, let document = result.submission else {
            // At most `UploadLimits.maximumProblemsListed` problems are listed, and all are counted.
            let first = result.problems.first?.description ?? "文件无法使用"
            let count = result.problemCount > 1 ? "（\(result.truncationNote ?? "共\(result.problemCount)处问题")）" : ""
            return JSONValue.errorBody("unusable_file", "文件未保存：\(first)\(count)",
                                       [("problems", .array(result.problems.map(Self.json))), ("problemCount", .int(result.problemCount))])
                .response(status: .unprocessableEntity)
        }
        // Stored like a draft save over the current version: versioned and audited.
        let store = req.platform.store(req.db)
        let submission = try await store.findOrCreate(unitID: unit.id!, formID: form.form.id, year: year)
        let answers: String? = form.form.kind == .basicInfo ? JSONValue.object(document.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        do {
            let (version, status, changes) = try await store.saveDraft(id: submission.id!, expectedVersion: submission.version, cells: form.cellMap(document.values),
                                                                       explanations: document.explanations, answers: answers, actor: req.actor)
            let report = try await SubmissionController().report(req, unit, form, year, document)
            // Rule results point at the cells of the workbook the filer has open.
            let template = FormTemplate(form: form, catalog: req.platform.catalog, creditCode: unit.creditCode, year: year)
            let addresses = Dictionary(template.markers.filter { $0.kind == .cell }.map { ($0.key, ($0.sheet, $0.address)) }, uniquingKeysWith: { a, _ in a })
            func located(_ violations: [Violation]) -> JSONValue {
                .array(violations.map { v in
                    guard case .object(var members) = v.json else { return v.json }
                    if let first = v.cells.first(where: { !$0.lastYear }) {
                        let key = CellKey(code: first.code, column: first.column, member: first.member).description
                        if let (sheet, address) = addresses[key] {
                            members.append(("sheet", .string(sheet)))
                            members.append(("cell", .string(address)))
                            members.append(("location", .string("Sheet \(sheet) 单元格 \(address)")))
                        }
                    }
                    return .object(members)
                })
            }
            return JSONValue.object([
                ("version", .int(version)), ("status", .string(status.rawValue)), ("changedCells", .int(changes.count)),
                ("report", .object([("errors", located(report.errors)), ("warnings", located(report.warnings)),
                                    ("blocksSubmission", .bool(report.blocksSubmission))])),
            ]).response(status: .ok)
        } catch StoreError.notEditable(let status) {
            return JSONValue.errorBody("not_editable", "此表\(status.chineseName)，不能上传覆盖；如需修改请联系审核人退回。").response(status: .conflict)
        } catch StoreError.versionConflict(let current, _) {
            return JSONValue.errorBody("version_conflict", "此表正在被修改（当前版本 \(current)），请稍后重新上传。").response(status: .conflict)
        }
    }

    static let tooLarge = APIError(status: .payloadTooLarge, code: "file_too_large",
                                   message: "文件过大，上传的工作簿或 CSV 文件不能超过 \(maximumUploadBytes >> 20) MB")

    static func json(_ p: UploadProblem) -> JSONValue {
        var members: [(String, JSONValue)] = [("code", .string(p.code)), ("message", .string(p.message)), ("text", .string(p.description))]
        if let sheet = p.sheet { members.append(("sheet", .string(sheet))) }
        if let cell = p.cell { members.append(("cell", .string(cell))) }
        if let line = p.line { members.append(("line", .int(line))) }
        return .object(members)
    }
}
