import DRSApplication
@testable import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing

/// Which submissions wait for their check (`queueUnchecked`): those never checked, those saved since
/// their check, and those checked with another engine; a check stored for a version the submission
/// has since left keeps it waiting. On SQLite the look reads the two indexes that hold only these.
@Suite("Submissions due for a check", .serialized)
struct CheckDueTests {
    @Test func dueAreTheUncheckedTheSavedSinceAndTheOtherEngines() async throws {
        try await TestPlatform.withSession { session in
            let store = session.submissionStore()
            // A headquarters with three subsidiaries, codes unique to this run.
            let run = UUID().uuidString.prefix(8)
            let head = SurveyUnit(creditCode: "D\(run)H", name: "总部", regionCode: "110000", types: ["centralEnterprise"])
            try await head.create(on: session.db)
            let headID = try head.requireID()
            var ids: [UUID] = []
            for n in 1...3 {
                let unit = SurveyUnit(creditCode: "D\(run)\(n)", name: "子企业\(n)", regionCode: "110000", types: ["centralEnterprise"],
                                      parentID: headID)
                try await unit.create(on: session.db)
                ids.append(try unit.requireID())
            }
            let actor = Actor(userID: nil, username: "test", address: "-")
            _ = try await store.importSubmissions(ids.map {
                .init(unitID: $0, formID: "E5", year: 2026, cells: ["01:cur": "1"], explanations: [:], answers: nil, status: .draft, source: "t")
            } + [.init(unitID: ids[0], formID: "E1", year: 2026, cells: [:], explanations: [:], answers: nil, status: .draft, source: "t")],
            actor: actor)
            // (The E1 form stays due throughout: a due submission outside the queue, which reads E5 only.)
            let query = QueueQuery(year: 2026, forms: ["E5"], statuses: [.draft, .submitted], units: .subsidiaries(of: headID))
            func due(_ engine: String = "E1") async throws -> [String] {
                let names = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, "子企业\($0 + 1)") })
                return try await store.queueUnchecked(query, engine: engine).map { "\(names[$0.unitID] ?? "?") v\($0.version)" }.sorted()
            }
            #expect(try await due() == ["子企业1 v1", "子企业2 v1", "子企业3 v1"], "never checked")

            let heads = try await store.queueRows(query).map(\.head)
            func summary(_ version: Int, _ engine: String = "E1") -> CheckSummary {
                CheckSummary(stamp: "\(version)|-|-|-|\(engine)", version: version, engine: engine, errors: 1, warnings: 0, unexplained: 0,
                             missing: 0, clean: false, unknownCells: [])
            }
            try await store.storeCheckSummaries(Dictionary(uniqueKeysWithValues: heads.map { ($0.id, summary($0.version)) }))
            #expect(try await due() == [], "all checked at their versions")
            #expect(try await due("E2").count == 3, "checked with another engine")
            // The background's pass walks the results in id order instead of the engine index: the same rows.
            let otherEngine = try await store.queueUnchecked(query, engine: "E2").map(\.id)
            #expect(try await store.queueUnchecked(query, engine: "E2", pass: true).map(\.id) == otherEngine)
            #expect(try await store.queueUnchecked(query, engine: "E2", limit: 2, after: otherEngine[0], pass: true).map(\.id)
                    == Array(otherEngine.dropFirst()))
            #expect(try await store.queueUnchecked(query, engine: "E1", pass: true).isEmpty)
            if !session.location.isSQLite {
                // A batch of the pass starts at `after` on both sides of the join, whichever PostgreSQL walks.
                let plan = try await Self.plan(of: try #require(SubmissionStore.otherEngineStatement(
                    query, engine: "E2", limit: 200, after: otherEngine[0], pass: true)), on: session.db)
                #expect(Self.unboundedScans(plan, of: ["submissions_pkey", "submission_checks_pkey"]).isEmpty, "\(plan.joined(separator: "\n"))")
            }

            let second = try #require(heads.first { $0.unitID == ids[1] })
            try await store.saveDraft(id: second.id, expectedVersion: 1, cells: ["01:cur": "2"], explanations: [:], actor: actor)
            #expect(try await due() == ["子企业2 v2"], "saved since its check")
            // A check that raced the save stored the result of the version before: still due.
            try await store.storeCheckSummaries([second.id: summary(1)])
            #expect(try await due() == ["子企业2 v2"])
            try await store.storeCheckSummaries([second.id: summary(2)])
            #expect(try await due() == [])
            #expect(try await store.checkSummaries(ids: [second.id])[second.id] == summary(2))

            // Limits and the continuation in id order take both kinds together.
            let third = try #require(heads.first { $0.unitID == ids[2] })
            try await store.saveDraft(id: third.id, expectedVersion: 1, cells: ["01:cur": "3"], explanations: [:], actor: actor)
            try await store.storeCheckSummaries([second.id: summary(2, "E0")])
            let ordered = [second.id, third.id].sorted { $0.uuidString < $1.uuidString }
            #expect(try await store.queueUnchecked(query, engine: "E1").map(\.id) == ordered)
            #expect(try await store.queueUnchecked(query, engine: "E1", limit: 1).map(\.id) == [ordered[0]])
            #expect(try await store.queueUnchecked(query, engine: "E1", after: ordered[0]).map(\.id) == [ordered[1]])

            // Rounds of one due id at a time pass over the due submissions outside the queue (the
            // other ids of the year) and stop at the limit.
            let rounds = try await store.queueSavedSinceChecked(query, limit: nil, after: nil, round: 1).map(\.head.id)
            #expect(rounds == [third.id], "\(rounds)")
            try await store.storeCheckSummaries([third.id: summary(1)])
            let bothDue = [second.id, third.id].sorted { $0.uuidString < $1.uuidString }
            try await store.saveDraft(id: second.id, expectedVersion: 2, cells: ["01:cur": "4"], explanations: [:], actor: actor)
            #expect(try await store.queueSavedSinceChecked(query, limit: nil, after: nil, round: 1).map(\.head.id) == bothDue)
            #expect(try await store.queueSavedSinceChecked(query, limit: 1, after: nil, round: 1).map(\.head.id) == [bothDue[0]])
            #expect(try await store.queueSavedSinceChecked(query, limit: nil, after: bothDue[0], round: 1).map(\.head.id) == [bothDue[1]])
            // One batch, each submission at its own version (3 and 2): each is marked checked at its own.
            try await store.storeCheckSummaries([second.id: summary(3), third.id: summary(2)])
            #expect(try await due() == [])
            try await store.storeCheckSummaries([second.id: summary(2), third.id: summary(2)])
            #expect(try await due() == ["子企业2 v3"], "a result of the version before leaves it due")

            if session.location.isSQLite, let sql = session.db as? any SQLDatabase {
                // The plans read the indexes that hold only what is due, not the year's submissions.
                let saved = try await sql.raw("""
                    EXPLAIN QUERY PLAN SELECT id FROM submissions WHERE year = 2026 AND (checked_version IS NULL OR checked_version <> version)
                    ORDER BY id LIMIT 2000
                    """).all().compactMap { try? $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
                #expect(saved.contains("submissions_check_due"), "\(saved)")
                let engines = try await sql.raw("""
                    EXPLAIN QUERY PLAN SELECT c.submission_id FROM submission_checks c WHERE (c.engine < 'E1' OR c.engine > 'E1')
                    """).all().compactMap { try? $0.decode(column: "detail", as: String.self) }.joined(separator: "; ")
                #expect(engines.contains("submission_checks_engine"), "\(engines)")
            }
        }
    }

    /// PostgreSQL's plan of `statement` with nested loops over indexes, the plan it takes at the
    /// nation's size (a test database is too small for it to choose that on its own).
    static func plan(of statement: SQLQueryString, on db: any Database,
                     off settings: [String] = ["enable_seqscan", "enable_hashjoin", "enable_mergejoin", "enable_bitmapscan", "enable_sort"])
        async throws -> [String] {
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { return [] }
            for setting in settings {
                try await sql.raw("SET LOCAL \(unsafeRaw: setting) = off").run()
            }
            return try await sql.raw("EXPLAIN " + statement).all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }
        }
    }

    /// The plan's scans of these indexes that have no `Index Cond`: each walks the index from its start.
    static func unboundedScans(_ plan: [String], of indexes: [String]) -> [String] {
        plan.indices.filter { n in indexes.contains { plan[n].contains("using \($0) on") } && condition(plan, ofScanAt: n) == nil }
            .map { plan[$0] }
    }

    /// The `Index Cond` of the plan's first scan of `index`, or nil when it has none (or no such scan).
    static func indexCondition(_ plan: [String], of index: String) -> String? {
        plan.firstIndex { $0.contains("using \(index) on") }.flatMap { condition(plan, ofScanAt: $0) }
    }

    /// The `Index Cond` line among the details of the scan on line `n` (those before the next node).
    private static func condition(_ plan: [String], ofScanAt n: Int) -> String? {
        plan[(n + 1)...].prefix { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("->") }.first { $0.contains("Index Cond") }
    }
}
