import DRSAPI
import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// A reviewer's queue: the submissions of the units they review, with their checks, filtered by
/// form, status, respondent type and whether rule warnings or errors remain.
enum ReviewQueue {
    struct Filter {
        var year: Int
        var form: String?
        /// Statuses to show; empty = every status but 未填报.
        var statuses: Set<SubmissionStatus>
        var type: String?
        /// "errors": only with errors; "warnings": only with warnings (explained or not).
        var flag: String?

        init(year: Int, form: String? = nil, statuses: Set<SubmissionStatus> = [], type: String? = nil, flag: String? = nil) {
            self.year = year
            self.form = form
            self.statuses = statuses
            self.type = type
            self.flag = flag
        }

        init(_ req: Request) throws {
            let year: Int = req.query["year"] ?? req.platform.surveyYear
            guard req.platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
            func text(_ name: String) -> String? {
                (req.query[String.self, at: name]).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            var statuses: Set<SubmissionStatus> = []
            for raw in (text("status") ?? "").split(separator: ",") {
                guard let s = SubmissionStatus(rawValue: String(raw)) else {
                    throw APIError.badRequest("bad_status", "未知的状态「\(raw)」，可用：\(SubmissionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                statuses.insert(s)
            }
            if let form = text("form"), req.platform.catalog.forms[form.uppercased()] == nil { throw APIError.badRequest("bad_form", "未知的表「\(form)」") }
            if let type = text("type"), req.platform.catalog.catalog.survey.respondentType(type) == nil {
                throw APIError.badRequest("bad_type", "未知的调查对象类型「\(type)」")
            }
            if let flag = text("flag"), !["errors", "warnings"].contains(flag) { throw APIError.badRequest("bad_flag", "flag 只能是 errors 或 warnings") }
            self.init(year: year, form: text("form")?.uppercased(), statuses: statuses, type: text("type"), flag: text("flag"))
        }
    }

    struct Item {
        var unit: SurveyUnit
        /// The unit's id (a stored unit always has one).
        var unitID: UUID
        var submission: SubmissionHead
        var formTitle: String
        var tableNumber: String
        var errors: Int
        var warnings: Int
        var unexplained: Int
        /// Required cells left blank (the page shows them; the API's item does not carry them yet).
        var missing = 0
        /// Stored cells of this submission that the catalog does not define (or that are no numbers).
        var unknownCells: [String] = []
        /// 已提交 with no error, no unexplained warning and no required blank: bulk approval may take it.
        var isClean = false

        var url: String { "/review/units/\(unitID.uuidString)/\(submission.year)/\(submission.formID)" }
    }

    /// The basic-information answers the forms in view ask rows by (企业1表 for 企业5表's AI-product rows),
    /// per unit and form: only the answers, of every deciding form in one statement, rather than each
    /// deciding form's whole rows (both kinds of figures) through the model.
    static func conditionAnswers(_ store: SubmissionStore, _ platform: Platform, year: Int, unitIDs: [UUID], formID: String?)
        async throws -> [UUID: [String: [String: JSONValue]]] {
        let forms = formID.flatMap { platform.catalog.forms[$0].map { [$0] } } ?? Array(platform.catalog.forms.values)
        let deciding = Set(forms.flatMap(\.conditionForms)).sorted()
        var result: [UUID: [String: [String: JSONValue]]] = [:]
        for row in try await store.answers(unitIDs: unitIDs, years: [year], forms: deciding) {
            guard let answers = JSONValue.answerMap(row.answers) else { continue }
            result[row.unitID, default: [:]][row.formID] = answers
        }
        return result
    }

    /// One page of the queue, in its order (region, unit name, unit, form), and the window it is.
    ///
    /// The database filters, orders and pages the submissions (`QueueQuery`). Where the access table
    /// allows every row (the national office) it also counts them, and only the page is read; so it
    /// does for a province's queue narrowed to the groups the table allowed (`byGroups`). A flagged
    /// province's queue and a headquarters' read their own rows and decide each (`AccessPolicy`).
    /// Only the page's submissions are checked: stored results while their stamp matches, the others
    /// checked now and stored.
    ///
    /// `unchecked`: for a flagged queue, how many submissions in reach wait for their check (it shows
    /// only those whose result is current).
    static func page(_ req: Request, filter: Filter, requested: PageWindow.Request) async throws
        -> (items: [Item], window: PageWindow, unchecked: Int) {
        let store = req.platform.store(req.db)
        guard var reading = reading(req, filter: filter) else { return ([], requested.over(total: 0), 0) }
        var known: Int?
        if let narrowed = try await byGroups(req, reading, store: store) { (reading, known) = narrowed }
        let waiting = filter.flag == nil ? 0 : try await bringChecksUpToDate(req, store: store, reading: reading, filter: filter)
        let rows: [QueueRow], window: PageWindow
        if reading.exact {
            let size = if let known { (total: known, regions: [(region: String, count: Int)]?.none) } else { try await store.queueSize(reading.query) }
            window = requested.over(total: size.total)
            rows = try await store.queuePage(reading.query, offset: (window.page - 1) * window.size, limit: window.size, total: window.total,
                                             regions: size.regions)
        } else {
            let all = try await reading.rows(req, store: store)
            window = requested.over(total: all.count)
            rows = Array(window.slice(all))
        }
        // The rows of a whole reach were decided as they were read; the database's page is checked here.
        let shown = reading.exact ? rows.filter { reading.allows(req, $0) } : rows
        return (try await items(req, store: store, filter: filter, rows: shown), window, waiting)
    }

    /// The previous and next submission of the queue around one (its key), and its place (0 when it is
    /// not in the queue, having been approved just now: then the neighbours are those of where it sorts).
    static func neighbours(_ req: Request, filter: Filter, of key: QueueQuery.Key, id: UUID)
        async throws -> (previous: QueueRow?, next: QueueRow?, position: Int, total: Int) {
        let store = req.platform.store(req.db)
        guard var reading = reading(req, filter: filter) else { return (nil, nil, 0, 0) }
        var known: Int?
        if let narrowed = try await byGroups(req, reading, store: store) { (reading, known) = narrowed }
        if filter.flag != nil { _ = try await bringChecksUpToDate(req, store: store, reading: reading, filter: filter) }
        if reading.exact {
            let around = try await store.queueNeighbours(reading.query, of: key)
            let total = if let known { known } else { try await store.queueCount(reading.query) }
            let present = try await store.queueContains(reading.query, id: id)
            return (around.previous, around.next, present ? around.before + 1 : 0, total)
        }
        let all = try await reading.rows(req, store: store)
        let index = all.firstIndex { $0.head.id == id }
        let before = index ?? all.filter { $0.key < key }.count
        let after = index.map { $0 + 1 } ?? before
        return (before > 0 ? all[before - 1] : nil, after < all.count ? all[after] : nil, index.map { $0 + 1 } ?? 0, all.count)
    }

    /// The queue's query for this account, and whether the database's rows are the queue as they are
    /// (`exact`) or must each be decided.
    struct Reading {
        var query: QueueQuery
        var exact: Bool

        /// Every row, each decided by the access table. Rows alike in all the table looks at (their
        /// `UnitGroup`, as 报送进度 counts them, and the form) are decided alike, so each kind is
        /// decided once.
        func rows(_ req: Request, store: SubmissionStore) async throws -> [QueueRow] {
            let own = req.currentUser?.$unit.id
            var decided: [UnitGroup: [String: Bool]] = [:]
            return try await store.queueRows(query).filter { row in
                let group = UnitGroup(regionCode: row.regionCode, types: row.types, parentID: row.parentID, unitID: row.head.unitID, own: own)
                if let known = decided[group]?[row.head.formID] { return known }
                let allowed = allows(req, row)
                decided[group, default: [:]][row.head.formID] = allowed
                return allowed
            }
        }

        func allows(_ req: Request, _ row: QueueRow) -> Bool {
            let unit = SurveyUnit(id: row.head.unitID, creditCode: row.creditCode, name: row.unitName, regionCode: row.regionCode,
                                  types: row.types.split(separator: ",").map(String.init), parentID: row.parentID)
            return req.may(.viewReview, unit, formID: row.head.formID)
        }
    }

    /// A province's queue without a flag, made exact: its submissions counted by group of units from
    /// the tallies (`queueGroupCounts`), each group's forms decided once by the access table through a
    /// unit with the group's facts (as 报送进度 decides its groups), and the groups and forms refused
    /// withheld in the database. The queue is then counted without reading it and paged by the
    /// database; the page's rows are still decided one by one. The refused are named rather than the
    /// allowed: usually none or a few (subsidiaries, headquarters, 公共5表), a short condition to plan
    /// and test; a unit the tallies did not know yet would be read and decided on its page.
    /// Returns the reading and its size; nil where it does not apply (other reaches; a flagged queue,
    /// which the stored checks narrow).
    static func byGroups(_ req: Request, _ reading: Reading, store: SubmissionStore) async throws -> (Reading, Int)? {
        guard !reading.exact, reading.query.flag == nil, case .province(let province) = reading.query.units else { return nil }
        let counts = try await store.queueGroupCounts(year: reading.query.year, province: province, forms: reading.query.forms,
                                                      statuses: reading.query.statuses)
        var refused: [String: QueueGroup] = [:], total = 0
        for group in counts.groups {
            if let type = reading.query.type, !group.types.split(separator: ",").contains(Substring(type)) { continue }
            let standIn = Progress.standIn(for: UnitGroup(province: province, types: group.types, topLevel: group.topLevel,
                                                          parentIsOwn: false, isOwn: false), own: nil)
            if req.may(.viewReview, standIn, formID: group.form) {
                total += group.count
            } else {
                refused["\(group.topLevel ? 1 : 0)\(group.types)", default: QueueGroup(types: group.types, topLevel: group.topLevel, forms: [])]
                    .forms.append(group.form)
            }
        }
        var query = reading.query
        query.withheld = refused.sorted { $0.key < $1.key }.map { var group = $0.value; group.forms.sort(); return group }
        query.walksProvince = counts.walksProvince(rows: total)
        return (Reading(query: query, exact: true), total)
    }

    static func reading(_ req: Request, filter: Filter) -> Reading? {
        guard let user = req.currentUser else { return nil }
        let catalog = req.platform.catalog
        let forms = filter.form.map { catalog.forms[$0] == nil ? [] : [$0] } ?? catalog.orderedForms.map(\.form.id)
        let statuses = filter.statuses.isEmpty ? SubmissionStatus.allCases.filter { $0 != .notStarted } : Array(filter.statuses)
        var query = QueueQuery(year: filter.year, forms: forms, statuses: statuses.sorted { $0.rawValue < $1.rawValue }, units: .every,
                               type: filter.type, flag: filter.flag.flatMap(QueueQuery.Flag.init(rawValue:)))
        switch AccessPolicy.listReach(user.subject, .viewReview) {
        case .everything: return Reading(query: query, exact: true)
        case .province(let code): query.units = .province(code)
        case .subsidiaries(let head):
            guard let id = UUID(uuidString: head) else { return nil }
            query.units = .subsidiaries(of: id)
        case .decidedPerRow: break
        case .nothing: return nil
        }
        return Reading(query: query, exact: false)
    }

    /// At most this many out-of-date results are checked for a flagged queue's request; more (after a
    /// new release) are the background's work (`CheckRefresher`), and the queue says how many wait.
    static let checkedPerRequest = 2_000

    /// A flagged queue filters by the stored counts, so the submissions in its reach whose result is
    /// missing or of another version or engine are checked first (after a save, the few saved since).
    /// Returns how many are still out of date: after a new release, until the background is through.
    static func bringChecksUpToDate(_ req: Request, store: SubmissionStore, reading: Reading, filter: Filter) async throws -> Int {
        let unchecked = try await store.queueUnchecked(reading.query, engine: req.platform.checkEngine, limit: checkedPerRequest + 1)
        guard !unchecked.isEmpty else { return 0 }
        guard unchecked.count <= checkedPerRequest else { return unchecked.count }
        let units = try await unitsByID(store, unchecked.map(\.unitID))
        let checks = try await QueueChecks(req, store: store, filter: filter, heads: unchecked)
        let stored = try await checks.summaries(of: unchecked, units: units)
        return unchecked.count - stored.count
    }

    /// The page's items: its units read whole, its submissions' checks.
    static func items(_ req: Request, store: SubmissionStore, filter: Filter, rows: [QueueRow]) async throws -> [Item] {
        let platform = req.platform
        let heads = rows.map(\.head)
        let units = try await unitsByID(store, heads.map(\.unitID))
        let summaries = try await QueueChecks(req, store: store, filter: filter, heads: heads).summaries(of: heads, units: units)
        return heads.compactMap { head in
            guard let unit = units[head.unitID], let form = platform.catalog.forms[head.formID] else { return nil }
            let summary = summaries[head.id]
            return Item(unit: unit, unitID: head.unitID, submission: head, formTitle: form.form.title, tableNumber: form.form.tableNumber,
                        errors: summary?.errors ?? 0, warnings: summary?.warnings ?? 0, unexplained: summary?.unexplained ?? 0,
                        missing: summary?.missing ?? 0, unknownCells: summary?.unknownCells ?? [], isClean: summary?.clean ?? false)
        }
    }

    static func unitsByID(_ store: SubmissionStore, _ ids: [UUID]) async throws -> [UUID: SurveyUnit] {
        let units = try await store.units(ids: Array(Set(ids)))
        return Dictionary(units.compactMap { unit in unit.id.map { ($0, unit) } }, uniquingKeysWith: { a, _ in a })
    }
}
