import DRSStorage
import Fluent
import Foundation
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
}

/// The rules of every registered route, keyed `"GET /api/v1/…"`.
final class AccessRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var rules: [String: AccessRule] = [:]

    func record(_ method: HTTPMethod, _ path: [PathComponent], _ rule: AccessRule) {
        lock.withLock { rules["\(method.rawValue) /\(path.map(\.description).joined(separator: "/"))"] = rule }
    }

    func rule(for route: Route) -> AccessRule? {
        lock.withLock { rules["\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"] }
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
    @discardableResult
    func secure<R: AsyncResponseEncodable>(_ method: HTTPMethod, _ path: PathComponent..., access: AccessRule,
                                            body: HTTPBodyStreamStrategy = .collect,
                                            use handler: @Sendable @escaping (Request) async throws -> R) -> Route {
        let route = self.on(method, path, body: body) { request async throws -> Response in
            try await request.enforce(access)
            return try await handler(request).encodeResponse(for: request)
        }
        route.userInfo["access"] = access.rawValue
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
    var scopedUnit: SurveyUnit { storage[ScopedUnitKey.self]! }

    var actor: Actor {
        Actor(userID: currentUser?.id, username: currentUser?.username ?? "-", address: clientAddress)
    }

    var clientAddress: String {
        headers.first(name: "X-Forwarded-For")?.split(separator: ",").first.map { String($0).trimmingCharacters(in: .whitespaces) }
            ?? remoteAddress?.ipAddress ?? "-"
    }

    func enforce(_ rule: AccessRule) async throws {
        if rule == .open { return }
        let user = try requireUser()
        if rule == .session { return }
        if user.mustChangePassword {
            throw APIError(status: .forbidden, code: "password_change_required", message: "首次登录须先修改密码")
        }
        switch rule {
        case .open, .session, .authenticated: return
        case .admin:
            guard user.role == .admin else { throw APIError.forbidden }
        case .reviewer:
            guard user.role.isReviewer else { throw APIError.forbidden }
        case .importer:
            guard user.role == .admin || user.role == .headquartersReviewer else { throw APIError.forbidden }
        case .unitRead, .unitWrite, .unitReview:
            guard let unitID = parameters.get("unitID", as: UUID.self),
                  let unit = try await application.readCache.unit(unitID, load: { try await SurveyUnit.find(unitID, on: db) }) else {
                throw APIError.notFound("调查单位")
            }
            let allowed = rule == .unitReview ? Scope.mayReview(user, unit) : try await Scope.allows(user, unit, write: rule == .unitWrite, on: db)
            guard allowed else {
                // Outside the account's scope the unit does not exist, as far as the caller can tell.
                throw APIError.notFound("调查单位")
            }
            storage[ScopedUnitKey.self] = unit
        }
    }
}

/// Which units an account may see and change.
enum Scope {
    static func allows(_ user: UserAccount, _ unit: SurveyUnit, write: Bool, on db: any Database) async throws -> Bool {
        switch user.role {
        case .admin: return true
        case .respondent, .association, .publicSecurity: return user.$unit.id == unit.id
        case .provincialReviewer:
            return !write && user.regionCode.map { String($0.prefix(2)) == String(unit.regionCode.prefix(2)) } == true
        case .headquartersReviewer:
            if user.$unit.id == unit.id { return true }
            return !write && unit.$parent.id != nil && unit.$parent.id == user.$unit.id
        }
    }

    /// Whether an account reviews a unit's submissions (approve, return): provincial reviewers the
    /// units of their province that report to them (not central-enterprise subsidiaries, which their
    /// headquarters review), headquarters reviewers their group's subsidiaries, the national office all.
    static func mayReview(_ user: UserAccount, _ unit: SurveyUnit) -> Bool {
        switch user.role {
        case .admin: return true
        case .provincialReviewer:
            return unit.$parent.id == nil && user.regionCode.map { String($0.prefix(2)) == String(unit.regionCode.prefix(2)) } == true
        case .headquartersReviewer: return unit.$parent.id != nil && unit.$parent.id == user.$unit.id
        case .respondent, .association, .publicSecurity: return false
        }
    }

    /// Forms an account may fill for its unit (association: 行业1表; public security: 公共5表).
    static func allowsForm(_ user: UserAccount, _ formID: String) -> Bool {
        switch user.role {
        case .association: formID == "I1"
        case .publicSecurity: formID == "P5"
        default: true
        }
    }
}

/// Loads the logged-in account from the session (sessions live in the database, shared by all instances).
struct CurrentUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Only a request that carried a session cookie has a session here (the sessions middleware
        // restored it); touching `request.session` otherwise would create and store a new one for
        // every anonymous request. (`hasSession` also spares parsing the cookie header again.)
        if request.hasSession,
           let id = request.session.data["uid"].flatMap(UUID.init(uuidString:)),
           let user = try await request.application.readCache.user(id, load: { try await UserAccount.find(id, on: request.db) }) {
            request.storage[CurrentUserKey.self] = user
        }
        return try await next.respond(to: request)
    }
}
