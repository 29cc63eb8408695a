import DRSCatalog
import DRSCore
import Foundation

/// A complete draft as a filer would type it: every required cell of the form filled with figures
/// that satisfy its rules (`SampleSubmissions`), continuing last year's (上年同期 = last year's
/// 本年实际, modest growth), as the API's `values` JSON. Blank is not zero, so a test that submits
/// must give every cell.
enum CompleteFigures {
    static let catalog: CompiledCatalog = {
        do {
            return try CompiledCatalog(CatalogLoader.load(edition: TestPlatform.catalogRoot.appendingPathComponent("2026")))
        } catch {
            fatalError("the 2026 catalog does not load: \(error)")
        }
    }()

    /// `{"01": {"cum": "…", …}, …}` for `formID`, with `overrides` (`"01:cur" → "900"`) applied last.
    /// `lastYear` is the detail's `lastYear` (figures by row and column), when there is one.
    static func values(_ formID: String, lastYear: [String: [String: Any]]? = nil, profile: UnitProfile = UnitProfile(),
                       overrides: [String: String] = [:], seed: UInt64 = 7) -> [String: [String: String]] {
        guard let form = catalog.form(formID) else { return [:] }
        var last: CellValues?
        if let lastYear {
            var map: [String: String] = [:]
            for (code, columns) in lastYear { for (column, value) in columns { if let text = value as? String { map["\(code):\(column)"] = text } } }
            last = try? form.values(fromInput: map)
        }
        let units = Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) })
        var cells = form.cellMap(SampleSubmissions.clean(form, seed: seed, profile: profile, lastYear: last, units: units))
        for (key, value) in overrides { cells[key] = value }
        var nested: [String: [String: String]] = [:]
        for (key, value) in cells {
            guard let cellKey = CellKey(parsing: key), cellKey.member == nil else { continue }
            nested[cellKey.code, default: [:]][cellKey.column] = value
        }
        return nested
    }

    /// The same as a JSON object text, for a request body.
    static func json(_ formID: String, lastYear: [String: [String: Any]]? = nil, overrides: [String: String] = [:]) -> String {
        let nested = values(formID, lastYear: lastYear, overrides: overrides)
        let data = (try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
