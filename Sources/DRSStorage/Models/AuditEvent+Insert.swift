import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

extension AuditEvent {
    /// Lines per `INSERT` (12 parameters each: far inside SQLite's 32,766 and PostgreSQL's 65,535).
    static let linesPerInsert = 500
    static let columns = ["id", "at", "user_id", "username", "address", "kind", "submission_id", "unit_id", "cell", "old_value", "new_value", "detail"]
    /// The columns' types on PostgreSQL, for a statement that must name them (values of a column that
    /// are all null would otherwise be read as text).
    static let postgresTypes = ["uuid", "timestamptz", "uuid", "text", "text", "text", "uuid", "uuid", "text", "text", "text", "text"]

    /// One line's values, in `columns` order.
    struct Values {
        var id: UUID, at: Date, userID: UUID?, username: String, address: String, kind: String
        var submissionID: UUID?, unitID: UUID?, cell: String?, old: String?, new: String?, detail: String

        /// The line's values as PostgreSQL's binary parameters, in `columns` order.
        func append(to binds: inout PostgresBindings) {
            binds.append(id)
            binds.append(at)
            binds.append(userID)
            binds.append(username)
            binds.append(address)
            binds.append(kind)
            binds.append(submissionID)
            binds.append(unitID)
            binds.append(cell)
            binds.append(old)
            binds.append(new)
            binds.append(detail)
        }
    }
}

extension AuditEvent.Values {
    /// A save's or an import's line, at `at`, with a time-ordered id. (In an extension, so the
    /// memberwise initializer stays.)
    init(_ line: AuditLine, at: Date) {
        self.init(id: TimeOrderedID.make(at: at), at: at, userID: line.userID, username: line.username, address: line.address,
                  kind: line.kind, submissionID: line.submissionID, unitID: line.unitID, cell: line.cell, old: line.old,
                  new: line.new, detail: line.detail)
    }
}

extension AuditEvent {
    /// Writes many audit lines in multi-row `INSERT`s, in the caller's transaction.
    public static func insert(_ lines: [AuditEvent], on db: any Database) async throws {
        try await insert(lines.map { line in
            Values(id: line.id ?? TimeOrderedID.make(at: line.at), at: line.at, userID: line.userID, username: line.username, address: line.address,
                   kind: line.kind.rawValue, submissionID: line.submissionID, unitID: line.unitID, cell: line.cell, old: line.oldValue,
                   new: line.newValue, detail: line.detail)
        }, on: db)
    }

    /// A save's or an import's lines, all at `at`: no model per line (Fluent's reflection over 239
    /// models per 企业5表 file was 30% of `drs import`'s time, and later its generic-metadata lookups
    /// the largest part of the PostgreSQL import's event loop).
    static func insert(_ lines: [AuditLine], at: Date, on db: any Database) async throws {
        try await insert(lines.map { Values($0, at: at) }, on: db)
    }

    private static func insert(_ lines: [Values], on db: any Database) async throws {
        guard !lines.isEmpty else { return }
        if let postgres = db as? any PostgresDatabase { return try await insert(lines, on: postgres, logger: db.logger) }
        guard let sql = db as? any SQLDatabase else { throw SQLUnavailable() }
        for start in stride(from: 0, to: lines.count, by: linesPerInsert) {
            var insert = sql.insert(into: schema).columns(columns)
            for line in lines[start..<min(start + linesPerInsert, lines.count)] {
                insert = insert.values([SQLBind(line.id), SQLBind(line.at), SQLBind(line.userID), SQLBind(line.username), SQLBind(line.address),
                                        SQLBind(line.kind), SQLBind(line.submissionID), SQLBind(line.unitID), SQLBind(line.cell),
                                        SQLBind(line.old), SQLBind(line.new), SQLBind(line.detail)])
            }
            try await insert.run()
        }
    }

    /// On PostgreSQL the values go to the driver as binary parameters directly: SQLKit's binds pass
    /// through `Codable`, which kept `drs import`'s event loop busy with 2,868 of them per file.
    private static func insert(_ lines: [Values], on postgres: any PostgresDatabase, logger: Logger) async throws {
        for start in stride(from: 0, to: lines.count, by: linesPerInsert) {
            let chunk = lines[start..<min(start + linesPerInsert, lines.count)]
            var sql = "INSERT INTO \(schema) (\(columns.joined(separator: ", "))) VALUES "
            var binds = PostgresBindings(capacity: chunk.count * columns.count)
            for (k, line) in chunk.enumerated() {
                let first = k * columns.count + 1
                sql += (k == 0 ? "(" : ", (") + (first..<first + columns.count).map { "$\($0)" }.joined(separator: ", ") + ")"
                line.append(to: &binds)
            }
            let query = PostgresQuery(unsafeSQL: sql, binds: binds)
            try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask { try await connection.query(query, logger: logger) }.map { _ in }
            }.get()
        }
    }
}
