import DRSApplication
import DRSCore
import DRSStorage
import DRSWorkflow
import Foundation
import Vapor

/// 批量审核通过 / 批量核定: a reviewer moves the clean submissions they selected in the queue one step
/// along the review chain — 已提交 → 审核通过, and for the national office 已通过 → 核定 (each step the
/// submission's own status calls for). Each one is decided on its own exactly as the single step is —
/// the same access decision (`AccessPolicy`, the step's action, on its unit and form), its checks run
/// again on the stored figures, then the use case `ReviewSubmission` at the version just checked (so
/// what is approved is what was checked), audited as a normal step, and the group's consolidation
/// follows — and answered done, or refused with the reason.
struct BulkApproval {
    /// At most this many submissions per request: each is checked and written on its own.
    static let maximumItems = 500

    /// What happened to one selected submission.
    struct Outcome: Encodable {
        var unitName: String
        var form: String
        var approved: Bool
        /// 审核通过 or 核定: the step taken (or that would have been).
        var stepName: String
        var reason: String
        var url: String
    }

    /// The step a bulk action takes from a status: 已提交 → 审核通过, 已通过 → 核定; nil otherwise.
    static func step(from status: SubmissionStatus) -> SubmissionStep? {
        switch status {
        case .submitted: .approve
        case .approved: .verify
        default: nil
        }
    }

    /// Whether a submission may be moved on in bulk: 已提交 or 已通过, and its checks would let it be
    /// submitted (complete, no error, every warning that needs one explained).
    static func isClean(status: SubmissionStatus, report: CheckReport) -> Bool {
        // `blocksSubmission` counts required cells left blank (`missing`) too.
        step(from: status) != nil && !report.blocksSubmission
    }

    /// Why a submission is not clean, in the reviewer's words; nil when it is.
    static func refusal(status: SubmissionStatus, report: CheckReport) -> String? {
        if step(from: status) == nil { return "此表\(status.chineseName)，只有已提交或已通过的报表可以批量审核" }
        if !report.missing.isEmpty { return "有\(report.missing.count)个必填单元格未填" }
        if !report.errors.isEmpty { return "有\(report.errors.count)个错误未改正" }
        let unexplained = report.warnings.filter { $0.needsExplanation && !$0.isExplained }.count
        if unexplained > 0 { return "有\(unexplained)个提示未说明" }
        return isClean(status: status, report: report) ? nil : "审核未通过"
    }

    func register(_ app: Application) throws {
        app.routes.secure(.POST, "review", "bulk-approve", access: .reviewer) { req async throws -> View in
            struct Form: Content { var items: [String]? }
            let selected = (try? req.content.decode(Form.self))?.items ?? []
            guard selected.count <= Self.maximumItems else {
                throw APIError.badRequest("too_many", "一次最多批量审核\(Self.maximumItems)份报表")
            }
            var outcomes: [Outcome] = []
            for item in selected { outcomes.append(await Self.approve(item, req)) }
            return try await ReviewPages().queuePage(req, results: outcomes)
        }
    }

    /// Approves one selected submission (`unitID/year/formID`) if it is clean, or says why not.
    static func approve(_ item: String, _ req: Request) async -> Outcome {
        let parts = item.split(separator: "/").map(String.init)
        var outcome = Outcome(unitName: item, form: "", approved: false, stepName: "审核", reason: "", url: "")
        guard parts.count == 3, let unitID = UUID(uuidString: parts[0]), let year = Int(parts[1]),
              let form = req.platform.catalog.forms[parts[2].uppercased()] else {
            outcome.reason = "无法识别所选报表"
            return outcome
        }
        outcome.form = "\(form.form.tableNumber) \(form.form.title)"
        outcome.url = "/review/units/\(unitID.uuidString)/\(year)/\(form.form.id)"
        do {
            let user = try req.requireUser()
            guard let unit = try await req.application.readCache.unit(unitID, load: { try await SurveyUnit.find(unitID, on: req.db) }) else {
                throw APIError.notFound("调查单位")
            }
            outcome.unitName = unit.name
            try await approveClean(req, user: user, unit: unit, form: form, year: year, outcome: &outcome)
            outcome.approved = true
        } catch let failure as ReviewSubmission.Failure {
            outcome.reason = failure.message
        } catch let error as APIError {
            outcome.reason = error.status == .notFound ? "不在本账户的审核范围内" : error.message
        } catch let refusal as Refusal {
            outcome.reason = refusal.reason
        } catch {
            req.logger.error("批量审核：\(item) 未能审核通过：\(String(reflecting: error))")
            outcome.reason = "系统错误，未能审核通过"
        }
        return outcome
    }

    struct Refusal: Error { var reason: String }

    /// Checks the stored figures again — as the single approval's use case checks them — and approves
    /// them at the version checked.
    private static func approveClean(_ req: Request, user: UserAccount, unit: SurveyUnit, form: CompiledForm, year: Int,
                                     outcome: inout Outcome) async throws {
        let unitID = try unit.requireID()
        let store = req.platform.store(req.db)
        guard let stored = try await store.snapshot(unitID: unitID, formID: form.form.id, year: year) else {
            throw ReviewSubmission.Failure.notStarted
        }
        guard let step = step(from: stored.status), let action = step.accessAction else {
            throw Refusal(reason: "此表\(stored.status.chineseName)，只有已提交或已通过的报表可以批量审核")
        }
        outcome.stepName = step.chineseName
        // The decision of the single step's route (unitReview, the step's action, at the stored status).
        try req.authorize(action, user: user, unit: unit, formID: form.form.id, status: stored.status)
        let controller = SubmissionController()
        let report = try await controller.report(req, unit, form, year, controller.storedDocument(req, form, year, stored))
        if let reason = refusal(status: stored.status, report: report) { throw Refusal(reason: reason) }
        let request = ReviewSubmission.Request(step: step, unitID: unitID, formID: form.form.id, year: year,
                                               version: stored.version, reason: nil, actor: req.actor)
        // The version is the one just checked: the use case's own check sees the same figures.
        _ = try await ReviewSubmission.run(request, in: store) { _ in report }
        req.application.readCache.forget(after: step, unit: unitID, form: form.form.id, year: year)
        ServerMetrics.step(step.rawValue, .done)
        try await Consolidator.afterReview(req, unit: unit, formID: form.form.id, year: year, step: step)
    }
}
