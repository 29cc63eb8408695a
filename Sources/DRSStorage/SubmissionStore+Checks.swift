import FluentKit
import Foundation
import SQLKit

/// A submission's check result in the review lists' terms, stored with `stamp`: everything it was
/// computed from (the submission's version, last year's, the answers that decide its rows, the unit's
/// registry entry, the catalog and the program). A list uses it while the stamp still matches and
/// re-checks only the submissions whose stamp moved.
public struct CheckSummary: Sendable, Equatable {
    public static let schema = "submission_checks"

    public var stamp: String
    /// The submission's version that was checked (the stamp's first part).
    public var version: Int
    /// The catalog and program it was checked with (the stamp's last part).
    public var engine: String
    public var errors: Int
    public var warnings: Int
    public var unexplained: Int
    public var missing: Int
    /// 已提交 with no error, no unexplained warning and no blank required cell.
    public var clean: Bool
    /// Stored cells the catalog does not define.
    public var unknownCells: [String]

    public init(stamp: String, version: Int, engine: String, errors: Int, warnings: Int, unexplained: Int, missing: Int, clean: Bool,
                unknownCells: [String]) {
        self.stamp = stamp
        self.version = version
        self.engine = engine
        self.errors = errors
        self.warnings = warnings
        self.unexplained = unexplained
        self.missing = missing
        self.clean = clean
        self.unknownCells = unknownCells
    }
}

extension SubmissionStore {
    /// The stored check results of these submissions, by submission id.
    public func checkSummaries(ids: [UUID]) async throws -> [UUID: CheckSummary] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        var found: [UUID: CheckSummary] = [:]
        for start in stride(from: 0, to: ids.count, by: 5_000) {
            let chunk = ids[start..<min(start + 5_000, ids.count)]
            let rows = try await sql.raw("""
                SELECT c.submission_id, c.stamp, c.engine, s.checked_version, c.errors, warnings, unexplained, missing, clean, unknown_cells
                FROM submission_checks c JOIN submissions s ON s.id = c.submission_id
                WHERE c.submission_id IN (\(SQLList(chunk.map { SQLBind($0) })))
                """).all()
            for row in rows {
                let unknown = try row.decode(column: "unknown_cells", as: String.self)
                found[try row.decode(column: "submission_id", as: UUID.self)] = CheckSummary(
                    stamp: try row.decode(column: "stamp", as: String.self),
                    // -1: a result stored before versions were recorded with it (it is due anyway).
                    version: (try row.decode(column: "checked_version", as: Int?.self)) ?? -1, engine: try row.decode(column: "engine", as: String.self),
                    errors: try row.decode(column: "errors", as: Int.self),
                    warnings: try row.decode(column: "warnings", as: Int.self), unexplained: try row.decode(column: "unexplained", as: Int.self),
                    missing: try row.decode(column: "missing", as: Int.self), clean: try row.decode(column: "clean", as: Bool.self),
                    unknownCells: unknown.isEmpty ? [] : unknown.components(separatedBy: "\n"))
            }
        }
        return found
    }

    /// Stores (or replaces) check results, in batches of one transaction each (one writer on SQLite),
    /// and marks each submission checked at the version the result is of (`TrackCheckDue`): one saved
    /// since stays due.
    public func storeCheckSummaries(_ summaries: [UUID: CheckSummary]) async throws {
        // In id order: two instances storing the same batch lock its rows in the same order, so neither
        // waits on the other in a cycle (PostgreSQL would end one of them as a deadlock).
        let all = summaries.sorted { $0.key.uuidString < $1.key.uuidString }
        for start in stride(from: 0, to: all.count, by: 500) {
            let batch = Array(all[start..<min(start + 500, all.count)])
            let db = database
            try await gate.run {
                try await db.transaction { tx in
                    guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                    var insert = sql.insert(into: CheckSummary.schema)
                        .columns("submission_id", "stamp", "engine", "errors", "warnings", "unexplained", "missing", "clean", "unknown_cells")
                    for (id, s) in batch {
                        insert = insert.values(SQLBind(id), SQLBind(s.stamp), SQLBind(s.engine), SQLBind(s.errors), SQLBind(s.warnings),
                                               SQLBind(s.unexplained), SQLBind(s.missing), SQLBind(s.clean),
                                               SQLBind(s.unknownCells.joined(separator: "\n")))
                    }
                    try await insert.onConflict(with: ["submission_id"]) { conflict in
                        conflict.set(excludedValueOf: "stamp").set(excludedValueOf: "engine").set(excludedValueOf: "errors")
                            .set(excludedValueOf: "warnings").set(excludedValueOf: "unexplained").set(excludedValueOf: "missing")
                            .set(excludedValueOf: "clean").set(excludedValueOf: "unknown_cells")
                    }.run()
                    // One statement for the batch, each row its own version: in the deadline week a
                    // second's saves hold dozens of versions, and a statement per version was dozens of
                    // round trips. (Its row locks can't cycle with another instance's: both took the
                    // results' rows in id order above, so one of them holds every row they share.)
                    let checked = SQLList(batch.map { SQLGroupExpression([SQLBind($0.key), SQLBind($0.value.version)]) })
                    try await sql.raw("""
                        WITH checked(id, version) AS (VALUES \(checked))
                        UPDATE submissions SET checked_version = checked.version FROM checked WHERE submissions.id = checked.id
                        """).run()
                }
            }
        }
    }
}
