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

    /// The row of `id`, with the driver's own decoding (no `Codable` on the hot path), by a statement
    /// each connection prepares once: PostgreSQL then neither parses nor plans it per save.
    static func read(_ id: UUID, on postgres: any PostgresDatabase, logger: Logger) async throws -> SubmissionRow? {
        let rows = try await postgres.rows(of: ReadRow(id: id), logger: logger)
        guard let (rowID, unitID, status, version, cells, explanations, answers) = rows.first else { return nil }
        return SubmissionRow(id: rowID, unitID: unitID, status: status, version: version, cells: cells, explanations: explanations,
                             answers: answers)
    }

    struct ReadRow: PostgresPreparedStatement {
        static let name = "drs_draft_row"
        static let sql = "SELECT id, unit_id, status, version, cells, explanations, answers FROM submissions WHERE id = $1"
        typealias Row = (UUID, UUID?, String, Int, String, String, String)
        var id: UUID

        func makeBindings() -> PostgresBindings {
            var binds = PostgresBindings(capacity: 1)
            binds.append(id)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// What one save writes: the row's new state over `expectedVersion`, and its audit lines (at least one).
    struct Write: Sendable {
        var id: UUID
        var expectedVersion: Int
        var cells: String
        var explanations: String
        var answers: String
        var status: String
        var at: Date
        var audit: [AuditLine]
    }

    /// Writes the save; false when the stored version moved on (then nothing was written). A save of
    /// one or two lines (nearly every save: a figure, perhaps its explanation) runs a statement the
    /// connection keeps prepared; others are sent with their text.
    static func write(_ save: Write, on postgres: any PostgresDatabase, logger: Logger) async throws -> Bool {
        let written = try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                switch save.audit.count {
                case 1: try await all(connection.execute(Prepared<OneLine>(save: save), logger: logger)).count
                case 2: try await all(connection.execute(Prepared<TwoLines>(save: save), logger: logger)).count
                default: try await connection.query(PostgresQuery(unsafeSQL: sql(lines: save.audit.count), binds: bindings(save)),
                                                    logger: logger).collect().count
                }
            }
        }.get()
        return written == save.audit.count
    }

    /// `WITH updated AS (UPDATE … RETURNING id) INSERT INTO audit_events … WHERE EXISTS (updated)`,
    /// for `lines` audit lines. The first row of values names its types: a column whose values are all
    /// null (the platform's own lines have no user) would otherwise be read as text.
    static func sql(lines: Int) -> String {
        let types = AuditEvent.postgresTypes
        let values = (0..<lines).map { k in
            let first = 9 + k * types.count
            return "(" + types.indices.map { k == 0 ? "$\(first + $0)::\(types[$0])" : "$\(first + $0)" }.joined(separator: ", ") + ")"
        }
        let columns = AuditEvent.columns.joined(separator: ", ")
        return """
            WITH updated AS (UPDATE submissions SET cells = $1, explanations = $2, answers = $3, version = $4, status = $5, updated_at = $6 \
            WHERE id = $7 AND version = $8 RETURNING id) \
            INSERT INTO \(AuditEvent.schema) (\(columns)) SELECT * FROM (VALUES \(values.joined(separator: ", "))) AS line(\(columns)) \
            WHERE EXISTS (SELECT 1 FROM updated) RETURNING 1
            """
    }

    /// The parameters of `sql(lines:)`: the row's new state, then each audit line's values.
    static func bindings(_ save: Write) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 8 + save.audit.count * AuditEvent.columns.count)
        binds.append(save.cells)
        binds.append(save.explanations)
        binds.append(save.answers)
        binds.append(save.expectedVersion + 1)
        binds.append(save.status)
        binds.append(save.at)
        binds.append(save.id)
        binds.append(save.expectedVersion)
        for line in save.audit { AuditEvent.Values(line, at: save.at).append(to: &binds) }
        return binds
    }

    /// How many audit lines a prepared save statement carries, with its name and text made once (the
    /// driver asks for them on every execution).
    protocol LineCount {
        static var name: String { get }
        static var sql: String { get }
    }
    enum OneLine: LineCount {
        static let name = "drs_draft_save_1"
        static let sql = PostgresDraftSave.sql(lines: 1)
    }
    enum TwoLines: LineCount {
        static let name = "drs_draft_save_2"
        static let sql = PostgresDraftSave.sql(lines: 2)
    }

    struct Prepared<Count: LineCount>: PostgresPreparedStatement {
        static var name: String { Count.name }
        static var sql: String { Count.sql }
        typealias Row = Int
        var save: Write

        func makeBindings() -> PostgresBindings { PostgresDraftSave.bindings(save) }
        func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
    }

    /// A prepared statement's rows, decoded.
    private static func all<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Rows.Element] {
        var all: [Rows.Element] = []
        for try await row in rows { all.append(row) }
        return all
    }
}
