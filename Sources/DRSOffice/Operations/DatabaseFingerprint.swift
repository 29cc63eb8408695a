import Crypto
import FluentKit
import Foundation
import SQLKit

/// What a database holds, table by table: its rows and a SHA-256 of their content, so that a backup
/// and the database restored from it can be proved equal (`drs backup`, `drs restore`).
///
/// Each row is written as text by the engine itself — SQLite `quote()` of every column, PostgreSQL
/// the row's `::text` — and the rows are hashed in byte order, sorted by the engine, so the checksum
/// does not depend on the order rows were stored in. Rows are streamed: a table of millions costs no memory.
/// Within one engine the text is exact (the same bytes in, the same text out).
public struct DatabaseFingerprint: Codable, Sendable, Equatable {
    public struct Table: Codable, Sendable, Equatable {
        public var name: String
        public var rows: Int
        /// SHA-256 (hex) of the rows' text in byte order, each followed by a newline.
        public var sha256: String
    }

    public var tables: [Table]

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }

    /// The tables where `other` differs, in Chinese (「表 audit_events：行数 120 ≠ 119」); empty when equal.
    public func differences(from other: DatabaseFingerprint) -> [String] {
        let theirs = Dictionary(other.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let ours = Set(tables.map(\.name))
        var found: [String] = []
        for table in tables {
            guard let other = theirs[table.name] else { found.append("表 \(table.name)：恢复后不存在"); continue }
            if other.rows != table.rows { found.append("表 \(table.name)：行数 \(table.rows) ≠ \(other.rows)") }
            else if other.sha256 != table.sha256 { found.append("表 \(table.name)：内容校验和不同") }
        }
        for name in theirs.keys.sorted() where !ours.contains(name) { found.append("表 \(name)：备份中没有") }
        return found
    }

    /// The fingerprint of every table of the database (SQLite or PostgreSQL).
    public static func of(_ db: any Database) async throws -> DatabaseFingerprint {
        guard let sql = db as? any SQLDatabase else { throw Unsupported() }
        let isSQLite = sql.dialect.name == "sqlite"
        var tables: [Table] = []
        for name in try await tableNames(sql, isSQLite: isSQLite) {
            let rowText: String
            if isSQLite {
                let columns = try await sql.raw("SELECT name FROM pragma_table_info(\(bind: name))").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                guard !columns.isEmpty else { continue }
                rowText = columns.map { "quote(\(quoted($0)))" }.joined(separator: " || '|' || ")
            } else {
                rowText = "t::text"
            }
            // Sorted by the engine in byte order (PostgreSQL's "C" collation, SQLite's BINARY), hashed as they come.
            let order = isSQLite ? "r" : "(t::text) COLLATE \"C\""
            let digest = RunningDigest()
            try await sql.raw("SELECT \(unsafeRaw: rowText) AS r FROM \(unsafeRaw: quoted(name)) t ORDER BY \(unsafeRaw: order)").run { row in
                digest.add((try? row.decode(column: "r", as: String.self)) ?? "")
            }
            let (rows, sha256) = digest.finish()
            tables.append(Table(name: name, rows: rows, sha256: sha256))
        }
        return DatabaseFingerprint(tables: tables)
    }

    /// The application's tables (not the engine's own), sorted.
    static func tableNames(_ sql: any SQLDatabase, isSQLite: Bool) async throws -> [String] {
        let query: SQLQueryString = isSQLite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// A table or column name as an SQL identifier (names come from the database's own catalog).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String { "此数据库不支持 SQL，无法计算校验和" }
    }
}

/// A SHA-256 fed one row at a time from the database's row callback (which may run on another thread).
private final class RunningDigest: @unchecked Sendable {
    private let lock = NSLock()
    private var hash = SHA256()
    private var rows = 0

    func add(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        hash.update(data: Data((line + "\n").utf8))
        rows += 1
    }

    func finish() -> (rows: Int, sha256: String) {
        lock.lock()
        defer { lock.unlock() }
        return (rows, hash.finalize().map { String(format: "%02x", $0) }.joined())
    }
}
