import SQLKit

/// How every SQLite connection of the platform is set up, the server's and a command's alike: the
/// write-ahead log (one writer, readers alongside it), commits without an fsync each (a power cut can
/// lose the last ones, never the database; `drs import` resumes), and a wait rather than an error when
/// another connection holds the write lock. `journal_mode` is the file's; the others are per connection.
public enum SQLiteConnectionSettings {
    public static func apply(on sql: any SQLDatabase) async throws {
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=NORMAL").run()
        try await sql.raw("PRAGMA busy_timeout=5000").run()
    }
}
