import DRSCore
import DRSStorage
import DRSWorkflow
import FluentKit
import Foundation
import SQLKit

/// A page of a form's stored follow-up lists: the entries of the page (a chunk or two of each list),
/// then the figures of just the units on it, made into items with the stored basis.
public struct FollowUpStoredPage: Sendable {
    public var yearOverYear: FollowUpItems
    public var outliers: FollowUpItems
    public var yearOverYearTotal: Int
    public var outliersTotal: Int
    /// The names of the units on the page, by unit id.
    public var names: [String: String]
    /// When the lists were computed.
    public var computedAt: Date
    /// False when the form's figures have changed since: the lists are being computed again.
    public var current: Bool

    /// Reads the positions `window(max(total of each list))` of both lists of the snapshot `header`;
    /// nil when the snapshot was replaced meanwhile or its basis cannot be read (read again).
    static func read(_ db: any Database, catalog: CompiledCatalog, year: Int, form: CompiledForm, header: FollowUpListStore.Header,
                     current: Bool, window: (Int) -> Range<Int>) async throws -> FollowUpStoredPage? {
        let slots = form.layout.count
        guard let basis = FollowUpBasis(text: header.basis, slots: slots) else { return nil }
        let store = FollowUpListStore(database: db, gate: nil)
        let range = window(max(header.yearOverYear, header.outliers))
        var entries: [FollowUpListStore.List: [FollowUpEntry]] = [:]
        for list in FollowUpListStore.List.allCases {
            let shown = range.clamped(to: 0..<header.count(list))
            guard !shown.isEmpty else { entries[list] = []; continue }
            let size = FollowUpListStore.chunkSize
            let numbers = Array((shown.lowerBound / size)...((shown.upperBound - 1) / size))
            let chunks = try await store.chunks(snapshot: header.snapshot, list: list, numbers: numbers)
            var listed: [FollowUpEntry] = []
            for number in numbers {
                guard let text = chunks[number], let parsed = FollowUpEntry.parse(text, slots: slots) else { return nil }
                listed += parsed
            }
            let offset = shown.lowerBound - numbers[0] * size
            entries[list] = Array(listed.dropFirst(offset).prefix(shown.count))
        }
        let ids = Set(entries.values.joined().map(\.unitID)).compactMap { UUID(uuidString: $0) }
        let units = try await figures(db, catalog: catalog, year: year, form: form, units: ids)
        let aggregator = try Aggregator(form: form)
        func items(_ list: FollowUpListStore.List, _ reason: FollowUpItem.Reason) -> FollowUpItems {
            FollowUpItems.stored(reason, entries: entries[list] ?? [], units: units.figures, aggregator: aggregator, basis: basis)
        }
        return FollowUpStoredPage(yearOverYear: items(.yearOverYear, .yearOverYear), outliers: items(.outliers, .outlier),
                                  yearOverYearTotal: header.yearOverYear, outliersTotal: header.outliers,
                                  names: units.names, computedAt: header.computedAt, current: current)
    }

    /// The reported figures of these units this year and last year's (as the computation read them),
    /// by unit id, with the units' names.
    static func figures(_ db: any Database, catalog: CompiledCatalog, year: Int, form: CompiledForm, units ids: [UUID]) async throws
        -> (figures: [String: FollowUpUnit], names: [String: String]) {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase else { return ([:], [:]) }
        let formID = form.form.id
        let rows = try await AggregateInputs.figureRows(sql, year: year, formID: formID, statuses: FollowUpComputation.statuses,
                                                        units: .among(ids), joiningUnits: true)
        let lastRows = try await AggregateInputs.figureRows(sql, year: year - 1, formID: formID, statuses: CarryOver.sourceStatuses,
                                                            units: .among(ids))
        let input = try await Offload.run {
            let facts = try AggregateInputs.unitFacts(rows)
            let last = try lastRows.map(StoredFigures.init(row:))
            return AggregateInputs.decode(form: form, catalog: catalog, submissions: try rows.map(StoredFigures.init(row:)),
                                          lastByUnit: Dictionary(last.map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a }),
                                          units: facts, headquarters: [])
        }
        var figures: [String: FollowUpUnit] = [:], names: [String: String] = [:]
        for (record, unit) in zip(input.records, input.units) {
            let id = unit.id.uuidString
            figures[id] = FollowUpUnit(unitID: id, respondentType: unit.type, values: record.values, lastYear: unit.lastYear)
            names[id] = unit.name
        }
        return (figures, names)
    }
}
