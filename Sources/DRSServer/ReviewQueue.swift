import DRSAPI
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// A reviewer's queue: the submissions of the units they review, with their checks, filtered by
/// form, status, respondent type and whether rule warnings or errors remain.
enum ReviewQueue {
    struct Filter {
        var year: Int
        var form: String?
        /// Statuses to show; empty = every status but 未填报.
        var statuses: Set<SubmissionStatus>
        var type: String?
        /// "errors": only with errors; "warnings": only with warnings (explained or not).
        var flag: String?

        init(year: Int, form: String? = nil, statuses: Set<SubmissionStatus> = [], type: String? = nil, flag: String? = nil) {
            self.year = year
            self.form = form
            self.statuses = statuses
            self.type = type
            self.flag = flag
        }

        init(_ req: Request) throws {
            let year: Int = req.query["year"] ?? req.platform.surveyYear
            guard req.platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
            func text(_ name: String) -> String? {
                (req.query[String.self, at: name]).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            var statuses: Set<SubmissionStatus> = []
            for raw in (text("status") ?? "").split(separator: ",") {
                guard let s = SubmissionStatus(rawValue: String(raw)) else {
                    throw APIError.badRequest("bad_status", "未知的状态「\(raw)」，可用：\(SubmissionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                statuses.insert(s)
            }
            if let form = text("form"), req.platform.catalog.forms[form.uppercased()] == nil { throw APIError.badRequest("bad_form", "未知的表「\(form)」") }
            if let type = text("type"), req.platform.catalog.catalog.survey.respondentType(type) == nil {
                throw APIError.badRequest("bad_type", "未知的调查对象类型「\(type)」")
            }
            if let flag = text("flag"), !["errors", "warnings"].contains(flag) { throw APIError.badRequest("bad_flag", "flag 只能是 errors 或 warnings") }
            self.init(year: year, form: text("form")?.uppercased(), statuses: statuses, type: text("type"), flag: text("flag"))
        }
    }

    struct Item {
        var unit: SurveyUnit
        /// The unit's id (a stored unit always has one).
        var unitID: UUID
        var submission: Submission
        var formTitle: String
        var tableNumber: String
        var errors: Int
        var warnings: Int
        var unexplained: Int
        /// Required cells left blank (the page shows them; the API's item does not carry them yet).
        var missing = 0
        /// Stored cells of this submission that the catalog does not define (or that are no numbers).
        var unknownCells: [String] = []
        /// 已提交 with no error, no unexplained warning and no required blank: bulk approval may take it.
        var isClean = false

        var url: String { "/review/units/\(unitID.uuidString)/\(submission.year)/\(submission.formID)" }

        var body: Components.Schemas.ReviewQueueItem {
            get throws {
                Components.Schemas.ReviewQueueItem(
                    unit: .init(id: unitID.uuidString, name: unit.name, creditCode: unit.creditCode, region: unit.regionCode, types: unit.typeList),
                    form: submission.formID, tableNumber: tableNumber, title: formTitle, year: submission.year,
                    status: try APIEnum.convert(submission.status), statusName: submission.status.chineseName, version: submission.version,
                    errors: errors, warnings: warnings, unexplained: unexplained, returnReason: submission.returnReason, url: url,
                    // Only when there are some, so the usual item is as before.
                    unknownCells: unknownCells.isEmpty ? nil : unknownCells)
            }
        }
    }

    /// The basic-information answers the forms in view ask rows by (企业1表 for 企业5表's AI-product rows),
    /// per unit and form, read in one query per deciding form rather than one per submission.
    static func conditionAnswers(_ store: SubmissionStore, _ platform: Platform, year: Int, unitIDs: [UUID], formID: String?)
        async throws -> [UUID: [String: [String: JSONValue]]] {
        let forms = formID.flatMap { platform.catalog.forms[$0].map { [$0] } } ?? Array(platform.catalog.forms.values)
        var result: [UUID: [String: [String: JSONValue]]] = [:]
        for deciding in Set(forms.flatMap(\.conditionForms)) {
            for row in try await store.submissions(year: year, unitIDs: unitIDs, formID: deciding) {
                guard let members = (try? JSONValue.parse(row.answers))?.objectMembers else { continue }
                result[row.$unit.id, default: [:]][deciding] = Dictionary(members, uniquingKeysWith: { first, _ in first })
            }
        }
        return result
    }

    /// The units an account reviews (AccessPolicy: the review view of the unit).
    static func units(_ req: Request, _ user: UserAccount) async throws -> [SurveyUnit] {
        let all = try await SurveyUnit.query(on: req.db).sort(\.$regionCode).sort(\.$name).all()
        return all.filter { req.may(.viewReview, $0) }
    }

    /// The queue's items in its order (region, unit, form). `checked: false` leaves the checks out
    /// (their counts 0) when only the order matters and the filter names no check result: the desk's
    /// previous and next submission, on every desk page, need not check the whole queue.
    static func items(_ req: Request, filter: Filter, checked: Bool = true) async throws -> [Item] {
        let user = try req.requireUser()
        let platform = req.platform
        let units = try await units(req, user).filter { unit in filter.type.map { unit.typeList.contains($0) } ?? true }
        let byID = Dictionary(try units.map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        let store = platform.store(req.db)
        let submissions = try await store.submissions(year: filter.year, unitIDs: Array(byID.keys), formID: filter.form)
        let lastYear = try await store.submissions(year: filter.year - 1, unitIDs: Array(byID.keys), formID: filter.form)
            .filter { CarryOver.counts(lastYear: $0.status) }
        let lastByKey = Dictionary(lastYear.map { ("\($0.$unit.id)/\($0.formID)", $0) }, uniquingKeysWith: { a, _ in a })
        let answers = try await conditionAnswers(store, platform, year: filter.year, unitIDs: Array(byID.keys), formID: filter.form)
        var items: [Item] = []
        var unreadable: [String] = []
        for s in submissions where s.status != .notStarted && (filter.statuses.isEmpty || filter.statuses.contains(s.status)) {
            // Each submission is decided on its own form too (公共5表 comes through its own channel).
            let unitID = s.$unit.id
            guard let unit = byID[unitID], let form = platform.catalog.forms[s.formID],
                  req.may(.viewReview, unit, formID: s.formID) else { continue }
            var unknown: UnknownCells?
            let report = !checked && filter.flag == nil ? CheckReport() : ReviewChecks.report(
                platform, unit: unit, form: form, submission: s, lastYear: lastByKey["\(unitID)/\(s.formID)"],
                answers: answers[unitID] ?? [:]) { cells, stored in
                if stored === s { unknown = cells }
                unreadable.append("\(unit.name) \(stored.year)年\(stored.formID)：\(cells.keys.joined(separator: "、"))")
            }
            let item = Item(unit: unit, unitID: unitID, submission: s, formTitle: form.form.title, tableNumber: form.form.tableNumber,
                            errors: report.errors.count, warnings: report.warnings.count,
                            unexplained: report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count,
                            missing: report.missing.count,
                            unknownCells: unknown?.keys ?? [], isClean: BulkApproval.isClean(status: s.status, report: report))
            if filter.flag == "errors", item.errors == 0 { continue }
            if filter.flag == "warnings", item.warnings == 0 { continue }
            items.append(item)
        }
        // One line per queue, however many submissions: a catalog change between years can touch them all.
        if !unreadable.isEmpty {
            req.logger.warning("审核队列：\(unreadable.count)份存储的数据中有本版目录未定义的单元格：\(unreadable.prefix(5).joined(separator: "；"))\(unreadable.count > 5 ? "…" : "")")
        }
        return items.sorted { ($0.unit.regionCode, $0.unit.name, $0.submission.formID) < ($1.unit.regionCode, $1.unit.name, $1.submission.formID) }
    }
}

/// The checks of a stored submission, as the filer saw them at submission.
enum ReviewChecks {
    /// The checks. Stored cells the catalog cannot read, of the submission or of last year's, are
    /// handed to `unknown` with the submission that holds them.
    /// `answers`: the unit's basic-information answers by form, for rows asked by one (`conditionAnswers`).
    static func report(_ platform: Platform, unit: SurveyUnit, form: CompiledForm, submission: Submission, lastYear: Submission?,
                       answers answersByForm: [String: [String: JSONValue]] = [:],
                       unknown: (UnknownCells, Submission) -> Void) -> CheckReport {
        var profile = platform.profile(of: unit)
        profile.answers = form.conditionAnswers(from: answersByForm)
        let values = form.values(fromStored: SubmissionStore.decodeCells(submission.cells)) { unknown($0, submission) }
        let last = lastYear.map { last in form.values(fromStored: SubmissionStore.decodeCells(last.cells)) { unknown($0, last) } }
        let answers = (try? JSONValue.parse(submission.answers))?.objectMembers ?? []
        let document = SubmissionDocument(formID: form.form.id, year: submission.year, unit: nil, values: values, lastYear: last,
                                          answers: Dictionary(answers, uniquingKeysWith: { a, _ in a }),
                                          explanations: SubmissionStore.decodeCells(submission.explanations), profile: profile)
        return platform.catalog.check(document, respondentType: unit.typeList.first)
    }
}
