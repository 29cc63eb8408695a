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
        var submission: Submission
        var formTitle: String
        var tableNumber: String
        var errors: Int
        var warnings: Int
        var unexplained: Int

        var json: JSONValue {
            .object([
                ("unit", .object([("id", .string(unit.id!.uuidString)), ("name", .string(unit.name)), ("creditCode", .string(unit.creditCode)),
                                  ("region", .string(unit.regionCode)), ("types", .array(unit.typeList.map { .string($0) }))])),
                ("form", .string(submission.formID)), ("tableNumber", .string(tableNumber)), ("title", .string(formTitle)),
                ("year", .int(submission.year)), ("status", .string(submission.status.rawValue)), ("statusName", .string(submission.status.chineseName)),
                ("version", .int(submission.version)), ("errors", .int(errors)), ("warnings", .int(warnings)), ("unexplained", .int(unexplained)),
                ("returnReason", .string(submission.returnReason)),
                ("url", .string("/review/units/\(unit.id!.uuidString)/\(submission.year)/\(submission.formID)")),
            ])
        }
    }

    /// The units an account reviews (AccessPolicy: the review view of the unit).
    static func units(_ req: Request, _ user: UserAccount) async throws -> [SurveyUnit] {
        let all = try await SurveyUnit.query(on: req.db).sort(\.$regionCode).sort(\.$name).all()
        return all.filter { req.may(.viewReview, $0) }
    }

    static func items(_ req: Request, filter: Filter) async throws -> [Item] {
        let user = try req.requireUser()
        let platform = req.platform
        let units = try await units(req, user).filter { filter.type == nil || $0.typeList.contains(filter.type!) }
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
        let store = platform.store(req.db)
        let submissions = try await store.submissions(year: filter.year, unitIDs: Array(byID.keys), formID: filter.form)
        let lastYear = try await store.submissions(year: filter.year - 1, unitIDs: Array(byID.keys), formID: filter.form)
            .filter { $0.status == .verified }
        let lastByKey = Dictionary(lastYear.map { ("\($0.$unit.id)/\($0.formID)", $0) }, uniquingKeysWith: { a, _ in a })
        var items: [Item] = []
        for s in submissions where s.status != .notStarted && (filter.statuses.isEmpty || filter.statuses.contains(s.status)) {
            // Each submission is decided on its own form too (公共5表 comes through its own channel).
            guard let unit = byID[s.$unit.id], let form = platform.catalog.forms[s.formID],
                  req.may(.viewReview, unit, formID: s.formID) else { continue }
            let report = ReviewChecks.report(platform, unit: unit, form: form, submission: s, lastYear: lastByKey["\(unit.id!)/\(s.formID)"])
            let item = Item(unit: unit, submission: s, formTitle: form.form.title, tableNumber: form.form.tableNumber,
                            errors: report.errors.count, warnings: report.warnings.count,
                            unexplained: report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count)
            if filter.flag == "errors", item.errors == 0 { continue }
            if filter.flag == "warnings", item.warnings == 0 { continue }
            items.append(item)
        }
        return items.sorted { ($0.unit.regionCode, $0.unit.name, $0.submission.formID) < ($1.unit.regionCode, $1.unit.name, $1.submission.formID) }
    }
}

/// The checks of a stored submission, as the filer saw them at submission.
enum ReviewChecks {
    static func report(_ platform: Platform, unit: SurveyUnit, form: CompiledForm, submission: Submission, lastYear: Submission?) -> CheckReport {
        let values = form.values(fromCellMap: SubmissionStore.decodeCells(submission.cells)).values
        let last = lastYear.map { form.values(fromCellMap: SubmissionStore.decodeCells($0.cells)).values }
        let answers = (try? JSONValue.parse(submission.answers))?.objectMembers ?? []
        let document = SubmissionDocument(formID: form.form.id, year: submission.year, unit: nil, values: values, lastYear: last,
                                          answers: Dictionary(answers, uniquingKeysWith: { a, _ in a }),
                                          explanations: SubmissionStore.decodeCells(submission.explanations), profile: platform.profile(of: unit))
        return platform.catalog.check(document, respondentType: unit.typeList.first)
    }
}
