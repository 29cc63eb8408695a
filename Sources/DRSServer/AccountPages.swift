import DRSOffice
import DRSStorage
import Fluent
import Foundation
import Vapor

/// 账户管理 for the national office: list accounts, create one, disable and enable, reset a password
/// (a temporary one shown once, to be changed at the next login), change the role and what the
/// account is bound to. Each change is audited (DRSOffice `AccountAdministration`); disabling,
/// resetting and re-binding end the account's sessions.
struct AccountPages {
    func register(_ app: Application) throws {
        let users = app.routes.grouped("admin", "users")
        users.secure(.GET, access: .admin) { req async throws -> View in try await render(req) }
        users.secure(.POST, access: .admin) { req async throws -> Response in
            struct Form: Content { var username: String; var displayName: String; var role: String; var unitCreditCode: String?; var regionCode: String? }
            let form = try req.content.decode(Form.self)
            return try await attempt(req) { admin in
                let binding = try Self.binding(form.role, form.unitCreditCode, form.regionCode)
                let hashing = req.application.loginSecurity.hashing
                let made = try await admin.create(username: form.username, displayName: form.displayName, binding: binding) {
                    try await hashing.hash($0)
                }
                return (message: "已新增账户 \(made.account.username)。请将临时密码告知本人；首次登录时须修改。",
                        temporary: .init(username: made.account.username, password: made.password), shown: made.account.username)
            }
        }
        let one = users.grouped(":userID")
        one.secure(.POST, "disable", access: .admin) { req async throws -> Response in
            try await change(req) { admin, id in
                let account = try await admin.setDisabled(id, true)
                return "已停用账户 \(account.username)：不能再登录，已登录的会话已结束。"
            }
        }
        one.secure(.POST, "enable", access: .admin) { req async throws -> Response in
            try await change(req) { admin, id in "已启用账户 \(try await admin.setDisabled(id, false).username)。" }
        }
        one.secure(.POST, "assign", access: .admin) { req async throws -> Response in
            struct Form: Content { var role: String; var unitCreditCode: String?; var regionCode: String? }
            let form = try req.content.decode(Form.self)
            return try await change(req) { admin, id in
                let account = try await admin.assign(id, binding: try Self.binding(form.role, form.unitCreditCode, form.regionCode))
                return "已变更账户 \(account.username) 的角色与归属：\(try await admin.describe(account))。"
            }
        }
        one.secure(.POST, "reset", access: .admin) { req async throws -> Response in
            guard let id = req.parameters.get("userID", as: UUID.self) else { throw APIError.notFound("账户") }
            return try await attempt(req) { admin in
                let hashing = req.application.loginSecurity.hashing
                let reset = try await admin.resetPassword(id, hash: { try await hashing.hash($0) })
                try await endSessions(req, reset.account)
                try? await req.application.loginSecurity.throttle.store.clear(LoginThrottle.accountKey(reset.account.username))
                return (message: "已重置账户 \(reset.account.username) 的密码。临时密码只显示这一次；该账户下次登录时须修改密码。",
                        temporary: .init(username: reset.account.username, password: reset.password), shown: reset.account.username)
            }
        }
    }

    static func binding(_ role: String, _ unit: String?, _ region: String?) throws -> AccountAdministration.Binding {
        guard let role = Role(rawValue: role) else { throw AccountAdministration.Refusal("未知的角色") }
        return .init(role: role, unitCreditCode: unit, regionCode: region)
    }

    func administration(_ req: Request) -> AccountAdministration {
        let provinces = req.platform.catalog.catalog.codeLists["provinces"]?.members ?? []
        return AccountAdministration(db: req.db, actor: req.actor, gate: req.platform.gate,
                                     provinces: Dictionary(provinces.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Runs a change of the account named by the path; the page again with its message or refusal.
    func change(_ req: Request, _ body: (AccountAdministration, UUID) async throws -> String) async throws -> Response {
        guard let id = req.parameters.get("userID", as: UUID.self) else { throw APIError.notFound("账户") }
        return try await attempt(req) { admin in
            let message = try await body(admin, id)
            let account = try await UserAccount.find(id, on: req.db)
            if let account { try await endSessions(req, account) }
            return (message: message, temporary: nil, shown: account?.username)
        }
    }

    /// A change, then the page again with its message, listing the account changed (at national
    /// scale it is rarely on the first page); a refusal, with the page as it was asked for.
    func attempt(_ req: Request, _ body: (AccountAdministration) async throws -> (message: String, temporary: UsersPage.Temporary?, shown: String?))
        async throws -> Response {
        do {
            let done = try await body(administration(req))
            return try await render(req, message: done.message, temporary: done.temporary, shown: done.shown).encodeResponse(for: req)
        } catch let refusal as AccountAdministration.Refusal {
            return try await render(req, error: refusal.description).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// Ends every session of the account (unless it is disabled-to-enabled only) and forgets it here,
    /// so the change counts from the account's next request. The administrator's own session stays.
    func endSessions(_ req: Request, _ account: UserAccount) async throws {
        guard let id = account.id else { return }
        req.application.readCache.forget(user: id)
        if id != req.currentUser?.id {
            try await req.application.loginSecurity.sessions.endAll(of: id, on: req.db)
        }
    }

    /// The page: one page of accounts in username order (`AccountListing`), searched by `q` (part of
    /// a username or name) or showing the account `shown`.
    func render(_ req: Request, message: String? = nil, error: String? = nil, temporary: UsersPage.Temporary? = nil,
                shown: String? = nil) async throws -> View {
        let catalog = req.platform.catalog.catalog
        let provinces = catalog.codeLists["provinces"]?.members ?? []
        let provinceNames = Dictionary(provinces.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let listed = try await Self.listed(req, text: shown ?? req.query[String.self, at: "q"])
        let accounts = listed.accounts
        let unitIDs = Array(Set(accounts.compactMap { $0.$unit.id }))
        let units = try await SurveyUnit.query(on: req.db).filter(\.$id ~~ unitIDs).all()
        let byID = Dictionary(units.compactMap { u in u.id.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        let me = req.currentUser?.id
        let rows = try accounts.map { a in
            let unit = a.$unit.id.flatMap { byID[$0] }
            let binding = unit.map { "\($0.name)（\($0.creditCode)）" } ?? a.regionCode.map { provinceNames[$0] ?? $0 } ?? "—"
            return UsersPage.Account(id: try a.requireID().uuidString, username: a.username, displayName: a.displayName, role: a.role.rawValue,
                                     roleName: a.role.chineseName, binding: binding, disabled: a.disabled, mustChangePassword: a.mustChangePassword,
                                     isSelf: a.id == me, unitCreditCode: unit?.creditCode ?? "", regionCode: a.regionCode ?? "")
        }
        func link(_ page: Int, _ cursor: String) -> String {
            var items = ["page=\(page)", "pageSize=\(listed.size)", cursor]
            if !listed.text.isEmpty { items.append("q=" + Self.encoded(listed.text)) }
            return "/admin/users?" + items.joined(separator: "&")
        }
        // A list to pick units from (a datalist), when the registry is small enough to send whole.
        let unitCount = try await SurveyUnit.query(on: req.db).count()
        let choices = unitCount <= 2000 ? try await SurveyUnit.query(on: req.db).sort(\.$name).all().map { UnitsPage.Choice(id: $0.creditCode, name: $0.name) } : []
        return try await req.view.render("users", UsersPage(
            layout: PageController().layout(req, "账户管理"), accounts: rows, total: listed.total, page: listed.page,
            previous: listed.previous.map { link(listed.page - 1, "before=" + Self.encoded($0)) },
            next: listed.next.map { link(listed.page + 1, "after=" + Self.encoded($0)) },
            query: listed.text, searching: !listed.text.isEmpty, message: message, error: error, temporary: temporary,
            roles: Role.allCases.map { .init(id: $0.rawValue, name: $0.chineseName) },
            provinces: provinces.map { .init(id: $0.code, name: $0.name) }, units: choices))
    }

    static func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    /// One page of accounts, by number or continued from a username, with the count of all the search leaves.
    struct Listed {
        var accounts: [UserAccount]
        var total: Int
        var page: Int
        var size: Int
        var text: String
        /// The usernames the previous and next pages continue from; nil: none.
        var previous: String?
        var next: String?
    }

    static func listed(_ req: Request, text asked: String?) async throws -> Listed {
        let window = try PageWindow.requested(req)
        let text = String((asked ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let after = req.query[String.self, at: "after"].flatMap { $0.isEmpty ? nil : $0 }
        let before = after == nil ? req.query[String.self, at: "before"].flatMap { $0.isEmpty ? nil : $0 } : nil
        async let total = AccountListing.count(on: req.db, text: text)
        let read = try await AccountListing.page(on: req.db, text: text, limit: window.size + 1, offset: (window.page - 1) * window.size,
                                                 after: after, before: before)
        let page = KeyedPage(read: read, size: window.size, page: window.page, backward: before != nil, continued: after != nil)
        return Listed(accounts: page.items, total: try await total, page: window.page, size: window.size, text: text,
                      previous: page.hasPrevious ? page.items.first?.username : nil, next: page.hasNext ? page.items.last?.username : nil)
    }
}
