import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a server the only one on an SQLite file: an exclusive `flock` on `<file>.lock`, held while the
/// server runs. SQLite's one writer and the server's in-memory session cache both rely on it; several
/// instances need PostgreSQL. Command-line tools (`drs import`, `drs users …`) do not take it: they
/// write through SQLite's own locking and touch no session. A separate file, because closing any
/// descriptor of the database file itself would drop SQLite's own (POSIX) locks held by this process.
public final class SingleServerLock: @unchecked Sendable {
    private var descriptor: Int32

    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "另一个 drs serve 正在使用数据库 \(path)：SQLite 只允许一个服务实例（多实例部署请用 PostgreSQL，见 docs/operator-guide.md）"
        }
    }

    public init(databasePath: String) throws {
        let lockPath = databasePath + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Held(path: databasePath) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            descriptor = -1
            throw Held(path: databasePath)
        }
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
