import FluentPostgresDriver
import Foundation

/// A draft's save on PostgreSQL in two round trips: the row is read (no lock: the versioned
/// `UPDATE` decides between concurrent saves), then one statement updates it and inserts its audit
/// lines. A single statement is atomic, so no `BEGIN`/`COMMIT` is needed; the audit lines are
/// inserted only when the update found the version it was made over. Before, the save was five
/// round trips (`BEGIN`, the row, the update, the audit, `COMMIT`): most of PostgreSQL's share of a
/// save's cost, and the instance's share of sending them.
enum PostgresDraftSave {
    /// Audit lines one statement carries (12 parameters each, within PostgreSQL's 65,535); a save
    /// changing more (a whole grid replaced) is written as a transaction of several statements.
    static let linesPerStatement = 5_000

    /// The row of `id`, with the driver's own decoding (no `Codable` on the hot path).
    static func read(_ id: UUID, on postgres: any PostgresDatabase, logger: Logger) async throws -> SubmissionRow? {
        var binds = PostgresBindings(capacity: 1)
        binds.append(id)
        let query = PostgresQuery(unsafeSQL: "SELECT id, unit_id, status, version, cells, explanations, answers FROM submissions WHERE id = $1",
                                  binds: binds)
        guard let row = try await rows(query, on: postgres, logger: logger).first else { return nil }
        let (rowID, unitID, status, version, cells, explanations, answers) =
            try row.decode((UUID, UUID?, String, Int, String, String, String).self)
        return SubmissionRow(id: rowID, unitID: unitID, status: status, version: version, cells: cells, explanations: explanations,
                             answers: answers)
    }

    /// What one save writes: the row's new state over `expectedVersion`, and its audit lines (at least one).
    struct Write {
        var id: UUID
        var expectedVersion: Int
        var cells: String
        var explanations: String
        var answers: String
        var status: String
        var at: Date
        var audit: [AuditLine]
    }

    /// Writes the save; false when the stored version moved on (then nothing was written).
    static func write(_ save: Write, on postgres: any PostgresDatabase, logger: Logger) async throws -> Bool {
        let query = statement(save)
        return try await rows(query, on: postgres, logger: logger).count == save.audit.count
    }

    /// `WITH updated AS (UPDATE … RETURNING id) INSERT INTO audit_events … WHERE EXISTS (updated)`.
    /// The first row of values names its types: a column whose values are all null (the platform's
    /// own lines have no user) would otherwise be read as text.
    static func statement(_ save: Write) -> PostgresQuery {
        var binds = PostgresBindings(capacity: 8 + save.audit.count * AuditEvent.columns.count)
        binds.append(save.cells)
        binds.append(save.explanations)
        binds.append(save.answers)
        binds.append(save.expectedVersion + 1)
        binds.append(save.status)
        binds.append(save.at)
        binds.append(save.id)
        binds.append(save.expectedVersion)
        let types = AuditEvent.postgresTypes
        var values: [String] = []
        values.reserveCapacity(save.audit.count)
        for (k, line) in save.audit.enumerated() {
            let first = 9 + k * types.count
            let places = types.indices.map { k == 0 ? "$\(first + $0)::\(types[$0])" : "$\(first + $0)" }
            values.append("(" + places.joined(separator: ", ") + ")")
            AuditEvent.Values(line, at: save.at).append(to: &binds)
        }
        let columns = AuditEvent.columns.joined(separator: ", ")
        let sql = """
            WITH updated AS (UPDATE submissions SET cells = $1, explanations = $2, answers = $3, version = $4, status = $5, updated_at = $6 \
            WHERE id = $7 AND version = $8 RETURNING id) \
            INSERT INTO \(AuditEvent.schema) (\(columns)) SELECT * FROM (VALUES \(values.joined(separator: ", "))) AS line(\(columns)) \
            WHERE EXISTS (SELECT 1 FROM updated) RETURNING 1
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    private static func rows(_ query: PostgresQuery, on postgres: any PostgresDatabase, logger: Logger) async throws -> [PostgresRow] {
        try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await connection.query(query, logger: logger).collect() }
        }.get()
    }
}
