import DRSAPI
import DRSCore
import DRSExchange
import DRSStorage
import Fluent
import DRSOffice
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

    /// A filled template or CSV: read whole, and stored as the draft only when the whole file is usable.
    func upload(_ req: Request) async throws -> Response {
        let (unit, form, year) = try SubmissionController().resolve(req)
        let buffer = try await collectUpload(req)
        defer { MemoryRelease.afterLargeInput(bytes: buffer.readableBytes) }
        let isCSV = req.headers.contentType?.subType == "csv" || req.query[String.self, at: "format"] == "csv"
        let expecting = (formID: Optional(form.form.id), year: Optional(year), creditCode: Optional(unit.creditCode))
        let result: UploadResult
        switch try await Self.read(buffer, isCSV: isCSV, catalog: req.platform.catalog, expecting: expecting) {
        case .success(let read): result = read
        case .failure(let unreadable):
            return JSONValue.errorBody("unusable_file", unreadable.message,
                                       [("problems", .array([Self.json(UploadProblem(code: "unreadable", message: unreadable.message))])),
                                        ("problemCount", .int(1))])
                .response(status: .unprocessableEntity)
        }
        guard result.isUsable, let document = result.submission else { return Self.refusal(result) }
        return try await store(req, document, unit: unit, form: form, year: year)
    }

    /// The body, collected here (the route streams it) up to the upload limit and no further: a
    /// bigger file is refused as it arrives, with this route's answer, and what it held is released.
    private func collectUpload(_ req: Request) async throws -> ByteBuffer {
        let buffer: ByteBuffer
        do {
            buffer = try await req.body.collect(max: Self.maximumUploadBytes).get() ?? ByteBuffer()
        } catch let error as any AbortError where error.status == .payloadTooLarge {
            MemoryRelease.afterLargeInput(bytes: Self.maximumUploadBytes)
            throw Self.tooLarge
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("empty_body", "没有收到文件") }
        guard buffer.readableBytes <= Self.maximumUploadBytes else { throw Self.tooLarge }
        return buffer
    }

    /// A workbook that is no workbook at all (not a ZIP, no sheets…).
    struct UnreadableFile: Error { var message: String }

    /// Reads the upload. A workbook of several megabytes takes a while: off the event loop
    /// (`Offload`). A CSV is read in place, a record at a time; only a workbook is copied out of the body.
    private static func read(_ buffer: ByteBuffer, isCSV: Bool, catalog: CompiledCatalog,
                             expecting: (formID: String?, year: Int?, creditCode: String?)) async throws -> Result<UploadResult, UnreadableFile> {
        try await Offload.run {
            if isCSV { return .success(CSVUpload.read(contiguous: buffer.readableBytesView, catalog: catalog, expecting: expecting)) }
            do {
                return .success(TemplateUpload.read(try XLSXFile.read(Array(buffer.readableBytesView)), catalog: catalog, expecting: expecting))
            } catch {
                return .failure(UnreadableFile(message: String(describing: error)))
            }
        }
    }

    /// The answer to a file with problems: at most `UploadLimits.maximumProblemsListed` are listed, and all are counted.
    private static func refusal(_ result: UploadResult) -> Response {
        let first = result.problems.first?.description ?? "文件无法使用"
        let count = result.problemCount > 1 ? "（\(result.truncationNote ?? "共\(result.problemCount)处问题")）" : ""
        return JSONValue.errorBody("unusable_file", "文件未保存：\(first)\(count)",
                                   [("problems", .array(result.problems.map(Self.json))), ("problemCount", .int(result.problemCount))])
            .response(status: .unprocessableEntity)
    }

    /// Stores a usable file like a draft save over the current version: versioned and audited.
    private func store(_ req: Request, _ document: SubmissionDocument, unit: SurveyUnit, form: CompiledForm, year: Int) async throws -> Response {
        let store = req.platform.store(req.db)
        let submission = try await store.findOrCreate(unitID: try unit.requireID(), formID: form.form.id, year: year)
        let answers: String? = form.form.kind == .basicInfo ? JSONValue.object(document.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        do {
            let (version, status, changes) = try await store.saveDraft(id: try submission.requireID(), expectedVersion: submission.version,
                                                                       cells: form.cellMap(document.values),
                                                                       explanations: document.explanations, answers: answers, actor: req.actor)
            if answers != nil { req.application.readCache.forget(answersOf: try unit.requireID(), form: form.form.id, year: year) }
            let report = try await SubmissionController().report(req, unit, form, year, document)
            let template = FormTemplate(form: form, catalog: req.platform.catalog, creditCode: unit.creditCode, year: year)
            // The document leaves `report` open: these rule results also point at the workbook's cells.
            let located: JSONValue = .object([("errors", Self.located(report.errors, in: template)), ("warnings", Self.located(report.warnings, in: template)),
                                              ("blocksSubmission", .bool(report.blocksSubmission))])
            return try APIBody(Operations.UploadWorkbook.Output.Ok.Body.JsonPayload(
                version: version, status: status.rawValue, changedCells: changes.count, report: try APIBodyEncoding.decode(from: located))).response()
        } catch StoreError.notEditable(let status) {
            return JSONValue.errorBody("not_editable", "此表\(status.chineseName)，不能上传覆盖；如需修改请联系审核人退回。").response(status: .conflict)
        } catch StoreError.versionConflict(let current, _) {
            return JSONValue.errorBody("version_conflict", "此表正在被修改（当前版本 \(current)），请稍后重新上传。").response(status: .conflict)
        }
    }

    /// Rule results pointing at the cells of the workbook the filer has open (sheet, address).
    static func located(_ violations: [Violation], in template: FormTemplate) -> JSONValue {
        let addresses = Dictionary(template.markers.filter { $0.kind == .cell }.map { ($0.key, ($0.sheet, $0.address)) }, uniquingKeysWith: { a, _ in a })
        return .array(violations.map { v in
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
