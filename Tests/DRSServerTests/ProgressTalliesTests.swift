import DRSCore
@testable import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import SQLKit
import Testing

/// 报送进度's tallies, kept by the database's triggers, on SQLite and on PostgreSQL: after any
/// sequence of registrations, moves between provinces, types and headquarters, new submissions,
/// changes of status and deletions, every tally is its recount; compacting keeps every count; a
/// tally that is wrong is found, and rebuilding mends it.
@Suite("Progress tallies kept by the database", .serialized)
struct ProgressTalliesTests {
    @Test func everyChangeKeepsTheTalliesEqualToARecount() async throws {
        try await TestPlatform.withSession { session in
            let sql = try #require(session.db as? any SQLDatabase)
            var random = SampleSubmissions.Generator(seed: 2026)
            let provinces = ["110000", "440100", "650000"], types = ["dataTechEnterprise", "centralEnterprise", "dataExchange,dataGroup"]
            let statuses: [SubmissionStatus] = [.notStarted, .draft, .submitted, .returned, .approved, .verified]
            var units: [SurveyUnit] = [], submissions: [Submission] = []
            let run = UUID().uuidString.prefix(8)

            for step in 0..<240 {
                switch random.below(10) {
                case 0, 1:   // a unit registered, under a headquarters one time in three
                    let unit = SurveyUnit(creditCode: "T\(run)\(step)", name: "计数单位\(step)", regionCode: random.pick(provinces),
                                          types: random.pick(types).split(separator: ",").map(String.init),
                                          parentID: units.isEmpty || random.below(3) > 0 ? nil : random.pick(units).id)
                    try await unit.create(on: session.db)
                    units.append(unit)
                case 2:   // a unit moved: another province, other types, another headquarters, or only renamed
                    guard !units.isEmpty else { continue }
                    let unit = random.pick(units)
                    switch random.below(4) {
                    case 0: unit.regionCode = random.pick(provinces)
                    case 1: unit.types = random.pick(types)
                    case 2:   // a headquarters at the top (so no group becomes a cycle), or none
                        let heads = units.filter { $0.id != unit.id && $0.$parent.id == nil }
                        unit.$parent.id = heads.isEmpty || random.below(2) == 0 ? nil : random.pick(heads).id
                    default: unit.name += "（更名）"
                    }
                    try await unit.save(on: session.db)
                case 3, 4, 5:   // a submission begun
                    guard !units.isEmpty else { continue }
                    let submission = Submission(unitID: try random.pick(units).requireID(), formID: "F\(step)", year: random.below(2) == 0 ? 2025 : 2026)
                    try await submission.create(on: session.db)
                    submissions.append(submission)
                case 6, 7, 8:   // a status changed, or only the figures saved
                    guard !submissions.isEmpty else { continue }
                    let submission = random.pick(submissions)
                    if random.below(3) == 0 { submission.cells = "{\"01|cur\":\"\(step)\"}" } else { submission.status = random.pick(statuses) }
                    submission.version += 1
                    try await submission.save(on: session.db)
                default:   // a submission deleted
                    guard !submissions.isEmpty else { continue }
                    let submission = submissions.remove(at: random.below(submissions.count))
                    try await submission.delete(on: session.db)
                }
                if step % 40 == 39 {
                    #expect(try await ProgressTallies.drift(on: session.db) == [], "after step \(step)")
                    let before = try await ProgressTallies.compact(on: session.db, previous: [:], growth: .max / 2)
                    _ = try await ProgressTallies.compact(on: session.db, previous: before.mapValues { $0 - 10 }, growth: 5)
                    #expect(try await ProgressTallies.drift(on: session.db) == [], "compacted after step \(step)")
                }
            }
            #expect(units.count > 20 && submissions.count > 30, "the sequence exercised enough rows: \(units.count) units, \(submissions.count) submissions")
            // Compacted, each key is one row.
            let rows = try await ProgressTallies.compact(on: session.db).values.reduce(0, +)
            let keys = try await sql.raw("""
                SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT province, types, parent_id FROM unit_tallies) a)
                     + (SELECT COUNT(*) FROM (SELECT DISTINCT year, form_id, status, province, types, parent_id FROM submission_tallies) b) AS n
                """).first()?.decode(column: "n", as: Int.self)
            #expect(rows == keys)

            // A tally gone wrong is found; rebuilding mends it.
            let unit = try #require(units.first)
            try await sql.raw("""
                INSERT INTO submission_tallies (year, form_id, status, province, types, parent_id, n)
                VALUES (2026, 'F-wrong', 'draft', '11', \(bind: unit.types), NULL, 1)
                """).run()
            #expect(try await ProgressTallies.drift(on: session.db) == ["submission_tallies 2026/F-wrong/draft/11/\(unit.types)/-: 1 → 0"])
            try await ProgressTallies.rebuild(on: session.db)
            #expect(try await ProgressTallies.drift(on: session.db) == [])
        }
    }
}

@Suite("The own unit moved to its own group")
struct OwnGroupMoveTests {
    @Test func aMoveTakesAtMostWhatIsThere() {
        var counts = ["plain": 3, "own": 0]
        SubmissionStore.move(&counts, 1, from: "plain", to: "own")
        #expect(counts == ["plain": 2, "own": 1])
        SubmissionStore.move(&counts, 2, from: "plain", to: "own")
        #expect(counts == ["own": 3], "a key left with none is gone")
        // A status changed between the tallies' read and the own unit's: nothing below zero.
        SubmissionStore.move(&counts, 1, from: "plain", to: "own")
        #expect(counts == ["own": 3])
    }
}

extension SampleSubmissions.Generator {
    mutating func below(_ bound: Int) -> Int { int(in: 0...(bound - 1)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
