import DRSApplication
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The filer's API: a unit's forms for a year, one submission (figures, last year's, checks),
/// saving drafts (409 on a stale version), checking as one types, submitting, and the history.
struct SubmissionController {
    static let maxBodyBytes = 1 << 20
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "my", "forms", access: .authenticated) { req async throws -> JSONValue in
            let user = try req.requireUser()
            guard let unit = try await req.unit(of: user) else { return .object([("forms", .array([]))]) }
            return try await formsJSON(req, unit, year: req.query["year"] ?? req.platform.surveyYear, user: user)
        }
        let unit = api.grouped("units", ":unitID")
        unit.secure(.GET, "forms", ":year", access: .unitRead) { req async throws -> JSONValue in
            try await formsJSON(req, try req.scopedUnit, year: try year(req), user: try req.requireUser())
        }
        let one = unit.grouped("submissions", ":year", ":formID")
        one.secure(.GET, access: .unitRead) { req async throws -> JSONValue in try await detail(req) }
        one.secure(.PUT, access: .unitWrite) { req async throws -> Response in try await save(req) }
        one.secure(.POST, "check", access: .unitRead) { req async throws -> JSONValue in try await check(req) }
        one.secure(.POST, "submit", access: .unitWrite, action: .submitForm) { req async throws -> Response in try await submit(req) }
        one.secure(.GET, "history", access: .unitRead) { req async throws -> JSONValue in
            let (_, _, year) = try resolve(req)
            guard let s = try await req.platform.store(req.db).find(unitID: try req.scopedUnit.requireID(), formID: try formID(req), year: year) else {
                return .object([("events", .array([]))])
            }
            return .object([("events", .array(try await req.platform.store(req.db).history(id: try s.requireID()).map(\.json)))])
        }
    }

    func year(_ req: Request) throws -> Int {
        guard let y = req.parameters.get("year", as: Int.self) else { throw APIError.badRequest("bad_year", "年份应为整数") }
        guard req.platform.catalog.catalog.survey.reportingYears.contains(y) else {
            throw APIError.notFound("\(y)年的调查")
        }
        return y
    }

    func formID(_ req: Request) throws -> String { (req.parameters.get("formID") ?? "").uppercased() }

    /// The unit, the form (one the unit files and the account may fill) and the year of the path.
    func resolve(_ req: Request) throws -> (SurveyUnit, CompiledForm, Int) {
        let unit = try req.scopedUnit
        let id = try formID(req)
        guard let form = req.platform.catalog.form(id), req.platform.files(unit, id),
              req.may(.viewForm, unit, formID: id) else { throw APIError.notFound("表「\(id)」") }
        return (unit, form, try year(req))
    }

    func formsJSON(_ req: Request, _ unit: SurveyUnit, year: Int, user: UserAccount) async throws -> JSONValue {
        let platform = req.platform
        let store = platform.store(req.db)
        var forms: [JSONValue] = []
        for form in platform.forms(for: unit) where req.may(.viewForm, unit, formID: form.form.id) {
            let s = try await store.find(unitID: try unit.requireID(), formID: form.form.id, year: year)
            let status = s?.status ?? .notStarted
            forms.append(.object([
                ("form", .string(form.form.id)), ("tableNumber", .string(form.form.tableNumber)), ("title", .string(form.form.title)),
                ("status", .string(status.rawValue)), ("statusName", .string(status.chineseName)), ("version", .int(s?.version ?? 0)),
                ("returnReason", .string(s?.returnReason)),
            ]))
        }
        return .object([
            ("unit", .object([("id", .string(try unit.requireID().uuidString)), ("name", .string(unit.name)), ("creditCode", .string(unit.creditCode))])),
            ("year", .int(year)), ("deadline", .string(Self.dateText(platform.deadline(for: year)))),
            ("daysLeft", .int(platform.daysLeft(for: year))), ("forms", .array(forms)),
        ])
    }

    /// `2027-03-10`, as the API and the pages write the deadline.
    static func dateText(_ date: CivilDate) -> String { date.description }

    /// Last year's figures of the same unit and form, if they count (`CarryOver`: verified only).
    func lastYear(_ req: Request, _ unit: SurveyUnit, _ form: CompiledForm, _ year: Int) async throws -> CellValues? {
        let unitID = try unit.requireID()
        return try await req.application.readCache.lastYear("\(unitID)/\(form.form.id)/\(year - 1)") {
            guard let s = try await req.platform.store(req.db).find(unitID: unitID, formID: form.form.id, year: year - 1),
                  CarryOver.counts(lastYear: s.status) else { return nil }
            return req.storedValues(form, s.cells, of: "\(year - 1)年已核定数据")
        }
    }

    func detail(_ req: Request) async throws -> JSONValue {
        let (unit, form, year) = try resolve(req)
        let platform = req.platform
        let stored = try await platform.store(req.db).find(unitID: try unit.requireID(), formID: form.form.id, year: year)
        var values = req.storedValues(form, stored?.cells ?? "{}", of: "本表数据")
        let last = try await lastYear(req, unit, form, year)
        var carried = false
        if let last, CarryOver.applies(to: stored?.status) {
            CarryOver.apply(form.layout, into: &values, from: last)
            carried = true
        }
        let explanations = SubmissionStore.decodeCells(stored?.explanations ?? "{}")
        let answers = (try? JSONValue.parse(stored?.answers ?? "{}")) ?? .object([])
        var report = form.check(values, lastYear: last, explanations: explanations, profile: platform.profile(of: unit))
        if form.form.kind == .basicInfo, case .object(let members) = answers {
            for v in BasicInfoChecker.check(Dictionary(members, uniquingKeysWith: { a, _ in a }), form: form,
                                            codeLists: platform.catalog.catalog.codeLists, respondentType: unit.typeList.first) {
                if v.severity == .error { report.errors.append(v) } else { report.warnings.append(v) }
            }
        }
        let status = stored?.status ?? .notStarted
        return .object([
            ("submission", .object([
                ("id", .string(stored?.id?.uuidString)), ("unit", .object([("id", .string(try unit.requireID().uuidString)), ("name", .string(unit.name)),
                                                                          ("creditCode", .string(unit.creditCode))])),
                ("form", .string(form.form.id)), ("year", .int(year)), ("status", .string(status.rawValue)),
                ("statusName", .string(status.chineseName)), ("editable", .bool(status.isEditable)), ("version", .int(stored?.version ?? 0)),
                ("values", SubmissionTemplate.filledValues(form, values)), ("answers", answers),
                ("explanations", .object(explanations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                ("returnReason", .string(stored?.returnReason)), ("carriedOver", .bool(carried)),
            ])),
            ("lastYear", last.map { SubmissionTemplate.filledValues(form, $0) } ?? .null),
            ("report", report.json),
            ("deadline", .string(Self.dateText(platform.deadline(for: year)))), ("daysLeft", .int(platform.daysLeft(for: year))),
        ])
    }

    /// Reads a draft body `{"version": n, "values": {…}, "answers": {…}, "explanations": {…}}` exactly.
    func readBody(_ req: Request, _ form: CompiledForm, _ year: Int) throws -> (version: Int?, document: SubmissionDocument) {
        guard let buffer = req.body.data else { throw APIError.badRequest("empty_body", "请求内容为空") }
        if buffer.readableBytes > Self.maxBodyBytes {
            throw APIError(status: .payloadTooLarge, code: "body_too_large", message: "请求内容过大（超过1 MB），不是一份报表")
        }
        let body: JSONValue
        do { body = try JSONValue.parse(bytes: Array(buffer.readableBytesView)) } catch {
            throw StrictJSON.apiError(error)
        }
        guard let members = body.objectMembers else { throw APIError.badRequest("malformed_body", "请求内容应为 JSON 对象") }
        var version: Int?
        if case .number(let v)? = body["version"] { version = Int(v) }
        var document: [(String, JSONValue)] = [("form", .string(form.form.id)), ("year", .int(year))]
        for (key, value) in members where ["values", "answers", "explanations"].contains(key) { document.append((key, value)) }
        for (key, _) in members where !["values", "answers", "explanations", "version"].contains(key) {
            throw APIError.unprocessable("invalid_input", "未知的字段「\(key)」", details: nil)
        }
        do {
            return (version, try SubmissionReader.read(.object(document), catalog: req.platform.catalog))
        } catch {
            let problems = error.problems.map { ["path": $0.path, "code": $0.code, "message": $0.message] }
            throw APIError.unprocessable("invalid_input", error.problems.first.map { "\($0.path)：\($0.message)" } ?? "输入有误",
                                         details: ["problems": AnyCodable(problems)])
        }
    }

    func report(_ req: Request, _ unit: SurveyUnit, _ form: CompiledForm, _ year: Int, _ doc: SubmissionDocument) async throws -> CheckReport {
        let last = try await lastYear(req, unit, form, year)
        var document = doc
        document.lastYear = last
        document.profile = req.platform.profile(of: unit)
        document.unit = nil
        return req.platform.catalog.check(document, respondentType: unit.typeList.first)
    }

    func check(_ req: Request) async throws -> JSONValue {
        let (unit, form, year) = try resolve(req)
        let (_, doc) = try readBody(req, form, year)
        return .object([("report", try await report(req, unit, form, year, doc).json)])
    }

    func save(_ req: Request) async throws -> Response {
        let (unit, form, year) = try resolve(req)
        let (version, doc) = try readBody(req, form, year)
        guard let version else { throw APIError.unprocessable("missing_version", "缺少 version（所编辑的版本号）") }
        let store = req.platform.store(req.db)
        let unitID = try unit.requireID()
        let submissionID = try await req.application.readCache.submissionID(unit: unitID, form: form.form.id, year: year) {
            try await store.findOrCreate(unitID: unitID, formID: form.form.id, year: year).requireID()
        }
        let answers: String? = form.form.kind == .basicInfo ? JSONValue.object(doc.answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).serialized() : nil
        do {
            let (newVersion, status, changes) = try await store.saveDraft(id: submissionID, expectedVersion: version, cells: form.cellMap(doc.values),
                                                                  explanations: doc.explanations, answers: answers, actor: req.actor)
            let checks = try await report(req, unit, form, year, doc)
            return JSONValue.object([
                ("version", .int(newVersion)), ("status", .string(status.rawValue)),
                ("changedCells", .int(changes.count)),
                ("report", checks.json),
            ]).response(status: .ok)
        } catch StoreError.versionConflict(let current, let differing) {
            let cells: [JSONValue] = differing.map { change in
                let key = CellKey(parsing: change.cell)
                let name = key.flatMap { form.layout.slot($0) }.map { form.layout.cells[$0].name } ?? change.cell
                return .object([("cell", .string(change.cell)), ("name", .string(name)), ("yours", .string(change.old)), ("current", .string(change.new))])
            }
            return JSONValue.errorBody("version_conflict", "此表已被他人修改（当前版本 \(current)，您编辑的是版本 \(version)），未保存。请核对下列单元格后重新加载。",
                                       [("currentVersion", .int(current)), ("cells", .array(cells))]).response(status: .conflict)
        } catch StoreError.notEditable(let status) {
            return JSONValue.errorBody("not_editable", "此表\(status.chineseName)，不能修改；如需修改请联系审核人退回。").response(status: .conflict)
        }
    }

    /// Translates the request to the use case (`SubmitSubmission`) and its result to the response.
    func submit(_ req: Request) async throws -> Response {
        let (unit, form, year) = try resolve(req)
        struct Body: Content { var version: Int }
        let body = try req.content.decode(Body.self)
        let request = SubmitSubmission.Request(unitID: try unit.requireID(), formID: form.form.id, year: year, version: body.version, actor: req.actor)
        do {
            let updated = try await SubmitSubmission.run(request, in: req.platform.store(req.db)) { stored in
                try await report(req, unit, form, year, storedDocument(req, form, year, stored))
            }
            return JSONValue.object([("status", .string(updated.status.rawValue)), ("statusName", .string(updated.status.chineseName)),
                                     ("version", .int(updated.version))]).response(status: .ok)
        } catch let failure as SubmitSubmission.Failure {
            if case .blocked(let checks) = failure {
                return JSONValue.errorBody(failure.code, failure.message, [("report", checks.json)]).response(status: .unprocessableEntity)
            }
            if failure.isConflict { return JSONValue.errorBody(failure.code, failure.message).response(status: .conflict) }
            throw APIError.unprocessable(failure.code, failure.message)
        }
    }

    /// The stored submission as the checks read it (figures, answers, explanations).
    func storedDocument(_ req: Request, _ form: CompiledForm, _ year: Int, _ stored: SubmissionSnapshot) -> SubmissionDocument {
        let values = req.storedValues(form, stored.cells, of: "本表数据")
        let answers = (try? JSONValue.parse(stored.answers))?.objectMembers ?? []
        return SubmissionDocument(formID: form.form.id, year: year, unit: nil, values: values, lastYear: nil,
                                  answers: Dictionary(answers, uniquingKeysWith: { a, _ in a }),
                                  explanations: SubmissionStore.decodeCells(stored.explanations), profile: nil)
    }
}

extension SubmissionStore {
    static func decodeCells(_ json: String) -> [String: String] { decode(json) }
}
