import DRSCatalog
import DRSCore
import DRSDisclosure
@testable import DRSReport
import DRSSolverCLP
import Foundation

/// The shipped catalog and report template, and small nations built by hand for the tests.
enum Shipped {
    static let root: URL = CatalogLoader.locateRoot() ?? URL(fileURLWithPath: "catalog")
    static let catalog: CompiledCatalog = {
        // Tests only: the shipped catalog must load.
        try! CompiledCatalog(CatalogLoader.load(edition: root.appendingPathComponent("2026")))
    }()
    static let template: ReportTemplate = {
        try! JSONDecoder().decode(ReportTemplate.self, from: Data(contentsOf: root.appendingPathComponent("2026/report.json")))
    }()
    static var units: [String: MeasureUnit] { Dictionary(uniqueKeysWithValues: catalog.catalog.survey.units.map { ($0.id, $0) }) }

    static func builder(_ template: ReportTemplate = template) -> ReportBuilder {
        ReportBuilder(template: template, rules: .standard, suppression: SecondarySuppression(solver: CLPSolver()),
                      auditor: AttackerAudit(solver: CLPSolver()))
    }
}

/// A hand-made nation: units of a form with their province, type and figures.
struct TinyNation {
    var records: [String: [ReportRecord]] = [:]
    var lastYear: [String: [ReportRecord]] = [:]
    var coverage: [CoverageEntry] = []
    var next = 0

    /// Adds a unit filing `form` with clean figures scaled by `factor`, last year's at 90%.
    mutating func add(form: String, type: String, province: String, industry: String = "I", holding: String? = nil,
                      factor: Int = 1, lastYear hasLastYear: Bool = true) {
        next += 1
        let compiled = Shipped.catalog.forms[form]!
        var values = SampleSubmissions.clean(compiled, seed: UInt64(next), units: Shipped.units)
        var last = values
        for slot in 0..<values.count {
            guard let v = values[slot], Shipped.units[compiled.layout.cells[slot].unit]?.kind != .share else { continue }
            values[slot] = ExactDecimal(units: v.units * Int128(factor), scale: v.scale)
            last[slot] = ExactDecimal(units: v.units * Int128(factor) * 9 / 10, scale: v.scale)
        }
        let unit = "u\(next)"
        records[form, default: []].append(ReportRecord(unit: unit, province: province, type: type, industry: industry, holding: holding,
                                                       values: values, lastYear: hasLastYear ? last : nil))
        if hasLastYear {
            lastYear[form, default: []].append(ReportRecord(unit: unit, province: province, type: type, industry: industry, holding: holding,
                                                            values: last, lastYear: nil))
        }
        coverage.append(CoverageEntry(province: province, type: type, verified: true))
    }

    var input: ReportInput {
        ReportInput(year: 2026, catalog: Shipped.catalog, records: records, lastYearRecords: lastYear, coverage: coverage)
    }

    /// Twelve data-technology enterprises in each of four provinces, one province of a single
    /// dominant unit, and two subsidiaries of one holding alone in a fifth province.
    static func standard() -> TinyNation {
        var nation = TinyNation()
        for province in ["110000", "310000", "440000", "320000"] {
            for i in 0..<12 { nation.add(form: "E5", type: "dataTechEnterprise", province: province, industry: i % 2 == 0 ? "I" : "C") }
        }
        for i in 0..<6 { nation.add(form: "E6", type: "dataAppEnterprise", province: ["110000", "440000"][i % 2], industry: "C") }
        nation.add(form: "E5", type: "dataTechEnterprise", province: "500000", industry: "I", factor: 40)
        nation.add(form: "E5", type: "dataTechEnterprise", province: "510000", industry: "I", holding: "group-a")
        nation.add(form: "E5", type: "dataTechEnterprise", province: "510000", industry: "I", holding: "group-a")
        return nation
    }
}
