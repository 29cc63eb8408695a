import DRSAPI
import DRSCore
import DRSOffice
import DRSStorage
import Fluent
import Vapor

/// Logging in and out, changing passwords. Failed logins slow further attempts down (`LoginThrottle`);
/// every login, failure and password change is audited.
struct AuthController {
    struct Credentials: Content { var username: String; var password: String }
    struct PasswordChange: Content { var currentPassword: String; var newPassword: String }

    func register(_ app: Application) throws {
        let api = app.routes.grouped("api", "v1")
        api.secure(.POST, "session", access: .open) { req async throws -> Response in
            let c = try req.content.decode(Credentials.self)
            let user = try await login(req, c.username, c.password)
            return try await Self.userJSON(user, req).encodeResponse(for: req)
        }
        api.secure(.DELETE, "session", access: .session) { req async throws -> HTTPStatus in
            await logout(req)
            return .noContent
        }
        api.secure(.GET, "me", access: .session) { req async throws -> Response in
            try await Self.userJSON(try req.requireUser(), req).encodeResponse(for: req)
        }
        api.secure(.POST, "password", access: .session) { req async throws -> HTTPStatus in
            let change = try req.content.decode(PasswordChange.self)
            try await changePassword(req, change.currentPassword, change.newPassword)
            return .noContent
        }
    }

    static func userJSON(_ user: UserAccount, _ req: Request) async throws -> APIBody<Components.Schemas.User> {
        var unit: Components.Schemas.User.UnitPayload?
        if let u = try await req.unit(of: user) {
            unit = .init(id: try u.requireID().uuidString, name: u.name, creditCode: u.creditCode, regionCode: u.regionCode)
        }
        return APIBody(Components.Schemas.User(
            username: user.username, displayName: user.displayName, role: try APIEnum.convert(user.role),
            roleName: user.role.chineseName, mustChangePassword: user.mustChangePassword, regionCode: user.regionCode,
            unit: unit, csrfToken: req.csrfToken))
    }

    /// Checks a password, throttled per account and address (`LoginThrottle`), on the hashing pool
    /// (`PasswordHashing`). Unknown names take the same path, time and answers as known ones. On
    /// success the session is renewed (a new id) and bound to the account; expired sessions are purged.
    func login(_ req: Request, _ username: String, _ password: String) async throws -> UserAccount {
        let name = username.trimmingCharacters(in: .whitespaces)
        let security = req.application.loginSecurity
        let address = req.clientAddress
        let failed = APIError(status: .unauthorized, code: "bad_credentials", message: "用户名或密码不正确")
        try await security.throttle.admit(username: name, address: address, on: req)
        let user = try await UserAccount.query(on: req.db).filter(\.$username == name).first()
        let verified: Bool
        do {
            if let user {
                verified = try await security.hashing.verify(password, created: user.passwordHash)
            } else {
                try await security.hashing.verifyDecoy(password)
                verified = false
            }
        } catch let busy as APIError where busy.code == PasswordHashing.busy.code {
            req.retryAfter = 1
            throw busy
        }
        guard let user, verified else {
            try await AuditEvent(userID: user?.id, username: user?.username ?? name, address: address, kind: .loginFailed,
                                 detail: user == nil ? "未知用户" : "").create(on: req.db)
            throw failed
        }
        // A disabled account is refused only after its password checked out, so the answer tells
        // nothing to someone who does not know the password.
        if user.disabled {
            try await AuditEvent(userID: user.id, username: user.username, address: address, kind: .loginFailed, detail: "账户已停用").create(on: req.db)
            throw APIError(status: .unauthorized, code: "bad_credentials", message: "该账户已停用，不能登录。如需恢复，请联系国家数据局管理员。")
        }
        try await security.throttle.succeeded(username: name, address: address)
        if user.failedLogins != 0 || user.lockedUntil != nil {   // counts of the old lock, no longer used
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: req.db)
        }
        req.application.readCache.forget(user: user.id)
        try await security.sessions.purgeExpired(on: req.db)
        // A fresh session id on login (no fixation): drop the old record, let the middleware create a new one.
        if let old = req.session.id { try? await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["uid"] = user.id?.uuidString
        _ = req.csrfToken
        req.storage[CurrentUserKey.self] = user
        try await AuditEvent(userID: user.id, username: user.username, address: address, kind: .login).create(on: req.db)
        return user
    }

    func logout(_ req: Request) async {
        if let user = req.currentUser {
            try? await AuditEvent(userID: user.id, username: user.username, address: req.clientAddress, kind: .logout).create(on: req.db)
        }
        req.session.destroy()
    }

    /// Changes the logged-in account's password (its current one checked like a login, throttled), then
    /// ends every session of the account: this request continues under a new session id.
    func changePassword(_ req: Request, _ current: String, _ new: String) async throws {
        let user = try req.requireUser()
        guard let userID = user.id else { throw APIError.unauthenticated }
        let security = req.application.loginSecurity
        let address = req.clientAddress
        try await security.throttle.admit(username: user.username, address: address, on: req)
        guard try await security.hashing.verify(current, created: user.passwordHash) else {
            throw APIError.unprocessable("bad_password", "当前密码不正确")
        }
        try await security.throttle.succeeded(username: user.username, address: address)
        if let problem = Self.passwordProblem(new, username: user.username) { throw APIError.unprocessable("weak_password", problem) }
        if new == current { throw APIError.unprocessable("weak_password", "新密码不能与当前密码相同") }
        user.passwordHash = try await security.hashing.hash(new)
        user.mustChangePassword = false
        try await user.save(on: req.db)
        req.application.readCache.forget(user: user.id)
        try await security.sessions.endAll(of: userID, on: req.db)
        let data = req.session.data
        req.session.id = nil          // a new row and id for this browser (the old one is gone)
        req.session.data = data
        try await AuditEvent(userID: user.id, username: user.username, address: address, kind: .passwordChanged).create(on: req.db)
    }

    /// The password policy of real accounts (`PasswordPolicy`).
    static func passwordProblem(_ password: String, username: String) -> String? {
        PasswordPolicy.problem(password, username: username)
    }
}
