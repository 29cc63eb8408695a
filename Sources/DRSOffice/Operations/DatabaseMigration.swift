import DRSStorage
import FluentKit
import Foundation
import SQLKit

/// `drs migrate-db --from sqlite:… --to postgres://…`: an SQLite installation moved to PostgreSQL,
/// every row of every table, proved equal before anything is committed (docs/operator-guide.md).
///
/// 1. The SQLite file is locked against a server (`SingleServerLock`) and brought to the current
///    schema; the PostgreSQL database is migrated to the same schema and must hold no data.
/// 2. In one PostgreSQL transaction every table is copied in pages (multi-row inserts), referenced
///    tables first; a column that points into its own table is filled once all its rows exist. The
///    progress tallies (`ProgressTallies`) are not copied but counted again from the copied rows.
/// 3. Still inside that transaction, both databases' `PortableFingerprint`s (rows and an
///    order-free checksum of every table, values read by their PostgreSQL column kinds) must be
///    equal; if not, the transaction is rolled back and PostgreSQL is left empty.
public enum DatabaseMigration {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public struct Summary: Sendable {
        public var tables: Int
        public var rows: Int
        /// Rows per table, in the order they were copied.
        public var rowsByTable: [(table: String, rows: Int)]
    }

    /// The migrations' own table: PostgreSQL's is rewritten with SQLite's rows, so the target records
    /// the same history (names, batches, times) as the installation it came from.
    static let migrationsTable = "_fluent_migrations"

    /// Copies the SQLite file `from` into the empty PostgreSQL database `to` and proves the copy.
    public static func migrate(from source: StorageLocation, to target: StorageLocation,
                               progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        guard case .sqliteFile(let path) = source else { throw Failure(description: "--from 须是 SQLite 数据库文件（sqlite:///路径 或 文件路径）") }
        guard case .postgres = target else { throw Failure(description: "--to 须是 PostgreSQL（postgres://…）") }
        guard FileManager.default.fileExists(atPath: path) else { throw Failure(description: "找不到 SQLite 数据库文件 \(path)") }
        let lock = try SingleServerLock(databasePath: path)
        defer { lock.release() }
        return try await StorageSession.with(source) { sourceSession in
            try await StorageSession.with(target) { targetSession in
                guard let from = sourceSession.db as? any SQLDatabase, let to = targetSession.db as? any SQLDatabase else {
                    throw DatabaseFingerprint.Unsupported()
                }
                let schema = try await PortableSchema.read(postgres: to)
                try await checkSameTables(from, schema)
                try await checkEmpty(to, schema)
                return try await copyAndProve(from: from, into: targetSession.db, schema: schema, progress: progress)
            }
        }
    }

    /// Every table copied in one transaction, then both sides fingerprinted; rolled back unless equal.
    static func copyAndProve(from: any SQLDatabase, into target: any Database, schema all: PortableSchema,
                             progress: @escaping @Sendable (String) -> Void) async throws -> Summary {
        // The progress tallies are derived: recomputed in the target from what was copied, not copied.
        let schema = PortableSchema(tables: all.tables.filter { !ProgressTallies.tables.contains($0.name) })
        let expected = try await PortableFingerprint.of(from, schema: schema)
        progress("源数据库：\(expected.tables.count) 张表，\(expected.totalRows) 行")
        try await target.transaction { tx in
            guard let to = tx as? any SQLDatabase else { throw DatabaseFingerprint.Unsupported() }
            try await to.raw("DELETE FROM \(unsafeRaw: PortableSchema.quoted(migrationsTable))").run()
            // The tallies' triggers rest while rows arrive (each would append a row per unit and
            // submission), and the tallies are counted once at the end.
            try await setTallyTriggers(enabled: false, on: to)
            for table in schema.tables {
                let copied = try await TableCopy(table: table, from: from, to: to).run()
                progress("已复制 \(table.name)：\(copied) 行")
            }
            try await setTallyTriggers(enabled: true, on: to)
            try await ProgressTallies.rebuild(on: tx)
            let copied = try await PortableFingerprint.of(to, schema: schema)
            let differences = expected.differences(from: copied)
            guard differences.isEmpty else {
                throw Failure(description: "迁移后的数据与源数据库不一致，已回滚：" + differences.prefix(5).joined(separator: "；"))
            }
        }
        return Summary(tables: expected.tables.count, rows: expected.totalRows,
                       rowsByTable: expected.tables.map { (table: $0.name, rows: $0.rows) })
    }

    /// PostgreSQL's triggers that keep the progress tallies, disabled or enabled within the copy's
    /// transaction (a rollback restores them).
    static func setTallyTriggers(enabled: Bool, on sql: any SQLDatabase) async throws {
        for trigger in ProgressTallies.postgresRowTriggers {
            try await sql.raw("""
                ALTER TABLE \(unsafeRaw: PortableSchema.quoted(trigger.table)) \(unsafeRaw: enabled ? "ENABLE" : "DISABLE") TRIGGER \(unsafeRaw: trigger.name)
                """).run()
        }
    }

    /// The SQLite file has exactly PostgreSQL's tables and columns (both migrated by the same list).
    static func checkSameTables(_ sqlite: any SQLDatabase, _ schema: PortableSchema) async throws {
        let names = try await DatabaseFingerprint.tableNames(sqlite, isSQLite: true)
        let expected = Set(schema.tables.map(\.name))
        if let extra = names.first(where: { !expected.contains($0) }) {
            throw Failure(description: "SQLite 中的表 \(extra) 在 PostgreSQL 的结构中没有（两边的程序版本不同？）")
        }
        for table in schema.tables {
            let columns = try await sqlite.raw("SELECT name FROM pragma_table_info(\(bind: table.name))").all()
                .map { try $0.decode(column: "name", as: String.self) }
            guard Set(columns) == Set(table.columns.map(\.name)) else {
                throw Failure(description: "表 \(table.name) 的列两边不同：SQLite \(columns.sorted())，PostgreSQL \(table.columns.map(\.name).sorted())")
            }
        }
    }

    /// The target holds no data yet (its migration history aside): a migration never merges.
    static func checkEmpty(_ postgres: any SQLDatabase, _ schema: PortableSchema) async throws {
        for table in schema.tables where table.name != migrationsTable {
            let row = try await postgres.raw("SELECT EXISTS (SELECT 1 FROM \(unsafeRaw: PortableSchema.quoted(table.name))) AS found").first()
            if try row?.decode(column: "found", as: Bool.self) == true {
                throw Failure(description: "目标 PostgreSQL 数据库的表 \(table.name) 已有数据；迁移只写入空数据库")
            }
        }
    }
}

/// One table from SQLite into PostgreSQL: pages in rowid order, each page one multi-row insert;
/// self-referencing columns written NULL first and set once the whole table is in.
struct TableCopy {
    let table: PortableSchema.Table
    let from: any SQLDatabase
    let to: any SQLDatabase

    /// PostgreSQL takes at most 65,535 parameters in a statement; pages stay well below.
    var pageSize: Int {
        let bytesColumns = table.columns.contains { $0.kind == .bytes }
        return bytesColumns ? 16 : max(1, min(1_000, 20_000 / max(1, table.columns.count)))
    }

    func run() async throws -> Int {
        let columns = table.columns.map { PortableSchema.quoted($0.name) }.joined(separator: ", ")
        var lastRowID: Int64 = .min, copied = 0
        var links: [(id: PortableValue, column: String, value: PortableValue)] = []
        while true {
            let page = try await from.raw("""
                SELECT rowid AS "__drs_rowid", \(unsafeRaw: columns) FROM \(unsafeRaw: PortableSchema.quoted(table.name))
                WHERE rowid > \(bind: lastRowID) ORDER BY rowid LIMIT \(unsafeRaw: String(pageSize))
                """).all()
            guard let last = page.last else { break }
            lastRowID = try last.decode(column: "__drs_rowid", as: Int64.self)
            var rows: [[any SQLExpression]] = []
            for row in page {
                let values = try table.columns.map { column in
                    do { return try PortableValue.read(row, column: column.name, kind: column.kind) }
                    catch { throw DatabaseMigration.Failure(description: "表 \(table.name)：\(error)") }
                }
                rows.append(try insertRow(values, links: &links))
            }
            try await insert(rows)
            copied += page.count
        }
        try await setSelfReferences(links)
        return copied
    }

    /// The row's values as bound; each self-reference set aside (with the row's id) and written NULL.
    func insertRow(_ values: [PortableValue], links: inout [(id: PortableValue, column: String, value: PortableValue)]) throws -> [any SQLExpression] {
        guard !table.selfReferences.isEmpty else { return values.map(\.expression) }
        let id = zip(table.columns, values).first { $0.0.name == "id" }?.1 ?? .null
        return zip(table.columns, values).map { column, value in
            guard table.selfReferences.contains(column.name), !isNull(value) else { return value.expression }
            links.append((id: id, column: column.name, value: value))
            return SQLLiteral.null
        }
    }

    func insert(_ rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        var insert = to.insert(into: SQLIdentifier(table.name)).columns(table.columns.map(\.name))
        for row in rows { insert = insert.values(row) }
        try await insert.run()
    }

    func setSelfReferences(_ links: [(id: PortableValue, column: String, value: PortableValue)]) async throws {
        for link in links {
            try await to.update(SQLIdentifier(table.name))
                .set(SQLIdentifier(link.column), to: link.value.expression)
                .where(SQLIdentifier("id"), .equal, link.id.expression)
                .run()
        }
    }

    private func isNull(_ value: PortableValue) -> Bool { if case .null = value { true } else { false } }
}
