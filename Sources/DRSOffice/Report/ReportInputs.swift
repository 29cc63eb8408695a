import DRSCore
import DRSReport
import DRSStorage
import DRSWorkflow
import FluentKit
import Foundation
import SQLKit

/// Reads what 《全国数据资源调查报告》 is made from: the verified submissions of the year, and those of
/// the year before that `CarryOver` counts, for every form the template reads, each with its unit's
/// province, type, industry and holding (the same rows as the national aggregation), and the
/// registry's coverage.
enum ReportInputs {
    static func load(_ db: any Database, catalog: CompiledCatalog, template: ReportTemplate, year: Int) async throws -> ReportInput {
        let formIDs = Set(template.measures.flatMap { $0.sources.map(\.form) }).sorted()
        guard let sql = db as? any SQLDatabase else { throw AggregateError(message: "报告需要 SQL 数据库") }
        let unitRows = try await AggregateInputs.unitRows(sql)
        let units = try await Offload.run { try AggregateInputs.unitFacts(unitRows) }
        var records: [String: [ReportRecord]] = [:], lastYearRecords: [String: [ReportRecord]] = [:]
        var verifiedUnits = Set<UUID>()
        let logger = db.logger
        /// The report's records of `submissions`; stored cells the form does not define are logged.
        @Sendable func decode(_ form: CompiledForm, _ submissions: [StoredFigures], keep: Set<String>) -> [ReportRecord] {
            let input = AggregateInputs.decode(form: form, catalog: catalog, submissions: submissions, lastByUnit: [:], units: units, keep: keep)
            AggregateInputs.logUnknownCells(input, logger: logger)
            return reportRecords(input)
        }
        for id in formIDs {
            guard let form = catalog.forms[id], form.form.kind != .basicInfo else { continue }
            let now = try await figures(sql, formID: id, year: year, statuses: [.verified])
            let then = try await figures(sql, formID: id, year: year - 1, statuses: CarryOver.sourceStatuses)
            verifiedUnits.formUnion(now.map(\.unitID))
            // Last year's figures are read once: as last year's records, and as this year's records' past.
            let keep = template.cellKeys(form: form)
            let previous = try await Offload.run { decode(form, then, keep: keep) }
            let past = Dictionary(previous.map { ($0.unit, $0.values) }, uniquingKeysWith: { a, _ in a })
            records[id] = try await Offload.run {
                decode(form, now, keep: keep).map { record in
                        var r = record
                        r.lastYear = past[r.unit]
                        return r
                    }
            }
            lastYearRecords[id] = previous
        }
        let survey = catalog.catalog.survey
        let numeric = Set(catalog.forms.values.filter { $0.form.kind != .basicInfo }.map(\.form.id))
        let coverage = units.values.compactMap { unit -> CoverageEntry? in
            guard let type = unit.typeList.first(where: { survey.respondentType($0)?.forms.contains(where: numeric.contains) == true }) else { return nil }
            return CoverageEntry(province: unit.provinceCode, type: type, verified: verifiedUnits.contains(unit.id))
        }
        return ReportInput(year: year, catalog: catalog, records: records, lastYearRecords: lastYearRecords, coverage: coverage)
    }

    /// The stored figures of a form, decoded off the event loop.
    private static func figures(_ sql: any SQLDatabase, formID: String, year: Int, statuses: Set<SubmissionStatus>) async throws -> [StoredFigures] {
        let rows = try await AggregateInputs.figureRows(sql, year: year, formID: formID, statuses: statuses, units: nil)
        return try await Offload.run { try rows.map(StoredFigures.init(row:)) }
    }

    static func reportRecords(_ input: AggregateInputs.Input) -> [ReportRecord] {
        zip(input.records.indices, input.records).map { index, record in
            let meta = index < input.units.count ? input.units[index] : nil
            return ReportRecord(unit: meta?.id.uuidString ?? String(index), province: record.dimensions["province"] ?? "-",
                                type: record.dimensions["type"] ?? "-", industry: record.dimensions["industry"] ?? AggregateInputs.unclassified,
                                holding: index < input.holdings.count ? input.holdings[index] : nil, values: record.values,
                                lastYear: meta?.lastYear)
        }
    }
}
