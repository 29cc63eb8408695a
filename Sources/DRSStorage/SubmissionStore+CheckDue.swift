import FluentKit
import Foundation
import SQLKit

/// Which submissions of a queue wait for their check: never checked, saved since (`TrackCheckDue`),
/// or checked with another catalog or program.
extension SubmissionStore {
    /// The queue's submissions (its flag set aside) whose stored check result is missing or plainly
    /// out of date: of another version of the submission (saved since), or of another engine (a new
    /// catalog or program). A flagged queue brings these up to date first, so the database can filter
    /// by the stored counts. Both kinds are read from an index that holds only them
    /// (`TrackCheckDue`), so the look costs what is due, not the queue's reach.
    /// `after`: only submissions whose id follows it, in id order (a pass over the nation in batches
    /// continues where the last batch stopped instead of walking past the checked ones again).
    /// `pass`: the background's pass over the nation, to which the results of another engine are read
    /// by walking the results in id order from `after` — after a new release nearly all are of another
    /// engine, the engine index then answers only by sorting them all, and the walk stops at the batch.
    /// A request (few of another engine, as a rule) reads them from the engine index.
    public func queueUnchecked(_ query: QueueQuery, engine: String, limit: Int? = nil, after: UUID? = nil,
                               pass: Bool = false) async throws -> [SubmissionHead] {
        var unflagged = query
        unflagged.flag = nil
        guard let sql = database as? any SQLDatabase, let otherEngineRows = Self.otherEngineStatement(unflagged, engine: engine, limit: limit,
                                                                                                   after: after, pass: pass) else { return [] }
        let saved = try await queueSavedSinceChecked(unflagged, limit: limit, after: after)
        // A pass first asks the engine index whether any result at all is of another engine: when none
        // is (every look of an idle instance, each 30 s), the walk would pass over every result of the
        // year to find nothing (450 ms of PostgreSQL per year at 100,000 units).
        let skipWalk = pass ? !(try await anyResultOfAnotherEngine(engine, on: sql)) : false
        let otherEngine = skipWalk ? [] : try await sql.raw(otherEngineRows).all().compactMap(Self.queueRow)
        // A submission in both lists is taken once.
        var seen = Set<UUID>()
        let both = (saved + otherEngine).map(\.head).filter { seen.insert($0.id).inserted }.sorted { $0.id.uuidString < $1.id.uuidString }
        return limit.map { Array(both.prefix($0)) } ?? both
    }

    /// The queue's submissions (unflagged) whose stored result is of another engine, in id order:
    /// `queueUnchecked`'s second half; nil when the queue can have no row.
    static func otherEngineStatement(_ unflagged: QueueQuery, engine: String, limit: Int?, after: UUID?, pass: Bool) -> SQLQueryString? {
        guard let ofChecks = queueFilter(unflagged, walk: .checks) else { return nil }
        // From the index: `<` or `>`, not `<>` (a B-tree answers two ranges, not an inequality). In a
        // pass: `engine || ''`, which no index answers, so both engines walk the results' key. (Not
        // also "and not saved since": PostgreSQL cannot estimate `checked_version = version`, and
        // planned a scan of the year for it.)
        // The bound on both ids: PostgreSQL does not carry a range across the join's equality, and
        // with it on the results alone it walked the submissions from the first id to `after` on every
        // batch, so a pass over the nation cost the square of its length (351 ms a batch at 150,000
        // results; 2.2 ms with both bounds, docs/benchmarks.md (ad)).
        let following: SQLQueryString = after.map { " AND c.submission_id > \(bind: $0) AND s.id > \(bind: $0)" } ?? ""
        let first: SQLQueryString = limit.map { " LIMIT \(literal: $0)" } ?? ""
        let other: SQLQueryString = pass ? "(c.engine || '') <> \(bind: engine)" : "(c.engine < \(bind: engine) OR c.engine > \(bind: engine))"
        return "SELECT \(unsafeRaw: queueColumns) \(ofChecks)\(following) AND \(other) ORDER BY c.submission_id\(first)"
    }

    /// Whether any stored result is of another engine than `engine`, from index `submission_checks_engine`.
    func anyResultOfAnotherEngine(_ engine: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS one FROM submission_checks c WHERE c.engine < \(bind: engine) OR c.engine > \(bind: engine) LIMIT 1
            """).first() != nil
    }

    /// The queue's submissions never checked or saved since their check, in id order. The year's due
    /// ids are read from the partial index alone, a round at a time, and each round is then narrowed
    /// to the queue: asked in one query with the queue's joins, PostgreSQL cannot estimate
    /// `checked_version <> version` (it takes nearly every row to qualify) and walked the year's
    /// submissions in id order instead of the index's few entries.
    /// `round`: how many due ids a round reads (by default the limit, within 200…5,000).
    func queueSavedSinceChecked(_ query: QueueQuery, limit: Int?, after: UUID?, round: Int? = nil) async throws -> [QueueRow] {
        guard let sql = database as? any SQLDatabase, let filter = queueFilter(query, walk: .submissions) else { return [] }
        let round = max(1, round ?? min(max(limit ?? 2_000, 200), 5_000))
        var found: [QueueRow] = [], from = after
        while limit.map({ found.count < $0 }) ?? true {
            let following: SQLQueryString = from.map { " AND id > \(bind: $0)" } ?? ""
            let ids = try await sql.raw("""
                SELECT id FROM submissions WHERE year = \(bind: query.year) AND \(unsafeRaw: TrackCheckDue.due(""))\(following)
                ORDER BY id LIMIT \(literal: round)
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard let last = ids.last else { break }
            found += try await sql.raw("""
                SELECT \(unsafeRaw: Self.queueColumns) \(filter) AND s.id IN (\(SQLList(ids.map { SQLBind($0) }))) ORDER BY s.id
                """).all().compactMap(Self.queueRow)
            if ids.count < round { break }
            from = last
        }
        return limit.map { Array(found.prefix($0)) } ?? found
    }
}
