import Crypto
import Foundation
import SQLKit

/// Every table's rows and content checksum, computed the same way on SQLite and on PostgreSQL, so a
/// migration from one to the other can be proved exact (`drs migrate-db`).
///
/// Each row's values are read by the column kinds of `PortableSchema` and hashed (SHA-256); a table's
/// checksum is the sum of its rows' hashes modulo 2²⁵⁶. The sum does not depend on the order rows come
/// in, so neither engine has to sort (their collations differ), and rows are streamed: no memory grows
/// with the table.
struct PortableFingerprint: Sendable, Equatable {
    struct Table: Sendable, Equatable {
        var name: String
        var rows: Int
        var checksum: String
    }

    var tables: [Table]

    var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }

    /// The tables where `other` differs, in Chinese; empty when equal.
    func differences(from other: PortableFingerprint) -> [String] {
        let theirs = Dictionary(other.tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return tables.compactMap { table in
            guard let other = theirs[table.name] else { return "表 \(table.name)：迁移后不存在" }
            if other.rows != table.rows { return "表 \(table.name)：行数 \(table.rows) ≠ \(other.rows)" }
            if other.checksum != table.checksum { return "表 \(table.name)：内容校验和不同" }
            return nil
        }
    }

    /// The fingerprint of `schema`'s tables in `sql` (either engine).
    static func of(_ sql: any SQLDatabase, schema: PortableSchema) async throws -> PortableFingerprint {
        let isPostgres = sql.dialect.name != "sqlite"
        var tables: [Table] = []
        for table in schema.tables {
            let digest = TableDigest(columns: table.columns)
            let select = table.columns.map { column in
                let name = PortableSchema.quoted(column.name)
                return isPostgres && column.kind == .json ? "\(name)::text AS \(name)" : name
            }.joined(separator: ", ")
            try await sql.raw("SELECT \(unsafeRaw: select) FROM \(unsafeRaw: PortableSchema.quoted(table.name))").run { digest.add($0) }
            tables.append(try digest.finish(table: table.name))
        }
        return PortableFingerprint(tables: tables)
    }

    /// The hash of one row: each value's canonical bytes, each preceded by its length.
    static func rowHash(_ values: [PortableValue]) -> SHA256.Digest {
        var hash = SHA256()
        for value in values {
            let bytes = value.canonicalBytes
            withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { hash.update(bufferPointer: $0) }
            hash.update(data: bytes)
        }
        return hash.finalize()
    }
}

/// A sum of 256-bit numbers modulo 2²⁵⁶, in four 64-bit words (most significant first).
struct Sum256: Sendable, Equatable {
    private var words: [UInt64] = [0, 0, 0, 0]

    mutating func add(_ digest: SHA256.Digest) {
        var other = [UInt64](repeating: 0, count: 4)
        for (index, byte) in digest.enumerated() { other[index / 8] = other[index / 8] << 8 | UInt64(byte) }
        var carry: UInt64 = 0
        for index in stride(from: 3, through: 0, by: -1) {
            let (partial, overflowA) = words[index].addingReportingOverflow(other[index])
            let (total, overflowB) = partial.addingReportingOverflow(carry)
            words[index] = total
            carry = (overflowA ? 1 : 0) + (overflowB ? 1 : 0)
        }
    }

    var hex: String { words.map { String(format: "%016llx", $0) }.joined() }
}

/// Rows hashed as the database hands them over (its callback may run on another thread).
private final class TableDigest: @unchecked Sendable {
    private let columns: [PortableSchema.Column]
    private let lock = NSLock()
    private var sum = Sum256()
    private var rows = 0
    private var failure: (any Error)?

    init(columns: [PortableSchema.Column]) { self.columns = columns }

    func add(_ row: any SQLRow) {
        let hash: SHA256.Digest
        do {
            hash = PortableFingerprint.rowHash(try columns.map { try PortableValue.read(row, column: $0.name, kind: $0.kind) })
        } catch {
            lock.withLock { if failure == nil { failure = error } }
            return
        }
        lock.withLock {
            sum.add(hash)
            rows += 1
        }
    }

    func finish(table: String) throws -> PortableFingerprint.Table {
        try lock.withLock {
            if let failure { throw PortableValue.Unreadable(description: "表 \(table)：\(failure)") }
            return PortableFingerprint.Table(name: table, rows: rows, checksum: sum.hex)
        }
    }
}
