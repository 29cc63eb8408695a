import DRSCore
import DRSStorage
import DRSWorkflow
import Fluent
import Foundation
import Vapor

/// 报送进度 read from grouped counts: the database counts units and submissions by the facts that
/// decide access and the forms owed (`UnitGroup`: province, types, place in a group, the account's
/// own unit); the access table decides each group once through a unit standing for it, exactly as
/// it would decide each of its units. The units still owing forms are read a page at a time.
extension Progress {
    /// Which of the units still owing forms to read.
    enum OwingSelection {
        case none
        /// One page in the registry's order: the `page`th, or the page after or before a unit (`from`).
        case page(PageWindow.Request, from: UnitCursor?)
        /// All of them (全部催报): their ids, and the first `shown` of them.
        case all(shown: Int)
        /// Those of these units that owe (the reminders chosen on the page): their ids, and the first `shown`.
        case units([UUID], shown: Int)
    }

    /// A group as the access table decides it: the unit standing for it, and the forms its units file
    /// that the account may see (none when it may not see the units).
    struct DecidedGroup {
        var standIn: SurveyUnit
        var forms: [String]
    }

    static func load(_ req: Request, outstanding selection: OwingSelection) async throws -> Progress {
        let user = try req.requireUser()
        let platform = req.platform
        let year: Int = req.query["year"] ?? platform.surveyYear
        guard platform.catalog.catalog.survey.reportingYears.contains(year) else { throw APIError.notFound("\(year)年的调查") }
        let store = platform.store(req.db)
        let own = user.$unit.id
        let scope = Self.scope(user)
        // The submissions' count runs while the groups are decided.
        async let statusRows = store.statusCounts(year: year, scope: scope, own: own)
        // Only reviewers oversee units (the routes admit no one else).
        let groupCounts = user.role.isReviewer ? try await store.unitGroupCounts(scope: scope, own: own) : [:]
        var decided: [UnitGroup: DecidedGroup] = [:]
        for group in groupCounts.keys { decided[group] = decide(req, group, own: own) }
        var progress = Progress(year: year, deadline: SubmissionController.dateText(platform.deadline(for: year)), pastDeadline: platform.isOverdue(year),
                                table: ProgressTable([], pastDeadline: false), outstanding: [], provinceNames: [:], typeNames: [:], formNames: [:])
        progress.name(platform)
        progress.table = table(req, year: year, rows: try await statusRows, counts: groupCounts, decided: decided)
        let owed = owedForms(decided)
        // How sparse the list is, from the table: how a page by number is best read (`OwingShare`).
        let share = OwingShare(units: decided.filter { !$0.value.forms.isEmpty }.keys.reduce(0) { $0 + (groupCounts[$1] ?? 0) },
                               owedForms: progress.table.total.assigned - progress.table.total.reported)
        switch selection {
        case .none: break
        case .all(let shown):
            progress.decided = decided
            progress.owingIDs = try await store.owingUnitIDs(year: year, scope: scope, own: own, owed: owed)
            progress.outstanding = try await owing(req, year: year, units: try await store.units(inOrder: Array(progress.owingIDs.prefix(shown))), decided)
        case .units(let ids, let shown):
            var units: [SurveyUnit] = []
            for start in stride(from: 0, to: ids.count, by: 5_000) {   // a statement's parameters are bounded
                units += try await store.owingUnits(year: year, scope: scope, own: own, owed: owed, ids: Array(ids[start..<min(start + 5_000, ids.count)]))
            }
            if ids.count > 5_000 { units.sort { ($0.regionCode, $0.name, $0.id?.uuidString ?? "") < ($1.regionCode, $1.name, $1.id?.uuidString ?? "") } }
            progress.decided = decided
            progress.owingIDs = units.compactMap(\.id)
            progress.outstanding = try await owing(req, year: year, units: Array(units.prefix(shown)), decided)
        case .page(let requested, let from):
            // One more than the page: whether another page follows (or, walking back, precedes).
            let units = try await store.owingUnits(year: year, scope: scope, own: own, owed: owed,
                                                   offset: from == nil ? (requested.page - 1) * requested.size : 0, limit: requested.size + 1, from: from,
                                                   share: share)
            let backward = if case .before = from { true } else { false }
            let shown = KeyedPage(read: units, size: requested.size, page: requested.page, backward: backward, continued: from != nil)
            progress.outstanding = try await owing(req, year: year, units: shown.items, decided)
            progress.outstandingPage = OwingPage(page: requested.page, size: requested.size, hasPrevious: shown.hasPrevious, hasMore: shown.hasNext)
        }
        return progress
    }

    /// What the database may narrow to for the account's view of units (`ListReach`).
    static func scope(_ user: UserAccount) -> UnitScope {
        switch AccessPolicy.listReach(user.subject, .viewUnit) {
        case .province(let code): .province(code)
        case .subsidiaries(let head): UUID(uuidString: head).map { .subsidiaries(of: $0) } ?? .every
        case .everything, .decidedPerRow, .nothing: .every
        }
    }

    /// The group of a unit, as the database groups it.
    static func group(of unit: SurveyUnit, own: UUID?) -> UnitGroup {
        UnitGroup(regionCode: unit.regionCode, types: unit.types, parentID: unit.$parent.id, unitID: unit.id, own: own)
    }

    /// The access table's decision for a group, through a unit with exactly the group's facts.
    static func decide(_ req: Request, _ group: UnitGroup, own: UUID?) -> DecidedGroup {
        decide(req.currentUser?.subject, req.platform, group, own: own)
    }

    /// The same decision for an account outside a request (a 催报 run's sender, `ReminderRunner`).
    static func decide(_ subject: Subject?, _ platform: Platform, _ group: UnitGroup, own: UUID?) -> DecidedGroup {
        let standIn = standIn(for: group, own: own)
        func may(_ action: AccessAction, formID: String? = nil) -> Bool {
            guard let subject else { return false }
            return AccessPolicy.decide(subject, action, platform.accessTarget(standIn, formID: formID)).isAllowed
        }
        guard may(.viewUnit) else { return DecidedGroup(standIn: standIn, forms: []) }
        let forms = platform.forms(for: standIn).map(\.form.id).filter { may(.viewForm, formID: $0) }
        return DecidedGroup(standIn: standIn, forms: forms)
    }

    /// A unit with exactly the group's facts, for the access table to decide the group by.
    static func standIn(for group: UnitGroup, own: UUID?) -> SurveyUnit {
        let parent: UUID? = group.topLevel ? nil : group.parentIsOwn ? own : UUID()
        return SurveyUnit(id: group.isOwn ? own : UUID(), creditCode: "", name: "", regionCode: (group.province ?? "") + "0000",
                          types: group.types.split(separator: ",").map(String.init), parentID: parent)
    }

    /// The table from the units counted by group and their submissions counted by group, form and status.
    static func table(_ req: Request, year: Int, rows: [(group: UnitGroup, form: String, status: String, count: Int)], counts: [UnitGroup: Int],
                      decided: [UnitGroup: DecidedGroup]) -> ProgressTable {
        let platform = req.platform
        let survey = platform.catalog.catalog.survey
        var byStatus: [UnitGroup: [String: [String: Int]]] = [:]
        for row in rows { byStatus[row.group, default: [:]][row.form, default: [:]][row.status, default: 0] += row.count }
        let pastDeadline = platform.isOverdue(year)
        var assignments: [ProgressTable.Assignment] = []
        for (group, units) in counts {
            guard let decision = decided[group] else { continue }
            for form in decision.forms {
                let type = decision.standIn.respondentType(filing: form, in: survey)
                var started = 0
                for (status, n) in byStatus[group]?[form] ?? [:] where status != SubmissionStatus.notStarted.rawValue && n > 0 {
                    assignments.append(.init(province: decision.standIn.provinceCode, type: type, form: form, status: status, count: n))
                    started += n
                }
                if units > started {
                    assignments.append(.init(province: decision.standIn.provinceCode, type: type, form: form,
                                             status: SubmissionStatus.notStarted.rawValue, count: units - started))
                }
            }
        }
        let provinces = platform.catalog.catalog.codeLists["provinces"]?.members ?? []
        return ProgressTable(assignments, pastDeadline: pastDeadline,
                             order: (provinces.map(\.code), survey.respondentTypes.map(\.id), platform.catalog.orderedForms.map(\.form.id)))
    }

    /// The groups by the forms they owe. Where every province's group of the same kind is decided
    /// alike (always, unless the table one day decides by province beyond a province's own list), the
    /// province is left out of the key, so the query names a few kinds rather than every province's.
    static func owedForms(_ decided: [UnitGroup: DecidedGroup]) -> [OwedForms] {
        var byKind: [UnitGroup: Set<[String]>] = [:]
        for (group, decision) in decided {
            var kind = group
            kind.province = nil
            byKind[kind, default: []].insert(decision.forms)
        }
        let alike = byKind.values.allSatisfy { $0.count == 1 }
        var byForms: [[String]: Set<UnitGroup>] = [:]
        for (group, decision) in decided where !decision.forms.isEmpty {
            var key = group
            if alike { key.province = nil }
            byForms[decision.forms, default: []].insert(key)
        }
        return byForms.map { OwedForms(groups: Array($0.value), forms: $0.key) }.sorted { $0.forms.lexicographicallyPrecedes($1.forms) }
    }

    /// The owing units with the forms they owe, their statuses and their filers' accounts.
    static func owing(_ req: Request, year: Int, units: [SurveyUnit], _ decided: [UnitGroup: DecidedGroup]) async throws -> [Owing] {
        try await owing(req.platform, req.db, own: try req.requireUser().$unit.id, year: year, units: units, decided)
    }

    /// The same for an account outside a request, whose own unit is `own`.
    static func owing(_ platform: Platform, _ db: any Database, own: UUID?, year: Int, units: [SurveyUnit],
                      _ decided: [UnitGroup: DecidedGroup]) async throws -> [Owing] {
        guard !units.isEmpty else { return [] }
        let ids = try units.map { try $0.requireID() }
        let heads = try await platform.store(db).submissionHeads(year: year, unitIDs: ids)
        let status = Dictionary(heads.map { ("\($0.unitID)/\($0.formID)", $0.status) }, uniquingKeysWith: { a, _ in a })
        var accounts: [UserAccount] = []
        for start in stride(from: 0, to: ids.count, by: 5_000) {   // a statement's parameters are bounded
            accounts += try await UserAccount.query(on: db).filter(\.$unit.$id ~~ Array(ids[start..<min(start + 5_000, ids.count)])).all()
        }
        let accountsByUnit = Dictionary(grouping: accounts) { $0.$unit.id }
        return units.compactMap { unit in
            let forms = decided[group(of: unit, own: own)]?.forms ?? []
            let owed = forms.compactMap { form -> (id: String, status: SubmissionStatus)? in
                let s = unit.id.flatMap { status["\($0)/\(form)"] } ?? .notStarted
                return ProgressTable.outstanding.contains(s.rawValue) ? (form, s) : nil
            }
            guard !owed.isEmpty else { return nil }
            return Owing(unit: unit, forms: owed, accounts: (accountsByUnit[unit.id] ?? []).map { "\($0.displayName)（\($0.username)）" }.sorted())
        }
    }

    /// The names the table and the list show.
    mutating func name(_ platform: Platform) {
        let survey = platform.catalog.catalog.survey
        provinceNames = Dictionary((platform.catalog.catalog.codeLists["provinces"]?.members ?? []).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        typeNames = Dictionary(survey.respondentTypes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        formNames = Dictionary(platform.catalog.orderedForms.map { ($0.form.id, $0.form.tableNumber) }, uniquingKeysWith: { a, _ in a })
    }
}
