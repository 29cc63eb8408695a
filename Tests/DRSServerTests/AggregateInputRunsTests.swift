import DRSCatalog
import DRSCore
import DRSNation
import DRSOffice
import DRSServer
import DRSStorage
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The aggregation reads a form a run of submissions at a time (with last year's figures of the same
/// units); however the runs fall, it reads exactly what one read of everything gives, and totals
/// summed run by run are those of all the records at once.
@Suite struct AggregateInputRunsTests {
    @Test func runsOfAnyLengthReadTheSameRecords() async throws {
        try await TestPlatform.runEmpty { app in
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let nation = try NationGenerator(catalog: catalog, spec: NationSpec(units: 300, year: 2026, seed: 5))
            _ = try await NationLoader(generator: nation, chunkSize: 100, workers: 2).load(on: app.db)
            var withLastYear = 0, held = 0
            // Each unit's holding as disclosure control needs it, from the registry itself: its
            // headquarters, itself when it is one, or none.
            let registry = try await SurveyUnit.query(on: app.db).all()
            let parentOf = Dictionary(uniqueKeysWithValues: registry.compactMap { u in u.id.map { ($0, u.$parent.id) } })
            let headquarters = Set(registry.compactMap { $0.$parent.id })
            for form in ["P2", "E2", "E5", "E6"] {
                let whole = try await AggregateInputs.load(app.db, catalog: catalog, year: 2026, formID: form, runLength: 1_000_000)
                #expect(whole.records.count > 2, "\(form)")
                for runLength in [1, 7, 50] {
                    let runs = try await AggregateInputs.load(app.db, catalog: catalog, year: 2026, formID: form, runLength: runLength)
                    #expect(runs.records.map(\.dimensions) == whole.records.map(\.dimensions), "\(form) by \(runLength)")
                    #expect(runs.records.map(\.values) == whole.records.map(\.values), "\(form) by \(runLength)")
                    #expect(runs.units.map(\.id) == whole.units.map(\.id), "\(form) by \(runLength)")
                    #expect(runs.units.map(\.lastYear) == whole.units.map(\.lastYear), "\(form) by \(runLength)")
                    #expect(runs.holdings == whole.holdings, "\(form) by \(runLength)")
                }
                // Totals summed run by run are the totals of everything read at once.
                let groupings = [[], ["province", "type"], ["industry"]]
                let expected = try Aggregator(form: whole.form).aggregate(whole.records, groupings: groupings)
                for runLength in [1, 7, 1_000_000] {
                    let summed = try await AggregateInputs.table(app.db, catalog: catalog, year: 2026, formID: form, groupings: groupings,
                                                                 runLength: runLength)
                    #expect(summed.table == expected, "\(form) by \(runLength)")
                }
                withLastYear += whole.units.filter { $0.lastYear != nil }.count
                let holdings = whole.units.map { unit in
                    (parentOf[unit.id] ?? nil)?.uuidString ?? (headquarters.contains(unit.id) ? unit.id.uuidString : nil)
                }
                #expect(whole.holdings == holdings, "\(form)")
                held += holdings.compactMap { $0 }.count
                let ids = whole.units.map(\.id.uuidString)
                #expect(ids == ids.sorted(), "records come in unit order")
            }
            #expect(withLastYear > 0, "last year's figures are read beside this year's")
            #expect(held > 0, "some units belong to a central enterprise's holding")
        }
    }
}
