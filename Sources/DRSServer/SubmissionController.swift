import DRSAPI
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
        api.secure(.GET, "my", "forms", access: .authenticated) { req async throws -> APIBody<Components.Schemas.FormsList> in
            let user = try req.requireUser()
            guard let unit = try await req.unit(of: user) else { return APIBody(Components.Schemas.FormsList(forms: [])) }
            return APIBody(try await formsBody(req, unit, year: req.query["year"] ?? req.platform.surveyYear, user: user))
        }
        let unit = api.grouped("units", ":unitID")
        unit.secure(.GET, "forms", ":year", access: .unitRead) { req async throws -> APIBody<Components.Schemas.FormsList> in
            APIBody(try await formsBody(req, try req.scopedUnit, year: try year(req), user: try req.requireUser()))
        }
        let one = unit.grouped("submissions", ":year", ":formID")
        one.secure(.GET, access: .unitRead) { req async throws -> APIBody<Components.Schemas.SubmissionDetail> in APIBody(try await detailBody(req)) }
        one.secure(.PUT, access: .unitWrite) { req async throws -> Response in try await save(req) }
        one.secure(.POST, "check", access: .unitRead) { req async throws -> APIBody<Components.Schemas.CheckResult> in try await check(req) }
        one.secure(.POST, "submit", access: .unitWrite, action: .submitForm) { req async throws -> Response in try await submit(req) }
        one.secure(.GET, "history", access: .unitRead) { req async throws -> APIBody<Components.Schemas.EventList> in
            let (_, _, year) = try resolve(req)
            guard let s = try await req.platform.store(req.db).find(unitID: try req.scopedUnit.requireID(), formID: try formID(req), year: year) else {
                return APIBody(Components.Schemas.EventList(events: []))
            }
            return APIBody(Components.Schemas.EventList(events: try await req.platform.store(req.db).history(id: try s.requireID()).map { try $0.body }))
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

    func formsBody(_ req: Request, _ unit: SurveyUnit, year: Int, user: UserAccount) async throws -> Components.Schemas.FormsList {
        let platform = req.platform
        let store = platform.store(req.db)
        var forms: [Components.Schemas.FormSummary] = []
        for form in platform.forms(for: unit) where req.may(.viewForm, unit, formID: form.form.id) {
            let s = try await store.find(unitID: try unit.requireID(), formID: form.form.id, year: year)
            let status = s?.status ?? .notStarted
            forms.append(Components.Schemas.FormSummary(
                form: form.form.id, tableNumber: form.form.tableNumber, title: form.form.title, status: try APIEnum.convert(status),
                statusName: status.chineseName, version: s?.version ?? 0, returnReason: s?.returnReason))
        }
        return Components.Schemas.FormsList(
            unit: try Self.unitRef(unit), year: year, deadline: Self.dateText(platform.deadline(for: year)),
            daysLeft: platform.daysLeft(for: year), forms: forms)
    }

    static func unitRef(_ unit: SurveyUnit) throws -> Components.Schemas.UnitRef {
        Components.Schemas.UnitRef(id: try unit.requireID().uuidString, name: unit.name, creditCode: unit.creditCode)
    }

    /// `2027-03-10`, as the API and the pages write the deadline.
    static func dateText(_ date: CivilDate) -> String { date.description }

    /// Last year's figures of the same unit and form, if they count (`CarryOver`: verified only).
    func lastYear(_ req: Request, _ unit: SurveyUnit, _ form: CompiledForm, _ year: Int) async throws -> CellValues? {
        try await lastYearFigures(req, unit, form, year).values
    }

    func lastYearFigures(_ req: Request, _ unit: SurveyUnit, _ form: CompiledForm, _ year: Int) async throws -> LastYearFigures {
        let unitID = try unit.requireID()
        return try await req.application.readCache.lastYear(unit: unitID, form: form.form.id, year: year - 1) {
            guard let s = try await req.platform.store(req.db).find(unitID: unitID, formID: form.form.id, year: year - 1),
                  CarryOver.counts(lastYear: s.status), let id = s.id else { return .none }
            return LastYearFigures(values: req.storedValues(form, s.cells, of: "\(year - 1)年已核定数据"), source: (id, s.version))
        }
    }

    /// The detail as JSON, for the pages that render it (the template).
    func detail(_ req: Request) async throws -> JSONValue { try APIBodyEncoding.json(try await detailBody(req)) }

    func detailBody(_ req: Request) async throws -> Components.Schemas.SubmissionDetail {
        let parts = try await detailParts(req)
        let (unit, form, year) = (parts.unit, parts.form, parts.year)
        let platform = req.platform
        var report = form.check(parts.values, lastYear: parts.lastYear, explanations: parts.explanations, profile: parts.profile)
        if form.form.kind == .basicInfo, case .object(let members) = parts.answers {
            for v in BasicInfoChecker.check(Dictionary(members, uniquingKeysWith: { a, _ in a }), form: form,
                                            codeLists: platform.catalog.catalog.codeLists, respondentType: unit.typeList.first) {
                switch v.severity {
                case .error: report.errors.append(v)
                case .warning: report.warnings.append(v)
                case .note: report.notes.append(v)
                }
            }
        }
        let stored = parts.stored, status = parts.status
        let submission = Components.Schemas.Submission(
            id: stored?.id?.uuidString, unit: try Self.unitRef(unit), form: form.form.id, year: year, status: try APIEnum.convert(status),
            statusName: status.chineseName, editable: status.isEditable, version: stored?.version ?? 0,
            values: try APIBodyEncoding.decode(Components.Schemas.Values.self, from: parts.filledValues),
            answers: try APIBodyEncoding.decode(Components.Schemas.Answers.self, from: parts.answers),
            explanations: Components.Schemas.Explanations(additionalProperties: parts.explanations),
            returnReason: stored?.returnReason, carriedOver: parts.carriedOver)
        return Components.Schemas.SubmissionDetail(
            submission: submission,
            lastYear: try parts.filledLastYear.map { try APIBodyEncoding.decode(Components.Schemas.SubmissionDetail.LastYearPayload.self, from: $0) },
            report: try report.body, deadline: Self.dateText(platform.deadline(for: year)), daysLeft: platform.daysLeft(for: year))
    }

    /// What the detail is made of, read once: for the API's body and, without a check or a trip through
    /// the document's types, for the form page.
    func detailParts(_ req: Request) async throws -> SubmissionDetailParts {
        let (unit, form, year) = try resolve(req)
        let platform = req.platform
        let stored = try await platform.store(req.db).find(unitID: try unit.requireID(), formID: form.form.id, year: year)
        var values = req.storedValues(form, stored?.cells ?? "{}", of: Self.ownFigures)
        let last = try await lastYear(req, unit, form, year)
        let profile = try await platform.profile(of: unit, year: year, form: form, on: req.db, cache: req.application.readCache)
        var carried = false
        if let last, CarryOver.applies(to: stored?.status) {
            CarryOver.apply(form.layout, into: &values, from: last)
            // Nothing is carried into rows the unit's own answers skip (企业1表 Q10 = 否: no AI-product rows).
            let skipped = form.skippedRows(profile: profile)
            for (slot, cell) in form.layout.cells.enumerated() where skipped[cell.key.code] != nil { values[slot] = nil }
            carried = true
        }
        return SubmissionDetailParts(unit: unit, form: form, year: year, stored: stored, values: values, lastYear: last, profile: profile,
                                     carriedOver: carried, explanations: SubmissionStore.decodeCells(stored?.explanations ?? "{}"),
                                     answers: (try? JSONValue.parse(stored?.answers ?? "{}")) ?? .object([]))
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
        try await checked(req, unit, form, year, doc).report
    }

    /// The checks of `doc`, and what they were computed from besides it (for the stored result's stamp).
    func checked(_ req: Request, _ unit: SurveyUnit, _ form: CompiledForm, _ year: Int, _ doc: SubmissionDocument) async throws
        -> (report: CheckReport, inputs: CheckOutbox.Inputs) {
        let last = try await lastYearFigures(req, unit, form, year)
        var document = doc
        document.lastYear = last.values
        let profile = try await req.platform.profile(of: unit, year: year, form: form, on: req.db, cache: req.application.readCache)
        document.profile = profile
        document.unit = nil
        return (req.platform.catalog.check(document, respondentType: unit.typeList.first),
                CheckOutbox.Inputs(unit: unit, form: form, lastYear: last.source, answers: profile.answers ?? [:]))
    }

    func check(_ req: Request) async throws -> APIBody<Components.Schemas.CheckResult> {
        let (unit, form, year) = try resolve(req)
        let (_, doc) = try readBody(req, form, year)
        return APIBody(Components.Schemas.CheckResult(report: try await report(req, unit, form, year, doc).body))
    }

    /// Translates the request to the use case (`SaveDraft`) and its result to the response.
    func save(_ req: Request) async throws -> Response {
        let (unit, form, year) = try resolve(req)
        let (version, doc) = try readBody(req, form, year)
        let request = SaveDraft.Request(unitID: try unit.requireID(), form: form, year: year, version: version, document: doc, actor: req.actor)
        let drafts = CachedDrafts(store: req.platform.store(req.db), cache: req.application.readCache,
                                  owner: (try unit.requireID(), form.form.id, year))
        do {
            var inputs: CheckOutbox.Inputs?
            let outcome = try await SaveDraft.run(request, in: drafts) { sent in
                let checked = try await checked(req, unit, form, year, sent)
                inputs = checked.inputs
                return checked.report
            }
            if let inputs {
                req.platform.checkOutbox.keep(outcome.report, of: outcome.saved.id, version: outcome.saved.version, status: outcome.saved.status,
                                              inputs: inputs, engine: req.platform.checkEngine)
            }
            ServerMetrics.save(form: form.form.id, .saved)
            return Self.saveResult(outcome).response(status: .ok)
        } catch let failure as SaveDraft.Failure {
            ServerMetrics.save(form: form.form.id, failure.isConflict ? .conflict : .refused)
            if case .versionConflict(let current, _, let differing) = failure {
                let cells: [JSONValue] = try differing.map { change in
                    let key = CellKey(parsing: change.cell)
                    let name = key.flatMap { form.layout.slot($0) }.map { form.layout.cells[$0].name } ?? change.cell
                    return try APIBodyEncoding.json(Components.Schemas.CellConflict(cell: change.cell, name: name, yours: change.yours, current: change.current))
                }
                return JSONValue.errorBody(failure.code, failure.message, [("currentVersion", .int(current)), ("cells", .array(cells))]).response(status: .conflict)
            }
            if failure.isConflict { return JSONValue.errorBody(failure.code, failure.message).response(status: .conflict) }
            throw APIError.unprocessable(failure.code, failure.message)
        }
    }

    /// The document's `SaveResult`, written straight into the JSON tree (`ReportJSON.swift` says why);
    /// `ReportJSONTests` holds it to the generated type's encoding.
    static func saveResult(_ outcome: SaveDraft.Outcome) -> JSONValue {
        .object([("version", .int(outcome.saved.version)), ("status", .string(outcome.saved.status.rawValue)),
                 ("changedCells", .int(outcome.saved.changedCells.count)), ("report", outcome.report.json)])
    }

    /// Translates the request to the use case (`SubmitSubmission`) and its result to the response.
    func submit(_ req: Request) async throws -> Response {
        let (unit, form, year) = try resolve(req)
        struct Body: Content { var version: Int }
        let body = try req.content.decode(Body.self)
        let request = SubmitSubmission.Request(unitID: try unit.requireID(), formID: form.form.id, year: year, version: body.version, actor: req.actor)
        do {
            var checkedAt: (version: Int, report: CheckReport, inputs: CheckOutbox.Inputs)?
            let updated = try await SubmitSubmission.run(request, in: req.platform.store(req.db)) { stored in
                let checked = try await checked(req, unit, form, year, storedDocument(req, form, year, stored))
                checkedAt = (stored.version, checked.report, checked.inputs)
                return checked.report
            }
            req.platform.checkOutbox.keep(after: checkedAt, updated, req)
            ServerMetrics.step("submit", .done)
            return try APIBody(try SubmissionStatus.result(updated.status, version: updated.version)).response()
        } catch let failure as SubmitSubmission.Failure {
            ServerMetrics.step("submit", failure.isConflict ? .conflict : .refused)
            if case .blocked(let checks) = failure {
                return JSONValue.errorBody(failure.code, failure.message, [("report", try APIBodyEncoding.json(try checks.body))])
                    .response(status: .unprocessableEntity)
            }
            if failure.isConflict { return JSONValue.errorBody(failure.code, failure.message).response(status: .conflict) }
            throw APIError.unprocessable(failure.code, failure.message)
        }
    }

    /// How the request's notes name the submission's own stored figures (`storedCellNotes`).
    static let ownFigures = "本表数据"

    /// The stored submission as the checks read it (figures, answers, explanations).
    func storedDocument(_ req: Request, _ form: CompiledForm, _ year: Int, _ stored: SubmissionSnapshot) -> SubmissionDocument {
        let values = req.storedValues(form, stored.cells, of: Self.ownFigures)
        return SubmissionDocument(formID: form.form.id, year: year, unit: nil, values: values, lastYear: nil,
                                  answers: JSONValue.answerMap(stored.answers) ?? [:],
                                  explanations: SubmissionStore.decodeCells(stored.explanations), profile: nil)
    }
}

extension SubmissionStore {
    static func decodeCells(_ json: String) -> [String: String] { decode(json) }
}

/// The store as the save's port, the submission's id read through the instance's short-lived cache:
/// a save on the hot path makes no look-up of its own. A save that stores answers (a basic-information
/// form) forgets the instance's copy of them once written, before anything else reads them here.
private struct CachedDrafts: DraftRepository {
    let store: SubmissionStore
    let cache: ReadCache
    /// Whose form this is (the answers' key).
    let owner: (unit: UUID, form: String, year: Int)

    func draftID(unitID: UUID, formID: String, year: Int) async throws -> UUID {
        try await cache.submissionID(unit: unitID, form: formID, year: year) {
            try await store.draftID(unitID: unitID, formID: formID, year: year)
        }
    }

    func save(_ draft: Draft, id: UUID, expectedVersion: Int, actor: Actor) async throws -> SavedDraft {
        let saved = try await store.save(draft, id: id, expectedVersion: expectedVersion, actor: actor)
        if draft.answers != nil { cache.forget(answersOf: owner.unit, form: owner.form, year: owner.year) }
        return saved
    }
}
