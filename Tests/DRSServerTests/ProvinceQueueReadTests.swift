@testable import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import SQLKit
import Testing

/// What a province's review queue reads in the database (`ReviewQueue.byGroups`): its submissions
/// counted by group of units from the tallies, the rows of its province only (the walk bounded to
/// the province's region codes), and the groups the access table refused withheld.
/// (`ReviewQueueReadingTests` checks the whole queue, for every kind of account, against the rules.)
@Suite("A province's queue read by group", .serialized)
struct ProvinceQueueReadTests {
    /// A year of its own: on PostgreSQL the test database keeps earlier runs' rows.
    static let year = Int.random(in: 3_000...9_999)

    @Test func groupsCountedFromTheTalliesAndTheProvinceReadAlone() async throws {
        try await TestPlatform.withSession { session in
            let run = UUID().uuidString.prefix(8)
            var n = 0
            func unit(_ region: String, _ types: [String], parent: UUID? = nil) async throws -> UUID {
                n += 1
                let unit = SurveyUnit(creditCode: "Q\(run)\(n)", name: "单位\(n)", regionCode: region, types: types, parentID: parent)
                try await unit.create(on: session.db)
                return try unit.requireID()
            }
            func submission(_ unitID: UUID, _ form: String, _ status: SubmissionStatus) async throws {
                let submission = Submission(unitID: unitID, formID: form, year: Self.year)
                submission.status = status
                try await submission.create(on: session.db)
            }
            let head = try await unit("440100", ["centralEnterprise"])
            let tech = try await unit("440300", ["dataTechEnterprise"])
            let both = try await unit("441900", ["dataTechEnterprise", "dataAppEnterprise"])
            let child = try await unit("440100", ["dataTechEnterprise"], parent: head)
            let hunan = try await unit("430100", ["dataTechEnterprise"])
            let north = try await unit("990000", ["dataTechEnterprise"])
            try await submission(head, "E1", .submitted)
            try await submission(tech, "E1", .submitted)
            try await submission(tech, "E5", .draft)
            try await submission(both, "E1", .submitted)
            try await submission(both, "E6", .submitted)
            try await submission(child, "E1", .submitted)
            try await submission(hunan, "E1", .submitted)
            try await submission(north, "E1", .submitted)
            let store = SubmissionStore(database: session.db, gate: nil)

            let counted = try await store.queueGroupCounts(year: Self.year, province: "44", forms: ["E1", "E5", "E6"], statuses: [.submitted])
            let counts = counted.groups.map { "\($0.types)|\($0.topLevel)|\($0.form)|\($0.count)" }.sorted()
            #expect(counts == ["centralEnterprise|true|E1|1", "dataTechEnterprise,dataAppEnterprise|true|E1|1",
                               "dataTechEnterprise,dataAppEnterprise|true|E6|1", "dataTechEnterprise|false|E1|1",
                               "dataTechEnterprise|true|E1|1"])
            #expect(try await store.queueGroupCounts(year: Self.year, province: "44", forms: ["E5"], statuses: [.submitted, .draft])
                .groups.map(\.count) == [1])
            // The province's units, every test's (on PostgreSQL the database keeps earlier runs'): at least these four.
            let units = try await SurveyUnit.query(on: session.db).all().filter { $0.regionCode.hasPrefix("44") }.count
            #expect(counted.provinceUnits == units && units >= 4)
            #expect(counted.walksProvince(rows: (units + 3) / 4) && !counted.walksProvince(rows: (units + 3) / 4 - 1))

            // The province's rows alone, bounded to its codes (43… and 99… are others' and the last).
            var query = QueueQuery(year: Self.year, forms: ["E1", "E5", "E6"], statuses: [.submitted], units: .province("44"), walksProvince: true)
            let names: [UUID: String] = [head: "head", tech: "tech", both: "both", child: "child", hunan: "hunan", north: "north"]
            func read(_ query: QueueQuery) async throws -> [String] {
                try await store.queueRows(query).map { "\(names[$0.head.unitID] ?? "?")/\($0.head.formID)" }.sorted()
            }
            #expect(try await read(query) == ["both/E1", "both/E6", "child/E1", "head/E1", "tech/E1"])
            for walks in [true, false] {
                #expect(try await read(QueueQuery(year: Self.year, forms: ["E1"], statuses: [.submitted], units: .province("99"), walksProvince: walks))
                        == ["north/E1"])
                #expect(try await read(QueueQuery(year: Self.year, forms: ["E1"], statuses: [.submitted], units: .province("43"), walksProvince: walks))
                        == ["hunan/E1"])
            }

            // Withheld: the headquarters' type, and the subsidiaries' group in E1; a group's other forms stay.
            query.withheld = [QueueGroup(types: "centralEnterprise", topLevel: true, forms: ["E1"]),
                              QueueGroup(types: "dataTechEnterprise", topLevel: false, forms: ["E1"]),
                              QueueGroup(types: "dataTechEnterprise,dataAppEnterprise", topLevel: true, forms: ["E6"])]
            #expect(try await read(query) == ["both/E1", "tech/E1"])
            #expect(try await store.queueCount(query) == 2)
            let page = try await store.queueRows(query, offset: 1, limit: 1)
            #expect(page.count == 1)

            if !session.location.isSQLite {
                // At the nation's size PostgreSQL walks `units_queue_order` for a page: from the province's first code.
                guard let filter = store.queueFilter(query) else { Issue.record("no filter"); return }
                let plan = try await CheckDueTests.plan(of: """
                    SELECT \(unsafeRaw: SubmissionStore.queueColumns) \(filter) ORDER BY \(unsafeRaw: SubmissionStore.queueOrder) LIMIT 50
                    """, on: session.db)
                #expect(plan.contains { $0.contains("units_queue_order") }, "\(plan.joined(separator: "\n"))")
                #expect(CheckDueTests.unboundedScans(plan, of: ["units_queue_order"]).isEmpty, "\(plan.joined(separator: "\n"))")

                // A sparse queue reads the province's submissions from their own index and looks up their
                // units by key, never the province's every unit; it sorts the few it found (so sorting
                // stays allowed here: forbidden, the walk of every unit in order would seem cheaper).
                query.walksProvince = false
                guard let sparse = store.queueFilter(query) else { Issue.record("no filter"); return }
                let read = try await CheckDueTests.plan(of: """
                    SELECT \(unsafeRaw: SubmissionStore.queueColumns) \(sparse) ORDER BY \(unsafeRaw: SubmissionStore.queueOrder) LIMIT 50
                    """, on: session.db, off: ["enable_seqscan", "enable_hashjoin", "enable_mergejoin", "enable_bitmapscan"])
                let shown = read.joined(separator: "\n")
                // (A table this small may be read from another of the submissions' indexes; at the nation's
                // size it is `submissions_year_status_province`, docs/benchmarks.md (ak).)
                #expect(read.contains { $0.contains("province = '44'") }, "\(shown)")
                #expect(CheckDueTests.indexCondition(read, of: "units_pkey")?.contains("(id = s.unit_id)") == true, "\(shown)")
                #expect(!read.contains { $0.contains("units_province_listed") || $0.contains("units_queue_order") }, "\(shown)")

                // The counts read the province's tallies of units and submissions from their indexes.
                let counting = try await CheckDueTests.plan(of: SubmissionStore.groupCountsStatement(year: Self.year, province: "44", forms: ["E1"],
                                                                                                     statuses: [.submitted]), on: session.db)
                let counted = counting.joined(separator: "\n")
                #expect(CheckDueTests.indexCondition(counting, of: "unit_tallies_province")?.contains("province = ") == true, "\(counted)")
                #expect(CheckDueTests.indexCondition(counting, of: "submission_tallies_province")?.contains("province = ") == true, "\(counted)")
            }
        }
    }

    /// A submission carries its unit's province (`PlaceSubmissionsInProvinces`) on both engines, from
    /// whichever statement wrote it, and follows its unit to another province; a province's queue read
    /// either way finds the unit's forms where it is now.
    @Test func submissionsFollowTheirUnitsProvince() async throws {
        try await TestPlatform.withSession { session in
            let run = UUID().uuidString.prefix(8)
            let unit = SurveyUnit(creditCode: "M\(run)", name: "迁移单位", regionCode: "430100", types: ["dataTechEnterprise"])
            try await unit.create(on: session.db)
            let unitID = try unit.requireID()
            for form in ["E1", "E5"] {
                let submission = Submission(unitID: unitID, formID: form, year: Self.year)
                submission.status = .submitted
                try await submission.create(on: session.db)
            }
            guard let sql = session.db as? any SQLDatabase else { Issue.record("not SQL"); return }
            func provinces() async throws -> [String?] {
                try await sql.raw("SELECT province FROM submissions WHERE unit_id = \(bind: unitID) ORDER BY form_id").all()
                    .map { try $0.decode(column: "province", as: String?.self) }
            }
            let store = SubmissionStore(database: session.db, gate: nil)
            func queue(_ province: String, walks: Bool) async throws -> [String] {
                try await store.queueRows(QueueQuery(year: Self.year, forms: ["E1", "E5"], statuses: [.submitted], units: .province(province),
                                                     walksProvince: walks))
                    .filter { $0.head.unitID == unitID }.map(\.head.formID)
            }
            #expect(try await provinces() == ["43", "43"])

            unit.regionCode = "440300"
            try await unit.update(on: session.db)
            #expect(try await provinces() == ["44", "44"])
            for walks in [true, false] {
                #expect(try await queue("44", walks: walks) == ["E1", "E5"])
                #expect(try await queue("43", walks: walks).isEmpty)
            }

            // Within the province: nothing to move. A value written by hand is not kept on PostgreSQL,
            // which sets the row as it is written; SQLite keeps what an operator's SQL wrote.
            unit.regionCode = "441900"
            try await unit.update(on: session.db)
            #expect(try await provinces() == ["44", "44"])
            if !session.location.isSQLite {
                try await sql.raw("UPDATE submissions SET province = '11' WHERE unit_id = \(bind: unitID)").run()
                #expect(try await provinces() == ["44", "44"])
            }
        }
    }
}
