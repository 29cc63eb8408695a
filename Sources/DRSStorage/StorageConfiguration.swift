import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Where the data lives: an SQLite file (default) or a PostgreSQL server.
public enum StorageLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    /// `postgres://user@host:5432/db`, `sqlite:///path/drs.sqlite`, `memory`, or a file path.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else if text == "memory" || text == "sqlite::memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite://") {
            self = .sqliteFile(String(text.dropFirst("sqlite://".count)))
        } else {
            self = .sqliteFile(text)
        }
    }

    public var isSQLite: Bool { if case .postgres = self { return false } else { return true } }

    public var description: String {
        switch self {
        case .sqliteFile(let path): "SQLite 文件 \(path)"
        case .sqliteMemory: "SQLite 内存库"
        case .postgres(let url):
            // Never print a password.
            "PostgreSQL \(url.replacingOccurrences(of: #":[^:@/]+@"#, with: ":***@", options: .regularExpression))"
        }
    }

    /// Connections each event loop may hold: SQLite one (its writes go through one writer anyway),
    /// PostgreSQL four. The pool of a server is this times its event loops (one per core).
    public var connectionsPerEventLoop: Int { isSQLite ? 1 : 4 }

    /// Registers the database with Fluent.
    public func register(in databases: Databases) throws {
        switch self {
        case .sqliteFile(let path):
            databases.use(.sqlite(.file(path), maxConnectionsPerEventLoop: connectionsPerEventLoop), as: .sqlite)
        case .sqliteMemory:
            databases.use(.sqlite(.memory, maxConnectionsPerEventLoop: connectionsPerEventLoop), as: .sqlite)
        case .postgres(let url):
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: connectionsPerEventLoop), as: .psql)
        }
    }
}
