import Foundation
import SQLKit

/// The application's tables as PostgreSQL declares them: each column's kind and the order in which
/// tables can be filled without breaking a foreign key. `drs migrate-db` copies and compares rows by
/// these kinds, which both engines agree on (SQLite's own declarations cannot tell a UUID from text
/// or a boolean from an integer; PostgreSQL's can).
struct PortableSchema: Sendable {
    enum Kind: String, Sendable {
        case uuid, text, integer, boolean, timestamp, double, json, bytes
    }

    struct Column: Sendable {
        var name: String
        var kind: Kind
    }

    struct Table: Sendable {
        var name: String
        var columns: [Column]
        /// Columns that refer to this same table (a unit's parent, a superseded report edition): filled
        /// in a second pass, once every row they may point at exists.
        var selfReferences: Set<String>
        /// The table's key, which the second pass updates by (every application table has `id`).
        var hasID: Bool { columns.contains { $0.name == "id" } }
    }

    /// Tables in an order that fills every referenced table before the tables that refer to it.
    var tables: [Table]

    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the schema of the PostgreSQL database `sql` (its current schema, every table).
    static func read(postgres sql: any SQLDatabase) async throws -> PortableSchema {
        var columns: [String: [Column]] = [:]
        let columnRows = try await sql.raw("""
            SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """).all()
        for row in columnRows {
            let table = try row.decode(column: "t", as: String.self), name = try row.decode(column: "c", as: String.self)
            let type = try row.decode(column: "d", as: String.self)
            guard let kind = kind(ofPostgresType: type) else {
                throw Unsupported(description: "表 \(table) 的列 \(name) 类型 \(type) 不在迁移支持的类型中")
            }
            columns[table, default: []].append(Column(name: name, kind: kind))
        }
        let references = try await sql.raw("""
            SELECT child.relname::text AS child, parent.relname::text AS parent, a.attname::text AS c
            FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
            WHERE k.contype = 'f' AND n.nspname = current_schema()
            """).all().map { (child: try $0.decode(column: "child", as: String.self),
                              parent: try $0.decode(column: "parent", as: String.self),
                              column: try $0.decode(column: "c", as: String.self)) }
        return try ordered(columns: columns, references: references)
    }

    /// Referenced tables first (a topological order, ties by name); self-references kept apart.
    static func ordered(columns: [String: [Column]], references: [(child: String, parent: String, column: String)]) throws -> PortableSchema {
        var parents: [String: Set<String>] = [:], selfReferences: [String: Set<String>] = [:]
        for reference in references {
            if reference.child == reference.parent { selfReferences[reference.child, default: []].insert(reference.column) }
            else { parents[reference.child, default: []].insert(reference.parent) }
        }
        var placed: [String] = [], remaining = Set(columns.keys)
        while !remaining.isEmpty {
            let ready = remaining.filter { parents[$0, default: []].isSubset(of: placed) }.sorted()
            guard !ready.isEmpty else { throw Unsupported(description: "表之间的外键成环：" + remaining.sorted().joined(separator: "、")) }
            placed.append(contentsOf: ready)
            remaining.subtract(ready)
        }
        let tables = placed.map { Table(name: $0, columns: columns[$0] ?? [], selfReferences: selfReferences[$0] ?? []) }
        for table in tables where !table.selfReferences.isEmpty && !table.hasID {
            throw Unsupported(description: "表 \(table.name) 引用自身却没有 id 列")
        }
        return PortableSchema(tables: tables)
    }

    static func kind(ofPostgresType type: String) -> Kind? {
        switch type {
        case "uuid": .uuid
        case "text", "character varying", "character": .text
        case "bigint", "integer", "smallint": .integer
        case "boolean": .boolean
        case "timestamp with time zone", "timestamp without time zone": .timestamp
        case "double precision", "real": .double
        case "jsonb", "json": .json
        case "bytea": .bytes
        default: nil
        }
    }

    /// A table or column name as an SQL identifier (names come from the database's own catalog).
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
