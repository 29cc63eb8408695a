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
        var submission: SubmissionHead
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
    static func conditionAnswers(_ store: SubmissionStore, _ platform: Platform, year: Int, unitIDs: [UUID]?, formID: String?)
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

    /// The queue's items in its order (region, unit, form). `checked: false` leaves the checks out
    /// (their counts 0) when only the order matters and the filter names no check result: the desk's
    /// previous and next submission, on every desk page, need not check the whole queue.
    ///
    /// The list is read without figures (`SubmissionHead`); check results come from `submission_checks`
    /// while their stamp (`CheckStamp`) matches, and only the submissions that changed since the last
    /// list are read whole, checked again, and their results stored.
    static func items(_ req: Request, filter: Filter, checked: Bool = true) async throws -> [Item] {
        let platform = req.platform
        let store = platform.store(req.db)
        // The submissions in the statuses asked for first, then only their units: a queue of what
        // awaits review reads what awaits review, not the registry.
        let statuses = filter.statuses.isEmpty ? SubmissionStatus.allCases.filter { $0 != .notStarted } : Array(filter.statuses)
        // A provincial reviewer's list reads that province's submissions only.
        let province = req.currentUser.flatMap { AccessPolicy.province(confining: $0.subject, .viewReview) }
        let candidates = try await store.submissionHeads(year: filter.year, formID: filter.form, statuses: statuses.sorted { $0.rawValue < $1.rawValue },
                                                         province: province)
        let units = try await store.units(ids: Array(Set(candidates.map(\.unitID)))).filter { unit in
            req.may(.viewReview, unit) && (filter.type.map { unit.typeList.contains($0) } ?? true)
        }
        let byID = Dictionary(try units.map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        // Each submission is decided on its own form too (公共5表 comes through its own channel).
        let heads = candidates.filter { s in
            byID[s.unitID].map { req.may(.viewReview, $0, formID: s.formID) } == true && platform.catalog.forms[s.formID] != nil
        }
        var summaries: [UUID: CheckSummary] = [:]
        if checked || filter.flag != nil {
            let checks = try await QueueChecks(req, store: store, filter: filter, heads: heads)
            summaries = try await checks.summaries(of: heads, units: byID)
        }
        var items: [Item] = []
        for s in heads {
            guard let unit = byID[s.unitID], let form = platform.catalog.forms[s.formID] else { continue }
            let summary = summaries[s.id]
            let item = Item(unit: unit, unitID: s.unitID, submission: s, formTitle: form.form.title, tableNumber: form.form.tableNumber,
                            errors: summary?.errors ?? 0, warnings: summary?.warnings ?? 0, unexplained: summary?.unexplained ?? 0,
                            missing: summary?.missing ?? 0, unknownCells: summary?.unknownCells ?? [], isClean: summary?.clean ?? false)
            if filter.flag == "errors", item.errors == 0 { continue }
            if filter.flag == "warnings", item.warnings == 0 { continue }
            items.append(item)
        }
        return items.sorted { ($0.unit.regionCode, $0.unit.name, $0.submission.formID) < ($1.unit.regionCode, $1.unit.name, $1.submission.formID) }
    }
}

/// A queue's check results: the stored ones whose stamp still matches; the rest read whole, checked
/// now, and stored for the next list.
struct QueueChecks {
    let req: Request
    let platform: Platform
    let store: SubmissionStore
    let stored: [UUID: CheckSummary]
    /// Last year's submissions that count (verified), by "unit/form".
    let lastYear: [String: SubmissionHead]
    let answers: [UUID: [String: [String: JSONValue]]]

    init(_ req: Request, store: SubmissionStore, filter: ReviewQueue.Filter, heads: [SubmissionHead]) async throws {
        self.req = req
        self.platform = req.platform
        self.store = store
        stored = try await store.checkSummaries(ids: heads.map(\.id))
        let unitIDs = Array(Set(heads.map(\.unitID)))
        let last = try await store.submissionHeads(year: filter.year - 1, unitIDs: unitIDs, formID: filter.form)
            .filter { CarryOver.counts(lastYear: $0.status) }
        lastYear = Dictionary(last.map { ("\($0.unitID)/\($0.formID)", $0) }, uniquingKeysWith: { a, _ in a })
        answers = try await ReviewQueue.conditionAnswers(store, req.platform, year: filter.year, unitIDs: unitIDs, formID: filter.form)
    }

    func stamp(_ head: SubmissionHead, unit: SurveyUnit, form: CompiledForm) -> String {
        CheckStamp.submission(version: head.version, lastYear: lastYear["\(head.unitID)/\(head.formID)"],
                              answers: form.conditionAnswers(from: answers[head.unitID] ?? [:]), unit: unit, engine: platform.checkEngine)
    }

    /// Every head's summary: stored where the stamp matches, checked now (and stored) otherwise.
    func summaries(of heads: [SubmissionHead], units: [UUID: SurveyUnit]) async throws -> [UUID: CheckSummary] {
        var result: [UUID: CheckSummary] = [:], stale: [(SubmissionHead, String)] = []
        for head in heads {
            guard let unit = units[head.unitID], let form = platform.catalog.forms[head.formID] else { continue }
            let stamp = stamp(head, unit: unit, form: form)
            if let known = stored[head.id], known.stamp == stamp { result[head.id] = known } else { stale.append((head, stamp)) }
        }
        guard !stale.isEmpty else { return result }
        let whole = try await store.submissions(ids: stale.map(\.0.id) + stale.compactMap { lastYear["\($0.0.unitID)/\($0.0.formID)"]?.id })
        let byID = Dictionary(whole.compactMap { s in s.id.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        var fresh: [UUID: CheckSummary] = [:], unreadable: [String] = []
        for (head, stamp) in stale {
            guard let unit = units[head.unitID], let form = platform.catalog.forms[head.formID], let submission = byID[head.id] else { continue }
            let last = lastYear["\(head.unitID)/\(head.formID)"].flatMap { byID[$0.id] }
            var unknown: UnknownCells?
            let report = ReviewChecks.report(platform, unit: unit, form: form, submission: submission, lastYear: last,
                                             answers: answers[head.unitID] ?? [:]) { cells, holder in
                if holder === submission { unknown = cells }
                unreadable.append("\(unit.name) \(holder.year)年\(holder.formID)：\(cells.keys.joined(separator: "、"))")
            }
            fresh[head.id] = CheckSummary(stamp: stamp, errors: report.errors.count, warnings: report.warnings.count,
                                          unexplained: report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count,
                                          missing: report.missing.count, clean: BulkApproval.isClean(status: head.status, report: report),
                                          unknownCells: unknown?.keys ?? [])
        }
        await keep(fresh, unreadable: unreadable)
        return result.merging(fresh) { _, new in new }
    }

    /// Stores the results checked now; a failure to store costs only a re-check next time.
    func keep(_ fresh: [UUID: CheckSummary], unreadable: [String]) async {
        // One line per queue, however many submissions: a catalog change between years can touch them all.
        if !unreadable.isEmpty {
            req.logger.warning("审核队列：\(unreadable.count)份存储的数据中有本版目录未定义的单元格：\(unreadable.prefix(5).joined(separator: "；"))\(unreadable.count > 5 ? "…" : "")")
        }
        guard !fresh.isEmpty else { return }
        do { try await store.storeCheckSummaries(fresh) } catch {
            req.logger.warning("审核队列：检查结果未能保存（下次重新检查）", metadata: ["error": "\(error)"])
        }
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
