import DRSWorkflow
import FluentKit
import Foundation
import SQLKit

/// 核查清单 as stored (`StoreFollowUpLists`): per form and year, the current snapshot of its two lists —
/// their order a chunk of lines at a time, the basis their items are judged against, and what they
/// were computed from — so a page reads two chunks and its units' figures, not the form's year.
public struct FollowUpListStore: Sendable {
    public static let listsSchema = "follow_up_lists"
    public static let chunksSchema = "follow_up_chunks"
    /// Entries per chunk: a page (at most 500 entries) touches at most two chunks of each list.
    public static let chunkSize = 500
    /// Chunks written per transaction: short transactions, so the one SQLite writer is never held long.
    static let chunksPerTransaction = 40

    public enum List: String, Sendable, CaseIterable {
        case yearOverYear = "yoy"
        case outliers
    }

    /// One form's stored lists.
    public struct Header: Sendable, Equatable {
        /// Names this computation's chunks: a reader finds the chunks of the header it read, or none
        /// (replaced meanwhile), never a mixture.
        public var snapshot: String
        /// What the form's reported figures were when the lists were computed (`fingerprint(…)`).
        public var fingerprint: String
        /// The catalog and program that computed them (`CheckStamp.engine`).
        public var engine: String
        public var computedAt: Date
        public var elapsedMilliseconds: Int
        public var yearOverYear: Int
        public var outliers: Int
        /// `FollowUpBasis.text`.
        public var basis: String

        public init(snapshot: String, fingerprint: String, engine: String, computedAt: Date, elapsedMilliseconds: Int,
                    yearOverYear: Int, outliers: Int, basis: String) {
            self.snapshot = snapshot
            self.fingerprint = fingerprint
            self.engine = engine
            self.computedAt = computedAt
            self.elapsedMilliseconds = elapsedMilliseconds
            self.yearOverYear = yearOverYear
            self.outliers = outliers
            self.basis = basis
        }

        public func count(_ list: List) -> Int { list == .yearOverYear ? yearOverYear : outliers }
    }

    public let database: any Database
    public let gate: WriteGate?

    public init(database: any Database, gate: WriteGate?) {
        self.database = database
        self.gate = gate
    }

    /// The stored lists of a form and year, if any were stored.
    public func header(year: Int, formID: String) async throws -> Header? {
        guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
        guard let row = try await sql.raw("""
            SELECT snapshot, fingerprint, engine, computed_at_ms, elapsed_ms, year_over_year, outliers, basis
            FROM follow_up_lists WHERE year = \(bind: year) AND form_id = \(bind: formID)
            """).first() else { return nil }
        return Header(snapshot: try row.decode(column: "snapshot", as: String.self),
                      fingerprint: try row.decode(column: "fingerprint", as: String.self),
                      engine: try row.decode(column: "engine", as: String.self),
                      computedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "computed_at_ms", as: Int64.self)) / 1000),
                      elapsedMilliseconds: Int(try row.decode(column: "elapsed_ms", as: Int64.self)),
                      yearOverYear: try row.decode(column: "year_over_year", as: Int.self),
                      outliers: try row.decode(column: "outliers", as: Int.self),
                      basis: try row.decode(column: "basis", as: String.self))
    }

    /// Chunks `numbers` of a list of a snapshot, by number (those not found are missing: the snapshot
    /// was replaced since its header was read).
    public func chunks(snapshot: String, list: List, numbers: [Int]) async throws -> [Int: String] {
        guard !numbers.isEmpty else { return [:] }
        guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
        let rows = try await sql.raw("""
            SELECT chunk, entries FROM follow_up_chunks
            WHERE snapshot = \(bind: snapshot) AND list = \(bind: list.rawValue) AND chunk IN (\(SQLList(numbers.map { SQLBind($0) })))
            """).all()
        var found: [Int: String] = [:]
        for row in rows { found[try row.decode(column: "chunk", as: Int.self)] = try row.decode(column: "entries", as: String.self) }
        return found
    }

    /// Stores a new snapshot of a form's lists and makes it current: its chunks first, a few
    /// transactions of them, then the header and the removal of the form's older chunks in one. A
    /// reader meanwhile reads the old snapshot whole; a failure part way leaves it current.
    /// `lines(list, range)` gives the stored lines of a list's entries in `range`.
    public func store(year: Int, formID: String, header: Header, lines: (List, Range<Int>) -> String) async throws {
        let db = database
        var pending: [(List, Int, String)] = []
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let batch = pending
            pending = []
            try await gate.run {
                try await db.transaction { tx in
                    guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                    var insert = sql.insert(into: Self.chunksSchema).columns("snapshot", "list", "chunk", "year", "form_id", "entries")
                    for (list, number, text) in batch {
                        insert = insert.values(SQLBind(header.snapshot), SQLBind(list.rawValue), SQLBind(number), SQLBind(year),
                                               SQLBind(formID), SQLBind(text))
                    }
                    try await insert.run()
                }
            }
        }
        for list in List.allCases {
            let count = header.count(list)
            for (number, start) in stride(from: 0, to: count, by: Self.chunkSize).enumerated() {
                pending.append((list, number, lines(list, start..<min(count, start + Self.chunkSize))))
                if pending.count >= Self.chunksPerTransaction { try await flush() }
            }
        }
        try await flush()
        try await gate.run {
            try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { throw SQLUnavailable() }
                try await sql.insert(into: Self.listsSchema)
                    .columns("year", "form_id", "snapshot", "fingerprint", "engine", "computed_at_ms", "elapsed_ms", "year_over_year", "outliers", "basis",
                             "claimed_until_ms")
                    .values(SQLBind(year), SQLBind(formID), SQLBind(header.snapshot), SQLBind(header.fingerprint), SQLBind(header.engine),
                            SQLBind(Self.milliseconds(header.computedAt)), SQLBind(Int64(header.elapsedMilliseconds)),
                            SQLBind(header.yearOverYear), SQLBind(header.outliers), SQLBind(header.basis), SQLBind(Int64(0)))
                    .onConflict(with: ["year", "form_id"]) { conflict in
                        conflict.set(excludedValueOf: "snapshot").set(excludedValueOf: "fingerprint").set(excludedValueOf: "engine")
                            .set(excludedValueOf: "computed_at_ms").set(excludedValueOf: "elapsed_ms").set(excludedValueOf: "year_over_year")
                            .set(excludedValueOf: "outliers").set(excludedValueOf: "basis").set(excludedValueOf: "claimed_until_ms")
                    }.run()
                try await sql.raw("""
                    DELETE FROM follow_up_chunks WHERE year = \(bind: year) AND form_id = \(bind: formID) AND snapshot <> \(bind: header.snapshot)
                    """).run()
            }
        }
    }

    /// Claims computing a form's stored lists again until `until`, unless another instance holds an
    /// unexpired claim: of several instances showing the same out-of-date lists, one computes them.
    /// Storing the new lists ends the claim; an instance that stops without storing lets it expire.
    /// False also when nothing is stored yet (there is nothing to show meanwhile: every page computes).
    public func claim(year: Int, formID: String, now: Date, until: Date) async throws -> Bool {
        let db = database
        return try await gate.run {
            guard let sql = db as? any SQLDatabase else { throw SQLUnavailable() }
            return try await sql.raw("""
                UPDATE follow_up_lists SET claimed_until_ms = \(bind: Self.milliseconds(until))
                WHERE year = \(bind: year) AND form_id = \(bind: formID) AND claimed_until_ms < \(bind: Self.milliseconds(now))
                RETURNING year
                """).first() != nil
        }
    }

    /// Gives up a claim (the computation failed): the next page's instance may claim it at once.
    public func release(year: Int, formID: String) async throws {
        let db = database
        try await gate.run {
            guard let sql = db as? any SQLDatabase else { throw SQLUnavailable() }
            try await sql.raw("UPDATE follow_up_lists SET claimed_until_ms = 0 WHERE year = \(bind: year) AND form_id = \(bind: formID)").run()
        }
    }

    /// The forms and years whose stored lists were computed by another engine (a new release or catalog).
    public func otherEngines(than engine: String) async throws -> [(year: Int, formID: String)] {
        guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
        return try await sql.raw("SELECT year, form_id FROM follow_up_lists WHERE engine <> \(bind: engine) ORDER BY year DESC, form_id").all()
            .map { (try $0.decode(column: "year", as: Int.self), try $0.decode(column: "form_id", as: String.self)) }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// What a form's lists are computed from, in a few numbers read from indexes: its reported
    /// submissions this year and the source of last year's figures (each: how many, the sum of their
    /// versions, the latest change) and the registry (how many units, the latest change). Every write
    /// to a submission moves its version and time, and a submission entering or leaving the reported
    /// set moves the count or the sum, so the text differs whenever the lists could.
    public func fingerprint(year: Int, formID: String, statuses: Set<SubmissionStatus>,
                            lastYearStatuses: Set<SubmissionStatus>) async throws -> String {
        guard let sql = database as? any SQLDatabase else { throw SQLUnavailable() }
        func submissions(_ year: Int, _ statuses: Set<SubmissionStatus>) async throws -> String {
            let row = try await sql.raw("""
                SELECT count(*) AS n, CAST(coalesce(sum(version), 0) AS BIGINT) AS v, max(updated_at) AS t FROM submissions
                WHERE year = \(bind: year) AND form_id = \(bind: formID) AND status IN (\(SQLList(statuses.map(\.rawValue).sorted().map { SQLBind($0) })))
                """).first()
            return try Self.counted(row)
        }
        let units = try await sql.raw("SELECT count(*) AS n, 0 AS v, max(updated_at) AS t FROM units").first()
        return [try await submissions(year, statuses), try await submissions(year - 1, lastYearStatuses), try Self.counted(units)]
            .joined(separator: "|")
    }

    /// `n:v:t` of a count row, the time in microseconds (as both engines keep it).
    static func counted(_ row: (any SQLRow)?) throws -> String {
        guard let row else { return "0:0:-" }
        let n = try row.decode(column: "n", as: Int.self), v = try row.decode(column: "v", as: Int.self)
        let t = try row.decode(column: "t", as: Date?.self).map { String(Int64(($0.timeIntervalSince1970 * 1_000_000).rounded())) } ?? "-"
        return "\(n):\(v):\(t)"
    }
}
