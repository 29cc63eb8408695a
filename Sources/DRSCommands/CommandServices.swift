import DRSOffice
import Synchronization

/// What the `drs` executable lends the commands: the parts it links and they must not (bcrypt comes
/// with the web framework; the commands here do not link it). Installed once, before parsing.
public enum CommandServices {
    private static let hasher = Mutex<OfficeTasks.PasswordHasher?>(nil)

    public static func install(hashPassword: @escaping OfficeTasks.PasswordHasher) {
        hasher.withLock { $0 = hashPassword }
    }

    /// Bcrypt, as the server hashes passwords.
    static let hashPassword: OfficeTasks.PasswordHasher = { password in
        guard let hash = hasher.withLock({ $0 }) else { throw Unavailable() }
        return try await hash(password)
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "此程序未提供密码散列（bcrypt）：请使用 drs 可执行文件。" }
    }
}
