import DRSCore
import DRSNation
import DRSReport

/// A generated nation read the way the national aggregation reads the database, written again here
/// (not shared with the server) so the tests check the report against an independent reading:
/// verified submissions only; a subsidiary left out of a form its headquarters consolidates; the
/// holding of a subsidiary or a headquarters is the headquarters.
struct NationInput {
    let generator: NationGenerator
    let input: ReportInput
    /// Per form and year: the records the report summed (for recomputing and auditing).
    let records: [String: [ReportRecord]]
    let lastYear: [String: [ReportRecord]]

    init(units: Int, year: Int, seed: UInt64 = 7) throws {
        let catalog = Shipped.catalog
        generator = try NationGenerator(catalog: catalog, spec: NationSpec(units: units, year: year, seed: seed))
        let survey = catalog.catalog.survey
        let sections = Dictionary((catalog.catalog.codeLists["industryDivisions"]?.members ?? []).compactMap { m in m.parent.map { (m.code, $0) } },
                                  uniquingKeysWith: { a, _ in a })
        let parents = Set(generator.units.compactMap(\.parentIndex))
        var now: [String: [ReportRecord]] = [:], then: [String: [ReportRecord]] = [:], coverage: [CoverageEntry] = []
        for unit in generator.units {
            let submissions = generator.submissions(forUnit: unit.index)
            for s in submissions where generator.form(s.formID)?.form.kind != .basicInfo && s.status == .verified {
                if let p = unit.parentIndex, generator.units[p].types.contains(where: { survey.respondentType($0)?.consolidates?.contains(s.formID) == true }) { continue }
                let type = unit.types.first { survey.respondentType($0)?.forms.contains(s.formID) == true } ?? unit.types.first ?? ""
                let holding = unit.parentIndex.map { "h\($0)" } ?? (parents.contains(unit.index) ? "h\(unit.index)" : nil)
                let record = ReportRecord(unit: "u\(unit.index)", province: String(unit.regionCode.prefix(2)) + "0000", type: type,
                                          industry: sections[String(unit.industryCode.prefix(2))] ?? "-", holding: holding, values: s.values,
                                          lastYear: nil)
                if s.year == year { now[s.formID, default: []].append(record) } else { then[s.formID, default: []].append(record) }
            }
        }
        // Last year's figures of the same unit, for growth of the units in both years.
        let lastByUnit = Dictionary(then.flatMap { form, rows in rows.map { ("\(form)/\($0.unit)", $0.values) } }, uniquingKeysWith: { a, _ in a })
        for (form, rows) in now {
            now[form] = rows.map { var r = $0; r.lastYear = lastByUnit["\(form)/\(r.unit)"]; return r }
        }
        for unit in generator.units where unit.types.contains(where: { survey.respondentType($0)?.forms.contains(where: { catalog.forms[$0]?.form.kind != .basicInfo }) == true }) {
            let type = unit.types.first ?? ""
            coverage.append(CoverageEntry(province: String(unit.regionCode.prefix(2)) + "0000", type: type, verified: unit.status == .verified))
        }
        records = now
        lastYear = then
        input = ReportInput(year: year, catalog: catalog, records: now, lastYearRecords: then, coverage: coverage)
    }
}
