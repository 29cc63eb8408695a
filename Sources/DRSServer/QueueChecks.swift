import DRSCore
import DRSStorage
import DRSWorkflow
import Foundation
import Vapor

/// A queue's check results: the stored ones whose stamp still matches; the rest read whole, checked
/// now, and stored for the next list.
struct QueueChecks {
    let platform: Platform
    let store: SubmissionStore
    let logger: Logger
    let stored: [UUID: CheckSummary]
    /// Last year's submissions that count (verified), by "unit/form".
    let lastYear: [String: SubmissionHead]
    let answers: [UUID: [String: [String: JSONValue]]]

    /// The checks of `heads`, submissions of one year (and of one form, when `form` names it).
    init(platform: Platform, store: SubmissionStore, logger: Logger, year: Int, form: String?, heads: [SubmissionHead]) async throws {
        self.platform = platform
        self.store = store
        self.logger = logger
        stored = try await store.checkSummaries(ids: heads.map(\.id))
        let unitIDs = Array(Set(heads.map(\.unitID)))
        let last = try await store.submissionHeads(year: year - 1, unitIDs: unitIDs, formID: form)
            .filter { CarryOver.counts(lastYear: $0.status) }
        lastYear = Dictionary(last.map { ("\($0.unitID)/\($0.formID)", $0) }, uniquingKeysWith: { a, _ in a })
        answers = try await ReviewQueue.conditionAnswers(store, platform, year: year, unitIDs: unitIDs, formID: form)
    }

    init(_ req: Request, store: SubmissionStore, filter: ReviewQueue.Filter, heads: [SubmissionHead]) async throws {
        try await self.init(platform: req.platform, store: store, logger: req.logger, year: filter.year, form: filter.form, heads: heads)
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
            fresh[head.id] = CheckSummary(stamp: stamp, version: head.version, engine: platform.checkEngine, errors: report.errors.count, warnings: report.warnings.count,
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
            logger.warning("审核队列：\(unreadable.count)份存储的数据中有本版目录未定义的单元格：\(unreadable.prefix(5).joined(separator: "；"))\(unreadable.count > 5 ? "…" : "")")
        }
        guard !fresh.isEmpty else { return }
        do { try await store.storeCheckSummaries(fresh) } catch {
            logger.warning("审核队列：检查结果未能保存（下次重新检查）", metadata: ["error": "\(error)"])
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
        let document = SubmissionDocument(formID: form.form.id, year: submission.year, unit: nil, values: values, lastYear: last,
                                          answers: JSONValue.answerMap(submission.answers) ?? [:],
                                          explanations: SubmissionStore.decodeCells(submission.explanations), profile: profile)
        return platform.catalog.check(document, respondentType: unit.typeList.first)
    }
}
