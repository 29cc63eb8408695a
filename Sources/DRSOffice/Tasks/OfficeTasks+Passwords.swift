import DRSStorage
import FluentKit
import Foundation
import SQLKit

extension OfficeTasks {
    /// An administrator's password reset: the policy of real accounts applies, the account must change
    /// the password at its next login, and every session of the account ends. Returns the new password.
    /// On SQLite the server must be stopped (it keeps sessions in memory; its lock says whether it runs).
    public static func resetPassword(storage: StorageLocation, catalogRoot: URL, username: String, password: String?,
                                     hash: PasswordHasher) async throws -> String {
        let new = password ?? String((0..<14).map { _ in "abcdefghjkmnpqrstuvwxyz23456789".randomElement() ?? "x" })
        if let problem = PasswordPolicy.problem(new, username: username) { throw Failure(description: problem) }
        var lock: SingleServerLock?
        if case .sqliteFile(let path) = storage {
            do { lock = try SingleServerLock(databasePath: path) } catch {
                throw Failure(description: "服务器正在使用该数据库：请先停止 drs serve 再重置密码（它在内存中保存会话）")
            }
        }
        defer { lock?.release() }
        try await withStorage(storage, catalogRoot: catalogRoot) { session, _ in
            let db = session.db
            guard let user = try await UserAccount.query(on: db).filter(\.$username == username).first(), let id = user.id else {
                throw Failure(description: "没有用户名为「\(username)」的账户")
            }
            user.passwordHash = try await hash(new)
            user.mustChangePassword = true
            try await db.transaction { tx in
                try await user.save(on: tx)
                if let sql = tx as? any SQLDatabase {
                    try await sql.raw("DELETE FROM \(unsafeRaw: SessionTables.sessions) WHERE user_id = \(bind: id.uuidString)").run()
                }
                try await AuditEvent(userID: id, username: "drs users password", address: "-", kind: .passwordChanged,
                                     detail: "管理员重置账户 \(username) 的密码").create(on: tx)
            }
            if let sql = db as? any SQLDatabase {   // the throttle's count for the account starts again
                try await sql.raw("DELETE FROM \(unsafeRaw: SessionTables.loginThrottle) WHERE key = \(bind: SessionTables.throttleKey(account: username))").run()
            }
        }
        return new
    }
}
