import DRSCore
import DRSStorage
import DRSWorkflow
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// What the national aggregation reads: the submissions of one form and year in the chosen
/// statuses (default 已核定), each with the unit's province, respondent type and industry section.
/// A central enterprise's subsidiaries are left out of a form their headquarters consolidates: the
/// group's submission already contains them.
public enum AggregateInputs {
    public static let dimensions = ["province", "type", "industry"]
    public static let dimensionNames = ["province": "省份", "type": "调查对象类型", "industry": "行业门类"]
    /// The industry section of units whose industry code is not yet assigned.
    public static let unclassified = "-"

    public struct Input: Sendable {
        public var form: CompiledForm
        public var records: [AggregateRecord]
        /// Per record: unit id, name, this year's and last year's figures (those `CarryOver` counts; for follow-up lists).
        public var units: [(id: UUID, name: String, type: String, lastYear: CellValues?)]
        /// Per record: its holding for disclosure control — the headquarters' id for a central
        /// enterprise's subsidiary and for the headquarters itself, nil for an independent unit.
        public var holdings: [String?] = []
        /// Stored cells the form does not define (figures kept under an older catalog, or written
        /// by an import): read past, and reported here rather than dropped without a word.
        public var unknownCells: [UnknownStoredCells] = []
    }

    /// The cells of one unit's stored figures that the form cannot read.
    public struct UnknownStoredCells: Sendable, Equatable {
        public var unitID: UUID
        public var unitName: String
        public var year: Int
        public var cells: UnknownCells

        /// For a log line or a page: "单位名 2025年：存储的数据中有本版目录未定义的单元格：…".
        public var text: String { "\(unitName) \(year)年：\(cells.storedNote)" }
    }

    /// `lastYear: false` when the caller only sums (aggregates, their protection): last year's figures
    /// are then neither read nor decoded, which was half the work.
    public static func load(_ db: any Database, catalog: CompiledCatalog, year: Int, formID: String,
                            statuses: Set<SubmissionStatus> = [.verified], lastYear withLastYear: Bool = true) async throws -> Input {
        guard let form = catalog.forms[formID], form.form.kind != .basicInfo else {
            throw AggregateError(message: "「\(formID)」不是可汇总的报表（基本情况表不汇总）")
        }
        guard let sql = db as? any SQLDatabase else { throw AggregateError(message: "汇总需要 SQL 数据库") }
        // The rows come raw and become models on the blocking pool: turned into Fluent models as they
        // arrive (on the event loop), 100,000 units and a year of submissions held every other request
        // of that loop for seconds (p99 of saves 3 s beside a national aggregate in `drs bench deadline`).
        let thisYear = try await submissionRows(sql, year: year, formID: formID, statuses: statuses)
        let lastYear = withLastYear ? try await submissionRows(sql, year: year - 1, formID: formID, statuses: CarryOver.sourceStatuses) : []
        let unitRows = try await sql.select().column("*").from(SurveyUnit.schema).all()
        let input = try await Offload.run {
            let submissions = try thisYear.map { try $0.decode(fluentModel: Submission.self) }
            let last = try lastYear.map { try $0.decode(fluentModel: Submission.self) }
            let lastByUnit = Dictionary(last.map { ($0.$unit.id, $0) }, uniquingKeysWith: { a, _ in a })
            let units = Dictionary(try unitRows.map { row in
                let unit = try row.decode(fluentModel: SurveyUnit.self)
                return (try unit.requireID(), unit)
            }, uniquingKeysWith: { a, _ in a })
            return decode(form: form, catalog: catalog, submissions: submissions, lastByUnit: lastByUnit, units: units)
        }
        logUnknownCells(input, logger: db.logger)
        return input
    }

    private static func submissionRows(_ sql: any SQLDatabase, year: Int, formID: String, statuses: Set<SubmissionStatus>) async throws -> [any SQLRow] {
        try await sql.select().column("*").from(Submission.schema)
            .where("year", .equal, year).where("form_id", .equal, formID)
            .where("status", .in, statuses.map(\.rawValue).sorted())
            .all()
    }

    /// One warning for all the units whose stored figures hold cells the form does not define: a
    /// catalog change between years can touch every unit's last-year figures.
    static func logUnknownCells(_ input: Input, logger: Logger) {
        guard !input.unknownCells.isEmpty else { return }
        let keys = Set(input.unknownCells.flatMap(\.cells.keys)).sorted()
        let units = input.unknownCells.prefix(5).map(\.text).joined(separator: "；")
        logger.warning("表\(input.form.form.id)：\(input.unknownCells.count)份存储的数据中有本版目录未定义的单元格（\(keys.prefix(20).joined(separator: "、"))\(keys.count > 20 ? "…" : "")），如\(units)\(input.unknownCells.count > 5 ? "…" : "")")
    }

    /// Each submission's figures, with its unit's province, type and industry; central-enterprise
    /// subsidiaries are left out of forms their headquarters consolidates.
    /// `keep` limits the cells read (by key, e.g. `01:cur`) to those a caller needs: the report reads
    /// a few dozen of a form's hundreds, and parsing the rest would be most of its work.
    static func decode(form: CompiledForm, catalog: CompiledCatalog, submissions: [Submission], lastByUnit: [UUID: Submission],
                       units: [UUID: SurveyUnit], keep: Set<String>? = nil) -> Input {
        let formID = form.form.id
        let survey = catalog.catalog.survey
        let divisions = Dictionary((catalog.catalog.codeLists["industryDivisions"]?.members ?? []).compactMap { m in m.parent.map { (m.code, $0) } },
                                   uniquingKeysWith: { a, _ in a })
        var records: [AggregateRecord] = []
        var meta: [(id: UUID, name: String, type: String, lastYear: CellValues?)] = []
        var holdings: [String?] = []
        var unknownCells: [UnknownStoredCells] = []
        func read(_ submission: Submission, _ unit: SurveyUnit, _ unitID: UUID) -> CellValues {
            form.values(fromStored: cells(submission, keep: keep)) { cells in
                unknownCells.append(UnknownStoredCells(unitID: unitID, unitName: unit.name, year: submission.year, cells: cells))
            }
        }
        let headquarters = Set(units.values.compactMap { $0.$parent.id })
        for s in submissions.sorted(by: { $0.$unit.id.uuidString < $1.$unit.id.uuidString }) {
            guard let unit = units[s.$unit.id], let unitID = unit.id else { continue }
            if let parentID = unit.$parent.id, let parent = units[parentID],
               parent.typeList.contains(where: { survey.respondentType($0)?.consolidates?.contains(formID) == true }) { continue }
            let type = unit.respondentType(filing: formID, in: survey)
            let industry = unit.industryCode.flatMap { divisions[String($0.prefix(2))] } ?? unclassified
            let values = read(s, unit, unitID)
            records.append(AggregateRecord(dimensions: ["province": unit.provinceCode, "type": type, "industry": industry], values: values))
            holdings.append(unit.$parent.id.map(\.uuidString) ?? unit.id.flatMap { headquarters.contains($0) ? $0.uuidString : nil })
            meta.append((unitID, unit.name, type, lastByUnit[unitID].map { read($0, unit, unitID) }))
        }
        return Input(form: form, records: records, units: meta, holdings: holdings, unknownCells: unknownCells)
    }

    private static func cells(_ submission: Submission, keep: Set<String>?) -> [String: String] {
        guard let keep else { return SubmissionStore.decode(submission.cells) }
        return SubmissionStore.decode(submission.cells, keeping: keep)
    }
}

public struct AggregateError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
