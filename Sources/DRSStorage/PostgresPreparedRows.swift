import FluentPostgresDriver

extension PostgresDatabase {
    /// The rows of a statement that each connection prepares once (PostgreSQL then neither parses
    /// nor plans it again), read on one of the pool's connections.
    func rows<Statement: PostgresPreparedStatement>(of statement: Statement, logger: Logger) async throws -> [Statement.Row]
    where Statement.Row: Sendable {
        try await withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var rows: [Statement.Row] = []
                for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                return rows
            }
        }.get()
    }
}
