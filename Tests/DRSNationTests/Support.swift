import DRSCatalog
import DRSCore
import DRSNation

/// The 2026 catalog as shipped in catalog/, compiled once for all tests, and nations made from it.
enum Shipped {
    static let catalog: CompiledCatalog = {
        let root = CatalogLoader.locateRoot()!
        return try! CompiledCatalog(CatalogLoader.load(edition: root.appendingPathComponent("2026")))
    }()

    static let provinces: [String] = catalog.catalog.codeLists["provinces"]!.members.map(\.code)

    static func nation(_ units: Int, seed: UInt64 = 7) throws -> NationGenerator {
        try NationGenerator(catalog: catalog, spec: NationSpec(units: units, year: 2026, seed: seed))
    }

    /// The 2,000-unit nation most tests look at, made once.
    static let mid: NationGenerator = try! nation(2_000)
}
