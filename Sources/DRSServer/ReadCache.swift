import DRSCore
import DRSStorage
import DRSWorkflow
import Foundation
import Synchronization
import Vapor

/// A per-instance cache of what every request looks up: the session's account, the units it touches,
/// a form's submission id and last year's figures, the answers that decide another form's rows; and
/// the national aggregates of verified figures (kept only while changes are heard, see
/// `aggregate(_:load:)`).
///
/// How long an entry may be trusted depends on whether this instance hears of changes:
/// - On PostgreSQL, once the change feed listens (`ChangeFeed`, `hearing(true)`), every change to
///   these rows, by any instance or tool, is announced and forgets the entry at once (`forget(_:)`);
///   entries then live `heardTTL`, a safety net only.
/// - Otherwise (SQLite, or PostgreSQL while the feed is down) entries live `ttl` seconds: a change made
///   elsewhere is seen within that time; this instance forgets an entry as soon as it changes it.
///
/// A load that began before a change was heard must not keep what it read (it may be older than the
/// change): every change bumps `epoch`, and a load stores its result only if the epoch has not moved.
///
/// A `Mutex` rather than an actor: every look-up is a dictionary read on the request's hot path,
/// and the loads (database reads) run outside the lock.
final class ReadCache: Sendable {
    private struct Entry<Value> {
        var value: Value
        var at: Date
    }

    /// A unit's form of a year: hashed as it is, where a text key would write out the unit's id on
    /// every look-up (a save makes three).
    private struct FormKey: Hashable, Sendable {
        var unit: UUID
        var form: String
        var year: Int
    }

    private struct State {
        /// Only accounts and units found are kept (`nil` never is: one may be added at any time).
        var users: [UUID: Entry<UserAccount?>] = [:]
        var units: [UUID: Entry<SurveyUnit?>] = [:]
        /// Submission ids never change once created: kept until the submission is deleted.
        var submissionIDs: [FormKey: Entry<UUID>] = [:]
        var lastYears: [FormKey: Entry<LastYearFigures>] = [:]
        /// A form's answers this year (企业1表's, which decide 企业5表's rows), parsed; only of forms
        /// that have a row (a row created later announces nothing, so its absence is never kept), and
        /// only while changes are heard (`answers(unit:year:forms:load:)`).
        var answers: [FormKey: Entry<[String: JSONValue]>] = [:]
        var aggregates: [AggregateKey: Entry<KeptAggregate>] = [:]
        var epoch: UInt64 = 0
        var hearing = false

        mutating func forgetAll() {
            users.removeAll()
            units.removeAll()
            submissionIDs.removeAll()
            lastYears.removeAll()
            answers.removeAll()
            aggregates.removeAll()
        }
    }

    private let state = Mutex(State())
    let ttl: TimeInterval
    let heardTTL: TimeInterval
    /// Entries per kind before the kind is emptied: a unit or an account model is a kilobyte or two,
    /// last year's figures a form's worth. The bounds keep an instance under its memory budget when a
    /// deadline's filers come through it (docs/benchmarks.md (u)).
    let limit: Int
    let lastYearLimit: Int
    /// Aggregates (a form by a grouping: a few hundred cells per group, a few hundred kilobytes).
    let aggregateLimit: Int

    init(ttl: TimeInterval = 2, heardTTL: TimeInterval = 600, limit: Int = 20_000, lastYearLimit: Int = 5_000, aggregateLimit: Int = 100) {
        self.ttl = ttl
        self.heardTTL = heardTTL
        self.limit = limit
        self.lastYearLimit = lastYearLimit
        self.aggregateLimit = aggregateLimit
    }

    func user(_ id: UUID, load: () async throws -> UserAccount?) async throws -> UserAccount? {
        try await look(\.users, id, lifetime: nil, limit: limit, load: load, keeps: { $0 != nil })
    }

    /// The account kept for `id`, if it is kept and still trusted; nothing is loaded (the session's
    /// account is read this way on the event loop, `CurrentUserMiddleware`).
    func keptUser(_ id: UUID) -> UserAccount? {
        peek(\.users, id, lifetime: nil).kept ?? nil
    }

    func unit(_ id: UUID, load: () async throws -> SurveyUnit?) async throws -> SurveyUnit? {
        try await look(\.units, id, lifetime: nil, limit: limit, load: load, keeps: { $0 != nil })
    }

    func submissionID(unit: UUID, form: String, year: Int, load: () async throws -> UUID) async throws -> UUID {
        try await look(\.submissionIDs, Self.key(unit, form, year), lifetime: .infinity, limit: limit, load: load)
    }

    /// Last year's figures of `unit`'s `form` (`year` is last year).
    func lastYear(unit: UUID, form: String, year: Int, load: () async throws -> LastYearFigures) async throws -> LastYearFigures {
        try await look(\.lastYears, Self.key(unit, form, year), lifetime: nil, limit: lastYearLimit, load: load)
    }

    /// The answers of `forms` of `unit` this `year`, by form: those kept, and the others read by
    /// `load` (given the forms still to read) and kept. Kept only while this instance hears every
    /// change, as aggregates are: a change to a submission's answers is announced, whoever makes it (a
    /// save, a workbook, an import, an operator's SQL; `NotifyAnswerChanges`). Without the feed (SQLite,
    /// or the feed down) they are read on every request, as before.
    func answers(unit: UUID, year: Int, forms: [String],
                 load: ([String]) async throws -> [String: [String: JSONValue]]) async throws -> [String: [String: JSONValue]] {
        let now = Date()
        let (kept, epoch, hearing) = state.withLock { state -> ([String: [String: JSONValue]], UInt64, Bool) in
            var kept: [String: [String: JSONValue]] = [:]
            guard state.hearing else { return (kept, state.epoch, false) }
            for form in forms {
                if let entry = state.answers[Self.key(unit, form, year)], now.timeIntervalSince(entry.at) < heardTTL { kept[form] = entry.value }
            }
            return (kept, state.epoch, true)
        }
        let missing = forms.filter { kept[$0] == nil }
        if missing.isEmpty { return kept }
        let loaded = try await load(missing)
        guard hearing else { return loaded }
        state.withLock { state in
            guard state.epoch == epoch, state.hearing else { return }
            if state.answers.count + loaded.count > lastYearLimit { state.answers.removeAll(keepingCapacity: true) }
            for (form, answers) in loaded where missing.contains(form) {
                state.answers[Self.key(unit, form, year)] = Entry(value: answers, at: now)
            }
        }
        return kept.merging(loaded) { kept, _ in kept }
    }

    /// This instance saved `form`'s answers of `unit`: forgotten before the answer leaves, so the
    /// filer's next form is asked by the new answers here at once, not a moment later when the
    /// database's announcement arrives.
    func forget(answersOf unit: UUID, form: String, year: Int) {
        state.withLock { state in
            state.epoch &+= 1
            state.answers[Self.key(unit, form, year)] = nil
        }
    }

    /// The national aggregate of a form's verified figures (`AggregateInputs.table`), kept only while
    /// this instance hears every change: exactly the changes that can move it are announced (a
    /// submission that is or was verified, `NotifyChanges`; a unit), and forget it. Drafts saved in the
    /// deadline week announce nothing, so the national office's second look at a form costs nothing.
    /// Without the feed (SQLite, or the feed down) every aggregate is computed afresh, as before.
    func aggregate(_ key: AggregateKey, load: () async throws -> KeptAggregate) async throws -> KeptAggregate {
        guard isHearing else { return try await load() }
        return try await look(\.aggregates, key, lifetime: nil, limit: aggregateLimit, load: load)
    }

    /// This instance's own review step: one that verifies or reopens moves the form's verified figures,
    /// forgotten here before the answer leaves, not a moment later when the database's announcement
    /// arrives (the national office's next click could come first).
    func forget(after step: SubmissionStep, unit: UUID, form: String, year: Int) {
        guard step == .verify || step == .reopen else { return }
        forget(.submission(unit: unit, form: form, year: year))
    }

    func forget(user id: UUID?) { if let id { forget(.user(id)) } }
    func forget(unit id: UUID?) { if let id { forget(.unit(id)) } }

    /// A change heard from the database (or made here): the entries it touches are forgotten.
    func forget(_ change: StoredChange) {
        // A session's change (one a minute per active session, as it is touched) touches nothing here:
        // it must not keep the loads in flight from being stored.
        if case .session = change { return }
        state.withLock { state in
            state.epoch &+= 1
            switch change {
            case .user(let id): state.users[id] = nil
            case .unit(let id):
                state.units[id] = nil
                // A unit's province, type, industry or headquarters places its figures in the totals.
                state.aggregates.removeAll()
            case .session: break
            case .submission(let unit, let form, let year):
                let key = Self.key(unit, form, year)
                state.submissionIDs[key] = nil
                state.lastYears[key] = nil
                state.answers[key] = nil
                state.aggregates = state.aggregates.filter { $0.key.form != form || $0.key.year != year }
            case .everything: state.forgetAll()
            }
        }
    }

    /// Whether changes are heard from now on. Either way everything is forgotten: what was kept
    /// while not hearing was trusted for `ttl` only, and what was kept while hearing may have
    /// missed a change announced while the connection was down.
    func hearing(_ hearing: Bool) {
        state.withLock { state in
            state.epoch &+= 1
            state.hearing = hearing
            state.forgetAll()
        }
    }

    var isHearing: Bool { state.withLock { $0.hearing } }

    private static func key(_ unit: UUID, _ form: String, _ year: Int) -> FormKey { FormKey(unit: unit, form: form, year: year) }

    /// The entry for `key` if it is still trusted at `now`, and the epoch it was read in.
    private func peek<Key: Hashable & Sendable, Value: Sendable>(_ table: WritableKeyPath<State, [Key: Entry<Value>]> & Sendable, _ key: Key,
                                                                  lifetime: TimeInterval?, now: Date = Date()) -> (kept: Value?, epoch: UInt64) {
        state.withLock { state -> (Value?, UInt64) in
            guard let entry = state[keyPath: table][key] else { return (nil, state.epoch) }
            let life = lifetime ?? (state.hearing ? heardTTL : ttl)
            return (now.timeIntervalSince(entry.at) < life ? entry.value : nil, state.epoch)
        }
    }

    /// The entry of `key` if it is still to be trusted; else `load`'s result, kept if `keeps` says so
    /// and no change was heard while loading. `lifetime` nil: `ttl` or `heardTTL`, as changes are heard.
    private func look<Key: Hashable & Sendable, Value: Sendable>(_ table: WritableKeyPath<State, [Key: Entry<Value>]> & Sendable, _ key: Key, lifetime: TimeInterval?,
                                                   limit: Int, load: () async throws -> Value,
                                                   keeps: (Value) -> Bool = { _ in true }) async throws -> Value {
        let now = Date()
        let (kept, epoch) = peek(table, key, lifetime: lifetime, now: now)
        if let kept { return kept }
        let value = try await load()
        guard keeps(value) else { return value }
        state.withLock { state in
            guard state.epoch == epoch else { return }
            if state[keyPath: table].count >= limit { state[keyPath: table].removeAll(keepingCapacity: true) }
            state[keyPath: table][key] = Entry(value: value, at: now)
        }
        return value
    }
}

/// Last year's figures of a unit's form as the checks read them, and which submission (id and version)
/// they are: a stored check result names it (`CheckStamp`).
struct LastYearFigures: Sendable {
    var values: CellValues?
    var source: (id: UUID, version: Int)?

    static let none = LastYearFigures(values: nil, source: nil)
}

/// Which national aggregate a kept one is: a year's form by groupings, of verified figures only.
struct AggregateKey: Hashable, Sendable {
    var year: Int
    var form: String
    var groupings: [[String]]
}

/// A kept aggregate: the form as compiled and its totals.
struct KeptAggregate: Sendable {
    var form: CompiledForm
    var table: AggregateTable
}

struct ReadCacheKey: StorageKey { typealias Value = ReadCache }

extension Application {
    /// Set up in `configure` before the server starts, so concurrent requests never race to create it.
    var readCache: ReadCache {
        if let cache = storage[ReadCacheKey.self] { return cache }
        // Not set up (configure has not run): no cache, so every look-up loads — slower, never stale.
        return ReadCache()
    }
}

extension Request {
    /// The unit an account belongs to (cached; the shared account object is never mutated).
    func unit(of user: UserAccount) async throws -> SurveyUnit? {
        guard let id = user.$unit.id else { return nil }
        return try await application.readCache.unit(id, load: { try await SurveyUnit.find(id, on: db) })
    }
}
