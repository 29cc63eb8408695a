import DRSCore
import DRSStorage
import DRSWorkflow
import FluentKit
import Foundation
import Logging

/// Keeps each form's 核查清单 stored and current, and answers pages from what is stored.
///
/// A page reads the form's fingerprint (a few index counts) and the stored lists' header. While the
/// fingerprint matches, the page is read from the stored snapshot: two chunks of each list and the
/// figures of the units on it, whatever the size of the nation. When the figures have changed:
/// - lists that computed quickly (under `inlineLimit`) are computed again before answering, so a
///   small survey always sees its latest figures;
/// - lists that took longer (企业5表 at 100,000 units: seconds) are answered from the stored snapshot,
///   marked with when it was computed and that it is not current, while one computation runs in the
///   background; the next page after it finishes is current.
/// One computation at a time in an instance (each holds a form's year of figures); a page that must
/// wait for one joins it rather than starting another.
public actor FollowUpKeeper {
    public let engine: String
    public let inlineLimit: Duration
    let logger: Logger
    /// The computation running or waiting for each form and year, and the fingerprint it is of.
    private var running: [String: (fingerprint: String, task: Task<FollowUpListStore.Header, any Error>)] = [:]
    private var tail: Task<Void, Never>?
    /// Computations this instance has started (its tests ask which instance computed).
    public private(set) var started = 0

    /// - Parameters:
    ///   - engine: the catalog and program (`CheckStamp.engine`): lists of another engine are never shown.
    ///   - inlineLimit: lists whose last computation took less are computed again before a page answers.
    public init(engine: String, inlineLimit: Duration = .seconds(1), logger: Logger = Logger(label: "drs.follow-up")) {
        self.engine = engine
        self.inlineLimit = inlineLimit
        self.logger = logger
    }

    /// The page `window(length of the longer list)` of a form's lists.
    /// `db` must outlive the request (the application's database): a background computation uses it.
    public func page(_ db: any Database, gate: WriteGate?, catalog: CompiledCatalog, year: Int, formID: String,
                     window: @Sendable (Int) -> Range<Int>) async throws -> FollowUpStoredPage {
        let form = try AggregateInputs.aggregatable(catalog, formID)
        let store = FollowUpListStore(database: db, gate: gate)
        // A snapshot replaced between reading its header and its chunks is read again (twice is plenty:
        // a replacement takes as long as a computation).
        for _ in 0..<3 {
            let fingerprint = try await store.fingerprint(year: year, formID: formID, statuses: FollowUpComputation.statuses,
                                                          lastYearStatuses: CarryOver.sourceStatuses)
            var header = try await store.header(year: year, formID: formID)
            var current = header.map { $0.fingerprint == fingerprint && $0.engine == engine } ?? false
            if !current {
                if let stored = header, stored.engine == engine, .milliseconds(stored.elapsedMilliseconds) >= inlineLimit,
                   FollowUpBasis(text: stored.basis, slots: form.layout.count) != nil {
                    // Shown as stored, while one instance computes them again (this one, if it claims it).
                    let now = Date()
                    var computing = running[key(year, formID)]?.fingerprint == fingerprint
                    if !computing {
                        computing = try await store.claim(year: year, formID: formID, now: now, until: now.addingTimeInterval(Self.claim))
                    }
                    if computing { _ = computation(db, gate: gate, catalog: catalog, year: year, formID: formID, fingerprint: fingerprint) }
                } else {
                    let task = computation(db, gate: gate, catalog: catalog, year: year, formID: formID, fingerprint: fingerprint)
                    let computed = try await task.value
                    header = computed
                    current = computed.fingerprint == fingerprint   // the task joined is of this fingerprint
                }
            }
            guard let header else { continue }
            if let page = try await FollowUpStoredPage.read(db, catalog: catalog, year: year, form: form, header: header,
                                                            current: current, window: window) {
                return page
            }
        }
        throw AggregateError(message: "核查清单正在更新，请稍后再试")
    }

    /// The computation of a form's lists as of `fingerprint` (read before it starts, so before any
    /// figure it reads): the one already running for it, or a new one, after those before it.
    private func computation(_ db: any Database, gate: WriteGate?, catalog: CompiledCatalog, year: Int,
                             formID: String, fingerprint: String) -> Task<FollowUpListStore.Header, any Error> {
        let key = key(year, formID)
        if let run = running[key], run.fingerprint == fingerprint { return run.task }
        let before = tail, engine = self.engine, logger = self.logger
        let task = Task.detached {
            await before?.value
            do {
                let header = try await FollowUpComputation.refresh(db, gate: gate, catalog: catalog, engine: engine, year: year, formID: formID,
                                                                   fingerprint: fingerprint)
                return header
            } catch {
                logger.error("核查清单 \(year)年 \(formID) 计算失败：\(error)")
                try? await FollowUpListStore(database: db, gate: gate).release(year: year, formID: formID)
                throw error
            }
        }
        running[key] = (fingerprint, task)
        started += 1
        tail = Task {
            _ = try? await task.value
            self.finished(key, fingerprint)
        }
        return task
    }

    /// How long an instance's claim to compute a form's lists holds when it stops without storing them.
    static let claim: TimeInterval = 300

    private func key(_ year: Int, _ formID: String) -> String { "\(year)/\(formID)" }

    /// Computes again, in the background one after another, the stored lists of another engine (after a
    /// new release or catalog), so the first page after the release finds them current.
    public func warmUp(_ db: any Database, gate: WriteGate?, catalog: CompiledCatalog) async {
        let store = FollowUpListStore(database: db, gate: gate)
        do {
            for (year, formID) in try await store.otherEngines(than: engine) where catalog.forms[formID] != nil {
                let fingerprint = try await store.fingerprint(year: year, formID: formID, statuses: FollowUpComputation.statuses,
                                                              lastYearStatuses: CarryOver.sourceStatuses)
                let now = Date()
                guard try await store.claim(year: year, formID: formID, now: now, until: now.addingTimeInterval(Self.claim)) else { continue }
                _ = computation(db, gate: gate, catalog: catalog, year: year, formID: formID, fingerprint: fingerprint)
            }
        } catch {
            logger.warning("核查清单：新版本的清单未能在启动时重新计算（打开时再计算）：\(error)")
        }
    }

    /// Returns when every computation started so far has finished (tests, and an orderly stop).
    public func settle() async {
        while let last = tail {
            await last.value
            if tail == last { return }
        }
    }

    private func finished(_ key: String, _ fingerprint: String) {
        if running[key]?.fingerprint == fingerprint { running[key] = nil }
    }
}
