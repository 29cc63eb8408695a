import DRSCatalog
import DRSCore
import Foundation

/// The 2026 catalog as shipped in catalog/, compiled once for all tests.
enum Shipped {
    static let catalog: CompiledCatalog = {
        let root = CatalogLoader.locateRoot()!
        return try! CompiledCatalog(CatalogLoader.load(edition: root.appendingPathComponent("2026")))
    }()

    static var units: [String: MeasureUnit] {
        Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
    }

    /// The seed text (a copy of ../shared/seeds/000_…txt kept with the tests).
    static let seed: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        return try! String(contentsOf: url.appendingPathComponent("Fixtures/seed-2026.txt"), encoding: .utf8)
    }()

    /// Names compared as printed, ignoring whitespace and the converter's bold markers.
    static func normalize(_ name: String) -> String {
        name.replacingOccurrences(of: "**", with: "").filter { !$0.isWhitespace }
    }
}
