import DRSCore
import DRSStorage
import DRSWorkflow
import FluentKit
import Foundation

/// 核查清单 of one form and year computed from the database: the reported figures (已提交, 已通过,
/// 已核定: what the office still can act on) read a run at a time, the national totals, then the two
/// lists (`FollowUpLists`).
public enum FollowUpComputation {
    /// The statuses whose figures are followed up.
    public static let statuses = SubmissionStatus.reported

    /// The lists' order and basis, in two passes over the form's figures a run at a time
    /// (`FollowUpSpreads`, then `FollowUpOrdering`): memory for one run, each type's figures as 64-bit
    /// columns and the flagged entries, never the nation's figures (企业5表 at 100,000 units held
    /// 0.7 GB at once). A change between the passes leaves the lists older than their fingerprint
    /// says, so they are computed again.
    static func ordered(_ db: any Database, catalog: CompiledCatalog, year: Int, formID: String) async throws
        -> (yearOverYear: [FollowUpEntry], outliers: [FollowUpEntry], basis: FollowUpBasis) {
        let form = try AggregateInputs.aggregatable(catalog, formID)
        let aggregator = try Aggregator(form: form)
        @Sendable func units(_ run: AggregateInputs.Input) -> [FollowUpUnit] {
            zip(run.records, run.units).map { FollowUpUnit(unitID: $1.id.uuidString, respondentType: $1.type, values: $0.values, lastYear: $1.lastYear) }
        }
        // Each run is added on the blocking pool, one after another, into this one box: a value
        // captured by the closure would be copied whole (the spreads' columns) at every run.
        let passes = Passes(national: Aggregator.Running(aggregator, groupings: [[]]), spreads: FollowUpSpreads(form: form))
        try await AggregateInputs.forEachRun(db, catalog: catalog, form: form, year: year, statuses: statuses, lastYear: false,
                                             runLength: AggregateInputs.runLength) { run in
            try await Offload.run {
                try passes.national.add(run.records)
                passes.spreads.add(units(run))
            }
        }
        let basis = try await Offload.run {
            guard let total = try passes.national.finish().national else { throw AggregateError(message: "汇总结果缺少全国合计") }
            return try passes.spreads.basis(national: total)
        }
        passes.spreads = FollowUpSpreads(form: form)   // the columns are let go before the second pass
        passes.ordering = try FollowUpOrdering(aggregator: aggregator, basis: basis)
        try await AggregateInputs.forEachRun(db, catalog: catalog, form: form, year: year, statuses: statuses, lastYear: true,
                                             runLength: AggregateInputs.runLength) { run in
            try await Offload.run { passes.ordering?.add(units(run)) }
        }
        let order = try await Offload.run { passes.ordering?.finish() ?? (yearOverYear: [], outliers: []) }
        return (order.yearOverYear, order.outliers, basis)
    }

    /// The running state of the two passes, changed in place by one run at a time (never two at once).
    private final class Passes: @unchecked Sendable {
        var national: Aggregator.Running
        var spreads: FollowUpSpreads
        var ordering: FollowUpOrdering?

        init(national: Aggregator.Running, spreads: FollowUpSpreads) {
            self.national = national
            self.spreads = spreads
        }
    }

    /// Computes the lists and stores them as the form's current snapshot (`FollowUpListStore`), marked
    /// with `fingerprint`, which must have been read before the figures (read here when nil): a change
    /// made during the computation leaves the stored lists marked as older than it, so they are
    /// computed again, never taken as current.
    @discardableResult
    public static func refresh(_ db: any Database, gate: WriteGate?, catalog: CompiledCatalog, engine: String,
                               year: Int, formID: String, fingerprint: String? = nil,
                               now: @Sendable () -> Date = { Date() }) async throws -> FollowUpListStore.Header {
        let store = FollowUpListStore(database: db, gate: gate)
        let clock = ContinuousClock()
        let started = clock.now
        var fingerprint = fingerprint ?? ""
        if fingerprint.isEmpty {
            fingerprint = try await store.fingerprint(year: year, formID: formID, statuses: statuses, lastYearStatuses: CarryOver.sourceStatuses)
        }
        let order = try await ordered(db, catalog: catalog, year: year, formID: formID)
        let computed = clock.now - started
        let header = FollowUpListStore.Header(
            snapshot: UUID().uuidString, fingerprint: fingerprint, engine: engine,
            computedAt: Date(timeIntervalSince1970: (now().timeIntervalSince1970 * 1000).rounded() / 1000),   // as stored: to the millisecond
            elapsedMilliseconds: Int(computed.components.seconds) * 1000 + Int(computed.components.attoseconds / 1_000_000_000_000_000),
            yearOverYear: order.yearOverYear.count, outliers: order.outliers.count, basis: order.basis.text)
        try await store.store(year: year, formID: formID, header: header) { list, range in
            FollowUpEntry.lines((list == .yearOverYear ? order.yearOverYear : order.outliers)[range])
        }
        func seconds(_ d: Duration) -> String { String(format: "%.1f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
        db.logger.notice("核查清单 \(year)年 \(formID)：\(header.yearOverYear) 项同比、\(header.outliers) 项异常值；计算 \(seconds(computed)) 秒，保存 \(seconds(clock.now - started - computed)) 秒")
        return header
    }
}
