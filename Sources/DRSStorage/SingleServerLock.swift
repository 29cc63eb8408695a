import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes a server the only one on an SQLite file: an exclusive `flock` on `<file>.lock`, held while the
/// server runs. SQLite's one writer and the server's in-memory session cache both rely on it; several
/// instances need PostgreSQL. Command-line tools (`drs import`, `drs users …`) do not take it: they
/// write through SQLite's own locking and touch no session. A separate file, because closing any
/// descriptor of the database file itself would drop SQLite's own (POSIX) locks held by this process.
public final class SingleServerLock: Sendable {
    /// The lock file's descriptor; -1 once released. Behind a mutex: a shutdown may release it from
    /// another thread than the one that took it.
    private let descriptor: Mutex<Int32>

    public struct Held: Error, CustomStringConvertible {
        public var path: String
        public var description: String {
            "另一个 drs serve 正在使用数据库 \(path)：SQLite 只允许一个服务实例（多实例部署请用 PostgreSQL，见 docs/operator-guide.md）"
        }
    }

    public init(databasePath: String) throws {
        let lockPath = databasePath + SQLiteFileSet.lockSuffix
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Held(path: databasePath) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw Held(path: databasePath)
        }
        descriptor = Mutex(fd)
    }

    public func release() {
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}
