import DRSCore
import DRSStorage
import Fluent
import Vapor

/// Logging in and out, changing passwords. Failed logins lock an account for a while; every login,
/// failure and password change is audited.
struct AuthController {
    static let maxFailures = 5
    static let lockMinutes = 15.0

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

    static func userJSON(_ user: UserAccount, _ req: Request) async throws -> JSONValue {
        var unit: JSONValue = .null
        if let u = try await req.unit(of: user) {
            unit = .object([("id", .string(u.id!.uuidString)), ("name", .string(u.name)), ("creditCode", .string(u.creditCode)),
                            ("regionCode", .string(u.regionCode))])
        }
        return .object([
            ("username", .string(user.username)), ("displayName", .string(user.displayName)), ("role", .string(user.role.rawValue)),
            ("roleName", .string(user.role.chineseName)), ("mustChangePassword", .bool(user.mustChangePassword)),
            ("regionCode", .string(user.regionCode)), ("unit", unit), ("csrfToken", .string(req.csrfToken)),
        ])
    }

    /// Checks a password, with throttling; on success the session is renewed and bound to the account.
    func login(_ req: Request, _ username: String, _ password: String) async throws -> UserAccount {
        let name = username.trimmingCharacters(in: .whitespaces)
        let failed = APIError(status: .unauthorized, code: "bad_credentials", message: "用户名或密码不正确")
        guard let user = try await UserAccount.query(on: req.db).filter(\.$username == name).first() else {
            _ = try? await req.password.async.hash(password)   // same time whether or not the account exists
            try await AuditEvent(userID: nil, username: name, address: req.clientAddress, kind: .loginFailed, detail: "未知用户").create(on: req.db)
            throw failed
        }
        if let until = user.lockedUntil, until > Date() {
            throw APIError(status: .tooManyRequests, code: "locked", message: "登录失败次数过多，账户已临时锁定，请\(Int(Self.lockMinutes))分钟后再试")
        }
        guard try await req.password.async.verify(password, created: user.passwordHash) else {
            user.failedLogins += 1
            if user.failedLogins >= Self.maxFailures {
                user.lockedUntil = Date().addingTimeInterval(Self.lockMinutes * 60)
                user.failedLogins = 0
            }
            try await user.save(on: req.db)
            try await AuditEvent(userID: user.id, username: user.username, address: req.clientAddress, kind: .loginFailed).create(on: req.db)
            throw failed
        }
        user.failedLogins = 0
        user.lockedUntil = nil
        try await user.save(on: req.db)
        req.application.readCache.forget(user: user.id)
        // A fresh session id on login (no fixation): drop the old record, let the middleware create a new one.
        if let old = req.session.id { try? await req.application.sessions.driver.deleteSession(old, for: req).get() }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data["uid"] = user.id!.uuidString
        _ = req.csrfToken
        req.storage[CurrentUserKey.self] = user
        try await AuditEvent(userID: user.id, username: user.username, address: req.clientAddress, kind: .login).create(on: req.db)
        return user
    }

    func logout(_ req: Request) async {
        if let user = req.currentUser {
            try? await AuditEvent(userID: user.id, username: user.username, address: req.clientAddress, kind: .logout).create(on: req.db)
        }
        req.session.destroy()
    }

    func changePassword(_ req: Request, _ current: String, _ new: String) async throws {
        let user = try req.requireUser()
        guard try await req.password.async.verify(current, created: user.passwordHash) else {
            throw APIError.unprocessable("bad_password", "当前密码不正确")
        }
        if let problem = Self.passwordProblem(new, username: user.username) { throw APIError.unprocessable("weak_password", problem) }
        if try await req.password.async.verify(new, created: user.passwordHash) {
            throw APIError.unprocessable("weak_password", "新密码不能与当前密码相同")
        }
        user.passwordHash = try await req.password.async.hash(new)
        user.mustChangePassword = false
        try await user.save(on: req.db)
        req.application.readCache.forget(user: user.id)
        try await AuditEvent(userID: user.id, username: user.username, address: req.clientAddress, kind: .passwordChanged).create(on: req.db)
    }

    /// Password rules: at least 8 characters with letters and digits, not the username.
    static func passwordProblem(_ password: String, username: String) -> String? {
        if password.count < 8 { return "新密码至少8位" }
        if !password.contains(where: \.isLetter) || !password.contains(where: \.isNumber) { return "新密码须同时包含字母和数字" }
        if password.lowercased().contains(username.lowercased()) { return "新密码不能包含用户名" }
        return nil
    }
}
