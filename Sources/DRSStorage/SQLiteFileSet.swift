import Foundation

/// An SQLite database on disk is more than its file: the write-ahead log and its index beside it
/// (`-wal`, `-shm`), and the single-server lock (`SingleServerLock`). Whoever removes or replaces a
/// database must mind all of them, or a stale log is replayed into the next file of that name.
public enum SQLiteFileSet {
    /// The write-ahead log's two files, named after the database's path.
    public static let journalSuffixes = ["-wal", "-shm"]
    /// `SingleServerLock`'s file.
    public static let lockSuffix = ".lock"

    /// Removes the database at `path` with its log and lock; a file that is not there is skipped.
    public static func remove(_ path: String) {
        for suffix in [""] + journalSuffixes + [lockSuffix] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Removes the database's write-ahead log only (a restored file is renamed over the database).
    public static func removeJournal(_ path: String) {
        for suffix in journalSuffixes { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
