import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// The review chain (一、总说明 (六)–(九)): provincial and headquarters reviewers approve or return
/// what their units submitted; the national office verifies (核定, which locks) and reopens with a
/// reason. Every step goes through `SubmissionStore.transition`, so it is versioned and audited.
struct ReviewController {
    enum Action: String, CaseIterable {
        case approve, `return`, verify, reopen

        /// The step in the access table (who may take it, and from which statuses).
        var accessAction: AccessAction {
            switch self {
            case .approve: .approve
            case .return: .returnForm
            case .verify: .verify
            case .reopen: .reopen
            }
        }

        /// The statuses the step starts from (AccessPolicy.statuses). The national office verifies what
        /// a reviewer approved, or what reports to it directly (a group's consolidated 企业2表, 公共5表).
        var from: Set<SubmissionStatus> {
            Set((AccessPolicy.statuses[accessAction] ?? []).compactMap { SubmissionStatus(rawValue: $0.rawValue) })
        }

        var to: SubmissionStatus {
            switch self {
            case .approve: .approved
            case .return, .reopen: .returned
            case .verify: .verified
            }
        }

        var chineseName: String {
            switch self {
            case .approve: "审核通过"
            case .return: "退回"
            case .verify: "核定"
            case .reopen: "重新打开"
            }
        }

        var needsReason: Bool { self == .return || self == .reopen }
    }

    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.GET, "review", "queue", access: .reviewer) { req async throws -> JSONValue in
            let items = try await ReviewQueue.items(req, filter: ReviewQueue.Filter(req))
            return .object([("items", .array(items.map(\.json)))])
        }
        let one = api.grouped("units", ":unitID", "submissions", ":year", ":formID")
        one.secure(.GET, "review", access: .unitReview) { req async throws -> JSONValue in try await reviewDetail(req) }
        one.secure(.POST, "approve", access: .unitReview, action: .approve) { req async throws -> Response in try await act(req, .approve) }
        one.secure(.POST, "return", access: .unitReview, action: .returnForm) { req async throws -> Response in try await act(req, .return) }
        one.secure(.POST, "verify", access: .unitReview, action: .verify) { req async throws -> Response in try await act(req, .verify) }
        one.secure(.POST, "reopen", access: .unitReview, action: .reopen) { req async throws -> Response in try await act(req, .reopen) }
    }

    /// What a reviewer sees: the submission and its checks (as the filer's detail), last year's
    /// figures, the cells changed since it was returned, the history, and the steps allowed now.
    func reviewDetail(_ req: Request) async throws -> JSONValue {
        let controller = SubmissionController()
        let (unit, form, year) = try controller.resolve(req)
        var detail = try await controller.detail(req)
        let store = req.platform.store(req.db)
        let stored = try await store.find(unitID: unit.id!, formID: form.form.id, year: year)
        var changes: [CellChange] = [], history: [AuditEvent] = []
        if let stored {
            changes = try await store.changesSinceReturn(stored)
            history = try await store.history(id: stored.id!)
        }
        let allowed = Action.allCases.filter { action in
            stored.map { req.may(action.accessAction, unit, formID: form.form.id, status: $0.status) } == true
        }
        guard case .object(var members) = detail else { return detail }
        members.append(("changedSinceReturn", .array(changes.map { (change: CellChange) -> JSONValue in
            let key = CellKey(parsing: change.cell)
            let name = key.flatMap { form.layout.slot($0) }.map { form.layout.cells[$0].name } ?? change.cell
            return .object([("cell", .string(change.cell)), ("name", .string(name)), ("before", .string(change.old)), ("now", .string(change.new))])
        })))
        members.append(("history", .array(history.map(\.json))))
        members.append(("actions", .array(allowed.map { .string($0.rawValue) })))
        detail = .object(members)
        return detail
    }

    func act(_ req: Request, _ action: Action) async throws -> Response {
        // Who may take the step was decided before the handler (the route's action in AccessPolicy).
        let (unit, form, year) = try SubmissionController().resolve(req)
        struct Body: Content { var version: Int?; var reason: String? }
        let body: Body
        do { body = try req.content.decode(Body.self) } catch let strict as APIError {
            throw strict   // not strict JSON (a repeated key, a leading zero): the reason names the key
        } catch {
            throw APIError.badRequest("malformed_body", "请求内容应为 JSON 对象：{\"version\": n, \"reason\": \"…\"}")
        }
        guard let version = body.version else { throw APIError.unprocessable("missing_version", "缺少 version（所审核的版本号）") }
        let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if action.needsReason, reason.isEmpty {
            throw APIError.unprocessable("reason_required", "\(action.chineseName)须填写原因")
        }
        if reason.count > 1000 { throw APIError.unprocessable("reason_too_long", "原因不能超过1000字") }
        let store = req.platform.store(req.db)
        guard let submission = try await store.find(unitID: unit.id!, formID: form.form.id, year: year) else {
            throw APIError.unprocessable("not_started", "此表尚未填写")
        }
        do {
            let updated = try await store.transition(id: submission.id!, expectedVersion: version, from: action.from, to: action.to,
                                                     reason: reason.isEmpty ? nil : reason, action: action.chineseName, actor: req.actor)
            try await Consolidator.afterReview(req, unit: unit, formID: form.form.id, year: year, action: action)
            return JSONValue.object([("status", .string(updated.status.rawValue)), ("statusName", .string(updated.status.chineseName)),
                                     ("version", .int(updated.version))]).response(status: .ok)
        } catch StoreError.versionConflict(let current, _) {
            return JSONValue.errorBody("version_conflict", "此表已有新的变化（当前版本 \(current)），请重新加载后再\(action.chineseName)。",
                                       [("currentVersion", .int(current))]).response(status: .conflict)
        } catch StoreError.invalidTransition(let from, _) {
            return JSONValue.errorBody("invalid_transition", "此表\(from.chineseName)，不能\(action.chineseName)。").response(status: .conflict)
        }
    }
}
