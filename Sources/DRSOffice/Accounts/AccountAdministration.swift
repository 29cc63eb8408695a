import DRSApplication
import DRSStorage
import DRSWorkflow
import FluentKit
import Foundation

/// The national office's account management over a database the caller holds (the server's page):
/// create, disable and enable, reset a password, change what an account is bound to. Every change is
/// one transaction with its audit line (`userChanged`, the detail in Chinese). Ending the
/// account's sessions is the caller's part: the server keeps them in memory too.
public struct AccountAdministration: Sendable {
    /// A change refused, with the reason in Chinese.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// What an account is bound to: its role and, by role, a unit (filers, headquarters: the group's
    /// head unit) or a province (provincial reviewers).
    public struct Binding: Sendable, Equatable {
        public var role: Role
        public var unitCreditCode: String?
        public var regionCode: String?

        public init(role: Role, unitCreditCode: String? = nil, regionCode: String? = nil) {
            self.role = role
            self.unitCreditCode = unitCreditCode.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
            self.regionCode = regionCode.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    public let db: any Database
    public let actor: Actor
    public let gate: WriteGate?
    /// Province codes (GB/T 2260, `110000`) and names, from the catalog's code list.
    public let provinces: [String: String]

    public init(db: any Database, actor: Actor, gate: WriteGate?, provinces: [String: String]) {
        self.db = db
        self.actor = actor
        self.gate = gate
        self.provinces = provinces
    }

    /// Roles that file for (or head) one unit.
    static let unitRoles: Set<Role> = [.respondent, .association, .publicSecurity, .headquartersReviewer]

    /// Creates an account with a temporary password it must change at the first login; returns both.
    public func create(username raw: String, displayName: String, binding: Binding,
                       hash: OfficeTasks.PasswordHasher) async throws -> (account: UserAccount, password: String) {
        let username = raw.trimmingCharacters(in: .whitespaces)
        try Self.checkUsername(username)
        let name = displayName.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 50 else { throw Refusal("请填写姓名或称谓（不超过50字）") }
        if try await UserAccount.query(on: db).filter(\.$username == username).first() != nil {
            throw Refusal("用户名「\(username)」已存在")
        }
        let resolved = try await resolve(binding)
        let password = TemporaryPassword.make(for: username)
        let account = UserAccount(username: username, displayName: name, passwordHash: try await hash(password), role: binding.role,
                                  unitID: resolved.unitID, regionCode: resolved.region, mustChangePassword: true)
        try await record(account, "新增账户 \(username)（\(name)）：\(resolved.description)；须在首次登录时修改临时密码")
        return (account, password)
    }

    /// Disables or enables an account. An administrator cannot disable the account they are using.
    public func setDisabled(_ id: UUID, _ disabled: Bool) async throws -> UserAccount {
        let account = try await find(id)
        if disabled, account.id == actor.userID { throw Refusal("不能停用当前登录的账户") }
        guard account.disabled != disabled else { return account }
        account.disabled = disabled
        try await record(account, disabled ? "停用账户 \(account.username)（停用后不能登录，已登录的会话全部结束）" : "启用账户 \(account.username)")
        return account
    }

    /// A new temporary password, shown once to the administrator; the account must change it at its next login.
    public func resetPassword(_ id: UUID, hash: OfficeTasks.PasswordHasher) async throws -> (account: UserAccount, password: String) {
        let account = try await find(id)
        let password = TemporaryPassword.make(for: account.username)
        account.passwordHash = try await hash(password)
        account.mustChangePassword = true
        account.failedLogins = 0
        account.lockedUntil = nil
        try await record(account, "管理员重置账户 \(account.username) 的密码（临时密码，须在下次登录时修改）")
        return (account, password)
    }

    /// Changes the account's role and what it is bound to.
    public func assign(_ id: UUID, binding: Binding) async throws -> UserAccount {
        let account = try await find(id)
        let before = try await describe(account)
        let resolved = try await resolve(binding)
        account.role = binding.role
        account.$unit.id = resolved.unitID
        account.regionCode = resolved.region
        try await record(account, "变更账户 \(account.username) 的角色与归属：\(before) → \(resolved.description)")
        return account
    }

    /// `填报人 · 北京中关村实验室（9111…）`, `省级审核 · 北京市`, `国家数据局`.
    public func describe(_ account: UserAccount) async throws -> String {
        if let unitID = account.$unit.id, let unit = try await SurveyUnit.find(unitID, on: db) {
            return "\(account.role.chineseName) · \(unit.name)（\(unit.creditCode)）"
        }
        if let region = account.regionCode { return "\(account.role.chineseName) · \(provinces[region] ?? region)" }
        return account.role.chineseName
    }

    private func find(_ id: UUID) async throws -> UserAccount {
        guard let account = try await UserAccount.find(id, on: db) else { throw Refusal("没有这个账户") }
        return account
    }

    private func record(_ account: UserAccount, _ detail: String) async throws {
        let actor = self.actor, db = self.db
        try await gate.run {
            try await db.transaction { tx in
                try await account.save(on: tx)
                try await AuditEvent(userID: actor.userID, username: actor.username, address: actor.address, kind: .userChanged,
                                     unitID: account.$unit.id, cell: "account:\(account.username)", detail: detail).create(on: tx)
            }
        }
    }

    /// Checks a binding against the registry and the role's needs.
    private func resolve(_ binding: Binding) async throws -> (unitID: UUID?, region: String?, description: String) {
        let role = binding.role
        if Self.unitRoles.contains(role) {
            guard let code = binding.unitCreditCode else { throw Refusal("\(role.chineseName)须指定所属调查单位（统一社会信用代码）") }
            guard let unit = try await SurveyUnit.query(on: db).filter(\.$creditCode == code).first() else {
                throw Refusal("名录库中没有统一社会信用代码为 \(code) 的单位")
            }
            if role == .headquartersReviewer, unit.$parent.id != nil {
                throw Refusal("「\(unit.name)」是集团的下属单位；央企总部审核账户须指定集团总部单位")
            }
            return (try unit.requireID(), nil, "\(role.chineseName) · \(unit.name)（\(unit.creditCode)）")
        }
        if role == .provincialReviewer {
            guard let region = binding.regionCode, let name = provinces[region] else { throw Refusal("省级审核须指定省份") }
            return (nil, region, "\(role.chineseName) · \(name)")
        }
        return (nil, nil, role.chineseName)
    }

    /// 3–32 letters, digits, `.`, `_` or `-`, starting with a letter or digit.
    static func checkUsername(_ username: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (3...32).contains(username.count), username.allSatisfy(allowed.contains),
              let first = username.first, first.isLetter || first.isNumber else {
            throw Refusal("用户名须为3至32位字母、数字、点、下划线或连字符，并以字母或数字开头")
        }
    }
}
