import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Synchronization
import Vapor

/// Who may call a route. Every route is registered with one (`secure(…)`); a test lists the
/// application's routes and fails when one has no rule.
enum AccessRule: String, Sendable {
    /// Anyone (login page, static files, OpenAPI document).
    case open
    /// Any logged-in account, even one that must still change its password.
    case session
    /// Any logged-in account that has changed its initial password.
    case authenticated
    /// A unit named by the path's `unitID`, within the account's scope; reading.
    case unitRead
    /// A unit named by the path's `unitID`, within the account's scope; changing its figures.
    case unitWrite
    /// A unit named by the path's `unitID`, within the account's review scope: approving, returning
    /// (provincial and headquarters reviewers, the national office), verifying and reopening (national office).
    case unitReview
    /// Any reviewer: provincial, headquarters, the national office (queues, progress).
    case reviewer
    /// Bulk import: the national office, and central-enterprise headquarters for their group.
    case importer
    /// 国家数据局 administrators only.
    case admin
    /// The monitoring system (`/metrics`): its bearer token, or a direct local request (`MonitoringSettings`).
    case monitoring
}

/// The rules of every registered route, keyed `"GET /api/v1/…"`.
final class AccessRegistry: Sendable {
    private let rules = Mutex<[String: AccessRule]>([:])

    func record(_ method: HTTPMethod, _ path: [PathComponent], _ rule: AccessRule) {
        let key = "\(method.rawValue) /\(path.map(\.description).joined(separator: "/"))"
        rules.withLock { $0[key] = rule }
    }

    func rule(for route: Route) -> AccessRule? {
        let key = "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
        return rules.withLock { $0[key] }
    }
}

struct AccessRegistryKey: StorageKey { typealias Value = AccessRegistry }

extension Application {
    var accessRegistry: AccessRegistry {
        if let r = storage[AccessRegistryKey.self] { return r }
        let r = AccessRegistry()
        storage[AccessRegistryKey.self] = r
        return r
    }
}

extension RoutesBuilder {
    /// Registers a route together with its access rule; the rule is enforced before the handler runs.
    /// `action` names what a unit route does (approve, submit, consolidate…) when the rule's default
    /// (unitRead: view, unitWrite: edit, unitReview: the review view) does not say it.
    @discardableResult
    func secure<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., access: AccessRule, action: AccessAction? = nil,
                                            body: HTTPBodyStreamStrategy = .collect,
                                            use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        let route = self.on(method, path, body: body) { request async throws -> Response in
            try await request.enforce(access, action: action)
            return try await handler(request).encodeResponse(for: request)
        }
        route.userInfo["access"] = access.rawValue
        if let action { route.userInfo["action"] = action.rawValue }
        return route
    }
}

struct CurrentUserKey: StorageKey { typealias Value = UserAccount }
struct ScopedUnitKey: StorageKey { typealias Value = SurveyUnit }

extension Request {
    var currentUser: UserAccount? { storage[CurrentUserKey.self] }

    func requireUser() throws -> UserAccount {
        guard let user = currentUser else { throw APIError.unauthenticated }
        return user
    }

    /// The unit of a unit-scoped route, already checked against the account's scope.
    /// Throws rather than traps if a handler asks on a route that named no unit (a programming
    /// error must cost one request, never the process).
    var scopedUnit: SurveyUnit {
        get throws {
            guard let unit = storage[ScopedUnitKey.self] else { throw APIError.notFound("调查单位") }
            return unit
        }
    }

    var actor: Actor {
        Actor(userID: currentUser?.id, username: currentUser?.username ?? "-", address: clientAddress)
    }

    // `clientAddress`: ClientAddress.swift (forwarded addresses only from trusted proxies).

    func enforce(_ rule: AccessRule, action: AccessAction? = nil) async throws {
        if rule == .open { return }
        if rule == .monitoring {
            let settings = application.storage[MonitoringSettingsKey.self] ?? MonitoringSettings(token: nil, connectionsPerEventLoop: 1)
            guard settings.admits(authorization: headers.first(name: .authorization), peer: remoteAddress?.ipAddress,
                                  forwarded: headers.first(name: .xForwardedFor) != nil || headers.first(name: "Forwarded") != nil) else {
                throw APIError(status: .forbidden, code: "forbidden", message: "监控指标只提供给监控系统")
            }
            return
        }
        let user = try requireUser()
        if rule == .session { return }
        if user.mustChangePassword {
            throw APIError(status: .forbidden, code: "password_change_required", message: "首次登录须先修改密码")
        }
        switch rule {
        case .open, .session, .authenticated, .monitoring: return
        case .admin: try authorize(action ?? .administer, user: user)
        case .reviewer: try authorize(action ?? .oversee, user: user)
        case .importer: try authorize(action ?? .importData, user: user)
        case .unitRead, .unitWrite, .unitReview:
            guard let unitID = parameters.get("unitID", as: UUID.self),
                  let unit = try await application.readCache.unit(unitID, load: { try await SurveyUnit.find(unitID, on: db) }) else {
                throw APIError.notFound("调查单位")
            }
            let formID = parameters.get("formID")?.uppercased()
            let action = action ?? rule.defaultAction(namesForm: formID != nil)
            try authorize(action, user: user, unit: unit, formID: formID)
            storage[ScopedUnitKey.self] = unit
        }
    }

    /// The access decision for the logged-in account (AccessPolicy), as an HTTP answer: outside the
    /// account's scope a unit does not exist (404); within it, a refused step is 403.
    func authorize(_ action: AccessAction, user: UserAccount, unit: SurveyUnit? = nil, formID: String? = nil,
                   status: SubmissionStatus? = nil) throws {
        let target = unit.map { platform.accessTarget($0, formID: formID, status: status) }
        switch AccessPolicy.decide(user.subject, action, target) {
        case .allow: return
        case .deny(.outOfScope):
            throw action.isUnitAction ? APIError.notFound("调查单位") : APIError.forbidden
        case .deny(.forbidden(let reason)):
            throw APIError(status: .forbidden, code: "forbidden", message: reason)
        case .deny(.status(let status)):
            let name = SubmissionStatus(rawValue: status.rawValue)?.chineseName ?? status.rawValue
            throw APIError(status: .conflict, code: "invalid_transition", message: "此表\(name)，不能\(action.chineseName)。")
        }
    }

    /// Whether the logged-in account may do an action: lists of units and forms filter with this.
    func may(_ action: AccessAction, _ unit: SurveyUnit, formID: String? = nil, status: SubmissionStatus? = nil) -> Bool {
        guard let user = currentUser else { return false }
        return AccessPolicy.decide(user.subject, action, platform.accessTarget(unit, formID: formID, status: status)).isAllowed
    }
}

extension AccessRule {
    /// What a unit route does when it names no action of its own.
    func defaultAction(namesForm: Bool) -> AccessAction {
        switch self {
        case .unitWrite: .editForm
        case .unitReview: .viewReview
        default: namesForm ? .viewForm : .viewUnit
        }
    }
}

extension UserAccount {
    /// The account as the access table sees it.
    var subject: Subject {
        Subject(role: role, unitID: $unit.id?.uuidString, region: regionCode)
    }
}

extension Platform {
    /// A unit (and one of its forms) as the access table sees it. The form's channel is the catalog's
    /// channel of the unit's respondent type that files it (for the unit as a whole: of its first type).
    func accessTarget(_ unit: SurveyUnit, formID: String?, status: SubmissionStatus? = nil) -> Target {
        let survey = catalog.catalog.survey
        let types = unit.typeList.compactMap { survey.respondentType($0) }
        let filing = formID.flatMap { id in types.first { $0.forms.contains(id) } } ?? types.first
        let headsGroup = unit.$parent.id == nil && types.contains { !($0.consolidates ?? []).isEmpty }
        return Target(unitID: unit.id?.uuidString ?? "", region: unit.regionCode, groupID: unit.$parent.id?.uuidString,
                      headsGroup: headsGroup, channel: filing?.filingChannel ?? .regular,
                      status: status.flatMap { FormStatus(rawValue: $0.rawValue) })
    }
}

/// Loads the logged-in account from the session (sessions live in the database, shared by all instances).
struct CurrentUserMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Only a request that carried a session cookie has a session here (the sessions middleware
        // restored it); touching `request.session` otherwise would create and store a new one for
        // every anonymous request. (`hasSession` also spares parsing the cookie header again.)
        guard request.hasSession, let id = request.session.data["uid"].flatMap(UUID.init(uuidString:)) else {
            return next.respond(to: request)
        }
        let cache = request.application.readCache
        if let kept = cache.keptUser(id) {
            Self.attach(kept, to: request)
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            try await cache.user(id, load: { try await UserAccount.find(id, on: request.db) })
        }.flatMap { user in
            Self.attach(user, to: request)
            return next.respond(to: request)
        }
    }

    /// A disabled account's sessions are ended; this covers one still kept by an instance.
    private static func attach(_ user: UserAccount?, to request: Request) {
        if let user, !user.disabled { request.storage[CurrentUserKey.self] = user }
    }
}
