import DRSCore
import DRSStorage
import DRSWorkflow
import FluentKit
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

        /// Adds the records of another run (of later units), in order.
        mutating func append(_ other: Input) {
            records += other.records
            units += other.units
            holdings += other.holdings
            unknownCells += other.unknownCells
        }
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
                            statuses: Set<SubmissionStatus> = [.verified], lastYear withLastYear: Bool = true,
                            runLength: Int = runLength) async throws -> Input {
        let form = try aggregatable(catalog, formID)
        var input = Input(form: form, records: [], units: [])
        try await forEachRun(db, catalog: catalog, form: form, year: year, statuses: statuses, lastYear: withLastYear,
                             runLength: runLength) { input.append($0) }
        logUnknownCells(input, logger: db.logger)
        return input
    }

    /// The aggregate of a form by `groupings`, each run of submissions added as it is read and then
    /// let go: memory for the totals and one run, not for the nation's figures (the unit-level records
    /// `load` returns are for disclosure control and the follow-up lists).
    public static func table(_ db: any Database, catalog: CompiledCatalog, year: Int, formID: String,
                             statuses: Set<SubmissionStatus> = [.verified], groupings: [[String]],
                             runLength: Int = runLength) async throws -> (form: CompiledForm, table: AggregateTable) {
        let form = try aggregatable(catalog, formID)
        var running = Aggregator.Running(try Aggregator(form: form), groupings: groupings)
        var unknown = Input(form: form, records: [], units: [])
        try await forEachRun(db, catalog: catalog, form: form, year: year, statuses: statuses, lastYear: false,
                             runLength: runLength) { run in
            running = try await Offload.run { [running] in
                var next = running
                try next.add(run.records)
                return next
            }
            unknown.unknownCells += run.unknownCells
        }
        logUnknownCells(unknown, logger: db.logger)
        let finished = running
        return (form, try await Offload.run { try finished.finish() })
    }

    static func aggregatable(_ catalog: CompiledCatalog, _ formID: String) throws -> CompiledForm {
        guard let form = catalog.forms[formID], form.form.kind != .basicInfo else {
            throw AggregateError(message: "「\(formID)」不是可汇总的报表（基本情况表不汇总）")
        }
        return form
    }

    /// Reads a form's submissions of a year a run at a time, in unit order, each run with last year's
    /// figures of the same units (when asked), and hands each run, decoded, to `body`.
    ///
    /// Only the columns read, as raw rows made into values on the blocking pool (as Fluent models made
    /// on the event loop, 100,000 units held every other request of that loop for seconds), and only
    /// the units of each run (joined to their submissions) besides the headquarters: neither the
    /// registry nor the stored text of a whole form (190 MB of 企业5表) is ever held at once.
    static func forEachRun(_ db: any Database, catalog: CompiledCatalog, form: CompiledForm, year: Int, statuses: Set<SubmissionStatus>,
                           lastYear withLastYear: Bool, runLength: Int, _ body: (Input) async throws -> Void) async throws {
        guard let sql = db as? any SQLDatabase else { throw AggregateError(message: "汇总需要 SQL 数据库") }
        let formID = form.form.id
        let headquarterRows = try await sql.raw("""
            SELECT id, name, region_code, types, parent_id, industry_code FROM units
            WHERE id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL)
            """).all()
        let headquarters = try await Offload.run { try unitFacts(headquarterRows) }
        var after: UUID?
        while true {
            let rows = try await figureRows(sql, year: year, formID: formID, statuses: statuses,
                                            units: after.map { .after($0) } ?? .first, limit: max(1, runLength), joiningUnits: true)
            let (figures, units) = try await Offload.run {
                (try rows.map(StoredFigures.init(row:)), try unitFacts(rows).merging(headquarters) { unit, _ in unit })
            }
            guard let last = figures.last?.unitID else { return }
            var lastByUnit: [UUID: StoredFigures] = [:]
            if withLastYear {
                let range = UnitRange.between(after, last)
                let lastRows = try await figureRows(sql, year: year - 1, formID: formID, statuses: CarryOver.sourceStatuses, units: range)
                let lastYear = try await Offload.run { try lastRows.map(StoredFigures.init(row:)) }
                lastByUnit = Dictionary(lastYear.map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
            }
            try await body(try await decodeConcurrently(form: form, catalog: catalog, submissions: figures, lastByUnit: lastByUnit,
                                                        units: units, headquarters: Set(headquarters.keys)))
            after = last
            if rows.count < runLength { return }
        }
    }

    /// Submissions read and decoded at a time. Rows of a query are slices of the connection's read
    /// buffers and keep them alive: runs of 5,000 peaked at 450 MB on 企业5表, runs of 1,000 at 180 MB,
    /// as fast.
    public static let runLength = 1_000

    /// Which units' submissions a read takes: the first run, a run after the last unit of the run
    /// before, or (for last year's) every unit up to the last unit of this run.
    enum UnitRange {
        case first
        case after(UUID)
        case between(UUID?, UUID)
        /// These units' submissions (a page of a stored follow-up list).
        case among([UUID])
    }

    /// A form's stored figures of a year in unit order: a run of `limit`, those of a range of units,
    /// or (nil) all.
    /// `joiningUnits` adds each submission's unit (the columns of `UnitFacts`).
    static func figureRows(_ sql: any SQLDatabase, year: Int, formID: String, statuses: Set<SubmissionStatus>,
                           units: UnitRange?, limit: Int = runLength, joiningUnits: Bool = false) async throws -> [any SQLRow] {
        var query = sql.select().columns(StoredFigures.columns.map { SQLColumn($0, table: Submission.schema) }).from(Submission.schema)
        if joiningUnits {
            query = query.columns(UnitFacts.columns.map { SQLColumn($0, table: SurveyUnit.schema) })
                .join(SurveyUnit.schema, on: SQLColumn("unit_id", table: Submission.schema), .equal, SQLColumn("id", table: SurveyUnit.schema))
        }
        query = query.where("year", .equal, year).where("form_id", .equal, formID)
            .where("status", .in, statuses.map(\.rawValue).sorted())
            .orderBy("unit_id")
        switch units {
        case .after(let unit):
            query = query.where("unit_id", .greaterThan, unit).limit(limit)
            // Said of the units too, or PostgreSQL's merge join walks them from the first every run.
            if joiningUnits { query = query.where(SQLColumn("id", table: SurveyUnit.schema), .greaterThan, SQLBind(unit)) }
        case .between(let low, let high):
            if let low { query = query.where("unit_id", .greaterThan, low) }
            query = query.where("unit_id", .lessThanOrEqual, high)
        case .among(let ids):
            query = query.where(SQLColumn("unit_id", table: Submission.schema), .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))
        case .first: query = query.limit(limit)
        case nil: break
        }
        return try await query.all()
    }

    static func unitRows(_ sql: any SQLDatabase) async throws -> [any SQLRow] {
        try await sql.select().columns(UnitFacts.columns.map { SQLIdentifier($0) }).from(SurveyUnit.schema).all()
    }

    static func unitFacts(_ rows: [any SQLRow]) throws -> [UUID: UnitFacts] {
        Dictionary(try rows.map { row in
            let unit = try UnitFacts(row: row)
            return (unit.id, unit)
        }, uniquingKeysWith: { a, _ in a })
    }

    /// `decode` on every core offered (`Offload.threads`): the submissions (in unit order) cut into one
    /// run per core, read side by side on the blocking pool, and put back together in the same order.
    static func decodeConcurrently(form: CompiledForm, catalog: CompiledCatalog, submissions: [StoredFigures],
                                   lastByUnit: [UUID: StoredFigures], units: [UUID: UnitFacts], headquarters: Set<UUID>,
                                   keep: Set<String>? = nil) async throws -> Input {
        let ordered = submissions.sorted { $0.unitID.uuidString < $1.unitID.uuidString }
        let parts = max(1, min(Offload.threads, ordered.count / 250))
        let runs = (0..<parts).map { p in Array(ordered[(ordered.count * p / parts)..<(ordered.count * (p + 1) / parts)]) }
        let decoded = try await withThrowingTaskGroup(of: (Int, Input).self) { group in
            for (p, run) in runs.enumerated() {
                group.addTask {
                    (p, try await Offload.run {
                        decode(form: form, catalog: catalog, submissions: run, lastByUnit: lastByUnit, units: units,
                               headquarters: headquarters, keep: keep)
                    })
                }
            }
            var found: [(Int, Input)] = []
            for try await part in group { found.append(part) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var input = Input(form: form, records: [], units: [])
        for part in decoded { input.append(part) }
        return input
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
    /// `headquarters`: the units that are some unit's parent; found in `units` when nil (all of them given).
    static func decode(form: CompiledForm, catalog: CompiledCatalog, submissions: [StoredFigures], lastByUnit: [UUID: StoredFigures],
                       units: [UUID: UnitFacts], headquarters: Set<UUID>? = nil, keep: Set<String>? = nil) -> Input {
        let formID = form.form.id
        let survey = catalog.catalog.survey
        let divisions = Dictionary((catalog.catalog.codeLists["industryDivisions"]?.members ?? []).compactMap { m in m.parent.map { (m.code, $0) } },
                                   uniquingKeysWith: { a, _ in a })
        var records: [AggregateRecord] = []
        var meta: [(id: UUID, name: String, type: String, lastYear: CellValues?)] = []
        var holdings: [String?] = []
        var unknownCells: [UnknownStoredCells] = []
        let reader = StoredCellsReader(form: form, keep: keep)
        func read(_ submission: StoredFigures, _ unit: UnitFacts) -> CellValues {
            if let values = reader.values(submission.cells) { return values }
            return form.values(fromStored: cells(submission, keep: keep)) { cells in
                unknownCells.append(UnknownStoredCells(unitID: unit.id, unitName: unit.name, year: submission.year, cells: cells))
            }
        }
        let headquarters = headquarters ?? Set(units.values.compactMap(\.parentID))
        for s in submissions.sorted(by: { $0.unitID.uuidString < $1.unitID.uuidString }) {
            guard let unit = units[s.unitID] else { continue }
            if let parentID = unit.parentID, let parent = units[parentID],
               parent.typeList.contains(where: { survey.respondentType($0)?.consolidates?.contains(formID) == true }) { continue }
            let type = unit.respondentType(filing: formID, in: survey)
            let industry = unit.industryCode.flatMap { divisions[String($0.prefix(2))] } ?? unclassified
            let values = read(s, unit)
            records.append(AggregateRecord(dimensions: ["province": unit.provinceCode, "type": type, "industry": industry], values: values))
            holdings.append(unit.parentID.map(\.uuidString) ?? (headquarters.contains(unit.id) ? unit.id.uuidString : nil))
            meta.append((unit.id, unit.name, type, lastByUnit[unit.id].map { read($0, unit) }))
        }
        return Input(form: form, records: records, units: meta, holdings: holdings, unknownCells: unknownCells)
    }

    /// The general way (the stored text `StoredCellsReader` left alone): the whole map, then the kept cells.
    private static func cells(_ submission: StoredFigures, keep: Set<String>?) -> [String: String] {
        let map = SubmissionStore.decode(submission.cells)
        guard let keep else { return map }
        return map.filter { keep.contains($0.key) }
    }
}

public struct AggregateError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
