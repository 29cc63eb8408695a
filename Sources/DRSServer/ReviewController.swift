import DRSAPI
import DRSApplication
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The review chain (一、总说明 (六)–(九)): provincial and headquarters reviewers approve or return
/// what their units submitted; the national office verifies (核定, which locks) and reopens with a
/// reason. The steps, their statuses and reasons are `SubmissionLifecycle`'s table; who may take
/// them is `AccessPolicy`'s. Every step goes through `SubmissionStore.transition`, so it is
/// versioned and audited.
struct ReviewController {
    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "review", "queue", access: .reviewer) { req async throws -> JSONValue in
            let filter = try ReviewQueue.Filter(req)
            let requested = try PageWindow.requested(req)   // checked before any work
            let (items, page, unchecked) = try await ReviewQueue.page(req, filter: filter, requested: requested)
            // The document's `ReviewQueue`, written directly (`QueueJSON.swift`).
            return try ReviewQueue.json(items: items, window: page, unchecked: filter.flag == nil ? nil : unchecked)
        }
        let one = api.grouped("units", ":unitID", "submissions", ":year", ":formID")
        one.secure(.GET, "review", access: .unitReview) { req async throws -> APIBody<Components.Schemas.ReviewDetail> in
            APIBody(try await reviewDetailBody(req))
        }
        one.secure(.POST, "approve", access: .unitReview, action: .approve) { req async throws -> Response in try await act(req, .approve) }
        one.secure(.POST, "return", access: .unitReview, action: .returnForm) { req async throws -> Response in try await act(req, .return) }
        one.secure(.POST, "verify", access: .unitReview, action: .verify) { req async throws -> Response in try await act(req, .verify) }
        one.secure(.POST, "reopen", access: .unitReview, action: .reopen) { req async throws -> Response in try await act(req, .reopen) }
    }

    /// What a reviewer sees: the submission and its checks (as the filer's detail), last year's
    /// figures, the cells changed since it was returned, the history, and the steps allowed now.
    func reviewDetailBody(_ req: Request) async throws -> Components.Schemas.ReviewDetail {
        let controller = SubmissionController()
        let (unit, form, year) = try controller.resolve(req)
        let detail = try await controller.detailBody(req)
        let store = req.platform.store(req.db)
        let stored = try await store.find(unitID: try unit.requireID(), formID: form.form.id, year: year)
        var changes: [CellChange] = [], history: [AuditEvent] = []
        if let stored {
            changes = try await store.changesSinceReturn(stored)
            history = try await store.history(id: try stored.requireID())
        }
        let allowed = SubmissionStep.reviewSteps.filter { step in
            guard let stored, let action = step.accessAction else { return false }
            return req.may(action, unit, formID: form.form.id, status: stored.status)
        }
        let changed = changes.map { (change: CellChange) -> Components.Schemas.ChangeSinceReturn in
            let key = CellKey(parsing: change.cell)
            let name = key.flatMap { form.layout.slot($0) }.map { form.layout.cells[$0].name } ?? change.cell
            return Components.Schemas.ChangeSinceReturn(cell: change.cell, name: name, before: change.old, now: change.new)
        }
        return Components.Schemas.ReviewDetail(
            value1: detail,
            value2: .init(changedSinceReturn: changed, history: try history.map { try $0.body },
                          actions: try allowed.map { try APIEnum.convert($0) }))
    }

    /// The review detail as JSON, for the review page that renders it.
    func reviewDetail(_ req: Request) async throws -> JSONValue { try APIBodyEncoding.json(try await reviewDetailBody(req)) }

    /// Translates the request to the use case (`ReviewSubmission`) and its result to the response.
    func act(_ req: Request, _ step: SubmissionStep) async throws -> Response {
        // Who may take the step was decided before the handler (the route's action in AccessPolicy).
        let (unit, form, year) = try SubmissionController().resolve(req)
        struct Body: Content { var version: Int?; var reason: String? }
        let body: Body
        do { body = try req.content.decode(Body.self) } catch let strict as APIError {
            throw strict   // not strict JSON (a repeated key, a leading zero): the reason names the key
        } catch {
            throw APIError.badRequest("malformed_body", "请求内容应为 JSON 对象：{\"version\": n, \"reason\": \"…\"}")
        }
        let request = ReviewSubmission.Request(step: step, unitID: try unit.requireID(), formID: form.form.id, year: year,
                                               version: body.version, reason: body.reason, actor: req.actor)
        do {
            let controller = SubmissionController()
            var checkedAt: (version: Int, report: CheckReport, inputs: CheckOutbox.Inputs)?
            let updated = try await ReviewSubmission.run(request, in: req.platform.store(req.db)) { stored in
                let checked = try await controller.checked(req, unit, form, year, controller.storedDocument(req, form, year, stored))
                checkedAt = (stored.version, checked.report, checked.inputs)
                return checked.report
            }
            req.platform.checkOutbox.keep(after: checkedAt, updated, req)
            req.application.readCache.forget(after: step, unit: request.unitID, form: request.formID, year: year)
            ServerMetrics.step(step.rawValue, .done)
            try await Consolidator.afterReview(req, unit: unit, formID: form.form.id, year: year, step: step)
            return try APIBody(Components.Schemas.SubmitResult(
                status: try APIEnum.convert(updated.status), statusName: updated.status.chineseName, version: updated.version)).response()
        } catch let failure as ReviewSubmission.Failure {
            ServerMetrics.step(step.rawValue, failure.isConflict ? .conflict : .refused)
            if case .versionConflict(let current, _) = failure {
                return JSONValue.errorBody(failure.code, failure.message, [("currentVersion", .int(current))]).response(status: .conflict)
            }
            if case .incomplete(let missing, _) = failure {
                let cells = try APIBodyEncoding.json(missing.map(\.body))
                return JSONValue.errorBody(failure.code, failure.message, [("missing", cells)]).response(status: .unprocessableEntity)
            }
            if failure.isConflict { return JSONValue.errorBody(failure.code, failure.message).response(status: .conflict) }
            throw APIError.unprocessable(failure.code, failure.message)
        }
    }
}
