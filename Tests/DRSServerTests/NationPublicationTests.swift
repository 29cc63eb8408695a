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

/// Every table the platform publishes for a year of a synthetic nation goes through disclosure
/// control, and every one is audited by the attacker's programme: the public share package (all
/// forms, every grouping, SDMX), the protected aggregates by province, type, industry and
/// province × type, and the report. A release that failed its audit would be refused.
@Suite struct NationPublicationTests {
    @Test func everyTableOfAYearOfTheNationIsProtectedAndAudited() async throws {
        try await TestPlatform.runEmpty { app in
            let catalog = try CompiledCatalog(try CatalogLoader.load(root: TestPlatform.catalogRoot))
            let nation = try NationGenerator(catalog: catalog, spec: NationSpec(units: 400, year: 2026, seed: 11))
            let loaded = try await NationLoader(generator: nation, chunkSize: 100, workers: 2).load(on: app.db)
            #expect(loaded.units == 400)

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drs-nation-share-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let package = try await SharingPackage.release(app.db, catalog: catalog, year: 2026, statuses: [.verified], to: folder,
                                                           destination: .public, maker: .init(username: "tester"))
            #expect(package.suppressedCells > 0)

            let protection = ReleaseProtection()
            for form in catalog.orderedForms where form.form.kind != .basicInfo {
                let input = try await AggregateInputs.load(app.db, catalog: catalog, year: 2026, formID: form.form.id)
                for by in [["province"], ["type"], ["industry"], ["province", "type"]] {
                    let table = try Aggregator(form: input.form).aggregate(input.records, groupings: [[], by])
                    let release = try protection.protect(input, table, by: by)
                    #expect(release.summary.passes, "\(form.form.id) by \(by)")
                }
            }

            let report = try await ReportPublication.build(app.db, catalog: catalog, catalogRoot: TestPlatform.catalogRoot, year: 2026)
            #expect(report.audit.passes && report.audit.primary > 0)

            let releases = try await DisclosureRelease.query(on: app.db).all()
            #expect(!releases.isEmpty && releases.allSatisfy { $0.cellsFailing == 0 })
        }
    }
}
