import DRSCatalog
import DRSCore
import DRSNation
import DRSOffice
import DRSServer
import DRSStorage
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// 核查清单 kept per form (`FollowUpKeeper`): every page read from the stored lists is the page of the
/// lists computed at once; a change to the reported figures is seen (at once for quick lists, after
/// the background computation for slow ones, marked meanwhile); a new snapshot replaces the old.
@Suite(.serialized) struct FollowUpStoreTests {
    static let year = 2026

    func nation(_ app: Application) async throws -> CompiledCatalog {
        let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
        let nation = try NationGenerator(catalog: catalog, spec: NationSpec(units: 300, year: Self.year, seed: 11))
        _ = try await NationLoader(generator: nation, chunkSize: 100, workers: 2).load(on: app.db)
        // The nation is generated clean; for year-over-year items, 15 units' last-year figures of each
        // form tested become another unit's (of another size).
        let sql = try #require(app.db as? any SQLDatabase)
        for form in ["P2", "E5"] {
            try await sql.raw("""
                UPDATE submissions SET cells = (SELECT s2.cells FROM submissions s2 WHERE s2.year = \(bind: Self.year - 1)
                    AND s2.form_id = submissions.form_id ORDER BY s2.unit_id DESC LIMIT 1)
                WHERE id IN (SELECT id FROM submissions WHERE year = \(bind: Self.year - 1) AND form_id = \(bind: form) ORDER BY unit_id LIMIT 15)
                """).run()
        }
        return catalog
    }

    func page(_ keeper: FollowUpKeeper, _ app: Application, _ catalog: CompiledCatalog, _ form: String,
              from start: Int, size: Int) async throws -> FollowUpStoredPage {
        try await keeper.page(app.db, gate: nil, catalog: catalog, year: Self.year, formID: form) { _ in start..<(start + size) }
    }

    func chunkCount(_ app: Application, _ form: String) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        let row = try await sql.raw("SELECT count(*) AS n FROM follow_up_chunks WHERE year = \(bind: Self.year) AND form_id = \(bind: form)").first()
        return try #require(row).decode(column: "n", as: Int.self)
    }

    @Test func everyStoredPageIsThePageOfTheListsComputedAtOnce() async throws {
        try await TestPlatform.runEmpty { app in
            let catalog = try await nation(app)
            let keeper = FollowUpKeeper(engine: "test", inlineLimit: .seconds(3600))
            for form in ["P2", "E5"] {
                let direct = try await Self.computedAtOnce(app.db, catalog: catalog, year: Self.year, formID: form)
                let whole = direct.lists
                let longest = max(whole.yearOverYear.count, whole.outliers.count)
                #expect(whole.outliers.count > 0 && whole.yearOverYear.count > 0, "\(form): the nation has both kinds")
                for size in [500, 37] {
                    for start in stride(from: 0, to: longest, by: size) {
                        let page = try await page(keeper, app, catalog, form, from: start, size: size)
                        #expect(page.current && page.yearOverYearTotal == whole.yearOverYear.count && page.outliersTotal == whole.outliers.count)
                        for (stored, computed) in [(page.yearOverYear, whole.yearOverYear), (page.outliers, whole.outliers)] {
                            let range = min(start, computed.count)..<min(start + size, computed.count)
                            #expect(Array(stored) == Array(computed[range]), "\(form) \(computed.reason) from \(start) by \(size)")
                            for item in stored { #expect(page.names[item.unitID] == direct.names[item.unitID]) }
                        }
                    }
                }
                let size = FollowUpListStore.chunkSize
                #expect(try await chunkCount(app, form) == (whole.yearOverYear.count + size - 1) / size + (whole.outliers.count + size - 1) / size)
            }
        }
    }

    @Test func aChangeIsSeenAtOnceWhenQuickAndAfterTheBackgroundWhenSlow() async throws {
        try await TestPlatform.runEmpty { app in
            let catalog = try await nation(app)
            let sql = try #require(app.db as? any SQLDatabase)
            let form = "E5"
            // Slow lists (every computation counts as slow): the stored ones are shown while the new compute.
            let slow = FollowUpKeeper(engine: "test", inlineLimit: .zero)
            let first = try await page(slow, app, catalog, form, from: 0, size: 500)
            #expect(first.current, "nothing stored yet: computed before answering")
            let before = first.outliersTotal
            // The unit of the first outlier sends its figures back (returned: no longer followed up).
            let unit = try #require(first.outliers.first?.unitID)
            try await sql.raw("""
                UPDATE submissions SET status = 'returned', version = version + 1 WHERE year = \(bind: Self.year) AND form_id = \(bind: form)
                AND unit_id = \(bind: try #require(UUID(uuidString: unit)))
                """).run()
            let stale = try await page(slow, app, catalog, form, from: 0, size: 500)
            #expect(!stale.current && stale.outliersTotal == before && stale.computedAt == first.computedAt)
            #expect(!stale.outliers.contains { $0.unitID == unit }, "a unit no longer reported is not shown")
            await slow.settle()
            let after = try await page(slow, app, catalog, form, from: 0, size: 500)
            let expected = try await Self.computedAtOnce(app.db, catalog: catalog, year: Self.year, formID: form).lists
            #expect(after.current && after.outliersTotal == expected.outliers.count && after.outliersTotal < before)
            #expect(Array(after.outliers) == Array(expected.outliers.prefix(500)))

            // Quick lists: the change is computed before answering.
            let quick = FollowUpKeeper(engine: "test", inlineLimit: .seconds(3600))
            try await sql.raw("""
                UPDATE submissions SET status = 'submitted', version = version + 1 WHERE year = \(bind: Self.year) AND form_id = \(bind: form)
                AND unit_id = \(bind: try #require(UUID(uuidString: unit)))
                """).run()
            let seen = try await page(quick, app, catalog, form, from: 0, size: 500)
            #expect(seen.current && seen.outliersTotal == before && seen.outliers.contains { $0.unitID == unit })
            let size = FollowUpListStore.chunkSize
            #expect(try await chunkCount(app, form) == (seen.yearOverYearTotal + size - 1) / size + (before + size - 1) / size,
                    "the older snapshots' chunks are gone")

            // Lists of another catalog or program are never shown: computed again, whatever their cost.
            let release = FollowUpKeeper(engine: "next-release", inlineLimit: .zero)
            let again = try await page(release, app, catalog, form, from: 0, size: 500)
            #expect(again.current && again.computedAt >= seen.computedAt)
            let header = try await FollowUpListStore(database: app.db, gate: nil).header(year: Self.year, formID: form)
            #expect(header?.engine == "next-release")
        }
    }

    @Test func oneInstanceComputesWhatSeveralShowOutOfDate() async throws {
        try await TestPlatform.runEmpty { app in
            let catalog = try await nation(app)
            let sql = try #require(app.db as? any SQLDatabase)
            let store = FollowUpListStore(database: app.db, gate: nil)
            let form = "E5", now = Date()
            #expect(try await !store.claim(year: Self.year, formID: form, now: now, until: now.addingTimeInterval(60)), "nothing stored yet")
            let first = FollowUpKeeper(engine: "test", inlineLimit: .zero), second = FollowUpKeeper(engine: "test", inlineLimit: .zero)
            _ = try await page(first, app, catalog, form, from: 0, size: 10)
            #expect(await first.started == 1)
            // A claim holds until it expires or the lists are stored.
            #expect(try await store.claim(year: Self.year, formID: form, now: now, until: now.addingTimeInterval(60)))
            #expect(try await !store.claim(year: Self.year, formID: form, now: now.addingTimeInterval(59), until: now.addingTimeInterval(120)))
            #expect(try await store.claim(year: Self.year, formID: form, now: now.addingTimeInterval(61), until: now.addingTimeInterval(120)))
            try await store.release(year: Self.year, formID: form)

            // A change: both instances show the stored lists; the first to look computes them, the other does not.
            try await sql.raw("""
                UPDATE submissions SET status = 'returned', version = version + 1
                WHERE id = (SELECT id FROM submissions WHERE year = \(bind: Self.year) AND form_id = \(bind: form) AND status IN ('submitted', 'approved', 'verified') ORDER BY id LIMIT 1)
                """).run()
            let one = try await page(first, app, catalog, form, from: 0, size: 10)
            let other = try await page(second, app, catalog, form, from: 0, size: 10)
            #expect(!one.current && !other.current)
            await first.settle()
            let (firstStarted, secondStarted) = (await first.started, await second.started)
            #expect(firstStarted == 2 && secondStarted == 0)
            #expect(try await page(second, app, catalog, form, from: 0, size: 10).current, "stored by the first, current for the second")
            #expect(try await store.claim(year: Self.year, formID: form, now: Date(), until: Date().addingTimeInterval(60)), "storing ended the claim")
            try await store.release(year: Self.year, formID: form)

            // A new release computes the lists of the old one again at start, in the background.
            let release = FollowUpKeeper(engine: "next-release", inlineLimit: .zero)
            await release.warmUp(app.db, gate: nil, catalog: catalog)
            await release.settle()
            #expect(await release.started == 1)
            #expect(try await store.header(year: Self.year, formID: form)?.engine == "next-release")
            #expect(try await page(release, app, catalog, form, from: 0, size: 10).current)
            #expect(await release.started == 1, "nothing left to compute")
        }
    }

    /// The lists computed at once over the form's figures held in memory (`AggregateInputs.load`,
    /// `FollowUpLists`): the plain statement of what the stored lists must equal, and the units' names.
    static func computedAtOnce(_ db: any Database, catalog: CompiledCatalog, year: Int, formID: String) async throws
        -> (lists: FollowUpLists, names: [String: String]) {
        let input = try await AggregateInputs.load(db, catalog: catalog, year: year, formID: formID, statuses: FollowUpComputation.statuses)
        let aggregator = try Aggregator(form: input.form)
        let table = try aggregator.aggregate(input.records, groupings: [[]])
        let units = zip(input.records, input.units).map { record, unit in
            FollowUpUnit(unitID: unit.id.uuidString, respondentType: unit.type, values: record.values, lastYear: unit.lastYear)
        }
        let lists = try FollowUpLists(aggregator: aggregator, units: units, national: try #require(table.national))
        return (lists, Dictionary(input.units.map { ($0.id.uuidString, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }
}
